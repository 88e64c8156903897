import type { IDataObject } from 'n8n-workflow';

import { renewalTiming } from '../../../../nodes/Commvault/auth/renewal';
import { CredentialStore } from '../../../harness/credentials';
import { runCommvaultNode, userByName } from '../../../harness/engine';
import type { Simulator } from '../../../support/simulator';
import { accessTokenCredential, requestsTo, startSimulator } from '../../../support/simulator';

const USERS = ['rlee', 'jdoe', 'tapicompany/tapicompany', 'acme\\asmith'];

const offboardEach = (requestOptions: IDataObject = {}) => ({
	resource: 'user',
	operation: 'offboard',
	user: userByName('={{ $json.login }}'),
	requestOptions,
});
const items = (count: number) => Array.from({ length: count }, (_, i) => ({ json: { login: USERS[i % USERS.length] } }));

describe('access tokens with a refresh token', () => {
	let sim: Simulator;
	// The node remembers renewed pairs for the whole process: each test has its own token.
	let PAIR = { accessToken: '', refreshToken: '' };
	let tokens = 0;
	// One process here: a short wait for other lease writers instead of half a second per expiry.
	beforeAll(() => {
		renewalTiming.settleMs = 20;
	});
	beforeEach(async () => {
		tokens++;
		PAIR = { accessToken: `rotating-access-${tokens}`, refreshToken: `rotating-refresh-${tokens}` };
		sim = await startSimulator({
			accessTokens: ['sim-access-token', { token: PAIR.accessToken, refreshToken: PAIR.refreshToken }],
			// Each access token answers 9 requests, then 401: many expiries within one run.
			accessTokenLifetime: { requests: 9 },
		});
	});
	afterEach(async () => {
		await sim.stop();
	});

	const run = (store: CredentialStore, count: number) =>
		runCommvaultNode({ parameters: offboardEach({ maxConcurrency: 8 }), items: items(count), store });

	it('renews once per expiry across concurrent and later executions, and every item succeeds', async () => {
		const store = new CredentialStore();
		store.set('commvaultApi', { ...accessTokenCredential(sim, PAIR), sessionToken: '', sessionOwner: '' });

		const concurrent = await Promise.all([run(store, 30), run(store, 30), run(store, 30)]);
		const later = [await run(store, 25), await run(store, 25)];

		for (const { output, error } of [...concurrent, ...later]) {
			expect(error).toBeUndefined();
			expect(output.every((item) => item.json.status === 'offboarded')).toBe(true);
		}
		const stats = sim.stats();
		expect(stats.accessTokenExpiries).toBeGreaterThanOrEqual(10);
		expect(stats.accessTokenRenewals).toBe(stats.accessTokenExpiries);
		expect(stats).toMatchObject({ chainInvalidations: 0, accessTokenRenewalFailures: 0 });
		// Nothing was carried out twice: each item's offboard was processed once.
		expect(requestsTo(sim, 'user/offboard').filter((r) => r.processed)).toHaveLength(140);
		// n8n stored the newest pair, field by field: the rest of the credential is as it was.
		const stored = store.get('commvaultApi');
		expect(stored.accessToken).not.toBe(PAIR.accessToken);
		expect(stored.refreshToken).not.toBe(PAIR.refreshToken);
		expect(stored.baseUrl).toBe(sim.baseUrl('/commandcenter/api'));
		const renew = requestsTo(sim, 'v4/accesstoken/renew');
		expect(renew.at(-1)?.headers.authorization).toMatch(/^Bearer /);
	});

	it('uses a pair another worker stored meanwhile instead of renewing the old one again', async () => {
		const store = new CredentialStore();
		store.set('commvaultApi', { ...accessTokenCredential(sim, PAIR), sessionToken: '', sessionOwner: '' });
		// 8 of the token's 9 requests: its check, WhoAmI, and a look-up and an offboard for each of 3 users.
		await run(store, 3);
		// Another worker (another process: not in this one's memory) renews the pair and stores it while
		// this execution's request is reading the credential, so the request goes out with the old pair.
		const renewElsewhere = async () => {
			const current = store.get('commvaultApi');
			const answer = await fetch(sim.baseUrl('/commandcenter/api/V4/AccessToken/Renew'), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${String(current.accessToken)}` },
				body: JSON.stringify({ accessToken: current.accessToken, refreshToken: current.refreshToken }),
			});
			store.set('commvaultApi', { ...current, ...((await answer.json()) as { accessToken: string; refreshToken: string }) });
		};
		let elsewhere: Promise<void> | undefined;
		// Read 1 is the node's own (Base URL), read 2 n8n's for the request.
		const requestRead = store.reads + 2;
		store.readLatencyMs = (read) => {
			if (read !== requestRead) return 0;
			elsewhere = renewElsewhere();
			return 300;
		};
		const before = sim.requests.length;
		const { output, error } = await runCommvaultNode({ parameters: offboardEach(), items: items(1), store });
		await elsewhere;

		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('offboarded');
		// This run's first request (the look-up) went out with the old pair and met 401; n8n's re-check of
		// that token met 401 too; the look-up was then sent again with the pair the other worker stored.
		// This process renewed nothing itself.
		const thisRun = sim.requests.slice(before).filter((r) => r.endpoint !== 'v4/accesstoken/renew');
		expect(thisRun.map((r) => `${r.endpoint} ${r.status}`)).toEqual([
			'user 401',
			'v2/whoami 401',
			'user 200',
			'v2/whoami 200',
			'user/offboard 200',
		]);
		expect(sim.stats()).toMatchObject({ accessTokenRenewals: 1, chainInvalidations: 0 });
	});

	it('without a refresh token, fails clearly on the first 401 and does not try again for every item', async () => {
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: items(12),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim, { accessToken: PAIR.accessToken }),
		});
		// The token answers 9 requests: its check, WhoAmI (protected accounts), then a look-up and an
		// offboard per item, 8 at a time. Items whose offboard got through succeeded; every other one failed clearly.
		const succeeded = output.filter((item) => item.json.status === 'offboarded');
		expect(succeeded).toHaveLength(requestsTo(sim, 'user/offboard').filter((r) => r.status === 200).length);
		const failed = output.filter((item) => item.json.error);
		expect(succeeded.length + failed.length).toBe(12);
		expect(failed[0].json.error).toMatch(/^Commvault rejected the access token \(HTTP 401( from GET v2\/WhoAmI)?\)$/);
		// Only requests already in flight met the 401 (at most the 8 concurrent ones): no item was tried after it.
		expect(sim.requests.filter((r) => r.status === 401 && r.endpoint !== 'v2/whoami').length).toBeLessThanOrEqual(8);
		expect(String((failed[0].json.details as IDataObject).description)).toMatch(/refresh token/);
		// One check of the token after the first 401 (and, when the 8 concurrent look-ups used up the
		// token first, the protected-accounts WhoAmI itself), then no more requests with it.
		expect(requestsTo(sim, 'v2/whoami').filter((r) => r.status === 401).length).toBeLessThanOrEqual(2);
		expect(requestsTo(sim, 'v4/accesstoken/renew')).toHaveLength(0);
	});

	it('stores and uses a renewed pair that Commvault answers under tokenInfo', async () => {
		sim.setBehaviour({ renewalInTokenInfo: true });
		const store = new CredentialStore();
		store.set('commvaultApi', { ...accessTokenCredential(sim, PAIR), sessionToken: '', sessionOwner: '' });
		// 12 users: the token's 9 requests run out within the run, so it is renewed while the run goes on.
		const { output, error } = await run(store, 12);
		expect(error).toBeUndefined();
		expect(output.every((item) => item.json.status === 'offboarded')).toBe(true);
		const renewals = requestsTo(sim, 'v4/accesstoken/renew');
		expect(renewals.length).toBeGreaterThanOrEqual(1);
		expect(sim.stats()).toMatchObject({ chainInvalidations: 0, accessTokenRenewalFailures: 0 });
		// The stored pair is the newest one Commvault issued, and the requests after the renewal used it.
		const stored = store.get('commvaultApi');
		const lastRenewalAt = renewals.at(-1)!.seq;
		const after = sim.requests.filter((r) => r.seq > lastRenewalAt && r.endpoint !== 'v4/accesstoken/renew');
		expect(after.length).toBeGreaterThan(0);
		expect(after.every((r) => r.headers.authtoken === `QSDK ${String(stored.accessToken)}`)).toBe(true);
		expect(stored.accessToken).not.toBe(PAIR.accessToken);
		expect(stored.refreshToken).not.toBe(PAIR.refreshToken);
	});

	it('does not call an answer without a readable pair a refusal, and does not renew with the old pair again', async () => {
		sim.queueResponse({ endpoint: 'v4/accesstoken/renew', body: { result: { token: 'somewhere-else' } }, times: 5 });
		const store = new CredentialStore();
		store.set('commvaultApi', { ...accessTokenCredential(sim, PAIR), sessionToken: '', sessionOwner: '' });
		const { output } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: items(12),
			onError: 'continueRegularOutput',
			store,
		});
		const failed = output.filter((item) => item.json.error !== undefined);
		expect(failed.length).toBeGreaterThan(0);
		expect(failed.every((item) => item.json.error === 'Commvault answered the access token renewal in a form the node cannot read')).toBe(true);
		expect(String((failed[0].json.details as IDataObject).description)).toMatch(/may already have replaced the pair/);
		// Every item that met the expiry shares the one answer: the old pair is never sent again.
		expect(requestsTo(sim, 'v4/accesstoken/renew')).toHaveLength(1);
	});

	it('explains a refused renewal: create a new token', async () => {
		const store = new CredentialStore();
		store.set('commvaultApi', {
			...accessTokenCredential(sim, { ...PAIR, refreshToken: 'not-the-refresh-token' }),
			sessionToken: '',
			sessionOwner: '',
		});
		const { error } = await run(store, 12);
		expect(error?.message).toMatch(/^Commvault refused to renew the access token \(HTTP 401\)/);
		expect(error?.description).toMatch(/Create a new access token with a refresh token/);
		expect(requestsTo(sim, 'v4/accesstoken/renew')).toHaveLength(1);
		expect(JSON.stringify(error)).not.toContain('not-the-refresh-token');
	});
});

describe('the renewal lease between n8n processes', () => {
	type RenewalModule = typeof import('../../../../nodes/Commvault/auth/renewal');

	/** The module as another n8n process loads it: its own process id and memory. */
	async function loadProcess(): Promise<RenewalModule> {
		let loaded: RenewalModule | undefined;
		await jest.isolateModulesAsync(async () => {
			loaded = await import('../../../../nodes/Commvault/auth/renewal');
		});
		loaded!.renewalTiming.settleMs = 50;
		loaded!.renewalTiming.pollMs = 10;
		return loaded!;
	}

	it('lets exactly one of two processes that meet the same expiry renew; the other takes the pair it stores', async () => {
		const [a, b] = [await loadProcess(), await loadProcess()];
		// The stored credential, shared like n8n's database.
		const { tokenFingerprint } = await import('../../../../nodes/Commvault/auth/session');
		const stored: IDataObject = { baseUrl: 'https://cc/api', accessToken: 'old' };
		const fingerprint = tokenFingerprint(stored.baseUrl, stored.accessToken);
		const store = {
			read: async () => ({ ...stored }) as never,
			writeLease: async (_stored: unknown, lease: string) => {
				stored.renewalLease = lease;
			},
		};
		const renewIfAsked = async (decision: Promise<string>) => {
			const answer = await decision;
			if (answer === 'renew') stored.accessToken = 'new';
			return answer;
		};
		const decisions = await Promise.all([
			renewIfAsked(a.coordinateRenewal(store, fingerprint)),
			renewIfAsked(b.coordinateRenewal(store, fingerprint)),
		]);
		expect(decisions.sort()).toEqual(['newer', 'renew']);
	});
});
