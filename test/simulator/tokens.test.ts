import { b64, apiClient, startSimulator, useSimulator, type Simulator } from './helpers';

const PAIR = { accessToken: 'rot-access-0', refreshToken: 'rot-refresh-0' };
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe('simulator: access tokens that expire and renew', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({
			accessTokens: ['sim-access-token', { token: PAIR.accessToken, refreshToken: PAIR.refreshToken }],
			accessTokenLifetime: { requests: 2 },
		});
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	const renew = (pair: typeof PAIR, token = pair.accessToken) =>
		apiClient(sim).post('/V4/AccessToken/Renew', pair, bearer(token));
	const whoAmI = (token: string) => apiClient(sim).get('/v2/WhoAmI', { headers: { Authtoken: `QSDK ${token}` } });

	it('expires a token with a refresh token after its lifetime; a token without one does not expire', async () => {
		expect((await whoAmI(PAIR.accessToken)).status).toBe(200);
		expect((await whoAmI(PAIR.accessToken)).status).toBe(200);
		expect((await whoAmI(PAIR.accessToken)).status).toBe(401);
		for (let i = 0; i < 4; i++) expect((await whoAmI('sim-access-token')).status).toBe(200);
		expect(sim.stats().accessTokensExpired).toBe(1);
	});

	it('renews the current pair into a new pair at the root; the old access token stops working', async () => {
		const r = await renew(PAIR);
		expect(r.status).toBe(200);
		expect(Object.keys(r.data).sort()).toEqual(['accessToken', 'refreshToken', 'tokenExpiryTimestamp']);
		expect(r.data.accessToken).not.toBe(PAIR.accessToken);
		expect((await whoAmI(r.data.accessToken)).status).toBe(200);
		expect((await whoAmI(PAIR.accessToken)).status).toBe(401);
		const again = await renew(r.data);
		expect(again.status).toBe(200);
		expect(sim.stats()).toMatchObject({ accessTokenRenewals: 2, chainInvalidations: 0 });
	});

	it('with renewalInTokenInfo, answers the renewed pair under tokenInfo', async () => {
		sim.setBehaviour({ renewalInTokenInfo: true });
		const r = await renew(PAIR);
		expect(r.status).toBe(200);
		expect(Object.keys(r.data)).toEqual(['tokenInfo']);
		expect((await whoAmI(r.data.tokenInfo.accessToken)).status).toBe(200);
		expect((await whoAmI(PAIR.accessToken)).status).toBe(401);
	});

	it('invalidates the whole chain when an older pair is used again', async () => {
		const next = (await renew(PAIR)).data;
		const reused = await renew(PAIR);
		expect(reused.status).toBe(401);
		expect(reused.data.error.errorMessage).toMatch(/older access token/);
		expect((await whoAmI(next.accessToken)).status).toBe(401);
		expect((await renew(next)).status).toBe(401);
		expect(sim.stats().chainInvalidations).toBe(1);
	});

	it('refuses a renewal without the Bearer header of the same access token', async () => {
		expect((await apiClient(sim).post('/V4/AccessToken/Renew', PAIR)).status).toBe(401);
		expect((await renew(PAIR, 'sim-access-token')).status).toBe(401);
		expect(sim.stats().chainInvalidations).toBe(0);
	});
});

describe('simulator: Commvault Cloud (SaaS)', () => {
	const sim = useSimulator({ saas: true, rateBudget: { writesPerHour: 2, readsPerHour: 3 } });

	it('answers a login with data.authToken, which works only as Authorization: Bearer', async () => {
		const api = apiClient(sim);
		const r = await api.post('/Login', { username: 'admin', password: b64('admin-password') });
		const token = r.data.data.authToken as string;
		expect(token).toMatch(/^[0-9a-f]{40,}$/);
		expect(r.data.token).toBeUndefined();
		expect((await api.get('/v2/WhoAmI', bearer(token))).status).toBe(200);
		expect((await api.get('/v2/WhoAmI', { headers: { Authtoken: `QSDK ${token}` } })).status).toBe(401);
		expect((await api.get('/v2/WhoAmI', { headers: { Authtoken: 'QSDK sim-access-token' } })).status).toBe(401);
		expect((await api.get('/v2/WhoAmI', bearer('sim-access-token'))).status).toBe(200);
	});

	it('answers 429 with Retry-After and X-RateLimit-Period once the hour budget of writes or reads is used', async () => {
		const api = apiClient(sim);
		const post = () => api.post('/User/Offboard', { userName: 'rlee' }, bearer('sim-access-token'));
		expect((await post()).status).toBe(200);
		expect((await post()).status).toBe(200);
		const limited = await post();
		expect(limited.status).toBe(429);
		expect(limited.headers['x-ratelimit-period']).toBe('3600');
		expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
		// Reads have their own budget.
		for (let i = 0; i < 3; i++) expect((await api.get('/v2/WhoAmI', bearer('sim-access-token'))).status).toBe(200);
		expect((await api.get('/v2/WhoAmI', bearer('sim-access-token'))).status).toBe(429);
		expect(sim.stats().budgetLimited).toBe(2);
		expect(sim.state.eventsOf(1304).filter((e) => e.type === 'offboard')).toHaveLength(2);
	});
});
