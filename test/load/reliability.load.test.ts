import type { IDataObject } from 'n8n-workflow';

import { audited, runCommvaultNode } from '../harness/engine';
import { batch, generatedUserId, generatedUserName, offboardEach, requestsByUserId } from '../support/batch';
import { passwordCredential, requestsTo, useSimulator } from '../support/simulator';

// The 1,000-user load tests (`npm run test:load`, a step of .ci/run): nothing is lost, nothing is done
// twice for no reason, logins stay at one. Speed is measured by `npm run bench`, never asserted here,
// and every assertion is a count or a lower bound, which a busy machine cannot break.
const USERS = 1000;
// Long enough that no healthy request on loopback meets it; hung requests end earlier (hangMs).
const TIMEOUT_S = 15;

describe('offboarding 1,000 users under faults', () => {
	const sim = useSimulator({ generatedUsers: USERS, seed: 7 });

	/** All USERS through one execution, failures on the regular output: one item out per user, and what was sent per user. */
	async function offboardAllUsers(requestOptions: Parameters<typeof offboardEach>[0]) {
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach(requestOptions),
			items: batch(USERS),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(USERS);
		return { output, sent: requestsByUserId(requestsTo(sim, 'user/offboard')) };
	}

	it('with ~10% injected faults: every item out exactly once, every user offboarded once', async () => {
		sim.setFaults({
			seed: 7,
			endpoints: ['user/offboard'],
			rate429: 0.03,
			retryAfterSeconds: 0.02,
			rate503: 0.03,
			rateReset: 0.02,
			rateResetAfterProcessing: 0.01,
			rateHang: 0.01,
			hangMs: 6_000,
		});

		const { output, sent } = await offboardAllUsers({ maxConcurrency: 8, maxAttempts: 8, retryDelay: 0.005, timeout: TIMEOUT_S });
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			// A 503, a dropped connection or a timeout may come after Commvault acted; a 429 does not.
			const repeated = (sent.get(generatedUserId(i)) ?? []).slice(0, -1).some((r) => r.fault !== 'rate429');
			// Eight attempts against independent ~10% faults: every item ends as a success.
			expect(item.json).toEqual({
				userId: generatedUserId(i),
				userName: generatedUserName(i),
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
		// Each injected fault cost one more request.
		expect(requestsTo(sim, 'user/offboard').length).toBeGreaterThanOrEqual(USERS + faults);
		expect(stats.logins).toBe(1);

		for (let i = 0; i < USERS; i++) {
			// Offboard is idempotent in effect: a request that reached Commvault before its connection
			// dropped was sent again, found nothing left to do, and changed nothing.
			const events = sim.state.eventsOf(generatedUserId(i)).filter((e: IDataObject) => e.type === 'offboard');
			const effective = events.filter((e: IDataObject) => ((e.changed as IDataObject).ownershipsRemoved as number) > 0);
			expect(effective).toHaveLength(1);
			// Every request but the last met a fault, or (a healthy one) was given up only after the node's
			// timeout: a node that sent again after an answer would send within milliseconds.
			const requests = sent.get(generatedUserId(i)) ?? [];
			requests.slice(0, -1).forEach((r, k) => {
				if (r.fault === null) expect(requests[k + 1].startedAt - r.startedAt).toBeGreaterThanOrEqual((TIMEOUT_S * 1000) / 2);
			});
			expect(requests[requests.length - 1]?.fault).toBeNull();
			// Commvault processed the user once per request that reached it.
			const processed = requests.filter((r) => r.processed).length;
			expect(stats.offboardsByUser[generatedUserName(i)]).toBe(processed);
		}
	});

	it('with ~10% injected faults and no retries: each failed item says which user and why, nothing is lost', async () => {
		sim.setFaults({ seed: 5, endpoints: ['user/offboard'], rate429: 0.04, retryAfterSeconds: 0.01, rate503: 0.04, rateReset: 0.02 });

		const { output, sent } = await offboardAllUsers({ maxConcurrency: 8, maxAttempts: 1 });
		const failed = output.filter((item) => item.json.error !== undefined);
		expect(failed.length).toBeGreaterThan(USERS * 0.05);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const requests = sent.get(generatedUserId(i)) ?? [];
			// One attempt: exactly one request per user, whatever became of it.
			expect(requests).toHaveLength(1);
			if (requests[0].fault === null) {
				expect(item.json).toMatchObject({ userName: generatedUserName(i), status: 'offboarded' });
				return;
			}
			const details = item.json.details as IDataObject;
			expect(details.itemIndex).toBe(i);
			expect(details.subject).toBe(`user "${generatedUserName(i)}"`);
			expect(details.description).toMatch(new RegExp(`^Failed for item ${i + 1}, user "${generatedUserName(i)}"\\. `));
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
});
