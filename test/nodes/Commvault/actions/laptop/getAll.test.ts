import { runCommvaultNode, shaped, userByEmail, userById, userByName } from '../../../../harness/engine';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

const getLaptops = (user: object) => ({ resource: 'laptop', operation: 'getAll', user });

describe('Laptop → Get Many', () => {
	const sim = useSimulator();

	it.each([
		['name', userByName('jdoe')],
		['email', userByEmail('jdoe@example.com')],
		['ID', userById(1301)],
	])("by %s: looks the user up, then lists GET /V4/Laptop's entries of that user", async (_mode, user) => {
		const { output, error } = await runCommvaultNode({ parameters: getLaptops(user), credentials: accessTokenCredential(sim) });
		const [laptop] = sim.state.leaver.activeLaptops().filter((l) => l.name === 'LT-JDOE-01');

		expect(error).toBeUndefined();
		expect(output.map((i) => i.json)).toEqual([
			shaped('found', [1301, 'jdoe'], {
				laptopId: laptop.clientId,
				laptopName: 'LT-JDOE-01',
				owners: [{ id: 1301, name: 'jdoe' }],
				username: 'jdoe',
				email: 'jdoe@example.com',
				configured: true,
			}),
		]);
		expect(sim.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
	});

	it('finds a laptop by its email even when the user no longer owns it', async () => {
		const [laptop] = sim.state.leaver.activeLaptops().filter((l) => l.name === 'LT-JDOE-01');
		laptop.ownerUserIds = [1304];
		sim.state.getUser('rlee')!.email = 'jdoe@example.com';
		// username and email are the first owner's in the simulator: rlee's name, jdoe's address.
		const { output } = await runCommvaultNode({ parameters: getLaptops(userByName('jdoe')), credentials: accessTokenCredential(sim) });
		expect(output.map((i) => i.json.laptopName)).toEqual(['LT-JDOE-01']);
	});

	it('returns no item for a user without laptops', async () => {
		const { output, error } = await runCommvaultNode({ parameters: getLaptops(userByName('rlee')), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output).toEqual([]);
	});

	it('continue on fail: an unknown user fails its item, the others are listed', async () => {
		const items = [{ json: { id: 1301 } }, { json: { id: 4242 } }, { json: { id: 1303 } }];
		const { output, error } = await runCommvaultNode({
			parameters: getLaptops(userById('={{ $json.id }}')),
			items,
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((i) => [i.pairedItem, i.json.laptopName ?? i.json.error])).toEqual([
			[{ item: 0 }, 'LT-JDOE-01'],
			[{ item: 1 }, 'User ID 4242 not found in Commvault'],
			[{ item: 2 }, 'LT-MROE-02'],
		]);
	});
});
