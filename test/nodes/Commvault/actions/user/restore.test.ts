import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userById, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

/** What an offboard changes and Restore must put back, read from the simulator's own state. */
function ownershipState(sim: Simulator) {
	const entity = (e: { ownerUserIds: number[]; ownerUserGroupIds: number[]; backupEnabled: boolean; securityAssociations: Array<{ userId?: number; roleId: number }> }) => ({
		owners: [...e.ownerUserIds].sort(),
		groups: [...e.ownerUserGroupIds].sort(),
		backupEnabled: e.backupEnabled,
		roles: e.securityAssociations.map((a) => `${String(a.userId)}:${a.roleId}`).sort(),
	});
	return {
		subclients: sim.state.subclients.map((s) => ({ id: s.subclientId, ...entity(s) })),
		vms: sim.state.vmClients.map((v) => ({ id: v.clientId, ...entity(v) })),
		laptops: sim.state.leaver.activeLaptops().map((l) => ({ id: l.clientId, owners: [...l.ownerUserIds].sort() })),
		enabled: sim.state.users.map((u) => [u.userName, u.enabled]),
	};
}

describe('User → Restore', () => {
	const sim = useSimulator();
	const credentials = () => accessTokenCredential(sim);
	const writes = () => sim.requests.filter((r) => r.method !== 'GET');
	const offboard = async (user: IDataObject, options: IDataObject = {}) =>
		await runCommvaultNode({ parameters: { resource: 'user', operation: 'offboard', user, options: { snapshot: true, ...options } }, credentials: credentials() });
	const restore = async (user: IDataObject, snapshot: IDataObject[string], options: IDataObject = {}, extra: IDataObject = {}) =>
		await runCommvaultNode({ parameters: { resource: 'user', operation: 'restore', user, snapshot, options }, credentials: credentials(), ...extra });

	it('returns the simulator to exactly the state before the offboard (owners, backup, roles, account), and a second Restore sends nothing', async () => {
		const untouched = ownershipState(sim);
		const off = await offboard(userByName('jdoe'), { alsoDo: ['disableAccount'] });
		expect(off.error).toBeUndefined();
		expect(ownershipState(sim)).not.toEqual(untouched);
		sim.clearRequests();

		const { output, error } = await restore(userById(1301), off.output[0].json.before);
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'restored', userId: 1301, userName: 'jdoe', parts: { owners: 'done', roles: 'done', backup: 'done', account: 'done' } });
		expect(output[0].json.message).toBe('Restored user "jdoe": 3 client owners, 4 role associations, 4 backups turned on, the account enabled; the read-back confirms it.');
		expect(ownershipState(sim)).toEqual(untouched);
		expect(writes().map((r) => `${r.method} ${r.endpoint}`)).toEqual([
			'POST client/{id}', 'POST client/{id}', 'POST client/{id}',
			'POST security', 'POST security', 'POST security', 'POST security',
			'POST client/{id}', 'POST client/{id}', 'POST subclient/{id}', 'POST subclient/{id}',
			'PUT user/{id}/enable',
		]);

		sim.clearRequests();
		const again = await restore(userById(1301), JSON.stringify(off.output[0].json.before));
		expect(again.output[0].json).toMatchObject({ status: 'restored', parts: { owners: 'nothingToDo', roles: 'nothingToDo', backup: 'nothingToDo', account: 'nothingToDo' } });
		expect(writes()).toEqual([]);
		expect(ownershipState(sim)).toEqual(untouched);
	});

	it('adds the owner back without overwriting an owner added since the offboard', async () => {
		const off = await offboard(userByName('jdoe'));
		const laptop = sim.state.subclients.find((s) => s.clientName === 'LT-JDOE-01');
		if (!laptop) throw new Error('seed');
		for (const sc of sim.state.subclients.filter((s) => s.clientId === laptop.clientId)) sc.ownerUserIds.push(1304);
		await restore(userById(1301), off.output[0].json.before);
		for (const sc of sim.state.subclients.filter((s) => s.clientId === laptop.clientId)) expect([...sc.ownerUserIds].sort()).toEqual([1301, 1304]);
	});

	it('Dry Run lists what it would put back and sends only GETs', async () => {
		const off = await offboard(userByName('jdoe'));
		sim.clearRequests();
		const { output } = await restore(userById(1301), off.output[0].json.before, { dryRun: true });
		expect(output[0].json.status).toBe('wouldRestore');
		expect(output[0].json.message).toBe('Restore of user "jdoe" would put back 3 client owners, 4 role associations, 4 backups turned on. Nothing was changed in Commvault.');
		expect((output[0].json.requests as IDataObject[]).map((r) => `${String(r.method)} ${String(r.endpoint)}`)).toContain('POST Security');
		expect(writes()).toEqual([]);
	});

	it('refuses a protected account before sending anything', async () => {
		const snapshot = { snapshotVersion: 1, user: { userId: 1, userName: 'admin' }, accountEnabled: true, clients: [], subclients: [], roles: [] };
		const { error } = await restore(userById(1), snapshot);
		expect(error?.message).toMatch(/will not restore user "admin": "admin" is Commvault's built-in administrator/);
		expect(writes()).toEqual([]);
	});

	it("refuses another user's snapshot, or one of an unknown version, before sending anything", async () => {
		const off = await offboard(userByName('jdoe'));
		sim.clearRequests();
		const other = await restore(userByName('rlee'), off.output[0].json.before);
		expect(other.error?.message).toMatch(/cannot restore from this snapshot: it is about user ID 1301 \("jdoe"\), not user "rlee" \(ID 1304\)/);
		const version = await restore(userById(1301), { ...(off.output[0].json.before as IDataObject), snapshotVersion: 2 });
		expect(version.error?.message).toMatch(/its snapshotVersion is 2, not 1/);
		expect(writes()).toEqual([]);
	});

	it('reports each part of a partial restore, and a second run finishes it', async () => {
		const off = await offboard(userByName('jdoe'));
		sim.queueResponse({ endpoint: 'security', body: { response: [{ errorCode: 5, errorString: 'No permission to change security associations' }] } });
		const { output } = await restore(userById(1301), off.output[0].json.before, {}, { onError: 'continueRegularOutput' });
		const json = output[0].json;
		expect(json.status).toBe('partlyDone');
		expect((json.details as IDataObject).steps).toEqual({
			owners: 'done',
			roles: { status: 'failed', reason: 'No permission to change security associations' },
			backup: 'done',
			account: 'nothingToDo',
		});
		const second = await restore(userById(1301), off.output[0].json.before);
		expect(second.output[0].json).toMatchObject({ status: 'restored', parts: { owners: 'nothingToDo', roles: 'done', backup: 'nothingToDo', account: 'nothingToDo' } });
	});
});
