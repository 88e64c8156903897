import type { IDataObject } from 'n8n-workflow';

import { userById, userByName } from '../../../../../harness/engine';
import { useSimulator } from '../../../../../support/simulator';
import { offboardRuns } from './support';

/** The seed's client ID of a client name, read from the simulator's state (not from the node). */
function clientIdIn(sim: ReturnType<typeof useSimulator>, name: string): number {
	const id = sim.state.subclients.find((s) => s.clientName === name)?.clientId ?? sim.state.vmClients.find((v) => v.vmName === name)?.clientId;
	if (id === undefined) throw new Error(`no client ${name} in the seed`);
	return id;
}

describe('User → Offboard with Snapshot and Verify', () => {
	const sim = useSimulator();
	const { run, calls, writes, reasonOf } = offboardRuns(sim);

	it("returns `before` with the user's owned clients, enabled subclients, roles and account state, and a clean read-back", async () => {
		const { output, error } = await run(userByName('jdoe'), { snapshot: true });
		expect(error).toBeUndefined();
		const json = output[0].json;
		const before = json.before as IDataObject;
		expect(before).toMatchObject({ snapshotVersion: 1, user: { userId: 1301, userName: 'jdoe' }, accountEnabled: true });
		expect(before.clients).toEqual([
			{ clientId: clientIdIn(sim, 'LT-JDOE-01'), clientName: 'LT-JDOE-01', owners: [{ userId: 1301, userName: 'jdoe' }], backupEnabled: true },
			{ clientId: clientIdIn(sim, 'vm-jdoe-dev01'), clientName: 'vm-jdoe-dev01', owners: [{ userId: 1301, userName: 'jdoe' }], backupEnabled: true },
			{ clientId: clientIdIn(sim, 'vm-jdoe-test02'), clientName: 'vm-jdoe-test02', owners: [{ userId: 1301, userName: 'jdoe' }], backupEnabled: true },
		]);
		expect((before.subclients as IDataObject[]).map((s) => [s.clientName, s.subclientName, s.backupEnabled])).toEqual([
			['LT-JDOE-01', 'default', true],
			['LT-JDOE-01', 'Documents', true],
		]);
		// five roles: Client Admins on the two subclients and two VMs, and View on someone else's file share
		expect((before.roles as Array<{ entity: IDataObject; role: IDataObject }>).map((r) => [r.entity.clientName, r.entity.subclientName ?? null, r.role.roleName])).toEqual([
			['LT-JDOE-01', 'default', 'Client Admins'],
			['LT-JDOE-01', 'Documents', 'Client Admins'],
			['vm-jdoe-dev01', null, 'Client Admins'],
			['vm-jdoe-test02', null, 'Client Admins'],
			['srv-fileshare01', 'Projects', 'View'],
		]);
		expect(json.verification).toEqual({ status: 'removed', stillHeld: { clients: [], subclients: [], roles: [] }, removed: { clients: 3, subclients: 2, roles: 4 } });
		expect(json.status).toBe('offboarded');
		expect(json.message).toMatch(/the read-back confirms it\.$/);
		// plain JSON: it survives a round trip unchanged
		expect(JSON.parse(JSON.stringify(before))).toEqual(before);
		expect(writes().map((r) => r.endpoint)).toEqual(['user/offboard']);
		// The cost, per user (docs/offboard-snapshot.md): the clients named in the user's roles, each read
		// before; the owned ones and their subclients read again after.
		expect(calls()).toEqual([
			'GET user', 'GET user/{id}',
			'GET client/{id}', 'GET subclient', 'GET client/{id}', 'GET subclient', 'GET client/{id}', 'GET subclient', 'GET client/{id}',
			'POST user/offboard',
			'GET client/{id}', 'GET client/{id}', 'GET client/{id}', 'GET subclient', 'GET user/{id}',
		]);
	});

	it('reports "nothing to remove" for a user already offboarded', async () => {
		await run(userById(1301), { snapshot: true });
		const { output, error } = await run(userById(1301), { snapshot: true });
		expect(error).toBeUndefined();
		expect(output[0].json.verification).toMatchObject({ status: 'nothingToRemove' });
		expect((output[0].json.before as IDataObject).clients).toEqual([]);
		expect(output[0].json.message).toMatch(/owned nothing to remove \(already offboarded\)/);
	});

	it('fails the item, naming what is left, when Commvault says it offboarded but an owner stays', async () => {
		sim.state.offboardLeavesOwner = true;
		const { output, error } = await run(userByName('jdoe'), { snapshot: true }, { onError: 'continueRegularOutput' });
		expect(error).toBeUndefined();
		const json = output[0].json;
		expect(json.status).toBe('failed');
		expect(json.message).toMatch(/^Commvault said it offboarded user "jdoe", but the read-back finds them still owner of 1 client \(LT-JDOE-01\)/);
		expect((json.details as IDataObject).reason).toBe('stillHeld');
		const raw = json.raw as { verification: { status: string; stillHeld: { clients: IDataObject[] } }; reply: IDataObject };
		expect(raw.verification.status).toBe('stillHeld');
		expect(raw.verification.stillHeld.clients).toEqual([{ clientId: clientIdIn(sim, 'LT-JDOE-01'), clientName: 'LT-JDOE-01' }]);
		expect(raw.reply).toEqual({ errorCode: 0, errorMessage: 'Successfully offboarded user 1301' });
		sim.reset();
		sim.state.offboardLeavesOwner = true;
		const stopped = await run(userByName('jdoe'), { snapshot: true });
		expect(reasonOf(stopped.error)).toBe('stillHeld');
	});

	it('Dry Run returns the same `before` and sends only GETs', async () => {
		const { output } = await run(userByName('jdoe'), { snapshot: true, dryRun: true });
		expect(output[0].json.status).toBe('wouldOffboard');
		expect((output[0].json.before as IDataObject).clients).toHaveLength(3);
		expect(writes()).toEqual([]);
		expect(calls().filter((c) => c.startsWith('GET client/{id}'))).toHaveLength(4);
	});

	it('without the option, sends what it always sent', async () => {
		const { output } = await run(userByName('jdoe'));
		expect(output[0].json.before).toBeUndefined();
		expect(calls()).toEqual(['GET user', 'POST user/offboard']);
	});
});
