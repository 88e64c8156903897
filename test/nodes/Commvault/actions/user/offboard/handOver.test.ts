import type { IDataObject } from 'n8n-workflow';

import { userById, userByName } from '../../../../../harness/engine';
import { useSimulator } from '../../../../../support/simulator';
import { offboardRuns } from './support';

describe('User → Offboard → Hand Over To', () => {
	const sim = useSimulator();
	const { run, writes, reasonOf } = offboardRuns(sim);
	const jdoeEntities = () => [
		...sim.state.subclients.filter((s) => s.clientName === 'LT-JDOE-01'),
		...sim.state.vmClients.filter((v) => v.vmName.startsWith('vm-jdoe-')),
	];

	it('leaves the named user as owner with backups running (the default)', async () => {
		const { output, error } = await run(userByName('jdoe'), { handOverToUser: 'rlee' });
		expect(error).toBeUndefined();
		const json = output[0].json;
		expect(json.status).toBe('offboarded');
		expect(json.verification).toMatchObject({ status: 'removed' });
		expect(json.handedOver).toMatchObject({ to: { userId: 1304, userName: 'rlee' }, backupsKeptRunning: true });
		expect(((json.handedOver as IDataObject).clients as IDataObject[]).map((c) => c.clientName)).toEqual(['LT-JDOE-01', 'vm-jdoe-dev01', 'vm-jdoe-test02']);
		for (const entity of jdoeEntities()) {
			expect(entity.ownerUserIds).toEqual([1304]);
			expect(entity.backupEnabled).toBe(true);
		}
		expect(sim.state.leaver.activeLaptops().find((l) => l.name === 'LT-JDOE-01')?.ownerUserIds).toEqual([1304]);
		expect((json.requests as IDataObject[]).map((r) => `${String(r.method)} ${String(r.path).replace(/\d+/g, 'N')}`)).toEqual([
			'POST /User/Offboard',
			'POST /Client/N', 'POST /Client/N', 'POST /Client/N',
			'POST /Client/N', 'POST /Client/N',
			'POST /Subclient/N', 'POST /Subclient/N',
		]);
	});

	it('hands over to a user group with backups left off when asked', async () => {
		const { output, error } = await run(userById(1301), { handOverToUserGroup: 'helpdesk', keepBackupsRunning: false });
		expect(error).toBeUndefined();
		expect(output[0].json.handedOver).toMatchObject({ to: { userGroupId: 4, userGroupName: 'Helpdesk' }, backupsKeptRunning: false });
		for (const entity of jdoeEntities()) {
			expect(entity.ownerUserIds).toEqual([]);
			expect(entity.ownerUserGroupIds).toEqual([4]);
			expect(entity.backupEnabled).toBe(false);
		}
	});

	it('resolves the new owner before anything is sent: an unknown one fails the item with nothing changed', async () => {
		const unknownUser = await run(userByName('jdoe'), { handOverToUser: 'ghost' });
		expect(unknownUser.error?.message).toBe('User "ghost" not found in Commvault');
		const unknownGroup = await run(userByName('jdoe'), { handOverToUserGroup: 'Nobody' });
		expect(unknownGroup.error?.message).toBe('User group "Nobody" not found in Commvault');
		const both = await run(userByName('jdoe'), { handOverToUser: 'rlee', handOverToUserGroup: 'Helpdesk' });
		expect(both.error?.message).toMatch(/cannot hand over: name either a user or a user group, not both/);
		expect(writes()).toEqual([]);
		expect(sim.state.subclientsOwnedBy(1301)).toHaveLength(2);
	});

	it('refuses a protected account before sending anything', async () => {
		const { error } = await run(userByName('admin'), { handOverToUser: 'rlee' });
		expect(reasonOf(error)).toBe('protectedAccount');
		expect(writes()).toEqual([]);
	});

	it('says the offboard went through when only the hand-over failed', async () => {
		sim.queueResponse({ endpoint: 'client/{id}', method: 'POST', body: { response: [{ errorCode: 5, errorString: 'No permission to change client owners' }] } });
		const { output } = await run(userByName('jdoe'), { handOverToUser: 'rlee' }, { onError: 'continueRegularOutput' });
		expect(output[0].json.status).toBe('partlyDone');
		expect((output[0].json.details as IDataObject).steps).toEqual({ handOver: { status: 'failed', reason: 'No permission to change client owners' } });
		expect((output[0].json.details as IDataObject).description).toMatch(/^The user was offboarded; only handing over to user "rlee" failed\./);
		expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
	});
});
