import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';
import type { ChangeRequest } from './steps';
import { objects } from './steps';

/** A virtual machine as `GET /VM` lists it: its GUID, name and client ID. */
export type VirtualMachine = { guid: string; name: string; clientId: number };

/** GUIDs as Commvault writes them: hexadecimal groups 8-4-4-4-12. */
export const VM_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every virtual machine: `GET /VM` → `vmStatusInfoList[]`
 * (https://documentation.commvault.com/v11/essential/125353_rest_api_get_virtual_machines.html). The
 * entry's `strGUID`, `name` and `client.clientId` are read; their names are only inferred (docs/commvault-api.md).
 */
export async function listVirtualMachines(this: IExecuteFunctions | ILoadOptionsFunctions, options: { itemIndex?: number; subject?: string } = {}): Promise<VirtualMachine[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'VM', ...options });
	return objects(response.vmStatusInfoList)
		.map((vm) => ({ guid: String(vm.strGUID ?? ''), name: String(vm.name ?? ''), clientId: Number((vm.client as { clientId?: unknown } | undefined)?.clientId ?? 0) }))
		.filter((vm) => VM_GUID.test(vm.guid));
}

/**
 * `POST /VM/{VmGUID}/Offboard` with `{"vmName": …}`: "remove the user as client owner… disable backup…
 * remove the assigned role"; plan settings do not change
 * (https://documentation.commvault.com/2024e/expert/rest_api_post_offboard_virtual_machine_client.html).
 */
export function offboardVirtualMachineRequest(vm: VirtualMachine): ChangeRequest {
	return { method: 'POST', endpoint: `VM/${vm.guid}/Offboard`, body: { vmName: vm.name } };
}
