import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { commvaultApiRequest } from '../../../../nodes/Commvault/transport';
import { DEFAULT_SETTINGS } from '../../../../nodes/Commvault/transport/retry';
import { createExecuteContext, runCommvaultNode, userByName } from '../../../harness/engine';
import {
	ACCESS_TOKEN,
	accessTokenCredential,
	passwordCredential,
	requestsTo,
	useSimulator,
	userNamedIn,
} from '../../../support/simulator';

describe('commvaultApiRequest', () => {
	const sim = useSimulator();

	it('joins the Base URL and the endpoint whatever the slashes', async () => {
		const { context } = createExecuteContext({
			credentials: accessTokenCredential(sim, { baseUrl: `${sim.baseUrl('/webconsole/api')}//` }),
		});
		await commvaultApiRequest.call(context, { method: 'GET', endpoint: '/v2/WhoAmI' });
		expect(sim.requests.at(-1)?.path).toBe('/webconsole/api/v2/WhoAmI');
	});

	it('sends JSON with Accept: application/json and the Authtoken', async () => {
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim) });
		const response = await commvaultApiRequest.call(context, {
			method: 'POST',
			endpoint: 'User/Offboard',
			body: { userName: 'rlee' },
		});
		const call = sim.requests.at(-1)!;
		expect(call.headers.accept).toBe('application/json');
		expect(call.headers['content-type']).toMatch(/^application\/json/);
		expect(call.headers.authtoken).toBe(`QSDK ${ACCESS_TOKEN}`);
		expect(call.body).toEqual({ userName: 'rlee' });
		expect(response).toEqual({ errorCode: 0, errorMessage: 'Successfully offboarded user 1304' });
	});

	it('passes query parameters and sends no body on GET', async () => {
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim) });
		await commvaultApiRequest.call(context, { method: 'GET', endpoint: 'User', qs: { level: 10 } });
		const call = sim.requests.at(-1)!;
		expect(call.query).toEqual({ level: '10' });
		expect(call.body).toBeUndefined();
	});

	it.each([
		['top-level errorCode', { errorCode: 2, errorMessage: 'User [x] does not exist' }, 'User [x] does not exist'],
		['response[].errorCode', { response: [{ errorCode: 3, errorString: 'Cannot disable admin' }] }, 'Cannot disable admin'],
		['error.errorCode', { error: { errorCode: 7, errorMessage: 'Token renewal failed' } }, 'Token renewal failed'],
		['errList[]', { errList: [{ errorCode: 1116, errLogMessage: 'Session is not valid' }] }, 'Session is not valid'],
	])('throws on %s in an HTTP 200', async (_shape, body, message) => {
		sim.queueResponse({ endpoint: 'user', status: 200, body });
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim) });
		const error = await commvaultApiRequest
			.call(context, { method: 'GET', endpoint: 'User', itemIndex: 4, subject: 'user "x"' })
			.catch((e: unknown) => e as NodeApiError);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe(message);
		expect((error as NodeApiError).context.itemIndex).toBe(4);
		expect((error as NodeApiError).description).toMatch(/^Failed for item 5, user "x"\./);
	});

	it('renews an expired session once and re-sends the request', async () => {
		const { context, store } = createExecuteContext({ credentials: passwordCredential(sim) });
		await commvaultApiRequest.call(context, { method: 'GET', endpoint: 'v2/WhoAmI' });
		sim.expireAllTokens();
		const whoami = (await commvaultApiRequest.call(context, { method: 'GET', endpoint: 'v2/WhoAmI' })) as IDataObject;
		expect(whoami.user).toMatchObject({ userName: 'admin' });
		expect(sim.requests.map((r) => `${r.endpoint} ${r.status}`)).toEqual([
			'login 200',
			'v2/whoami 200',
			'v2/whoami 401',
			'login 200',
			'v2/whoami 200',
		]);
		expect(store.preAuthenticationCalls).toBe(2);
	});

	it('fails loudly when no request state was bound to the execution, instead of using defaults', async () => {
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim), unbound: true });
		await expect(commvaultApiRequest.call(context, { method: 'GET', endpoint: 'v2/WhoAmI' })).rejects.toThrow(
			/No request state for this execution/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it.each([
		['GET', 'User', true],
		['PUT', 'User/1304/Disable', true],
		['POST', 'User/Offboard', false],
	] as const)('%s is re-sent after a dropped connection only when its method is idempotent', async (method, endpoint, resent) => {
		sim.setFaults({ rateResetAfterProcessing: 1, endpoints: [endpoint.toLowerCase().replace(/\/\d+\//, '/{id}/')] });
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim) });
		const sent = commvaultApiRequest.call(context, { method, endpoint, body: method === 'GET' ? undefined : {} });
		await expect(sent).rejects.toThrow(NodeApiError);
		const attempts = sim.requests.filter((r) => r.fault === 'rateResetAfterProcessing').length;
		expect(attempts).toBe(resent ? DEFAULT_SETTINGS.maxAttempts : 1);
	});

	it('gives up after the timeout', async () => {
		expect(DEFAULT_SETTINGS.timeoutMs).toBe(60_000);
		sim.setFaults({ rateHang: 1, hangMs: 5_000, endpoints: ['user'] });
		const { context } = createExecuteContext({ credentials: accessTokenCredential(sim) });
		const error = await commvaultApiRequest
			.call(context, { method: 'GET', endpoint: 'User', timeout: 200 })
			.catch((e: unknown) => e as NodeApiError);
		expect((error as NodeApiError).message).toBe('Commvault did not answer in time');
		expect((error as NodeApiError).description).toMatch(/timed out/);
	});
});

describe('commvaultApiRequest inside a run', () => {
	const sim = useSimulator();

	it('when Commvault asks for a longer wait than the node makes, fails the rest of the run without sending it', async () => {
		sim.queueResponse({ endpoint: 'user/offboard', status: 429, body: '', headers: { 'Retry-After': '3600' } });
		const { output } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('={{ $json.login }}') },
			items: [{ json: { login: 'jdoe' } }, { json: { login: 'rlee' } }, { json: { login: 'mroe' } }],
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		const errors = output.map((i) => String(i.json.error));
		expect(errors.every((e) => /^Not sent: Commvault's rate limit holds until \d{4}-\d\d-\d\dT/.test(e))).toBe(true);
		const details = output.map((i) => i.json.details as IDataObject);
		expect(details.map((d) => d.reason)).toEqual(Array(3).fill('rateLimited'));
		expect(new Set(details.map((d) => d.retryAfter)).size).toBe(1);
		const retryAfter = Date.parse(String(details[0].retryAfter));
		expect(retryAfter - Date.now()).toBeGreaterThan(3590_000);
		expect(details[0].description).toMatch(/Commvault asked to wait 3600 second\(s\)\..*Not sent to Commvault, so nothing was changed.*Run this item again after /);
		expect(details[1].description).toMatch(/^Failed for item 2, user "rlee"\. .*Run this item again after /);
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(1);
	});

	it("fails an item at once when a 503 asks for a longer wait than the node makes, and sends the others", async () => {
		sim.queueResponse({ endpoint: 'user/offboard', status: 503, body: 'Down for maintenance', headers: { 'Retry-After': '7200' } });
		const { output } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('={{ $json.login }}') },
			items: [{ json: { login: 'jdoe' } }, { json: { login: 'rlee' } }],
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json.error).toBe('Commvault returned HTTP 503: Down for maintenance');
		const description = (output[0].json.details as IDataObject).description as string;
		expect(description).toMatch(/Commvault asked to wait 7200 second\(s\)\..*longer than the node waits \(120 s\), so the item failed\.$/);
		expect(output[1].json.status).toBe('offboarded');
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(2);
	});

	it('says on a successful item when its offboard was sent again after Commvault may have acted', async () => {
		// Seed 4 makes the first offboard drop its connection after Commvault acted; the retry succeeds.
		sim.setFaults({ seed: 4, rateResetAfterProcessing: 0.5, endpoints: ['user/offboard'] });
		const logins = ['jdoe', 'rlee', 'mroe'];
		const { output, error } = await runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'offboard',
				user: userByName('={{ $json.login }}'),
				requestOptions: { retryDelay: 0.001, maxConcurrency: 1 },
			},
			items: logins.map((login) => ({ json: { login } })),
			credentials: accessTokenCredential(sim),
		});
		expect(error).toBeUndefined();
		const offboards = requestsTo(sim, 'user/offboard');
		expect(offboards[0].fault).toBe('rateResetAfterProcessing');
		expect(output[0].json).toMatchObject({ userName: 'jdoe', status: 'offboarded', details: { repeated: true } });
		logins.forEach((login, i) => {
			const dropped = offboards.filter((r) => userNamedIn(sim, r.body) === login && r.fault === 'rateResetAfterProcessing');
			expect([login, (output[i].json.details as IDataObject | undefined)?.repeated]).toEqual([login, dropped.length > 0 ? true : undefined]);
		});
	});

	it('says when the answer may be to a repeated request', async () => {
		// Seed 4 makes the first offboard of legal.hold drop its connection after Commvault acted,
		// and the retry get Commvault's refusal.
		sim.setFaults({ seed: 4, rateResetAfterProcessing: 0.5, endpoints: ['user/offboard'] });
		const { error } = await runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'offboard',
				user: userByName('legal.hold'),
				requestOptions: { retryDelay: 0.001 },
			},
			credentials: accessTokenCredential(sim),
		});
		expect(requestsTo(sim, 'user/offboard').map((r) => r.fault)).toEqual(['rateResetAfterProcessing', null]);
		expect(error?.message).toMatch(/legal hold/);
		expect(error?.description).toMatch(/An earlier attempt may have reached Commvault before its connection failed/);
	});
});
