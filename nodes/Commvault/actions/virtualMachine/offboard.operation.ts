import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ClientState, OwnerRef } from '../../commvault/ownership';
import { readClient } from '../../commvault/ownership';
import type { StepContext } from '../../commvault/steps';
import type { VirtualMachine } from '../../commvault/virtualMachines';
import { VM_GUID, listVirtualMachines, offboardVirtualMachineRequest } from '../../commvault/virtualMachines';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { virtualMachineLocator } from '../../descriptions/virtualMachine.locator';
import { notFoundError, shownItem } from '../../failures/errors';
import { STILL_HELD } from '../../failures/reasons';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { count, noteItemUser, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [virtualMachineLocator, optionsWithBatchLimit()];

export const description = updateDisplayOptions({ show: { resource: ['virtualMachine'], operation: ['offboard'] } }, properties);

/** More virtual machines than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'offboard');
}

/** The VM the item names, found in `GET /VM` (so that its client, owners and name are known before anything is sent). */
async function findVirtualMachine(this: IExecuteFunctions, itemIndex: number): Promise<VirtualMachine> {
	const guid = String(this.getNodeParameter('virtualMachine', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!VM_GUID.test(guid)) {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: "${guid.slice(0, 40)}" is not a VM GUID`, {
			itemIndex,
			description: 'Pick the virtual machine from the list, or give its GUID (GET /VM lists it as strGUID). Nothing was sent.',
		});
	}
	const subject = `virtual machine ${guid}`;
	const vm = (await listVirtualMachines.call(this, { itemIndex, subject })).find((entry) => entry.guid.toLowerCase() === guid.toLowerCase());
	if (vm) return vm;
	throw notFoundError(this.getNode(), { itemIndex, subject }, 'GET /VM does not list this GUID. Check it, then run this item again. Nothing was changed.');
}

/** The user owners of the VM's client; each is refused when protected, before anything is sent. */
async function userOwnersOf(this: IExecuteFunctions, itemIndex: number, client: ClientState): Promise<Array<{ id: number; name: string }>> {
	const owners = client.owners.filter((o): o is OwnerRef & { userId: number } => o.userId !== undefined).map((o) => ({ id: o.userId, name: o.userName ?? '' }));
	if (owners[0]) noteItemUser.call(this, itemIndex, owners[0]);
	for (const owner of owners) {
		await refuseProtected.call(this, itemIndex, { ...owner, raw: { userEntity: { userId: owner.id, userName: owner.name } }, full: false }, 'offboard the virtual machine of');
	}
	return owners;
}

/** The read-back: none of the former user owners left and backup off, else the item fails naming what is left. */
function verifyVirtualMachine(this: IExecuteFunctions, ctx: StepContext, owners: Array<{ id: number }>, after: ClientState): IDataObject {
	const left = after.owners.filter((o) => owners.some((owner) => owner.id === o.userId));
	const stillHeld = { owners: left, backupEnabled: after.backupEnabled === true };
	if (left.length === 0 && !stillHeld.backupEnabled) return { status: owners.length ? 'removed' : 'nothingToRemove', stillHeld };
	const what = [left.length ? `${count(left.length, 'owner')} (${left.map((o) => o.userName).join(', ')})` : '', stillHeld.backupEnabled ? 'backup on' : ''].filter(Boolean).join(' and ');
	const message = `Commvault said it offboarded ${ctx.subject}, but the read-back still finds ${what}`;
	const error = new NodeApiError(this.getNode(), { message, subject: ctx.subject, reason: STILL_HELD, raw: { verification: { status: 'stillHeld', stillHeld } } } as unknown as JsonObject, {
		message,
		description: `Item ${shownItem(ctx.itemIndex)}: GET /Client after POST /VM/{GUID}/Offboard still shows it. Check the VM in the Command Center, then run this item again.`,
		itemIndex: ctx.itemIndex,
	});
	error.message = message;
	throw error;
}

/**
 * `POST /VM/{VmGUID}/Offboard` for one VM: the VM is found in `GET /VM`, its owners read from
 * `GET /Client/{id}` (a protected owner refuses the item before anything is sent), then read again.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const vm = await findVirtualMachine.call(this, itemIndex);
	const ctx = { itemIndex, subject: `virtual machine "${vm.name}"` };
	const before = await readClient.call(this, ctx, vm.clientId);
	const owners = await userOwnersOf.call(this, itemIndex, before);
	const request = offboardVirtualMachineRequest(vm);
	const response = await commvaultApiRequest.call(this, { ...request, ...ctx, idempotent: true });
	const verification = verifyVirtualMachine.call(this, ctx, owners, await readClient.call(this, ctx, vm.clientId));
	const was = owners.length ? `removed ${owners.map((o) => `"${o.name}"`).join(', ')} as owner, disabled its backup and removed their role` : 'it had no user owner to remove';
	const message = `Offboarded virtual machine "${vm.name}": Commvault ${was}; the read-back confirms it.`;
	const fields = { vmGuid: vm.guid, vmName: vm.name, clientId: vm.clientId, before: { owners: before.owners, backupEnabled: before.backupEnabled }, verification, ...auditTrail(request) };
	return outcome('offboarded', owners[0] ?? {}, message, fields, response);
}
