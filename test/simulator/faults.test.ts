import { sleep } from 'n8n-workflow';

import { ACCESS_AUTHTOKEN, apiClient, auth, login, startSimulator, useSimulator, type Simulator } from './helpers';

const whoami = (sim: Simulator) => apiClient(sim).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN));
const offboard = (sim: Simulator, userName: string) => apiClient(sim).post('/User/Offboard', { userName }, auth(ACCESS_AUTHTOKEN));

/** Status of each of `n` sequential requests, or the error code when the connection failed. */
async function statusSequence(sim: Simulator, n: number): Promise<Array<number | string>> {
	const out: Array<number | string> = [];
	for (let i = 0; i < n; i++) {
		try {
			out.push((await whoami(sim)).status);
		} catch (error) {
			out.push((error as { code?: string }).code ?? 'error');
		}
	}
	return out;
}

describe('simulator: fault injection', () => {
	const sim = useSimulator({ seed: 5 }, { reset: false });
	afterEach(() => sim.reset());

	it('rate429: 429 with Retry-After and X-RateLimit-* headers, request not processed; login out of scope', async () => {
		sim.setFaults({ rate429: 1, retryAfterSeconds: 2 });
		const token = await login(apiClient(sim)); // login is excluded from faults by default
		const r = await apiClient(sim).post('/User/Offboard', { userName: 'jdoe' }, auth(token));
		expect(r.status).toBe(429);
		expect(r.headers['retry-after']).toBe('2');
		expect(r.headers['x-ratelimit-limit']).toBeDefined();
		expect(r.headers['x-ratelimit-remaining']).toBe('0');
		expect(r.headers['x-ratelimit-reset']).toBeDefined();
		expect(sim.state.subclientsOwnedBy(1301)).toHaveLength(2);
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'rate429', status: 429, processed: false });
		expect(sim.stats().faultsInjected.rate429).toBe(1);
	});

	it('rate503 and rateHtml502 answer HTML pages without processing', async () => {
		sim.setFaults({ rate503: 1 });
		const r503 = await offboard(sim, 'jdoe');
		expect(r503.status).toBe(503);
		expect(r503.headers['content-type']).toMatch(/text\/html/);
		expect(r503.data).toContain('Service Unavailable');
		sim.setFaults({ rateHtml502: 1 });
		const r502 = await offboard(sim, 'jdoe');
		expect(r502.status).toBe(502);
		expect(r502.headers['content-type']).toMatch(/text\/html/);
		expect(r502.data).toMatch(/<title>502 - Web server received an invalid response/);
		expect(sim.state.events).toEqual([]);
		expect(sim.stats().faultsInjected).toMatchObject({ rate503: 1, rateHtml502: 1 });
	});

	it('rateReset destroys the connection before processing', async () => {
		sim.setFaults({ rateReset: 1 });
		await expect(offboard(sim, 'jdoe')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|ERR_BAD_RESPONSE/) });
		expect(sim.state.events).toEqual([]);
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'rateReset', status: null, processed: false });
	});

	it('rateResetAfterProcessing processes the request, then destroys the connection', async () => {
		sim.setFaults({ rateResetAfterProcessing: 1 });
		await expect(offboard(sim, 'jdoe')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|ERR_BAD_RESPONSE/) });
		expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
		expect(sim.stats().offboardsByUser).toEqual({ jdoe: 1 });
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'rateResetAfterProcessing', status: null, processed: true });
	});

	it('rateHang never answers; the socket is dropped after hangMs', async () => {
		sim.setFaults({ rateHang: 1, hangMs: 300 });
		const started = Date.now();
		const pending = offboard(sim, 'jdoe');
		for (let waited = 0; sim.stats().inFlight === 0 && waited < 2000; waited += 10) await sleep(10);
		expect(sim.stats().inFlight).toBe(1);
		await expect(pending).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE/) });
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(sim.state.events).toEqual([]);
		await sleep(20); // the server sees the close a moment after the client
		expect(sim.stats()).toMatchObject({ inFlight: 0, faultsInjected: { rateHang: 1 } });
	});

	it('a client timeout on a hung request is the client’s business (axios timeout)', async () => {
		sim.setFaults({ rateHang: 1, hangMs: 5000 });
		await expect(apiClient(sim, '/commandcenter/api', { timeout: 150 }).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).rejects.toMatchObject({
			code: 'ECONNABORTED',
		});
	});

	it('faults can be restricted to some endpoints', async () => {
		sim.setFaults({ rate503: 1, endpoints: ['user/offboard'] });
		expect((await whoami(sim)).status).toBe(200);
		expect((await offboard(sim, 'jdoe')).status).toBe(503);
		sim.setFaults({ rate503: 1, endpoints: ['login'] });
		expect((await apiClient(sim).post('/Login', {})).status).toBe(503);
		expect((await whoami(sim)).status).toBe(200);
	});

	it('latencyMs delays in-scope requests (recorded per request)', async () => {
		sim.setFaults({ latencyMs: 150 });
		const started = Date.now();
		expect((await whoami(sim)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(sim.requests.at(-1)?.latencyMs).toBe(150);
		expect(sim.stats().faultsInjected.latency).toBe(1);
	});

	it('expireTokensAfterRequests invalidates all session tokens every N authorized requests', async () => {
		sim.setFaults({ expireTokensAfterRequests: 3 });
		const api = apiClient(sim);
		const token = await login(api);
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await api.get('/v2/WhoAmI', auth(token))).status);
		expect(statuses).toEqual([200, 200, 200, 401]);
		const fresh = await login(api);
		expect((await api.get('/v2/WhoAmI', auth(fresh))).status).toBe(200);
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200);
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200); // 3rd authorized request → expiry
		expect((await api.get('/v2/WhoAmI', auth(fresh))).status).toBe(401);
		expect((await api.get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).status).toBe(200); // access tokens survive
		expect(sim.stats().faultsInjected.expireTokens).toBe(2);
	});

	it('rateLimit throttles with a token bucket (requestsPerSecond + burst) → 429 + Retry-After', async () => {
		// One token per 100 s: however slow the machine, nothing refills during these requests.
		sim.setFaults({ rateLimit: { requestsPerSecond: 0.01, burst: 3 } });
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await whoami(sim)).status);
		expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
		const limited = sim.requests.at(-1);
		expect(limited).toMatchObject({ fault: 'rateLimit', processed: false });
		const r = await whoami(sim);
		expect(r.status).toBe(429);
		expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(r.headers['x-ratelimit-limit']).toBe('0.01');
		expect(sim.stats().faultsInjected.rateLimit).toBe(4);
	});

	it('rateLimit refills its bucket with time', async () => {
		// Two tokens per second, a burst of one: empty it, then wait longer than one token takes (a lower
		// bound: waiting longer only refills more, up to the burst).
		sim.setFaults({ rateLimit: { requestsPerSecond: 2, burst: 1 } });
		const statuses: number[] = [];
		for (let i = 0; i < 50 && !statuses.includes(429); i++) statuses.push((await whoami(sim)).status);
		expect(statuses).toContain(429);
		await sleep(600);
		expect((await whoami(sim)).status).toBe(200);
	});

	it('queueResponse forces the next responses of an endpoint (error shapes, HTML, status, headers, times)', async () => {
		sim.queueResponse({ endpoint: 'user/offboard', body: { errList: [{ errorCode: 1, errLogMessage: 'queued errList' }] } });
		sim.queueResponse({ endpoint: 'user/offboard', body: { error: { errorCode: 7, errorMessage: 'queued error object' } } });
		sim.queueResponse({ endpoint: 'user/offboard', body: { response: [{ errorCode: 3, errorString: 'queued response array' }] }, times: 2 });
		sim.queueResponse({ endpoint: 'user/offboard', status: 500, html: '<html><head><title>Internal Server Error</title></head></html>' });
		sim.queueResponse({ endpoint: 'user/offboard', status: 403, body: 'Forbidden', headers: { 'X-Queued': 'yes' } });
		const results = [];
		for (let i = 0; i < 7; i++) results.push(await offboard(sim, 'jdoe'));
		expect(results[0].data).toEqual({ errList: [{ errorCode: 1, errLogMessage: 'queued errList' }] });
		expect(results[1].data).toEqual({ error: { errorCode: 7, errorMessage: 'queued error object' } });
		expect(results[2].data.response[0].errorString).toBe('queued response array');
		expect(results[3].data.response[0].errorCode).toBe(3);
		expect(results[4].status).toBe(500);
		expect(results[4].headers['content-type']).toMatch(/text\/html/);
		expect(results[5].status).toBe(403);
		expect(results[5].data).toBe('Forbidden');
		expect(results[5].headers['x-queued']).toBe('yes');
		expect(results[6].data).toEqual({ errorMessage: 'Successfully offboarded user 1301', errorCode: 0 });
		expect(sim.state.events).toHaveLength(1); // queued responses are not processed
		expect(sim.stats().faultsInjected.queued).toBe(6);
	});

	it('queueResponse with echoRequest repeats the request in a text/plain page, Authtoken included', async () => {
		sim.queueResponse({ endpoint: 'user/offboard', status: 400, echoRequest: true });
		const result = await offboard(sim, 'jdoe');
		expect(result.status).toBe(400);
		expect(result.headers['content-type']).toMatch(/text\/plain/);
		expect(result.data).toMatch(/^Bad Request\. The request was:\nPOST \/commandcenter\/api\/User\/Offboard HTTP\/1\.1\n/i);
		expect(result.data).toContain(`authtoken: ${ACCESS_AUTHTOKEN}`);
		expect(result.data).toContain('"userName":"jdoe"');
		expect(sim.state.events).toHaveLength(0);
	});

	it('queueResponse can target one method, bypasses auth, and can be cleared', async () => {
		sim.queueResponse({ endpoint: 'user/{id}', method: 'DELETE', status: 200, body: { response: [{ errorCode: 0 }] } });
		const api = apiClient(sim);
		expect((await api.get('/User/1301', auth(ACCESS_AUTHTOKEN))).data.users[0].userEntity.userId).toBe(1301);
		expect((await api.delete('/User/1301')).data).toEqual({ response: [{ errorCode: 0 }] }); // no token needed
		expect(sim.state.getUser(1301)).toBeDefined();
		sim.queueResponse({ endpoint: 'v2/whoami', status: 401, body: { errorCode: 5, errorMessage: 'Access denied' }, times: 5 });
		sim.clearQueuedResponses();
		expect((await whoami(sim)).status).toBe(200);
	});
});

describe('simulator: fault reproducibility', () => {
	const faults = { rate429: 0.25, rate503: 0.2, rateHtml502: 0.1, rateReset: 0.1, latencyMs: 1, latencyJitterMs: 10 };
	const sims: Simulator[] = [];

	afterAll(async () => {
		await Promise.all(sims.map((s) => s.stop()));
	});

	it('the same seed gives the same fault sequence; setFaults reseeds; another seed differs', async () => {
		const a = await startSimulator({ seed: 42, faults });
		const b = await startSimulator({ seed: 42, faults });
		const c = await startSimulator({ seed: 43, faults });
		sims.push(a, b, c);
		const seqA = await statusSequence(a, 40);
		const seqB = await statusSequence(b, 40);
		expect(seqA).toEqual(seqB);
		expect(a.requests.map((r) => r.latencyMs)).toEqual(b.requests.map((r) => r.latencyMs));
		for (const expected of [200, 429, 503, 502]) expect(seqA).toContain(expected);
		expect(seqA.some((s) => typeof s === 'string')).toBe(true);
		a.setFaults(faults);
		expect(await statusSequence(a, 40)).toEqual(seqA);
		expect(await statusSequence(c, 40)).not.toEqual(seqA);
		// faults.seed overrides the simulator seed
		c.setFaults({ ...faults, seed: 42 });
		expect(await statusSequence(c, 40)).toEqual(seqA);
	});

	it('stop() destroys hung requests so clients and jest do not wait', async () => {
		const s = await startSimulator({ faults: { rateHang: 1 } }); // default hangMs: 60 s
		const pending = whoami(s).then(
			() => 'answered',
			(error: { code?: string }) => error.code ?? 'error',
		);
		for (let waited = 0; s.stats().inFlight === 0 && waited < 2000; waited += 10) await sleep(10);
		expect(s.stats().inFlight).toBe(1);
		// The hang lasts 60 s; stop() must end it instead of waiting for it.
		const stopped = s.stop().then(() => 'stopped');
		await expect(Promise.race([stopped, sleep(10_000).then(() => 'still waiting')])).resolves.toBe('stopped');
		expect(await pending).toMatch(/ECONNRESET|ERR_BAD_RESPONSE/);
	});
});
