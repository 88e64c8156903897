import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { commvaultApiRequest } from '../../../../nodes/Commvault/transport';
import { DEFAULT_SETTINGS } from '../../../../nodes/Commvault/transport/retry';
import { createExecuteContext } from '../../../harness/engine';
import type { Simulator } from '../../../support/simulator';
import { ACCESS_TOKEN, accessTokenCredential, passwordCredential, startSimulator } from '../../../support/simulator';

describe('commvaultApiRequest', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

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
		expect((error as NodeApiError).description).toMatch(/^Failed for item 4, user "x"\./);
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
