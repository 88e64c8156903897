import { sleep } from 'n8n-workflow';

import { ACCESS_AUTHTOKEN, DEFAULTS, apiClient, auth, b64, login, useSimulator } from './helpers';

describe('simulator: authentication', () => {
	const sim = useSimulator();

	it('logs in with a base64 password and returns a QSDK token in the Commvault login shape', async () => {
		const api = apiClient(sim);
		const r = await api.post('/Login', { username: 'admin', password: b64('admin-password') });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({
			userName: 'admin',
			aliasName: '1',
			loginAttempts: 0,
			remainingLockTime: 0,
			isAccountLocked: false,
			errList: [],
			smtpAddress: 'admin@example.com',
		});
		expect(r.data.token).toMatch(/^QSDK [0-9a-f]{40,}$/);
		expect(typeof r.data.userGUID).toBe('string');
		expect(sim.stats().logins).toBe(1);
		const record = sim.requests.find((q) => q.endpoint === 'login');
		expect(record).toMatchObject({ account: 'admin', authKind: 'session', status: 200, processed: true });
		expect(record?.body).toEqual({ username: 'admin', password: b64('admin-password') });
	});

	it("a domain login acts as domain\\user, which the Login reply's userName names, not the local namesake", async () => {
		const api = apiClient(sim);
		const r = await api.post('/Login', { username: 'erin', domain: 'acme', password: b64('erin-password') });
		expect(r.data.userName).toBe('acme\\erin');
		const me = await api.get('/v2/WhoAmI', { headers: { Authtoken: r.data.token } });
		expect(me.data.user).toMatchObject({ userName: 'acme\\erin', userId: 1308 });
		// The local user of the same bare name is someone else, and has no login here.
		expect((await api.post('/Login', { username: 'erin', password: b64('erin-password') })).data.errList).toHaveLength(1);
	});

	it('accepts DOMAIN\\user, a separate domain field and the AD email for a domain user', async () => {
		const api = apiClient(sim);
		for (const body of [
			{ username: 'acme\\asmith', password: b64('asmith-password') },
			{ username: 'ASMITH', domain: 'ACME', password: b64('asmith-password') },
			{ username: 'asmith@acme.example.com', password: b64('asmith-password') },
		]) {
			const r = await api.post('/Login', body);
			expect(r.data.errList).toEqual([]);
			expect(r.data.userName).toBe('acme\\asmith');
			expect(r.data.token).toMatch(/^QSDK /);
		}
		// without the domain the local account does not exist
		const r = await api.post('/Login', { username: 'asmith', password: b64('asmith-password') });
		expect(r.data.token).toBeUndefined();
	});

	it('answers a wrong password with HTTP 200 + errList and counts attempts', async () => {
		const api = apiClient(sim);
		const first = await api.post('/Login', { username: 'admin', password: b64('nope') });
		expect(first.status).toBe(200);
		expect(first.data.token).toBeUndefined();
		expect(first.data).toMatchObject({ isAccountLocked: false, remainingLockTime: 0, loginAttempts: 1 });
		expect(first.data.errList[0]).toMatchObject({ errLogMessage: 'Invalid Username or Password' });
		expect(first.data.errList[0].errorCode).not.toBe(0);
		const second = await api.post('/Login', { username: 'admin', password: b64('still-nope') });
		expect(second.data.loginAttempts).toBe(2);
		await login(api);
		const third = await api.post('/Login', { username: 'admin', password: b64('nope') });
		expect(third.data.loginAttempts).toBe(1);
		expect(sim.stats().loginFailures).toBe(3);
	});

	it('treats a non-base64 password, missing fields and unknown users as the same failure', async () => {
		const api = apiClient(sim);
		const bodies: unknown[] = [
			{ username: 'admin', password: 'admin-password' },
			{ username: 'admin' },
			{ password: b64('admin-password') },
			{},
			{ username: 'ghost', password: b64('x') },
			{ username: 42, password: b64('admin-password') },
		];
		for (const body of bodies) {
			const r = await api.post('/Login', body);
			expect(r.status).toBe(200);
			expect(r.data.token).toBeUndefined();
			expect(r.data.errList[0].errLogMessage).toBe('Invalid Username or Password');
		}
	});

	it('reports a locked account with isAccountLocked and remainingLockTime', async () => {
		const r = await apiClient(sim).post('/Login', { username: 'kfrost', password: b64('kfrost-password') });
		expect(r.status).toBe(200);
		expect(r.data.token).toBeUndefined();
		expect(r.data.isAccountLocked).toBe(true);
		expect(r.data.remainingLockTime).toBeGreaterThan(0);
		expect(r.data.errList[0].errLogMessage).toMatch(/locked/i);
	});

	it('refuses a disabled user', async () => {
		const r = await apiClient(sim).post('/Login', { username: 'mroe', password: b64('mroe-password') });
		expect(r.data.token).toBeUndefined();
		expect(r.data.errList[0].errLogMessage).toMatch(/disabled/i);
	});

	it('requires a valid Authtoken everywhere else (401 {errorCode: 5, errorMessage: "Access denied"})', async () => {
		const api = apiClient(sim);
		for (const headers of [{}, { Authtoken: 'QSDK deadbeef' }, { Authtoken: 'garbage' }, { Authorization: 'Bearer nope' }]) {
			const r = await api.get('/v2/WhoAmI', { headers });
			expect(r.status).toBe(401);
			expect(r.data).toEqual({ errorCode: 5, errorMessage: 'Access denied' });
		}
		const offboard = await api.post('/User/Offboard', { userName: 'jdoe' });
		expect(offboard.status).toBe(401);
		expect(sim.state.subclientsOwnedBy(1301).length).toBe(2);
	});

	it('accepts session tokens and records which account used them', async () => {
		const api = apiClient(sim);
		const token = await login(api, 'jdoe', 'jdoe-password');
		const r = await api.get('/v2/WhoAmI', auth(token));
		expect(r.status).toBe(200);
		expect(r.data.user).toMatchObject({ userName: 'jdoe', userId: 1301 });
		expect(typeof r.data.user.GUID).toBe('string');
		const v1 = await api.post('/WhoAmI', undefined, auth(token));
		expect(v1.data).toMatchObject({ errorCode: 0, user: { userName: 'jdoe' } });
		const record = sim.requests.find((q) => q.endpoint === 'v2/whoami');
		expect(record).toMatchObject({ authKind: 'session', account: 'jdoe', token });
	});

	it('accepts the API access token as QSDK, as Bearer in Authtoken, and as Authorization: Bearer', async () => {
		const api = apiClient(sim);
		for (const headers of [
			{ Authtoken: ACCESS_AUTHTOKEN },
			{ Authtoken: `Bearer ${DEFAULTS.accessToken}` },
			{ Authorization: `Bearer ${DEFAULTS.accessToken}` },
		]) {
			const r = await api.get('/v2/WhoAmI', { headers });
			expect(r.status).toBe(200);
			expect(r.data.user.userName).toBe('admin');
		}
		// the bare token without a scheme is not accepted
		expect((await api.get('/v2/WhoAmI', { headers: { Authtoken: DEFAULTS.accessToken } })).status).toBe(401);
		expect(sim.requests.filter((q) => q.authKind === 'access')).toHaveLength(3);
	});

	it('logs out with the documented strings and invalidates the token', async () => {
		const api = apiClient(sim);
		const token = await login(api);
		const out = await api.post('/Logout', undefined, auth(token));
		expect(out.status).toBe(200);
		expect(out.data).toBe('User logged out');
		expect(out.headers['content-type']).toMatch(/text\/plain/);
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(401);
		const again = await api.post('/Logout', undefined, auth(token));
		expect(again.data).toBe('Invalid authorization token provided.');
		expect(sim.stats().logouts).toBe(1);
	});

	it('expireAllTokens() kills session tokens but not access tokens', async () => {
		const api = apiClient(sim);
		const token = await login(api);
		expect(sim.expireAllTokens()).toBe(1);
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(401);
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200);
	});

	it('reset() clears tokens', async () => {
		const api = apiClient(sim);
		const token = await login(api);
		sim.reset();
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(401);
		expect(sim.requests.length).toBe(1);
	});
});

describe('simulator: idle token expiry', () => {
	const sim = useSimulator({ tokenTtlMs: 300 }, { reset: false });

	it('expires a session token after tokenTtlMs of inactivity; each use refreshes it', async () => {
		const api = apiClient(sim);
		const token = await login(api);
		await sleep(200);
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(200);
		await sleep(200);
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(200); // 400 ms after login, 200 ms idle
		await sleep(450);
		const expired = await api.get('/v2/WhoAmI', auth(token));
		expect(expired.status).toBe(401);
		expect(expired.data).toEqual({ errorCode: 5, errorMessage: 'Access denied' });
		// the access token never idles out
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200);
		expect(sim.stats().tokensExpired).toBe(1);
	});

	it("Login's timeout (minutes) can only shorten the simulator's TTL", async () => {
		const api = apiClient(sim);
		const short = await login(api, 'admin', 'admin-password', { timeout: 0.001 }); // 60 ms
		const long = await login(api, 'admin', 'admin-password', { timeout: 30 });
		await sleep(150);
		expect((await api.get('/v2/WhoAmI', auth(short))).status).toBe(401);
		expect((await api.get('/v2/WhoAmI', auth(long))).status).toBe(200);
	});
});
