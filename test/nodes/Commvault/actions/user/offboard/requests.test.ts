import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByEmail } from '../../../../../harness/engine';
import type { Simulator } from '../../../../../support/simulator';
import { accessTokenCredential, useSimulator, userNamedIn } from '../../../../../support/simulator';
import { byExpression, itemsFor, offboard } from './support';

/**
 * The requests each configuration of issue 25's table sends, counted on the wire (the simulator's
 * record), for 3 users in one execution with an access token and a fresh credential store: the token
 * check (`GET v2/WhoAmI`, which also names the token's user for the own-user guard), then what the
 * execution plans (state/executionPlan.ts, commvault/userBatch.ts). Counts, never timings: a request
 * that comes back fails the test.
 */
const LEAVERS = ['jdoe', 'rlee', 'mroe'];
const IDS = [1301, 1304, 1303];

/** The requests a run sent, as "METHOD endpoint" → how many. */
function tally(sim: Simulator): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of sim.requests) {
		const key = `${request.method} ${request.endpoint}`;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

const TOKEN_CHECK = { 'GET v2/whoami': 1 };
/** The batch's one read of the user list: the simulator's 8 users fit on its first page. */
const USER_LIST = { 'GET user': 1 };

describe('User → Offboard: requests on the wire per configuration (3 users)', () => {
	const sim = useSimulator();
	const run = async (options: IDataObject = {}, credentials: IDataObject = {}, user: IDataObject = byExpression, items = itemsFor(...LEAVERS)) => {
		const result = await runCommvaultNode({ parameters: { ...offboard(user), options }, items, credentials: accessTokenCredential(sim, credentials) });
		expect(result.error).toBeUndefined();
		return result;
	};

	it('default, by name: one offboard per user, the users read once for the batch (was a look-up per user)', async () => {
		const { output } = await run();
		expect(output.map((item) => item.json.status)).toEqual(['offboarded', 'offboarded', 'offboarded']);
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'POST user/offboard': 3 });
		expect(sim.requests.filter((r) => r.endpoint === 'user/offboard').map((r) => r.body)).toEqual(IDS.map((userId) => ({ userId })));
	});

	it('by email: the address matched as email or UPN on the same read (was an email and a UPN query per user)', async () => {
		const addresses = ['JDOE@example.com', 'rlee@example.com', 'mroe@example.com'];
		const { output } = await run({}, {}, userByEmail('={{ $json.login }}'), itemsFor(...addresses));
		expect(output.map((item) => item.json.userId)).toEqual(IDS);
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'POST user/offboard': 3 });
	});

	it('Protected Users by name, email and ID: checked on what was read, no request of their own', async () => {
		const { output } = await run({}, { protectedUsers: 'backup.admin\nkfrost@example.com\n1251' });
		expect(output.map((item) => item.json.status)).toEqual(['offboarded', 'offboarded', 'offboarded']);
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'POST user/offboard': 3 });
	});

	it('Protected User Groups: one level-40 read per user, for its groups', async () => {
		await run({}, { protectedUserGroups: 'master' });
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'GET user/{id}': 3, 'POST user/offboard': 3 });
		expect(sim.requests.filter((r) => r.endpoint === 'user/{id}').every((r) => r.query.level === '40')).toBe(true);
	});

	it('Protected User Groups + Also → Remove From User Groups: the guard and the step share the one level-40 read (was two), and the step reads the user back once', async () => {
		const { output } = await run({ alsoDo: ['removeFromUserGroups'] }, { protectedUserGroups: 'master' });
		expect(output.map((item) => item.json.userGroupsRemoved)).toEqual(LEAVERS.map(() => [{ id: 2, name: 'Laptop Users' }]));
		// Per user: the shared level-40 read before, and a fresh one after the change (issue 24's read-back,
		// which must read Commvault, not the shared copy).
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'GET user/{id}': 3 + 3, 'POST user/offboard': 3, 'PUT v4/user/{id}': 3 });
	});

	it('Dry Run: one level-40 read, the sessions and the tokens per user; the laptop list once for the execution (was once per user)', async () => {
		const { output } = await run({ dryRun: true }, { protectedUserGroups: 'master' });
		expect(output.map((item) => item.json.status)).toEqual(['wouldOffboard', 'wouldOffboard', 'wouldOffboard']);
		expect(tally(sim)).toEqual({
			...TOKEN_CHECK,
			...USER_LIST,
			'GET user/{id}': 3,
			'GET session': 3,
			'GET v4/accesstoken': 3,
			'GET v4/laptop': 1,
		});
	});

	it('a failed read of the user list leaves each user to its own look-up, and the batch still completes', async () => {
		sim.queueResponse({ endpoint: 'user', status: 200, body: { errorCode: 5, errorMessage: 'Access denied for user admin' } });
		const { output } = await run();
		expect(output.map((item) => item.json.status)).toEqual(['offboarded', 'offboarded', 'offboarded']);
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, 'GET user': 1 + 3, 'POST user/offboard': 3 });
	});
});

describe('Laptop operations: the laptop list once per execution (was once per item)', () => {
	const sim = useSimulator();
	const laptopIdOf = (name: string) => sim.state.leaver.activeLaptops().find((laptop) => laptop.name === name)!.clientId;

	it('Retire of three laptops reads the list once; a second Retire of a retired laptop finds it gone without reading again', async () => {
		const ids = ['LT-JDOE-01', 'LT-MROE-02', 'LT-KFROST-01'].map(laptopIdOf);
		const { output } = await runCommvaultNode({
			parameters: { resource: 'laptop', operation: 'retire', laptopId: '={{ $json.id }}' },
			items: [...ids, ids[0]].map((id) => ({ json: { id } })),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output.map((item) => item.json.status)).toEqual(['retired', 'retired', 'retired', 'notFound']);
		// One `GET /User/{id}` per laptop's owner: the guard compares owners by name, email, UPN and ID (issue 24).
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, 'GET v4/laptop': 1, 'GET user/{id}': 3, 'DELETE client/{id}/retire': 3 });
	});

	it('Change Owner twice on one laptop: the second sees the first\'s new owner (a protected one) and is refused, reading only the first\'s read-back', async () => {
		const laptopId = String(laptopIdOf('LT-JDOE-01'));
		// Handing a laptop to a protected user is allowed (the guard checks its current owners); taking it from them is not.
		const { output } = await runCommvaultNode({
			parameters: { resource: 'laptop', operation: 'changeOwner', laptopId, newOwner: { __rl: true, mode: 'name', value: '={{ $json.to }}' } },
			items: [{ json: { to: 'rlee' } }, { json: { to: 'mroe' } }],
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim, { protectedUsers: 'rlee' }),
		});
		expect(output.map((item) => item.json.status)).toEqual(['ownerChanged', 'refused']);
		expect(output[1].json.message).toMatch(/"rlee" is listed under Protected Users/);
		// The list once for the execution, and once more as the first change's read-back (issue 24), whose
		// answer the second item's guard then uses.
		expect(tally(sim)['GET v4/laptop']).toBe(2);
		expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.endpoint)).toEqual(['client/{id}']);
	});
});

describe('a 500-user planned batch with Protected Users (names, emails, IDs)', () => {
	const sim = useSimulator({ generatedUsers: 500 });
	const leavers = Array.from({ length: 500 }, (_, i) => `user${String(i + 1).padStart(5, '0')}`);

	it('refuses the protected users with nothing sent for them, and sends one offboard per other user plus a constant', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: { ...offboard(byExpression), options: { maxUsersPerRun: 1000 } },
			items: itemsFor(...leavers),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim, { protectedUsers: 'user00007\nUSER00250@example.com\n100499' }),
		});
		expect(error).toBeUndefined();
		const refused = output.flatMap((item, i) => (item.json.status === 'offboarded' ? [] : [[i, item.json.userName, item.json.status]]));
		expect(refused).toEqual([
			[6, 'user00007', 'refused'],
			[249, 'user00250', 'refused'],
			[498, 'user00499', 'refused'],
		]);
		const offboarded = sim.requests.filter((r) => r.endpoint === 'user/offboard').map((r) => userNamedIn(sim, r.body));
		expect(offboarded).toHaveLength(497);
		expect(offboarded).not.toEqual(expect.arrayContaining(['user00007']));
		expect(offboarded.filter((name) => ['user00007', 'user00250', 'user00499'].includes(name ?? ''))).toEqual([]);
		// Nothing at all names a protected user: no look-up by ID, no body.
		const mentions = (id: number) => sim.requests.filter((r) => r.path.includes(String(id)) || JSON.stringify(r.body ?? {}).includes(String(id)));
		expect([100007, 100250, 100499].flatMap(mentions)).toEqual([]);
		// 508 users fit on one page of 1,000: the token check, one read of the list, the offboards.
		expect(tally(sim)).toEqual({ ...TOKEN_CHECK, ...USER_LIST, 'POST user/offboard': 497 });
	});
});
