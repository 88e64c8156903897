import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { audited, runCommvaultNode, userByName } from '../../harness/engine';
import type { Simulator } from '../../support/simulator';
import { generatedUserName, passwordCredential, requestsTo, useSimulator, userNamedIn } from '../../support/simulator';

// Reliability of a large batch: what matters is that nothing is lost, nothing is done twice for
// no reason, and logins stay at one. Speed is measured by `npm run bench`, never asserted here.
const USERS = 1000;
const userName = (i: number) => generatedUserName(i + 1);
const batch = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { login: userName(i) } }));
// Batches above the default Max Users per Run (500) say so, as the README tells users to.
const BATCH_LIMIT = { maxUsersPerRun: 10_000 };
const offboardEach = (requestOptions: IDataObject) => ({
	resource: 'user',
	operation: 'offboard',
	user: userByName('={{ $json.login }}'),
	options: BATCH_LIMIT,
	requestOptions,
});

type SimRequest = Simulator['requests'][number];

/** Requests per user name, in the order they reached the simulator. */
function requestsByUser(sim: Simulator, requests: SimRequest[]): Map<string, SimRequest[]> {
	const byUser = new Map<string, SimRequest[]>();
	for (const r of requests) {
		const user = String(userNamedIn(sim, r.body));
		byUser.set(user, [...(byUser.get(user) ?? []), r]);
	}
	return byUser;
}

describe('offboarding at scale and under faults', () => {
	const sim = useSimulator({ generatedUsers: USERS, seed: 7 });

	it('1,000 users with ~10% injected faults: every item out exactly once, every user offboarded once', async () => {
		sim.setFaults({
			seed: 7,
			endpoints: ['user/offboard'],
			rate429: 0.03,
			retryAfterSeconds: 0.02,
			rate503: 0.03,
			rateReset: 0.02,
			rateResetAfterProcessing: 0.01,
			rateHang: 0.01,
			hangMs: 8_000,
		});

		const { output, error } = await runCommvaultNode({
			// The timeout must end hung requests but never a healthy one, even on a loaded CI machine:
			// every request over the count of injected faults would break the exact tally below.
			parameters: offboardEach({ maxConcurrency: 8, maxAttempts: 8, retryDelay: 0.005, timeout: 4 }),
			items: batch(USERS),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output).toHaveLength(USERS);
		const sentTo = requestsByUser(sim, requestsTo(sim, 'user/offboard'));
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			// A 503, a dropped connection or a timeout may come after Commvault acted; a 429 does not.
			const repeated = (sentTo.get(userName(i)) ?? []).some((r) => r.fault !== null && r.fault !== 'rate429');
			// Eight attempts against independent ~10% faults: every item ends as a success.
			expect(item.json).toEqual({
				userId: 100001 + i,
				userName: userName(i),
				status: 'offboarded',
				message: expect.stringMatching(/^Offboarded user /),
				raw: { errorCode: 0, errorMessage: expect.stringMatching(/^Successfully offboarded user/) },
				...audited(['POST', '/User/Offboard']),
				...(repeated ? { details: { repeated: true } } : {}),
			});
		});

		const stats = sim.stats();
		const faults = Object.entries(stats.faultsInjected)
			.filter(([kind]) => kind !== 'latency')
			.reduce((sum, [, n]) => sum + n, 0);
		expect(faults).toBeGreaterThan(USERS * 0.07);
		// Each injected fault cost exactly one extra request, and nothing else was re-sent.
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(USERS + faults);
		expect(stats.logins).toBe(1);

		// Offboard is idempotent in effect: a request that reached Commvault before its connection
		// dropped was sent again, found nothing left to do, and changed nothing.
		for (let i = 0; i < USERS; i++) {
			const events = sim.state.eventsOf(100001 + i).filter((e: IDataObject) => e.type === 'offboard');
			const effective = events.filter((e: IDataObject) => ((e.changed as IDataObject).ownershipsRemoved as number) > 0);
			expect(effective).toHaveLength(1);
		}
		// Per user: every request but the last met a fault, and Commvault processed the user once plus
		// once more for each request whose connection dropped after processing (faults land on users
		// by the order requests arrive in, so one user may meet that fault twice).
		const sent = requestsByUser(sim, requestsTo(sim, 'user/offboard'));
		for (let i = 0; i < USERS; i++) {
			const requests = sent.get(userName(i)) ?? [];
			expect(requests.slice(0, -1).every((r) => r.fault !== null)).toBe(true);
			expect(requests[requests.length - 1]?.fault).toBeNull();
			const droppedAfterProcessing = requests.filter((r) => r.fault === 'rateResetAfterProcessing').length;
			expect(stats.offboardsByUser[userName(i)]).toBe(1 + droppedAfterProcessing);
		}
	});

	it('1,000 users with ~10% injected faults and no retries: each failed item says which user and why, nothing is lost', async () => {
		sim.setFaults({ seed: 5, endpoints: ['user/offboard'], rate429: 0.04, retryAfterSeconds: 0.01, rate503: 0.04, rateReset: 0.02 });

		const { output, error } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8, maxAttempts: 1 }),
			items: batch(USERS),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output).toHaveLength(USERS);
		const sent = requestsByUser(sim, requestsTo(sim, 'user/offboard'));
		const failed = output.filter((item) => item.json.error !== undefined);
		expect(failed.length).toBeGreaterThan(USERS * 0.05);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const requests = sent.get(userName(i)) ?? [];
			// One attempt: exactly one request per user, whatever became of it.
			expect(requests).toHaveLength(1);
			if (requests[0].fault === null) {
				expect(item.json).toMatchObject({ userName: userName(i), status: 'offboarded' });
				return;
			}
			const details = item.json.details as IDataObject;
			expect(details.itemIndex).toBe(i);
			expect(details.subject).toBe(`user "${userName(i)}"`);
			expect(details.description).toMatch(new RegExp(`^Failed for item ${i + 1}, user "${userName(i)}"\\. `));
			const expected = {
				rate429: [/Too many requests/, /rate-limiting/, 429],
				rate503: [/Service Unavailable|HTTP 503/, /HTTP 503/, 503],
				rateReset: [/closed before it answered/, /retry later/, undefined],
			}[requests[0].fault as 'rate429' | 'rate503' | 'rateReset'];
			expect(item.json.error).toMatch(expected[0] as RegExp);
			expect(details.description).toMatch(expected[1] as RegExp);
			expect(details.httpStatus).toBe(expected[2]);
		});
		// Only the users whose request went through were offboarded.
		const offboarded = Object.keys(sim.stats().offboardsByUser).sort();
		expect(offboarded).toEqual(output.filter((item) => item.json.status === 'offboarded').map((item) => item.json.userName).sort());
	});

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
			hangMs: 8_000,
		});
		const count = 300;
		const { output } = await runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'delete',
				user: userByName('={{ $json.login }}'),
				transferToUserGroup: { __rl: true, mode: 'id', value: '4' },
				requestOptions: { maxConcurrency: 8, maxAttempts: 8, retryDelay: 0.005, timeout: 4 },
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
			const sent = deletes.filter((r) => r.path.endsWith(`/User/${100001 + i}`));
			// Only a 429 (Commvault did not act) is followed by another DELETE for the same user.
			expect(sent.slice(0, -1).every((r) => r.fault === 'rate429')).toBe(true);
			const last = sent[sent.length - 1];
			if (item.json.deleted === true) {
				expect(last.fault).toBeNull();
				expect(deletesByUser[userName(i)]).toBe(1);
			} else {
				expect(['rate503', 'rateReset', 'rateResetAfterProcessing', 'rateHang']).toContain(last.fault);
				expect((item.json.details as IDataObject).description).toMatch(/may have carried this request out/);
				// When it did act, the user is gone: exactly what the message warned about.
				expect(deletesByUser[userName(i)] ?? 0).toBe(last.fault === 'rateResetAfterProcessing' ? 1 : 0);
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
		sim.setFaults({ rateLimit: { requestsPerSecond: 200, burst: 10 }, endpoints: ['user/offboard'] });
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 16, maxAttempts: 10, retryDelay: 0.005 }),
			items: batch(300),
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.every((i) => i.json.status === 'offboarded')).toBe(true);
		const requests = requestsTo(sim, 'user/offboard');
		const throttled = requests.filter((r) => r.fault === 'rateLimit');
		expect(throttled.length).toBeGreaterThan(0);
		// Every request the server saw was either an offboard or a 429 that required one retry.
		expect(requests).toHaveLength(300 + throttled.length);
		// Each 429 asks for a 1 s wait. Waiting it, the 429s come in bursts with a pause between them:
		// a burst holds at most the requests already in flight (one per concurrent item), and each
		// pause lets at least the bucket's burst of 10 through. A node that retried after its own short
		// backoff instead would be refused all along the run.
		const bursts: number[][] = [];
		for (const r of throttled) {
			const last = bursts[bursts.length - 1];
			if (last && r.startedAt - last[last.length - 1] < 400) last.push(r.startedAt);
			else bursts.push([r.startedAt]);
		}
		expect(Math.max(...bursts.map((b) => b.length))).toBeLessThanOrEqual(16);
		expect(bursts.length).toBeLessThanOrEqual(300 / 10 + 1);
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
		// Requests that arrived well inside a pause: after the 429's answer had reached the node (the
		// requests already in flight arrive within milliseconds) and before its 500 ms were over.
		// Seven items carrying on while one waited would send hundreds there.
		const insidePauses = requests.filter((r) =>
			throttled.some((t) => r.startedAt > t.startedAt + 150 && r.startedAt < t.startedAt + 450),
		);
		expect(insidePauses.length).toBeLessThanOrEqual(throttled.length);
	});

	it('logs in once per session expiry, not once per waiting request', async () => {
		sim.setFaults({ expireTokensAfterRequests: 250, latencyMs: 2 });
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: batch(USERS),
			credentials: passwordCredential(sim),
		});
		expect(output.every((i) => i.json.status === 'offboarded')).toBe(true);
		const stats = sim.stats();
		const expiries = stats.faultsInjected.expireTokens;
		expect(expiries).toBeGreaterThanOrEqual(3);
		// The first login, then at most one per expiry (none after an expiry with nothing left to send).
		expect(stats.logins).toBeGreaterThanOrEqual(expiries);
		expect(stats.logins).toBeLessThanOrEqual(1 + expiries);
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
		expect(sent.every((r) => /^user\d{5}$/.test(userNamedIn(sim, r.body) ?? ''))).toBe(true);
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
