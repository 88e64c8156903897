import { audited, runCommvaultNode, shaped, userByEmail, userById, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

const changeOwner = (laptopId: string | number, newOwner: object) => ({ resource: 'laptop', operation: 'changeOwner', laptopId, newOwner });
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe('Laptop → Change Owner', () => {
	// Reset before each test, then the set-up below.
	const sim = useSimulator();
	let laptopId: number;

	beforeEach(() => {
		laptopId = sim.state.leaver.activeLaptops().find((l) => l.name === 'LT-JDOE-01')!.clientId;
	});

	it.each([
		['name', userByName('rlee')],
		['email', userByEmail('rlee@example.com')],
		['ID', userById(1304)],
	])('new owner by %s: POST /Client/{id} with ownerAssociations (ownersOperationType 1) makes them the only owner', async (_mode, newOwner) => {
		const { output, error } = await runCommvaultNode({ parameters: changeOwner(laptopId, newOwner), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(
			shaped('ownerChanged', [1304, 'rlee'], {
				laptopId,
				laptopName: 'LT-JDOE-01',
				previousOwners: [{ id: 1301, name: 'jdoe' }],
				owners: [{ id: 1304, name: 'rlee' }],
				...audited(['POST', `/Client/${laptopId}`]),
			}),
		);
		expect(writes(sim).map((r) => r.body)).toEqual([
			{
				clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType: 1, owners: [{ userId: 1304, userName: 'rlee' }] } } } },
				association: { entity: [{ clientName: 'LT-JDOE-01' }] },
			},
		]);
		expect(sim.state.leaver.laptop(laptopId)?.ownerUserIds).toEqual([1304]);
	});

	it('reads the laptop back, and fails when Commvault answered without an error but the owners did not change', async () => {
		// The documented reply (test/fixtures/commvault/client-owner-reply.json), answered without acting on it.
		sim.queueResponse({ endpoint: 'client/{id}', method: 'POST', body: { response: [{ errorCode: 0, entity: { clientId: laptopId, clientName: 'LT-JDOE-01', _type_: 3 } }] } });
		const { output } = await runCommvaultNode({
			parameters: changeOwner(laptopId, userByName('rlee')),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json).toMatchObject({
			status: 'failed',
			userId: 1304,
			error: 'Item 1: laptop "LT-JDOE-01" is owned by "jdoe" (ID 1301) after the change',
			details: { reason: 'notConfirmed', subject: 'laptop "LT-JDOE-01"' },
		});
		// Before and after the change: two GET /V4/Laptop.
		expect(sim.requests.filter((r) => r.endpoint === 'v4/laptop')).toHaveLength(2);
	});

	it('fails an unknown new owner with the "user not found" error, sending nothing that changes Commvault', async () => {
		const { error } = await runCommvaultNode({ parameters: changeOwner(laptopId, userByName('ghost')), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('User "ghost" not found in Commvault');
		expect(writes(sim)).toHaveLength(0);
	});

	it('refuses a laptop whose current owner is a protected account', async () => {
		const { error } = await runCommvaultNode({ parameters: changeOwner(laptopId, userByName('rlee')), credentials: accessTokenCredential(sim, { protectedUsers: 'jdoe@example.com, jdoe' }) });
		expect(error?.message).toBe('Item 1: will not hand over the laptop of user "jdoe": "jdoe" is listed under Protected Users');
		expect(writes(sim)).toHaveLength(0);
	});

	it('continue on fail: an unknown laptop fails its item, the others change hands', async () => {
		const mroe = sim.state.leaver.activeLaptops().find((l) => l.name === 'LT-MROE-02')!.clientId;
		const items = [{ json: { id: laptopId } }, { json: { id: 99999 } }, { json: { id: mroe } }];
		const { output, error } = await runCommvaultNode({
			parameters: changeOwner('={{ $json.id }}', userByName('rlee')),
			items,
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((i) => [i.pairedItem, i.json.laptopName ?? i.json.error])).toEqual([
			[{ item: 0 }, 'LT-JDOE-01'],
			[{ item: 1 }, 'Laptop ID 99999 not found in Commvault'],
			[{ item: 2 }, 'LT-MROE-02'],
		]);
		expect(sim.state.leaver.laptop(mroe)?.ownerUserIds).toEqual([1304]);
	});
});
