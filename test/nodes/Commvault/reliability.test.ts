import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../harness/engine';
import { batch, generatedUserId, generatedUserName as userName, offboardEach, requestsByUserId } from '../../support/batch';
import { passwordCredential, requestsTo, useSimulator } from '../../support/simulator';

// Reliability of a batch: what matters is that nothing is lost, nothing is done twice for no reason,
// and logins stay at one. Speed is measured by `npm run bench`, never asserted here; the 1,000-user
// batches are in the load suite (test/load, `npm run test:load`). Times appear only as lower bounds
// (a wait the node must have waited), which a busy machine cannot break.
const USERS = 500;

describe('offboarding and deleting batches under faults', () => {
	const sim = useSimulator({ generatedUsers: USERS, seed: 7 });

	it('deletes under faults: no user deleted twice, nothing re-sent that may have been carried out', async () => {
		sim.setFaults({
			seed: 11,
			endpoints: ['user/{id}'],
			rate429: 0.05,
			retryAfterSeconds: 0.01,
			rate503: 0.05,
			rateReset: 0.05,
			rateResetAfterProcessing: 0.05,
			rateHang: 0.02,
			hangMs: 6_000,
		});
		const count = 300;
		const { output } = await runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'delete',
				user: userByName('={{ $json.login }}'),
				transferToUserGroup: { __rl: true, mode: 'id', value: '4' },
				// Long enough that no healthy request on loopback meets it; hung requests end earlier (hangMs).
				requestOptions: { maxConcurrency: 8, maxAttempts: 8, retryDelay: 0.005, timeout: 15 },
			},
			items: batch(count),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});

		expect(output).toHaveLength(count);
		const deletes = requestsTo(sim, 'user/{id}').filter((r) => r.method === 'DELETE');
		const { deletesByUser, faultsInjected } = sim.stats();
		expect(faultsInjected.rate429).toBeGreaterThan(0);
		expect(Object.values(deletesByUser).every((n) => n === 1)).toBe(true);

		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const sent = deletes.filter((r) => r.path.endsWith(`/User/${generatedUserId(i)}`));
			// Only a 429 (Commvault did not act) is followed by another DELETE for the same user.
			expect(sent.slice(0, -1).every((r) => r.fault === 'rate429')).toBe(true);
			const last = sent[sent.length - 1];
			if (item.json.deleted === true) {
				expect(last.fault).toBeNull();
				expect(deletesByUser[userName(i)]).toBe(1);
			} else {
				// A fault after which Commvault may have acted (or, on a stalled machine, the node's own timeout).
				expect(['rate503', 'rateReset', 'rateResetAfterProcessing', 'rateHang', null]).toContain(last.fault);
				expect((item.json.details as IDataObject).description).toMatch(/may have carried this request out/);
				// When it did act, the user is gone: exactly what the message warned about.
				expect(deletesByUser[userName(i)] ?? 0).toBe(last.processed ? 1 : 0);
			}
		});
	});

	it('keeps output order and pairedItem, with no more requests in flight than allowed', async () => {
		sim.setFaults({ latencyMs: 5, latencyJitterMs: 15 });
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: batch(120),
			credentials: passwordCredential(sim),
		});
		expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual(
			Array.from({ length: 120 }, (_, i) => [userName(i), { item: i }]),
		);
		const { maxInFlight } = sim.stats();
		expect(maxInFlight).toBeLessThanOrEqual(8);
		expect(maxInFlight).toBeGreaterThan(1);
	});

	it('under a rate limit, waits as asked and completes with one resend per 429', async () => {
		// 4 per second with a burst of 4, and 4 items at a time: after the burst, the next 4 offboards come
		// within a second however busy the machine (each needs only a look-up first), so 429s are certain;
		// after each 1 s pause the bucket holds 4 again, so every item gets through in a few attempts.
		sim.setFaults({ rateLimit: { requestsPerSecond: 4, burst: 4 }, endpoints: ['user/offboard'] });
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 4, maxAttempts: 10, retryDelay: 0.005 }),
			items: batch(40),
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.every((i) => i.json.status === 'offboarded')).toBe(true);
		const requests = requestsTo(sim, 'user/offboard');
		const throttled = requests.filter((r) => r.fault === 'rateLimit');
		expect(throttled.length).toBeGreaterThan(0);
		// Every request the server saw was either an offboard or a 429 that required one retry.
		expect(requests).toHaveLength(40 + throttled.length);
		// Each 429 asks for a wait of at least 1 s (Retry-After), and the user's next request came no
		// earlier: a lower bound, which a busy machine only makes easier to meet. A node that retried
		// after its own 5 ms backoff instead would send it within milliseconds.
		const sent = requestsByUserId(requests);
		for (const r of throttled) {
			const forUser = sent.get(Number((r.body as IDataObject).userId)) ?? [];
			const next = forUser[forUser.indexOf(r) + 1];
			expect(next.startedAt - r.startedAt).toBeGreaterThanOrEqual(1000);
		}
	});

	it('after a 429, every concurrent item waits the Retry-After, not only the item that got it', async () => {
		sim.setFaults({ seed: 3, endpoints: ['user/offboard'], rate429: 0.03, retryAfterSeconds: 0.5 });
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8, maxAttempts: 10, retryDelay: 0.005 }),
			items: batch(300),
			credentials: passwordCredential(sim),
		});
		expect(output.every((i) => i.json.status === 'offboarded')).toBe(true);
		const requests = requestsTo(sim, 'user/offboard');
		const throttled = requests.filter((r) => r.fault === 'rate429');
		expect(throttled.length).toBeGreaterThan(3);
		// The node pauses every item from the moment the 429 reached it (at or after its answer) for
		// 500 ms. Requests that arrived in that window can only be those already in flight: at most 7 per
		// 429 with 8 concurrent items, however slow the machine. Seven items carrying on while one waited
		// would send hundreds there.
		const answeredAt = (t: (typeof requests)[number]) => t.startedAt + (t.durationMs ?? 0);
		const insidePauses = requests.filter((r) =>
			throttled.some((t) => r.startedAt > answeredAt(t) && r.startedAt < answeredAt(t) + 450),
		);
		expect(insidePauses.length).toBeLessThanOrEqual(7 * throttled.length);
	});

	it('stops starting new items after a failure when not continuing, and reports the first failed item', async () => {
		const items = batch(60);
		items[20] = { json: { login: 'legal.hold' } };
		const { error, output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 4 }),
			items,
			credentials: passwordCredential(sim),
		});
		expect(output).toEqual([]);
		expect(error?.message).toMatch(/legal hold/);
		expect((error as { context?: IDataObject }).context?.itemIndex).toBe(20);
		expect(requestsTo(sim, 'user/offboard').length).toBeLessThanOrEqual(20 + 4);
	});

	it('fails garbage in the middle of a large batch alone, and sends nothing for it', async () => {
		const items = batch(500);
		const garbage = [37, 111, 250, 251, 499];
		items[37] = { json: { login: '' } };
		items[111] = { json: { login: '   ' } };
		items[250] = { json: { login: 'x'.repeat(100_000) } };
		items[251] = { json: {} };
		items[499] = { json: { login: 'evil\u0000name' } };
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items,
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});
		expect(output).toHaveLength(500);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			if (garbage.includes(i)) expect(item.json.error).toMatch(new RegExp(`^Item ${i + 1}: `));
			else expect(item.json.status).toBe('offboarded');
		});
		const sent = requestsTo(sim, 'user/offboard');
		expect(sent).toHaveLength(495);
		const garbageIds = garbage.map(generatedUserId);
		expect(sent.every((r) => !garbageIds.includes(Number((r.body as IDataObject).userId)))).toBe(true);
	});
});

describe('an hourly write budget (Commvault Cloud)', () => {
	const sim = useSimulator({ generatedUsers: 30, rateBudget: { writesPerHour: 20 } }, { reset: false });

	it('offboards 20 of 30 users, reports the 10 others as not sent with the time to retry, and a second run finishes them', async () => {
		const first = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: batch(30),
			onError: 'continueErrorOutput',
			credentials: passwordCredential(sim),
		});
		expect(first.output).toHaveLength(20);
		expect(first.errorOutput).toHaveLength(10);
		for (const item of first.errorOutput) {
			expect(item.json.error).toMatch(/^Not sent: Commvault's rate limit holds until /);
			const details = item.json.details as IDataObject;
			expect(details.reason).toBe('rateLimited');
			expect(Date.parse(String(details.retryAfter)) - Date.now()).toBeGreaterThan(3000_000);
		}

		// A later run, after the hour, with only the items that were not sent.
		sim.resetRateBudgets();
		const notSent = first.errorOutput.map((item) => batch(30)[(item.json.details as IDataObject).itemIndex as number]);
		const second = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: notSent,
			onError: 'continueErrorOutput',
			credentials: passwordCredential(sim),
		});
		expect(second.errorOutput).toHaveLength(0);
		expect(second.output).toHaveLength(10);

		// Every user offboarded exactly once over both runs; the 429s were not carried out.
		const offboards = sim.stats().offboardsByUser;
		expect(Object.keys(offboards)).toHaveLength(30);
		expect(Object.values(offboards).every((n) => n === 1)).toBe(true);
		expect(requestsTo(sim, 'user/offboard').filter((r) => r.status === 429).every((r) => !r.processed)).toBe(true);
	});
});
