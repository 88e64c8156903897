import { runCommvaultNode } from '../../../harness/engine';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../support/simulator';
import { byExpression, itemsFor, offboard } from '../actions/user/offboard/support';

// How a batch finds its users (commvault/userBatch.ts): the user list's first page says how many users
// there are (filterQueryCount); the rest of the list is read only when its pages are fewer than the
// per-user look-ups they save. The simulator's tenant here: 8 seed users and 2,500 generated ones.
describe('a batch reads its users in as few requests as the list allows', () => {
	const sim = useSimulator({ generatedUsers: 2500 });
	const names = (...numbers: number[]) => numbers.map((n) => `user${String(n).padStart(5, '0')}`);
	const userQueries = () => requestsTo(sim, 'user').map((r) => (r.query.fq === undefined ? `page ${r.query.start}` : r.query.fq));

	it('pages the whole list when that is cheaper: 5 names, 3 pages of 1,000', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: offboard(byExpression),
			items: itemsFor(...names(1, 1200, 2100, 2500, 3)),
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.userId)).toEqual([100001, 101200, 102100, 102500, 100003]);
		expect(userQueries()).toEqual(['page 0', 'page 1000', 'page 2000']);
		expect(requestsTo(sim, 'user').every((r) => r.query.limit === '1000' && r.query.level === '10')).toBe(true);
	});

	it('looks each user up when the pages left cost as much as the look-ups: 2 names, 2 pages left', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: offboard(byExpression),
			items: itemsFor(...names(1500, 2400)),
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.userId)).toEqual([101500, 102400]);
		expect(userQueries()).toEqual(['page 0', 'name:eq:user01500', 'name:eq:user02400']);
	});

	it('looks a single user up directly, without reading a page', async () => {
		await runCommvaultNode({ parameters: offboard(byExpression), items: itemsFor('user02000'), credentials: accessTokenCredential(sim) });
		expect(userQueries()).toEqual(['name:eq:user02000']);
	});

	it('takes a name from a partly read list only when every page was read: a name on page 1 is still looked up', async () => {
		// 2 names cost 2 look-ups; the 2 pages left cost as much, so only the first page is read.
		await runCommvaultNode({ parameters: offboard(byExpression), items: itemsFor(...names(5, 2400)), credentials: accessTokenCredential(sim) });
		// user00005 is on the first page, but another user whose name differs only in case could be on a later one.
		expect(userQueries()).toEqual(['page 0', 'name:eq:user00005', 'name:eq:user02400']);
	});
});
