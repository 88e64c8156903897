import { runCommvaultNode } from '../../../harness/engine';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../support/simulator';
import { byExpression, itemsFor, offboard } from '../actions/user/offboard/support';

// How a batch finds its users (commvault/userBatch.ts): the user list's first page says how many users
// there are (filterQueryCount); the rest of the list is read only when its pages are fewer than the
// per-user look-ups they save. The simulator's tenant here: 10 seed users and 2,500 generated ones.
describe('a batch reads its users in as few requests as the list allows', () => {
	const sim = useSimulator({ generatedUsers: 2500 });
	const names = (...numbers: number[]) => numbers.map((n) => `user${String(n).padStart(5, '0')}`);
	const userQueries = () => requestsTo(sim, 'user').map((r) => (r.query.fq === undefined ? `page ${r.query.start}` : r.query.fq));
	// The most pages of the user list the simulator held open at the same moment.
	const mostPagesAtOnce = () => {
		const pages = requestsTo(sim, 'user').filter((r) => r.query.fq === undefined);
		const open = (at: number) => pages.filter((p) => p.startedAt <= at && at < p.startedAt + (p.durationMs ?? 0)).length;
		return Math.max(...pages.map((p) => open(p.startedAt)));
	};

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

	it('reads the pages after the first at most Max Concurrent Requests at a time, and at once when it allows', async () => {
		// Pages answered 300 ms late, so that pages sent together are seen together; the first page says how many follow.
		sim.setFaults({ latencyMs: 300 });
		const run = async (maxConcurrency: number) => {
			sim.reset();
			sim.setFaults({ latencyMs: 300 });
			const { output, error } = await runCommvaultNode({
				parameters: { ...offboard(byExpression), requestOptions: { maxConcurrency } },
				items: itemsFor(...names(1, 1200, 2100, 2500, 3)),
				credentials: accessTokenCredential(sim),
			});
			expect(error).toBeUndefined();
			expect(output.map((item) => item.json.userId)).toEqual([100001, 101200, 102100, 102500, 100003]);
			expect(userQueries()).toEqual(['page 0', 'page 1000', 'page 2000']);
			return mostPagesAtOnce();
		};
		expect(await run(1)).toBe(1);
		expect(await run(4)).toBe(2);
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

describe('a server whose pages hold fewer users than asked', () => {
	// No source: Commvault documents no largest page. Here a page holds at most 700 users (limit asks 1,000).
	const sim = useSimulator({ generatedUsers: 2500, userListPageCap: 700 });

	it('is read in pages of what its first page held, to the end of the list', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: offboard(byExpression),
			items: itemsFor('user00001', 'user01200', 'user02100', 'user02500', 'user00003'),
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.userId)).toEqual([100001, 101200, 102100, 102500, 100003]);
		// 2,510 users (2,500 generated and the 10 of the seed) in pages of 700, then one offboard per user.
		expect(requestsTo(sim, 'user').map((r) => r.query.start)).toEqual(['0', '700', '1400', '2100']);
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(5);
	});
});
