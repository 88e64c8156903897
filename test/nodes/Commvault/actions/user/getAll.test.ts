import type { IDataObject } from 'n8n-workflow';

import { GET_MANY_PAGE_SIZE } from '../../../../../nodes/Commvault/actions/user/getAll.operation';
import { runCommvaultNode } from '../../../../harness/engine';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../support/simulator';
import { EXPECTED_USER_COLUMNS } from '../../../../support/expectations';

const getAll = (extra: IDataObject = {}) => ({ resource: 'user', operation: 'getAll', ...extra });
const SEEDED = 10;
const GENERATED = 2500;

describe('User → Get Many', () => {
	const sim = useSimulator({ generatedUsers: GENERATED }, { reset: false });
	// Get Many changes nothing, so the 2,508 users are built once.
	beforeEach(() => {
		sim.clearRequests();
		sim.clearQueuedResponses();
	});

	it('returns exactly "Limit" users, simplified, all linked to the input item', async () => {
		const { output, error } = await runCommvaultNode({ parameters: getAll({ limit: 5 }), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output.map((i) => i.json.userName)).toEqual(['admin', 'tapicompany/tapicompany', 'jdoe', 'acme\\asmith', 'mroe']);
		expect(output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(output[2].json).toEqual({
			status: 'found',
			userId: 1301,
			userName: 'jdoe',
			message: 'Found user "jdoe".',
			email: 'jdoe@example.com',
			fullName: 'John Doe',
			description: 'Finance',
			userPrincipalName: '',
			enabled: true,
			locked: false,
			company: 'Commcell',
			lastLogin: expect.any(String),
		});
		// level=10 and cvpysdk's fl columns are what make Commvault send more than names and IDs.
		expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([{ level: '10', fl: EXPECTED_USER_COLUMNS, start: '0', limit: '5' }]);
	});

	it('defaults to a limit of 50', async () => {
		const { output } = await runCommvaultNode({ parameters: getAll(), credentials: accessTokenCredential(sim) });
		expect(output).toHaveLength(50);
	});

	it('pages a large limit: exactly that many users, each once', async () => {
		const { output } = await runCommvaultNode({ parameters: getAll({ limit: 1234 }), credentials: accessTokenCredential(sim) });
		expect(output).toHaveLength(1234);
		expect(new Set(output.map((i) => i.json.userId)).size).toBe(1234);
		expect(requestsTo(sim, 'user').map((r) => [r.query.start, r.query.limit])).toEqual([
			['0', String(GET_MANY_PAGE_SIZE)],
			[String(GET_MANY_PAGE_SIZE), String(GET_MANY_PAGE_SIZE)],
			[String(2 * GET_MANY_PAGE_SIZE), String(1234 - 2 * GET_MANY_PAGE_SIZE)],
		]);
	});

	it('"Return All" returns every user of a large tenant exactly once', async () => {
		const { output, error } = await runCommvaultNode({ parameters: getAll({ returnAll: true }), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		const ids = output.map((i) => i.json.userId as number);
		expect(ids).toHaveLength(SEEDED + GENERATED);
		expect(new Set(ids)).toEqual(new Set(sim.state.users.map((u) => u.userId)));
		expect(requestsTo(sim, 'user')).toHaveLength(Math.ceil((SEEDED + GENERATED) / GET_MANY_PAGE_SIZE));
	});

	it('without level or fl Commvault would list names and IDs only: the node asks for both on every page', async () => {
		await runCommvaultNode({ parameters: getAll({ returnAll: true }), credentials: accessTokenCredential(sim) });
		const pages = requestsTo(sim, 'user');
		expect(pages.length).toBeGreaterThan(1);
		expect(pages.every((r) => r.query.level === '10' && r.query.fl === EXPECTED_USER_COLUMNS)).toBe(true);
	});

	it('"Return All" still ends, each user once, when the server ignores paging', async () => {
		const everyone = { users: sim.state.users.slice(0, 20).map((u) => ({ userEntity: { userId: u.userId, userName: u.userName } })) };
		sim.queueResponse({ endpoint: 'user', body: everyone, times: 3 });
		const { output } = await runCommvaultNode({ parameters: getAll({ returnAll: true }), credentials: accessTokenCredential(sim) });
		expect(output).toHaveLength(20);
		expect(requestsTo(sim, 'user').length).toBeLessThanOrEqual(2);
	});

	it('filters by name and email (contains, both at once)', async () => {
		const byName = await runCommvaultNode({
			parameters: getAll({ returnAll: true, filters: { name: 'USER0001' } }),
			credentials: accessTokenCredential(sim),
		});
		expect(byName.output.map((i) => i.json.userName)).toEqual(Array.from({ length: 10 }, (_, i) => `user000${10 + i}`));
		expect(requestsTo(sim, 'user')[0].query.fq).toBe('users.userEntity.userName:contains:USER0001');

		const both = await runCommvaultNode({
			parameters: getAll({ returnAll: true, filters: { name: 'sm', email: 'acme.example' } }),
			credentials: accessTokenCredential(sim),
		});
		expect(both.output.map((i) => i.json.userName)).toEqual(['acme\\asmith']);
	});

	it('outputs nothing when no user matches', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: getAll({ filters: { email: 'nobody-here' } }),
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output).toEqual([]);
	});

	it('adds Commvault\'s list entries under "raw" with "Simplify" off', async () => {
		const { output } = await runCommvaultNode({ parameters: getAll({ limit: 1, simple: false }), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toMatchObject({ status: 'found', userId: 1, userName: 'admin', enabled: true });
		expect(output[0].json.raw).toMatchObject({ userEntity: { userId: 1, userName: 'admin' }, enableUser: true });
	});

	it("fails with Commvault's message, and continues on fail with pairedItem", async () => {
		sim.queueResponse({ endpoint: 'user', status: 500, body: { errorCode: 1, errorMessage: 'Database is busy' } });
		const failed = await runCommvaultNode({ parameters: getAll({ limit: 3 }), credentials: accessTokenCredential(sim) });
		expect(failed.error?.message).toBe('Database is busy');

		const items = [{ json: { f: 'jdoe' } }, { json: { f: 'x'.repeat(300) } }, { json: { f: 'rlee' } }];
		const parameters = getAll({ returnAll: true, filters: { name: '={{ $json.f }}' } });
		const regular = await runCommvaultNode({ parameters, items, onError: 'continueRegularOutput', credentials: accessTokenCredential(sim) });
		expect(regular.output.map((i) => [i.json.userName ?? i.json.error, i.pairedItem])).toEqual([
			['jdoe', { item: 0 }],
			['Item 2: the "Name Contains" filter is not usable', { item: 1 }],
			['rlee', { item: 2 }],
		]);
		const routed = await runCommvaultNode({ parameters, items, onError: 'continueErrorOutput', credentials: accessTokenCredential(sim) });
		expect(routed.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(routed.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
	});
});
