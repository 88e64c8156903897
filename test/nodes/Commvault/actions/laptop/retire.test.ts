import { audited, runCommvaultNode, shaped } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

const retire = (laptopId: string | number, extra: object = {}) => ({ resource: 'laptop', operation: 'retire', laptopId, ...extra });
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe('Laptop → Retire', () => {
	// Reset before each test, then the set-up below.
	const sim = useSimulator();
	let jdoeLaptop: number;
	let mroeLaptop: number;

	beforeEach(() => {
		const byName = (name: string) => sim.state.leaver.activeLaptops().find((l) => l.name === name)!.clientId;
		jdoeLaptop = byName('LT-JDOE-01');
		mroeLaptop = byName('LT-MROE-02');
	});

	it('looks the laptop up, sends DELETE /Client/{id}/Retire with cvpysdk\'s body and returns the job ID', async () => {
		const { output, error } = await runCommvaultNode({ parameters: retire(String(jdoeLaptop)), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(
			shaped('retired', [1301, 'jdoe'], {
				laptopId: jdoeLaptop,
				laptopName: 'LT-JDOE-01',
				owners: [{ id: 1301, name: 'jdoe' }],
				jobId: expect.any(Number),
				...audited(['DELETE', `/Client/${jdoeLaptop}/Retire`]),
			}),
		);
		expect(writes(sim).map((r) => r.body)).toEqual([{ client: { clientId: jdoeLaptop, clientName: 'LT-JDOE-01' } }]);
		expect(sim.state.leaver.laptop(jdoeLaptop)).toBeUndefined();
	});

	it('fails an unknown laptop and a laptop ID that is not a number, sending nothing that changes Commvault', async () => {
		const unknown = await runCommvaultNode({ parameters: retire(99999), credentials: accessTokenCredential(sim) });
		expect(unknown.error?.message).toBe('Laptop ID 99999 not found in Commvault');
		expect(unknown.error?.description).toMatch(/^Failed for item 1, laptop ID 99999\. .*then run this item again\.$/);
		const wrong = await runCommvaultNode({ parameters: retire('LT-JDOE-01'), credentials: accessTokenCredential(sim) });
		expect(wrong.error?.message).toBe('Item 1: "LT-JDOE-01" is not a laptop ID');
		expect(writes(sim)).toHaveLength(0);
	});

	it('refuses a laptop whose owner is a protected account before anything is sent', async () => {
		const { error } = await runCommvaultNode({ parameters: retire(jdoeLaptop), credentials: accessTokenCredential(sim, { protectedUsers: 'jdoe' }) });
		expect(error?.message).toBe('Item 1: will not retire the laptop of user "jdoe": "jdoe" is listed under Protected Users');
		expect(writes(sim)).toHaveLength(0);
	});

	it("fails with Commvault's errorString when the reply's response object carries an errorCode", async () => {
		sim.queueResponse({ endpoint: 'client/{id}/retire', body: { response: { errorCode: 2, errorString: 'Client has unaged data' } } });
		const { error } = await runCommvaultNode({ parameters: retire(jdoeLaptop), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Client has unaged data');
	});

	it('refuses more laptops than Max Users per Run', async () => {
		const items = [{ json: { id: jdoeLaptop } }, { json: { id: mroeLaptop } }];
		const { error } = await runCommvaultNode({ parameters: retire('={{ $json.id }}', { options: { maxUsersPerRun: 1 } }), items, credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Stopped before changing anyone: this run would retire the laptop of 2 users, more than Max Users per Run (1)');
		expect(sim.requests).toHaveLength(0);
	});

	it('continue on fail: an unknown laptop fails its item, the others are retired', async () => {
		const items = [{ json: { id: jdoeLaptop } }, { json: { id: 99999 } }, { json: { id: mroeLaptop } }];
		const { output, error } = await runCommvaultNode({ parameters: retire('={{ $json.id }}'), items, onError: 'continueRegularOutput', credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output.map((i) => [i.pairedItem, i.json.laptopName ?? i.json.error])).toEqual([
			[{ item: 0 }, 'LT-JDOE-01'],
			[{ item: 1 }, 'Laptop ID 99999 not found in Commvault'],
			[{ item: 2 }, 'LT-MROE-02'],
		]);
		expect(sim.state.leaver.laptop(mroeLaptop)).toBeUndefined();
	});
});
