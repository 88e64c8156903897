import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { audited, runCommvaultNode, userByEmail, userById, userByName, userFromList } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import {
	ACCESS_TOKEN,
	accessTokenCredential,
	passwordCredential,
	requestsTo,
	startSimulator,
} from '../../../../support/simulator';
import { USER_LIST_COLUMNS } from '../../../../../nodes/Commvault/helpers/lookup';

const offboard = (user: IDataObject) => ({ resource: 'user', operation: 'offboard', user });
const byExpression = userByName('={{ $json.login }}');
const itemsFor = (...logins: Array<string | null>): INodeExecutionData[] => logins.map((login) => ({ json: { login } }));

describe('User → Offboard', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator({ generatedUsers: 200 });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	describe('with an access token', () => {
		it('offboards a user by name and reports what Commvault said', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(userByName('  jdoe ')),
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output).toEqual([
				{
					json: {
						userId: 1301,
						userName: 'jdoe',
						errorCode: 0,
						errorMessage: 'Successfully offboarded user 1301',
						...audited(['POST', '/User/Offboard']),
					},
					pairedItem: { item: 0 },
				},
			]);
			const [call] = requestsTo(sim, 'user/offboard');
			expect(call.method).toBe('POST');
			expect(call.path).toBe('/commandcenter/api/User/Offboard');
			expect(call.body).toEqual({ userName: 'jdoe' });
			expect(call.headers.authtoken).toBe(`QSDK ${ACCESS_TOKEN}`);
			expect(call.headers.accept).toBe('application/json');
			// The offboard had its effect: jdoe owns nothing any more.
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
			expect(sim.state.vmClientsOwnedBy(1301)).toEqual([]);
		});

		it('offboards a user by ID, sending a number', async () => {
			const { output } = await runCommvaultNode({
				parameters: offboard(userById(' 1251 ')),
				credentials: accessTokenCredential(sim),
			});

			expect(output[0].json).toEqual({
				userId: 1251,
				userName: 'tapicompany/tapicompany',
				errorCode: 0,
				errorMessage: 'Successfully offboarded user 1251',
				...audited(['POST', '/User/Offboard']),
			});
			expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userId: 1251 });
		});

		it('sends a token that already has the QSDK prefix as it is', async () => {
			await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { accessToken: `QSDK ${ACCESS_TOKEN}` }),
			});
			expect(requestsTo(sim, 'user/offboard')[0].headers.authtoken).toBe(`QSDK ${ACCESS_TOKEN}`);
		});

		it.each(['/commandcenter/api/', '/webconsole/api', '/SearchSvc/CVWebService.svc'])(
			'works under the base path %s',
			async (basePath) => {
				const { output, error } = await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					credentials: accessTokenCredential(sim, { baseUrl: sim.baseUrl(basePath) }),
				});
				expect(error).toBeUndefined();
				expect(output[0].json.errorCode).toBe(0);
				expect(requestsTo(sim, 'user/offboard')[0].path).toBe(`${basePath.replace(/\/$/, '')}/User/Offboard`);
			},
		);

		it('checks the token once, then reuses it for every item and execution (asking WhoAmI once per execution whose it is)', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'rlee'),
				credentials: accessTokenCredential(sim),
			});
			await runCommvaultNode({ parameters: offboard(byExpression), items: itemsFor('mroe'), store: first.store });

			// The token check, then one WhoAmI per execution for the protected accounts (helpers/protectedAccounts.ts).
			expect(requestsTo(sim, 'v2/whoami')).toHaveLength(1 + 2);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(3);
		});

		it('fails with a clear message when the token is wrong, and sends nothing', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { accessToken: 'not-a-token' }),
			});

			expect(error?.message).toBe('Commvault rejected the access token (HTTP 401 from GET v2/WhoAmI)');
			expect(error?.description).toMatch(/wrong, expired or revoked/);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});
	});

	describe('with username and password', () => {
		it('logs in once with a Base64 password and reuses the session across items and executions', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'rlee', 'mroe'),
				credentials: passwordCredential(sim),
			});
			expect(first.error).toBeUndefined();
			expect(first.output.map((i) => i.json.errorCode)).toEqual([0, 0, 0]);

			const second = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('tapicompany/tapicompany'),
				store: first.store,
			});
			expect(second.output[0].json.errorCode).toBe(0);

			const logins = requestsTo(sim, 'login');
			expect(logins).toHaveLength(1);
			expect(logins[0].body).toEqual({ username: 'admin', password: Buffer.from('admin-password').toString('base64') });
			expect(logins[0].headers.accept).toBe('application/json');
			const sessionToken = first.store.stored.commvaultApi.sessionToken as string;
			expect(sessionToken).toMatch(/^QSDK /);
			expect(new Set(requestsTo(sim, 'user/offboard').map((r) => r.headers.authtoken))).toEqual(new Set([sessionToken]));
		});

		it('sends the domain of a domain user', async () => {
			await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { username: 'asmith', password: 'asmith-password', domain: 'acme' }),
			});
			expect(requestsTo(sim, 'login')[0].body).toMatchObject({ username: 'asmith', domain: 'acme' });
		});

		it('logs in again exactly once when the session has expired', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim),
			});
			sim.expireAllTokens();

			const second = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('rlee', 'mroe'),
				store: first.store,
			});

			expect(second.error).toBeUndefined();
			expect(second.output.map((i) => i.json.errorCode)).toEqual([0, 0]);
			expect(requestsTo(sim, 'login')).toHaveLength(2);
			// The next request, a look-up, was refused with 401 and re-sent after the new login.
			expect(requestsTo(sim, 'user').map((r) => r.status)).toEqual([200, 401, 200, 200]);
			expect(requestsTo(sim, 'user/offboard').map((r) => r.status)).toEqual([200, 200, 200]);
		});

		it("reports Commvault's errLogMessage for a wrong password", async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { password: 'wrong' }),
			});
			expect(error?.message).toBe('Invalid Username or Password');
			expect(error?.description).toMatch(/Check the username, password and domain/);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it('says when the account is locked', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { username: 'kfrost', password: 'kfrost-password' }),
			});
			expect(error?.message).toMatch(/locked/i);
			expect(error?.description).toMatch(/locked for about 30 more minute/);
		});

		it('logs in afresh when the credential now names another user', async () => {
			const first = await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: passwordCredential(sim) });
			first.store.set('commvaultApi', { ...first.store.get('commvaultApi'), username: 'jdoe', password: 'jdoe-password' });

			await runCommvaultNode({ parameters: offboard(userByName('rlee')), store: first.store });

			const logins = requestsTo(sim, 'login');
			expect(logins.map((r) => (r.body as IDataObject).username)).toEqual(['admin', 'jdoe']);
			// The stale session is not sent: authenticate() answers 401 itself, n8n logs in as jdoe and sends.
			const calls = requestsTo(sim, 'user');
			expect(calls.map((r) => [r.status, r.account])).toEqual([
				[200, 'admin'],
				[200, 'jdoe'],
			]);
		});
	});

	describe('when Commvault refuses', () => {
		it("fails with Commvault's own message for errorCode != 0 in an HTTP 200", async () => {
			const { error, output } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'legal.hold', 'rlee'),
				credentials: accessTokenCredential(sim),
			});

			expect(output).toEqual([]);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(
				'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.',
			);
			expect(error?.description).toMatch(/^Failed for item 1, user "legal.hold"\./);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(1);
			// Without "continue", the run stops at the failing item.
			expect(requestsTo(sim, 'user/offboard').map((r) => r.body)).toEqual([{ userName: 'jdoe' }, { userName: 'legal.hold' }]);
		});

		it('reports an unknown user as not found, sending no offboard', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('ghost')),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe('User "ghost" not found in Commvault');
			expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it.each([
			[403, { errorCode: 5, errorMessage: 'User does not have permission to perform this operation' }, 'User does not have permission to perform this operation', /not allowed/],
			[404, undefined, 'Commvault returned HTTP 404', /Base URL/],
			[429, undefined, 'Commvault returned HTTP 429', /rate-limiting/],
			[500, { errorCode: 1, errorMessage: 'Internal server error in CVWebService' }, 'Internal server error in CVWebService', /retry later/],
			[503, undefined, 'Commvault returned HTTP 503', /restarting or overloaded/],
		])('explains an HTTP %i', async (status, body, message, hint) => {
			sim.queueResponse({ endpoint: 'user/offboard', status, body: body ?? '', times: 5 });
			const { error } = await runCommvaultNode({
				parameters: { ...offboard(userByName('jdoe')), requestOptions: { maxAttempts: 2, retryDelayMs: 1 } },
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe(message);
			expect(error?.description).toMatch(hint);
			expect((error as { httpCode?: string }).httpCode).toBe(String(status));
		});

		it('names the page when an HTML error page comes back', async () => {
			sim.queueResponse({
				endpoint: 'user/offboard',
				times: 3,
				status: 502,
				html: '<html><head><title>502 - Web server received an invalid response while acting as a gateway</title></head><body></body></html>',
			});
			const { error } = await runCommvaultNode({
				parameters: { ...offboard(userByName('jdoe')), requestOptions: { retryDelayMs: 1 } },
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe(
				'Commvault answered with an HTML page ("502 - Web server received an invalid response while acting as a gateway") instead of JSON (HTTP 502)',
			);
		});

		it('says the Base URL is wrong when a web page answers with 200', async () => {
			sim.queueResponse({ endpoint: 'user/offboard', status: 200, html: '<!DOCTYPE html><html><head><title>Command Center</title></head></html>' });
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.description).toMatch(/Base URL probably points at a web page/);
		});

		it('says when Commvault cannot be reached', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { baseUrl: 'http://127.0.0.1:9/commandcenter/api' }),
			});
			expect(error?.message).toBe('Cannot reach Commvault: connection refused');
		});
	});

	describe('continue on fail', () => {
		const batch = () => itemsFor('jdoe', 'ghost', '   ', 'rlee');

		it('"Continue" keeps every item, failed ones carrying the error', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: batch(),
				onError: 'continueRegularOutput',
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(output[0].json).toMatchObject({ userName: 'jdoe', errorCode: 0 });
			expect(output[1].json.error).toMatch(/ghost/);
			expect(output[1].json.details).toMatchObject({ itemIndex: 1, subject: 'user "ghost"', reason: 'userNotFound' });
			expect(output[2].json).toMatchObject({ error: 'Item 2: the user is empty', details: { itemIndex: 2 } });
			expect(output[3].json).toMatchObject({ userName: 'rlee', errorCode: 0 });
			// The unknown user is found missing by its look-up, so no offboard is sent for it.
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(2);
		});

		it('"Continue (using error output)" routes failed items to the error output', async () => {
			const { output, errorOutput, error } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: batch(),
				onError: 'continueErrorOutput',
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual([
				['jdoe', { item: 0 }],
				['rlee', { item: 3 }],
			]);
			expect(errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(errorOutput[0].json.error).toMatch(/ghost/);
			expect(errorOutput[1].json.error).toBe('Item 2: the user is empty');
		});
	});

	it('keeps order and pairedItem over 200 items', async () => {
		const logins = Array.from({ length: 200 }, (_, i) => `user${String(i + 1).padStart(5, '0')}`);
		const { output, error } = await runCommvaultNode({
			parameters: offboard(byExpression),
			items: itemsFor(...logins),
			credentials: passwordCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output).toHaveLength(200);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ userName: logins[index], errorCode: 0 });
		});
		expect(requestsTo(sim, 'user/offboard').map((r) => (r.body as IDataObject).userName)).toEqual(logins);
		expect(requestsTo(sim, 'login')).toHaveLength(1);
	});

	describe('bad input fails the item and sends nothing', () => {
		it.each([
			['an empty name', userByName('={{ $json.login }}'), { login: '' }, 'Item 0: the user is empty'],
			['a whitespace-only name', userByName('={{ $json.login }}'), { login: ' \t ' }, 'Item 0: the user is empty'],
			['a non-numeric ID', userById('={{ $json.id }}'), { id: '12a' }, 'Item 0: "12a" is not a Commvault user ID'],
			['a zero ID', userById('={{ $json.id }}'), { id: 0 }, 'Item 0: "0" is not a Commvault user ID'],
			['a fractional ID', userById('={{ $json.id }}'), { id: 12.5 }, 'Item 0: "12.5" is not a Commvault user ID'],
			['an expression that resolves to nothing', userByName('={{ $json.missing }}'), {}, 'Item 0: no user given'],
			['an object instead of a name', userByName('={{ $json.user }}'), { user: { name: 'jdoe' } }, 'Item 0: the user is of type object, not a name or ID'],
			['a list of names', userByName('={{ $json.users }}'), { users: ['jdoe', 'rlee'] }, 'Item 0: the user is a list, not a name or ID'],
			['a huge string', userByName('={{ $json.login }}'), { login: 'x'.repeat(5000) }, 'Item 0: the user name is 5000 characters long'],
			['a name with a line break', userByName('={{ $json.login }}'), { login: 'jdoe\nrm -rf' }, 'Item 0: the user name contains control characters'],
		])('%s', async (_case, user, json, message) => {
			const { error } = await runCommvaultNode({
				parameters: offboard(user),
				items: [{ json }],
				credentials: accessTokenCredential(sim),
			});
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toBe(message);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(0);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it.each([
			['an empty name typed in', userByName(''), 'Parameter "User" is required.'],
			['a non-numeric ID typed in', userById('12a'), 'A Commvault user ID is a whole number'],
		])('%s is refused by n8n before the node runs', async (_case, user, issue) => {
			await expect(
				runCommvaultNode({ parameters: offboard(user), credentials: accessTokenCredential(sim) }),
			).rejects.toThrow(issue);
			expect(sim.requests).toHaveLength(0);
		});

		it('fails only the bad items of a batch', async () => {
			const { output } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', '', 'x'.repeat(300), null, 'rlee'),
				onError: 'continueRegularOutput',
				credentials: accessTokenCredential(sim),
			});
			expect(output.map((i) => (i.json.error ? 'failed' : i.json.userName))).toEqual(['jdoe', 'failed', 'failed', 'failed', 'rlee']);
			expect(requestsTo(sim, 'user/offboard').map((r) => (r.body as IDataObject).userName)).toEqual(['jdoe', 'rlee']);
		});
	});

	describe('over HTTPS with a self-signed certificate', () => {
		let tlsSim: Simulator;
		beforeAll(async () => {
			tlsSim = await startSimulator({ https: true });
		});
		afterAll(async () => {
			await tlsSim.stop();
		});

		it('refuses the certificate unless "Ignore SSL Issues" is on', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(tlsSim),
			});
			expect(error?.message).toBe("Commvault's TLS certificate is not trusted");
			expect(error?.description).toMatch(/Ignore SSL Issues \(Insecure\)/);
			expect(tlsSim.requests).toHaveLength(0);
		});

		it('works with "Ignore SSL Issues" on, for the login and the request', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(tlsSim, { allowUnauthorizedCerts: true }),
			});
			expect(error).toBeUndefined();
			expect(output[0].json.errorCode).toBe(0);
			expect(tlsSim.requests.map((r) => r.endpoint)).toEqual(['login', 'user', 'user/offboard']);
		});
	});

	describe('secrets', () => {
		it('never appear in outputs, errors or descriptions', async () => {
			const secrets = ['admin-password', Buffer.from('admin-password').toString('base64'), ACCESS_TOKEN];
			const runs = [
				await runCommvaultNode({
					parameters: offboard(byExpression),
					items: itemsFor('jdoe', 'ghost', ''),
					onError: 'continueRegularOutput',
					credentials: passwordCredential(sim),
				}),
				await runCommvaultNode({
					parameters: offboard(userByName('ghost')),
					credentials: accessTokenCredential(sim),
				}),
				await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					credentials: passwordCredential(sim, { password: 'admin-password-wrong' }),
				}),
			];
			sim.queueResponse({ endpoint: 'user/offboard', status: 500, body: { errorCode: 1, errorMessage: 'boom' } });
			runs.push(
				await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: accessTokenCredential(sim) }),
			);
			// A proxy page that repeats the request, Authtoken header included, for both kinds of token.
			sim.queueResponse({ endpoint: 'user/offboard', status: 400, echoRequest: true, times: 2 });
			const echoed = [
				await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: accessTokenCredential(sim) }),
				await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					onError: 'continueRegularOutput',
					credentials: passwordCredential(sim),
				}),
			];
			expect(echoed[0].error?.message).toMatch(/^Commvault returned HTTP 400: Bad Request\. The request was:/);
			expect(echoed[0].error?.message).toContain('QSDK [redacted]');
			expect(echoed[1].output[0].json.error).toContain('QSDK [redacted]');
			runs.push(...echoed);

			const sessionTokens = sim.requests.map((r) => r.token).filter((t): t is string => Boolean(t));
			expect(sessionTokens.length).toBeGreaterThan(0);
			for (const { run } of runs) {
				const serialized = JSON.stringify(run.data) + JSON.stringify(run.data.resultData.error ?? {});
				for (const secret of [...secrets, 'admin-password-wrong', ...sessionTokens]) {
					expect(serialized).not.toContain(secret.replace(/^QSDK /, ''));
				}
			}
		});
	});
});

describe('User → Offboard: finding the user, Disable User Afterwards, Dry Run', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	const run = (user: IDataObject, options: IDataObject = {}, extra: Partial<Parameters<typeof runCommvaultNode>[0]> = {}) =>
		runCommvaultNode({ parameters: { ...offboard(user), options }, credentials: accessTokenCredential(sim), ...extra });
	const calls = () => sim.requests.filter((r) => r.endpoint !== 'v2/whoami').map((r) => `${r.method} ${r.endpoint}`);
	const writes = () => sim.requests.filter((r) => r.method !== 'GET');
	const reasonOf = (error: unknown) => (error as { errorResponse?: IDataObject }).errorResponse?.reason;

	it('looks an unknown user up first and marks it userNotFound, sending no offboard', async () => {
		const { error } = await run(userByName('ghost'));
		expect(error?.message).toBe('User "ghost" not found in Commvault');
		expect(error?.description).toMatch(/^Failed for item 0, user "ghost"\. User not found: /);
		expect(reasonOf(error)).toBe('userNotFound');
		expect(calls()).toEqual(['GET user']);
	});

	it("passes Commvault's other refusals on as they are", async () => {
		const { error } = await run(userByName('legal.hold'));
		expect(error?.message).toMatch(/legal hold/);
		expect(reasonOf(error)).toBeUndefined();
		expect(calls()).toEqual(['GET user', 'POST user/offboard']);
	});

	it('offboards a user found by email, sending the ID', async () => {
		const { output } = await run(userByEmail(' JDOE@example.com '));
		expect(output[0].json).toEqual({
			userId: 1301,
			userName: 'jdoe',
			errorCode: 0,
			errorMessage: 'Successfully offboarded user 1301',
			...audited(['POST', '/User/Offboard']),
		});
		// The address is matched against email and UPN, as Commvault's connectors do (level 10 carries both).
		expect(calls()).toEqual(['GET user', 'GET user', 'POST user/offboard']);
		expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([
			{ level: '10', fl: USER_LIST_COLUMNS, fq: 'users.email:eq:JDOE@example.com' },
			{ level: '10', fl: USER_LIST_COLUMNS, fq: 'users.UPN:eq:JDOE@example.com' },
		]);
		expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userId: 1301 });
	});

	it('offboards a user picked from the list by its ID, after reading that user', async () => {
		const { output } = await run(userFromList('1302', 'acme\\asmith'));
		expect(output[0].json).toEqual({
			userId: 1302,
			userName: 'acme\\asmith',
			errorCode: 0,
			errorMessage: 'Successfully offboarded user 1302',
			...audited(['POST', '/User/Offboard']),
		});
		expect(calls()).toEqual(['GET user/{id}', 'POST user/offboard']);
	});

	it('fails an unknown email with the same userNotFound error, offboarding nothing', async () => {
		const { error } = await run(userByEmail('ghost@example.com'));
		expect(error?.message).toBe('User with email "ghost@example.com" not found in Commvault');
		expect(reasonOf(error)).toBe('userNotFound');
		expect(writes()).toHaveLength(0);
	});

	describe('Disable User Afterwards', () => {
		it('offboards, then disables the account', async () => {
			const { output, error } = await run(userByName('jdoe'), { disableAfterwards: true });
			expect(error).toBeUndefined();
			expect(output[0].json).toEqual({
				userId: 1301,
				userName: 'jdoe',
				errorCode: 0,
				errorMessage: 'Successfully offboarded user 1301',
				disabled: true,
				...audited(['POST', '/User/Offboard'], ['PUT', '/User/1301/Disable']),
			});
			expect(calls()).toEqual(['GET user', 'POST user/offboard', 'PUT user/{id}/disable']);
			expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userName: 'jdoe' });
			expect(requestsTo(sim, 'user/{id}/disable')[0].path).toBe('/commandcenter/api/User/1301/Disable');
			expect(sim.state.getUser('jdoe')?.enabled).toBe(false);
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
			expect(sim.state.eventsOf(1301).map((e) => e.type)).toEqual(['offboard', 'disable']);
		});

		it('does not disable when the offboard failed', async () => {
			const { error } = await run(userByName('legal.hold'), { disableAfterwards: true });
			expect(error?.message).toMatch(/legal hold/);
			expect(requestsTo(sim, 'user/{id}/disable')).toHaveLength(0);
			expect(sim.state.getUser('legal.hold')?.enabled).toBe(true);
		});

		it('says that the offboard went through when only the disable failed', async () => {
			sim.queueResponse({ endpoint: 'user/{id}/disable', body: { response: [{ errorCode: 5, errorString: 'Insufficient privileges to disable the user' }] } });
			const { error } = await run(userById(1301), { disableAfterwards: true });
			expect(error?.message).toBe('Insufficient privileges to disable the user');
			expect(error?.description).toMatch(/^The user was offboarded; only disabling the account afterwards failed\. Failed for item 0, user ID 1301\./);
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
		});

		it('fails an unknown user before sending anything that changes it', async () => {
			const { error } = await run(userByName('ghost'), { disableAfterwards: true });
			expect(error?.message).toBe('User "ghost" not found in Commvault');
			expect(reasonOf(error)).toBe('userNotFound');
			expect(writes()).toHaveLength(0);
		});

		it('continues on fail with pairedItem, in both modes', async () => {
			const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: 'legal.hold' } }, { json: { login: 'rlee' } }];
			const regular = await run(byExpression, { disableAfterwards: true }, { items, onError: 'continueRegularOutput' });
			expect(regular.output.map((i) => [i.json.disabled ?? i.json.error, i.pairedItem])).toEqual([
				[true, { item: 0 }],
				['User "ghost" not found in Commvault', { item: 1 }],
				[expect.stringMatching(/legal hold/), { item: 2 }],
				[true, { item: 3 }],
			]);
			expect(regular.output[1].json.details).toMatchObject({ reason: 'userNotFound', itemIndex: 1 });

			sim.reset();
			const routed = await run(byExpression, { disableAfterwards: true }, { items, onError: 'continueErrorOutput' });
			expect(routed.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
			expect(routed.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		});
	});

	describe('Dry Run', () => {
		const snapshot = () => JSON.stringify(sim.state.snapshot());

		it('looks the user up and reports the exact requests, changing nothing', async () => {
			const before = snapshot();
			const { output, error } = await run(userByName('jdoe'), { dryRun: true, disableAfterwards: true });
			expect(error).toBeUndefined();
			expect(output[0].json).toEqual({
				dryRun: true,
				userFound: true,
				enabled: true,
				wouldDisable: true,
				requests: [
					{ method: 'POST', endpoint: 'User/Offboard', body: { userName: 'jdoe' } },
					{ method: 'PUT', endpoint: 'User/1301/Disable' },
				],
				user: expect.objectContaining({ id: 1301, name: 'jdoe', email: 'jdoe@example.com', enabled: true }),
				summary: 'Would offboard user "jdoe" (ID 1301), then disable the account. Nothing was changed in Commvault.',
			});
			expect(writes()).toHaveLength(0);
			expect(calls()).toEqual(['GET user']);
			expect(snapshot()).toBe(before);
		});

		it('without "Disable User Afterwards", plans the offboard only; by email it plans the ID', async () => {
			const { output } = await run(userByEmail('asmith@acme.example.com'), { dryRun: true });
			expect(output[0].json).toMatchObject({
				wouldDisable: false,
				requests: [{ method: 'POST', endpoint: 'User/Offboard', body: { userId: 1302 } }],
				summary: 'Would offboard user "acme\\asmith" (ID 1302). Nothing was changed in Commvault.',
			});
			expect(writes()).toHaveLength(0);
		});

		it('says when the account is already disabled', async () => {
			const { output } = await run(userById(1303), { dryRun: true, disableAfterwards: true });
			expect(output[0].json).toMatchObject({ enabled: false, requests: [{ body: { userId: 1303 } }, { endpoint: 'User/1303/Disable' }] });
			expect(output[0].json.summary).toBe(
				'Would offboard user "mroe" (ID 1303), then disable the account (it is already disabled). Nothing was changed in Commvault.',
			);
		});

		it('fails an unknown user with the same userNotFound error as a real run, changing nothing', async () => {
			const before = snapshot();
			const items = [{ json: { login: 'ghost' } }, { json: { login: 'rlee' } }];
			const { output } = await run(byExpression, { dryRun: true }, { items, onError: 'continueRegularOutput' });
			expect(output[0].json).toMatchObject({ error: 'User "ghost" not found in Commvault', details: { reason: 'userNotFound' } });
			expect(output[1].json).toMatchObject({ dryRun: true, user: { name: 'rlee' } });
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(writes()).toHaveLength(0);
			expect(snapshot()).toBe(before);
		});

		it("fails with Commvault's own message when the look-up is refused, and sends nothing else", async () => {
			sim.queueResponse({ endpoint: 'user', method: 'GET', status: 200, body: { errorCode: 5, errorMessage: 'Access denied for user admin' } });
			const { error } = await run(userByName('jdoe'), { dryRun: true });
			expect(error?.message).toBe('Access denied for user admin');
			expect(error?.description).toMatch(/^Failed for item 0, user "jdoe"\. /);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(0);
			expect(calls()).toEqual(['GET user']);
		});

		it('sends a failed item to the error output and plans the others, with pairedItem', async () => {
			const before = snapshot();
			const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: '  ' } }, { json: { login: 'rlee' } }];
			const { output, errorOutput } = await run(byExpression, { dryRun: true }, { items, onError: 'continueErrorOutput' });
			expect(output.map((i) => [i.json.dryRun, (i.json.user as IDataObject).name, i.pairedItem])).toEqual([
				[true, 'jdoe', { item: 0 }],
				[true, 'rlee', { item: 3 }],
			]);
			expect(errorOutput.map((i) => [i.json.error, i.pairedItem])).toEqual([
				['User "ghost" not found in Commvault', { item: 1 }],
				[expect.stringMatching(/^Item 2: /), { item: 2 }],
			]);
			expect(writes()).toHaveLength(0);
			expect(snapshot()).toBe(before);
		});
	});
});
