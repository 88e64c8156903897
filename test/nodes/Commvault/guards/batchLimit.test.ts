import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../../harness/engine';
import { accessTokenCredential, generatedUserName, useSimulator } from '../../../support/simulator';

// The circuit breaker of every operation that changes users: more users in one run than
// Max Users per Run (default 500) and nothing is sent.
const OPERATIONS: Array<[string, IDataObject]> = [
	['offboard', {}],
	['disable', {}],
	['delete', { transferToUser: { __rl: true, mode: 'name', value: 'admin' } }],
];
const USERS = 501;

describe.each(OPERATIONS)('User → %s: Max Users per Run', (operation, extra) => {
	const sim = useSimulator({ generatedUsers: USERS });

	const items = Array.from({ length: USERS }, (_, i) => ({ json: { login: generatedUserName(i + 1) } }));
	const run = (options: IDataObject, onError?: 'continueRegularOutput' | 'continueErrorOutput') =>
		runCommvaultNode({
			parameters: { resource: 'user', operation, user: userByName('={{ $json.login }}'), ...extra, options },
			items,
			onError,
			credentials: accessTokenCredential(sim),
		});

	it(`${USERS} users with the default limit of 500: the node stops, nothing is sent, and the error says how to go on`, async () => {
		const { error, output } = await run({});
		expect(error?.message).toBe(`Stopped before changing anyone: this run would ${operation} ${USERS} users, more than Max Users per Run (500)`);
		expect(error?.description).toMatch(/^Nothing was sent to Commvault\. .*raise "Max Users per Run" under the node's Options to at least 501/);
		expect(output).toEqual([]);
		expect(sim.requests).toEqual([]);
	});

	it('with continue-on-fail, every item fails with the same refusal and still nothing is sent', async () => {
		const { output, errorOutput } = await run({}, 'continueErrorOutput');
		expect(output).toEqual([]);
		expect(errorOutput).toHaveLength(USERS);
		expect(errorOutput.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(errorOutput.map((i) => i.json.error)).toEqual(Array(USERS).fill(expect.stringMatching(/^Stopped before changing anyone/)));
		expect(sim.requests).toEqual([]);
	});

	it(`with the limit raised to ${USERS}, all ${USERS} are sent`, async () => {
		const { error, output } = await run({ maxUsersPerRun: USERS });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(USERS);
		const changes = sim.requests.filter((r) => r.method !== 'GET');
		expect(changes).toHaveLength(USERS);
	});
});

describe('User → Offboard: dry-run items change nothing, so they do not count', () => {
	const sim = useSimulator({}, { reset: false });

	it('3 dry-run items under a limit of 1 run; 2 real ones do not', async () => {
		const parameters = (dryRun: boolean) => ({
			resource: 'user',
			operation: 'offboard',
			user: userByName('jdoe'),
			options: { dryRun, maxUsersPerRun: 1 },
		});
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const dry = await runCommvaultNode({ parameters: parameters(true), items, credentials: accessTokenCredential(sim) });
		expect(dry.error).toBeUndefined();
		expect(dry.output).toHaveLength(3);

		sim.reset();
		const real = await runCommvaultNode({ parameters: parameters(false), items: items.slice(0, 2), credentials: accessTokenCredential(sim) });
		expect(real.error?.message).toMatch(/would offboard 2 users, more than Max Users per Run \(1\)$/);
		expect(sim.requests).toEqual([]);
	});
});
