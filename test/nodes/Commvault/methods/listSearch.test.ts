import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchUserGroups, searchUsers, USER_SEARCH_PAGE_SIZE } from '../../../../nodes/Commvault/methods/listSearch';
import { createExecuteContext } from '../../../harness/engine';
import type { Simulator } from '../../../support/simulator';
import { accessTokenCredential, requestsTo, startSimulator } from '../../../support/simulator';
import { EXPECTED_USER_COLUMNS } from '../../../support/expectations';

describe('listSearch', () => {
	let sim: Simulator;
	const GENERATED = 250;

	beforeAll(async () => {
		sim = await startSimulator({ generatedUsers: GENERATED });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => {
		sim.clearRequests();
		sim.clearQueuedResponses();
	});

	// A real n8n-core context with n8n's own request helpers; listSearch only uses what both have.
	const context = () => createExecuteContext({ credentials: accessTokenCredential(sim) }).context as unknown as ILoadOptionsFunctions;

	describe('searchUsers ("From List" of the User field)', () => {
		it('lists users page by page with start/limit, the ID as value', async () => {
			const first = await searchUsers.call(context());
			expect(first.results).toHaveLength(USER_SEARCH_PAGE_SIZE);
			expect(first.results.slice(0, 3)).toEqual([
				{ name: 'admin (Administrator, admin@example.com)', value: '1' },
				{ name: 'tapicompany/tapicompany (Tapi Company Admin, tapicompany@tapicompany.example.com)', value: '1251' },
				{ name: 'jdoe (John Doe, jdoe@example.com)', value: '1301' },
			]);
			expect(first.paginationToken).toBe(String(USER_SEARCH_PAGE_SIZE));
			expect(requestsTo(sim, 'user')[0].query).toEqual({ level: '10', fl: EXPECTED_USER_COLUMNS, start: '0', limit: String(USER_SEARCH_PAGE_SIZE) });
		});

		it('reaches every user of a large tenant exactly once by following the pagination token', async () => {
			const values: string[] = [];
			let page: INodeListSearchResult = { results: [] };
			do {
				page = await searchUsers.call(context(), undefined, page.paginationToken as string | undefined);
				values.push(...page.results.map((r) => String(r.value)));
			} while (page.paginationToken);
			expect(values).toHaveLength(10 + GENERATED);
			expect(new Set(values).size).toBe(10 + GENERATED);
			expect(requestsTo(sim, 'user')).toHaveLength(Math.ceil((10 + GENERATED) / USER_SEARCH_PAGE_SIZE));
		});

		const filtersSent = () => requestsTo(sim, 'user').map((r) => r.query.fq);

		it('finds a user by user name, with the server filtering each field', async () => {
			const { results, paginationToken } = await searchUsers.call(context(), ' ASMITH ');
			expect(results).toEqual([{ name: 'acme\\asmith (Alice Smith, asmith@acme.example.com)', value: '1302' }]);
			expect(paginationToken).toBeUndefined();
			expect(filtersSent()).toEqual([
				'users.userEntity.userName:contains:ASMITH',
				'users.fullName:contains:ASMITH',
				'users.email:contains:ASMITH',
			]);
		});

		it.each([
			['full name', 'Alice'],
			['email', 'asmith@'],
		])('finds a user by %s ("%s")', async (_field, text) => {
			const { results } = await searchUsers.call(context(), text);
			expect(results.map((r) => r.value)).toContain('1302');
			expect(results.find((r) => r.value === '1302')?.name).toBe('acme\\asmith (Alice Smith, asmith@acme.example.com)');
			expect(new Set(results.map((r) => r.value)).size).toBe(results.length);
		});

		it('reaches every matching user exactly once, page by page, whichever field matched', async () => {
			const text = 'a';
			const wanted = sim.state.users
				.filter((u) => [u.userName, u.fullName, u.email].some((v) => v.toLowerCase().includes(text.toLowerCase())))
				.map((u) => String(u.userId));
			expect(wanted.length).toBeGreaterThan(USER_SEARCH_PAGE_SIZE);
			const values: string[] = [];
			let page: INodeListSearchResult = { results: [] };
			let pages = 0;
			do {
				page = await searchUsers.call(context(), text, page.paginationToken as string | undefined);
				values.push(...page.results.map((r) => String(r.value)));
				pages++;
			} while (page.paginationToken && pages < 20);
			expect(page.paginationToken).toBeUndefined();
			expect(values).toHaveLength(new Set(values).size);
			expect(new Set(values)).toEqual(new Set(wanted));
		});

		it("fails with Commvault's message", async () => {
			sim.queueResponse({ endpoint: 'user', status: 403, body: { errorCode: 5, errorMessage: 'Access denied' } });
			await expect(searchUsers.call(context())).rejects.toThrow('Access denied');
		});
	});

	describe('searchUserGroups ("From List" of the new owner group of Delete)', () => {
		it('lists user groups sorted by name, filtered by name', async () => {
			const all = await searchUserGroups.call(context());
			expect(all.results.map((r) => r.name)).toEqual(['acme\\Tenant Users', 'Helpdesk', 'Laptop Users', 'master', 'Tenant Admin', 'View All']);
			const help = await searchUserGroups.call(context(), 'HELP');
			expect(help.results).toEqual([{ name: 'Helpdesk', value: '4' }]);
		});
	});
});
