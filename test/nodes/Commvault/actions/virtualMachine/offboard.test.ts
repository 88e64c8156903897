import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode } from '../../../../harness/engine';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

describe('Virtual Machine → Offboard', () => {
	const sim = useSimulator();
	const writes = () => sim.requests.filter((r) => r.method !== 'GET');
	const vmNamed = (name: string) => {
		const vm = sim.state.vmClients.find((v) => v.vmName === name);
		if (!vm) throw new Error(`no VM ${name} in the seed`);
		return vm;
	};
	const run = async (virtualMachine: IDataObject, extra: IDataObject = {}) =>
		await runCommvaultNode({ parameters: { resource: 'virtualMachine', operation: 'offboard', virtualMachine, options: {} }, credentials: accessTokenCredential(sim), ...extra });

	it('changes only that VM: its owner removed, its backup off, the role on it gone; everything else as it was', async () => {
		const target = vmNamed('vm-jdoe-dev01');
		const others = JSON.stringify([...sim.state.subclients, ...sim.state.vmClients.filter((v) => v !== target)]);
		const { output, error } = await run({ __rl: true, mode: 'guid', value: target.vmGUID.toUpperCase() });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			status: 'offboarded',
			userId: 1301,
			userName: 'jdoe',
			message: 'Offboarded virtual machine "vm-jdoe-dev01": Commvault removed "jdoe" as owner, disabled its backup and removed their role; the read-back confirms it.',
			vmGuid: target.vmGUID,
			vmName: 'vm-jdoe-dev01',
			verification: { status: 'removed' },
		});
		expect(target).toMatchObject({ ownerUserIds: [], backupEnabled: false });
		expect(target.securityAssociations.filter((a) => a.userId === 1301)).toEqual([]);
		expect(JSON.stringify([...sim.state.subclients, ...sim.state.vmClients.filter((v) => v !== target)])).toBe(others);
		expect(writes().map((r) => r.path)).toEqual([`/commandcenter/api/VM/${target.vmGUID}/Offboard`]);
	});

	it('takes the VM picked from the list (its GUID as the value)', async () => {
		const target = vmNamed('acme-vm-sql01');
		const { output } = await run({ __rl: true, mode: 'list', value: target.vmGUID, cachedResultName: 'acme-vm-sql01' });
		expect(output[0].json).toMatchObject({ status: 'offboarded', userName: 'acme\\asmith', vmName: 'acme-vm-sql01' });
		expect(target.ownerUserIds).toEqual([]);
	});

	it('fails an unknown GUID before sending anything, and a VM whose owner stays after a "successful" offboard', async () => {
		const unknown = await run({ __rl: true, mode: 'guid', value: '00000000-0000-0000-0000-000000000000' });
		expect(unknown.error?.message).toBe('Virtual machine 00000000-0000-0000-0000-000000000000 not found in Commvault');
		expect(writes()).toEqual([]);
		const target = vmNamed('tapi-vm01');
		sim.queueResponse({ endpoint: 'vm/{guid}/offboard', body: { errorCode: 0, errorMessage: 'Successfully offboarded' } });
		const { output } = await run({ __rl: true, mode: 'guid', value: target.vmGUID }, { onError: 'continueRegularOutput' });
		expect(output[0].json.status).toBe('failed');
		expect(output[0].json.message).toBe('Commvault said it offboarded virtual machine "tapi-vm01", but the read-back still finds 1 owner (tapicompany/tapicompany) and backup on');
		expect((output[0].json.details as IDataObject).reason).toBe('stillHeld');
	});
});
