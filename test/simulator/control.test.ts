import axios from 'axios';
import { sleep } from 'n8n-workflow';

import { createHttpAgent, destroyAgent } from '../support/agents';
import { ACCESS_AUTHTOKEN, apiClient, auth, login, startSimulator, useSimulator, type Simulator } from './helpers';

describe('simulator: control API (/__simulator/…)', () => {
	let sim: Simulator;
	const control = () => axios.create({ baseURL: `${sim.url}/__simulator`, validateStatus: () => true });

	beforeAll(async () => {
		sim = await startSimulator({ generatedUsers: 3 });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	it('health, stats, requests (small by default, ?headers=1, ?endpoint=, ?since=)', async () => {
		const health = await control().get('/health');
		expect(health.data).toMatchObject({ ok: true, url: sim.url, https: false });
		const api = apiClient(sim);
		const token = await login(api);
		await api.post('/User/Offboard', { userName: 'jdoe' }, auth(token));
		await api.get('/v2/WhoAmI', auth(token));

		const requests = await control().get('/requests');
		expect(requests.data.count).toBe(3);
		expect(requests.data.requests.map((r: { endpoint: string }) => r.endpoint)).toEqual(['login', 'user/offboard', 'v2/whoami']);
		expect(requests.data.requests[0].headers).toBeUndefined();
		expect(requests.data.requests[1]).toMatchObject({ method: 'POST', status: 200, body: { userName: 'jdoe' }, account: 'admin', authKind: 'session' });
		const withHeaders = await control().get('/requests', { params: { headers: 1, endpoint: 'user/offboard' } });
		expect(withHeaders.data.count).toBe(1);
		expect(withHeaders.data.requests[0].headers.authtoken).toBe(token);
		const since = await control().get('/requests', { params: { since: requests.data.requests[1].seq } });
		expect(since.data.requests.map((r: { endpoint: string }) => r.endpoint)).toEqual(['v2/whoami']);

		const stats = await control().get('/stats');
		expect(stats.data).toMatchObject({ requests: 3, logins: 1, byEndpoint: { login: 1, 'user/offboard': 1, 'v2/whoami': 1 }, offboardsByUser: { jdoe: 1 } });
		// control calls are never recorded as API requests
		expect(sim.requests).toHaveLength(3);
		expect(sim.stats().controlRequests).toBeGreaterThanOrEqual(5);
	});

	it('behaviour: reads and turns the switches for forms Commvault leaves open; refuses an unknown one', async () => {
		expect((await control().get('/behaviour')).data.behaviour).toEqual({ logOffIgnores: null, laptopShape: 'adminConsole', renewalInTokenInfo: false });
		const set = await control().post('/behaviour', { logOffIgnores: 'objects', laptopShape: 'webConsole' });
		expect(set.data.behaviour).toEqual({ logOffIgnores: 'objects', laptopShape: 'webConsole', renewalInTokenInfo: false });
		expect((await control().post('/behaviour', { noSuchSwitch: true })).status).toBe(400);
		await control().post('/reset');
		expect((await control().get('/behaviour')).data.behaviour.laptopShape).toBe('adminConsole');
	});

	it('state (summary and per user), reset, clear-requests', async () => {
		const api = apiClient(sim);
		await api.post('/User/Offboard', { userName: 'jdoe' }, auth(ACCESS_AUTHTOKEN));
		const summary = await control().get('/state', { params: { summary: 1 } });
		expect(summary.data.counts).toMatchObject({ users: 13, events: 1 });
		expect(summary.data.events[0]).toMatchObject({ type: 'offboard', userName: 'jdoe', errorCode: 0 });
		const full = await control().get('/state');
		expect(full.data.users).toHaveLength(13);
		expect(full.data.subclients.length).toBeGreaterThan(8);
		const jdoe = await control().get('/state', { params: { user: 'jdoe' } });
		expect(jdoe.data).toMatchObject({ user: { userId: 1301 }, deleted: false, ownedSubclients: [], ownedVmClients: [] });
		expect(jdoe.data.roleAssociationsOn).toHaveLength(1);
		expect((await control().get('/state', { params: { user: 'nobody' } })).status).toBe(404);

		expect((await control().post('/clear-requests')).data.ok).toBe(true);
		expect(sim.requests).toHaveLength(0);
		expect((await control().post('/reset')).data.ok).toBe(true);
		expect(sim.state.subclientsOwnedBy(1301)).toHaveLength(2);
		expect(sim.state.events).toEqual([]);
	});

	it('faults, expire-tokens and queue-response over HTTP; control endpoints are never faulted', async () => {
		const api = apiClient(sim);
		const token = await login(api);
		const set = await control().post('/faults', { rate503: 1, retryAfterSeconds: 3, bogus: true });
		expect(set.data.faults).toEqual({ rate503: 1, retryAfterSeconds: 3 });
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(503);
		expect((await control().get('/health')).status).toBe(200);
		expect((await control().get('/faults')).data.faults.rate503).toBe(1);
		await control().post('/faults', {});
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(200);

		expect((await control().post('/expire-tokens')).data).toEqual({ ok: true, expired: 1 });
		expect((await api.get('/v2/WhoAmI', auth(token))).status).toBe(401);

		const queued = await control().post('/queue-response', { endpoint: 'v2/whoami', status: 500, body: { errorCode: 1, errorMessage: 'boom' }, times: 2 });
		expect(queued.data).toEqual({ ok: true, queued: 2 });
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).data).toEqual({ errorCode: 1, errorMessage: 'boom' });
		await control().post('/clear-queued-responses');
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200);
		expect((await control().post('/queue-response', { status: 500 })).status).toBe(400);
		expect((await control().get('/nope')).status).toBe(404);
		expect((await control().post('/faults', '{bad json', { headers: { 'Content-Type': 'application/json' }, transformRequest: [(d: unknown) => d] })).status).toBe(400);
	});
	it('rate-budget turns the hourly write budget on and off; reset-rate-budgets starts a new hour', async () => {
		const api = apiClient(sim);
		const offboard = async (userName: string) => (await api.post('/User/Offboard', { userName }, auth(ACCESS_AUTHTOKEN))).status;
		expect((await control().post('/rate-budget', { writesPerHour: 1 })).data).toEqual({ ok: true });
		expect([await offboard('jdoe'), await offboard('rlee')]).toEqual([200, 429]);
		expect((await control().post('/reset-rate-budgets')).status).toBe(200);
		expect([await offboard('rlee'), await offboard('user00001')]).toEqual([200, 429]);
		await control().post('/rate-budget', {});
		expect(await offboard('user00001')).toBe(200);
	});
});

describe('simulator: connections', () => {
	const sim = useSimulator({}, { reset: false });

	it('supports HTTP keep-alive (requests share a connection) and closes without it', async () => {
		const keepAlive = createHttpAgent({ keepAlive: true, maxSockets: 1 });
		const api = apiClient(sim, '/commandcenter/api', { httpAgent: keepAlive });
		for (let i = 0; i < 5; i++) expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200);
		const ids = new Set(sim.requests.slice(-5).map((r) => r.connectionId));
		expect(ids.size).toBe(1);
		destroyAgent(keepAlive);

		const noKeepAlive = createHttpAgent({ keepAlive: false });
		const api2 = apiClient(sim, '/commandcenter/api', { httpAgent: noKeepAlive });
		for (let i = 0; i < 3; i++) await api2.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN));
		expect(new Set(sim.requests.slice(-3).map((r) => r.connectionId)).size).toBe(3);
		destroyAgent(noKeepAlive);
	});

	it('tracks in-flight requests and their maximum', async () => {
		sim.reset();
		sim.setFaults({ latencyMs: 100 });
		const api = apiClient(sim);
		const results = await Promise.all(Array.from({ length: 6 }, () => api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))));
		expect(results.every((r) => r.status === 200)).toBe(true);
		await sleep(10);
		expect(sim.stats()).toMatchObject({ inFlight: 0, maxInFlight: 6 });
		expect(sim.requests.every((r) => (r.durationMs ?? 0) >= 90)).toBe(true);
		sim.setFaults({});
	});

	it('stop() returns promptly with idle keep-alive sockets open', async () => {
		const other = await startSimulator();
		const agent = createHttpAgent({ keepAlive: true });
		await apiClient(other, '/commandcenter/api', { httpAgent: agent }).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN));
		// Without destroying idle keep-alive sockets, close() would wait for them for good.
		const stopped = other.stop().then(() => 'stopped');
		await expect(Promise.race([stopped, sleep(10_000).then(() => 'still waiting')])).resolves.toBe('stopped');
		destroyAgent(agent);
		await expect(axios.get(`${other.url}/__simulator/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
	});
});
