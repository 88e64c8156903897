/**
 * `n8n start` with the example workflows published: real HTTP calls to their production
 * webhooks, assertions on n8n's HTTP reply AND on the simulator's record of the offboard calls,
 * both authentication methods (with a session token that expires between two executions), the
 * error output, and a scan proving no secret reached the stored execution data.
 */
import {
	WORKFLOWS,
	accessTokenCredential,
	newInstance,
	nodeOutputs,
	passwordCredential,
	payload,
	postAsServiceNow,
	postJson,
	postSignedBambooHr,
	WEBHOOK_SECRETS,
	scanUserFolder,
	secretsOf,
	SERVICENOW_BASIC_AUTH,
	serviceNowAuthHeader,
	startSimulator,
	storedExecutions,
} from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { pathsContaining } from './support/webhook-refusals';
import { LEGAL_HOLD_REFUSAL, legalHoldRefused, offboardedItem, offboardedMessage } from '../support/expectations';

describe('n8n server: production webhooks of the published examples', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('server');
		await n8n.importCredentials([accessTokenCredential(sim), passwordCredential(sim)]);
		await n8n.importWithWebhookAuth([WORKFLOWS.hr.file, WORKFLOWS.ticket.file], WEBHOOK_SECRETS);
		await n8n.importWorkflows([WORKFLOWS.batch.file, WORKFLOWS.webhookPassword.file]);
		await n8n.start({ activate: [WORKFLOWS.hr.id, WORKFLOWS.ticket.id, WORKFLOWS.webhookPassword.id] });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	const offboardCalls = async () => await sim.requests({ endpoint: 'user/offboard' });
	const logins = async () => (await sim.requests({ endpoint: 'login' })).length;

	test.each([
		['unsigned', async (url: string, body: unknown) => await postJson(url, body)],
		['signed with another key', async (url: string, body: unknown) => await postSignedBambooHr(url, body, { key: 'not-the-private-key' })],
		['signed 10 minutes ago (a replay)', async (url: string, body: unknown) => await postSignedBambooHr(url, body, { timestamp: Math.floor(Date.now() / 1000) - 600 })],
		['signed 10 minutes ahead', async (url: string, body: unknown) => await postSignedBambooHr(url, body, { timestamp: Math.floor(Date.now() / 1000) + 600 })],
	])('HR offboarding: a request %s gets 401 and offboards nobody', async (_, post) => {
		await sim.reset();
		const reply = await post(n8n.webhookUrl(WORKFLOWS.hr.webhook), payload('bamboohr-employees-terminated.json'));

		expect(reply.status).toBe(401);
		expect(reply.body.error).toMatch(/^Not signed by BambooHR: .* Nobody was offboarded\.$/);
		expect(await sim.requests()).toEqual([]);
	});

	test('HR offboarding: the BambooHR webhook offboards the terminated employees and replies with a summary', async () => {
		await sim.reset();
		const reply = await postSignedBambooHr(n8n.webhookUrl(WORKFLOWS.hr.webhook), payload('bamboohr-employees-terminated.json'));

		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ event: 'employee.terminated', received: 3, offboarded: 1, failed: 1, skipped: 1 });
		expect(reply.body.results).toEqual([
			{ employeeId: '1301', name: 'John Doe', commvaultUser: 'jdoe', status: 'offboarded', message: offboardedMessage('jdoe') },
			expect.objectContaining({
				employeeId: '1305',
				commvaultUser: 'legal.hold',
				status: 'failed',
				message: expect.stringContaining('under legal hold'),
			}),
			expect.objectContaining({ employeeId: '1304', name: 'Robert Lee', status: 'skipped' }),
		]);

		const calls = await offboardCalls();
		expect(calls.map((r) => [r.body, r.status, r.token])).toEqual([
			[{ userId: 1301 }, 200, `QSDK ${sim.accessToken}`],
			[{ userId: 1305 }, 200, `QSDK ${sim.accessToken}`],
		]);
		expect((await sim.userState('jdoe')).ownedSubclients).toEqual([]);
		expect((await sim.userState('rlee')).events).toEqual([]);
	});

	test.each([
		// n8n answers a wrong password with 401 (2.41) or 403 (2.0): refused either way.
		['without authentication', {}, [401]],
		['with a wrong password', serviceNowAuthHeader({ ...WEBHOOK_SECRETS, serviceNowPassword: 'wrong' }), [401, 403]],
	])('ticket-driven: a request %s is refused (401) and offboards nobody', async (_, headers, statuses) => {
		await sim.reset();
		const reply = await postJson(n8n.webhookUrl(WORKFLOWS.ticket.webhook), payload('servicenow-ritm-offboard.json'), headers);

		expect(statuses).toContain(reply.status);
		expect(await sim.requests()).toEqual([]);
	});

	test('ticket-driven: a ServiceNow request item is offboarded and the reply carries work notes', async () => {
		await sim.reset();
		const reply = await postAsServiceNow(n8n.webhookUrl(WORKFLOWS.ticket.webhook), payload('servicenow-ritm-offboard.json'));

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			number: 'RITM0041873',
			sys_id: '9f2c6e1a1b8a5010a3c4ed7bbc4bcb21',
			result: 'offboarded',
			commvault_user: 'jdoe',
			state: 'Closed Complete',
			work_notes: `Commvault: ${offboardedMessage('jdoe')}`,
		});
		expect((await offboardCalls()).map((r) => [r.body, r.status])).toEqual([[{ userId: 1301 }, 200]]);
	});

	test('ticket-driven: errorCode != 0 goes to the error output, and the reply names the user and why', async () => {
		await sim.reset();
		const reply = await postAsServiceNow(n8n.webhookUrl(WORKFLOWS.ticket.webhook), payload('servicenow-ritm-legal-hold.json'));

		expect(reply.status).toBe(422);
		expect(reply.body).toMatchObject({
			number: 'RITM0041874',
			result: 'failed',
			commvault_user: 'legal.hold',
			status: 'refused',
			reason: LEGAL_HOLD_REFUSAL,
			commvault_error_code: 3,
			state: 'Work in Progress',
		});
		expect(reply.body.work_notes).toContain('Commvault could not offboard user "legal.hold"');
		expect((await offboardCalls()).map((r) => [r.body, r.status])).toEqual([[{ userId: 1305 }, 200]]);

		// The stored execution: the item left the Commvault node on its error output.
		await n8n.client!.waitForExecutions(WORKFLOWS.ticket.id, 2);
		const executions = (await storedExecutions(n8n)).filter((e) => e.workflowId === WORKFLOWS.ticket.id);
		const failedRun = executions.find((e) => e.run.resultData.runData['Reply: failed, and why']);
		expect(failedRun).toBeDefined();
		expect(failedRun!.status).toBe('success');
		const [main, errorOutput] = nodeOutputs(failedRun!.run, 'Offboard in Commvault');
		expect(main).toEqual([]);
		expect(errorOutput).toEqual([expect.objectContaining(legalHoldRefused(0))]);
		expect(failedRun!.run.resultData.runData['Reply: offboarded']).toBeUndefined();
	});

	test('password credential over webhooks: the session is reused, and a token that expired between two executions is renewed', async () => {
		await sim.reset();
		const url = n8n.webhookUrl(WORKFLOWS.webhookPassword.webhook);

		const first = await postJson(url, { user: 'rlee' });
		expect(first.status).toBe(200);
		expect(first.body).toEqual(offboardedItem(1304, 'rlee'));
		expect(await logins()).toBe(1);

		const second = await postJson(url, { user: 'jdoe' });
		expect(second.body).toEqual(offboardedItem(1301, 'jdoe'));
		expect(await logins()).toBe(1);
		const session = (await offboardCalls()).at(-1)?.token;

		await sim.expireTokens();
		const before = (await sim.requests()).length;
		const third = await postJson(url, { user: 'tapicompany/tapicompany' });
		expect(third.status).toBe(200);
		expect(third.body).toEqual(offboardedItem(1251, 'tapicompany/tapicompany'));
		expect(await logins()).toBe(2);

		const after = (await sim.requests()).slice(before);
		// The expired session meets the look-up that comes before every offboard.
		expect(after.map((r) => `${r.endpoint} ${r.status}`)).toEqual(['user 401', 'login 200', 'user 200', 'user/offboard 200']);
		expect(after[0].token).toBe(session);
		expect(after[3].token).not.toBe(session);
	});

	test("no secret in stored execution data: not in the executions API, not in the SQLite database (WAL included); ServiceNow's Authorization header only where n8n's Webhook node puts it", async () => {
		// n8n stores the Webhook node's output, the request headers among them, and has no option to leave
		// them out (docs/safety.md): ServiceNow's basic auth, Base64 of user:password, is checked apart below.
		const { [SERVICENOW_BASIC_AUTH]: basicAuth, ...secrets } = await secretsOf(sim);
		// The access token, the password (plain and Base64) and at least the two session tokens above.
		expect(Object.keys(secrets).filter((k) => k.startsWith('session token') && !k.endsWith('(bare)')).length).toBeGreaterThanOrEqual(2);

		await n8n.client!.waitForExecutions(WORKFLOWS.webhookPassword.id, 3);
		await n8n.client!.waitForExecutions(WORKFLOWS.hr.id, 5);
		const executions = await storedExecutions(n8n);
		// HR 5 (4 refused with 401, 1 signed), ticket 2 (the Webhook node refuses bad basic auth before
		// any execution), password webhook 3.
		expect(executions.map((e) => e.status)).toEqual(Array(10).fill('success'));
		const apiHits = executions.flatMap((execution) =>
			Object.entries(secrets)
				.filter(([, secret]) => execution.raw.includes(secret))
				.map(([label]) => `execution ${execution.id}: ${label}`),
		);
		expect(apiHits).toEqual([]);
		for (const execution of executions) {
			const where = execution.workflowId === WORKFLOWS.ticket.id ? ['resultData.runData.ServiceNow request item.0.data.main.0.0.json.headers.authorization'] : [];
			expect([execution.id, pathsContaining(execution.run, basicAuth)]).toEqual([execution.id, where]);
		}

		// Positive control: execution data is stored as plain text, so the scan can see it.
		const control = scanUserFolder(n8n, { 'a ticket number from a webhook body': 'RITM0041874' });
		expect(control.hits.map((h) => h.file)).toEqual(expect.arrayContaining([expect.stringMatching(/database\.sqlite/)]));

		const running = scanUserFolder(n8n, secrets);
		expect(running.filesScanned).toEqual(expect.arrayContaining(['.n8n/database.sqlite', '.n8n/database.sqlite-wal']));
		expect(running.hits).toEqual([]);
		const header = scanUserFolder(n8n, { [SERVICENOW_BASIC_AUTH]: basicAuth });
		expect(header.hits.filter((hit) => !/^\.n8n\/database\.sqlite/.test(hit.file))).toEqual([]);

		// Once more after n8n stopped (and checkpointed its WAL into the database).
		await n8n.stop();
		const stopped = scanUserFolder(n8n, secrets);
		expect(stopped.filesScanned).toContain('.n8n/database.sqlite');
		expect(stopped.hits).toEqual([]);
	});
});
