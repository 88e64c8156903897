/**
 * Every way the two webhook examples (BambooHR, ServiceNow) refuse or fail a leaver event, in a real
 * n8n with the leaver ledger: the caller gets the documented answer (status and body), the execution
 * n8n stores is red (or, where n8n refuses before any workflow runs, there is none), nothing is recorded
 * that should not be, and nothing changes in Commvault (the simulator's record). Then what of the
 * callers' secrets n8n keeps in the executions (docs/safety.md).
 */
import { postAsServiceNow, postJson, postRaw, postSignedBambooHr, scanUserFolder, secretsOf, serviceNowAuthHeader, WEBHOOK_SECRETS, SERVICENOW_BASIC_AUTH } from './support/e2e';
import { FINISHED, LEDGER_WORKFLOWS, bambooHrEmployee, dateFromToday, ledgerRows, startLedgerInstance, stopLedgerInstance } from './support/ledger';
import { bambooHrKeyIsNodeParameter, executionCount, newestFinishedRun, pathsContaining, postSignedRawBambooHr, storedErrorMessage, storedRun, wrongBasicAuth, wrongBasicAuthStatus } from './support/webhook-refusals';

type Ledger = Awaited<ReturnType<typeof startLedgerInstance>>;

/** A ServiceNow offboarding request item as the example's sticky note describes it. */
function requestItem(item: { number?: string; user?: string; lastDay?: string; state?: string }) {
	return {
		sys_id: `sys-${item.number ?? 'none'}`,
		...(item.number === undefined ? {} : { number: item.number }),
		state: item.state ?? 'Work in Progress',
		requested_for: { name: 'Test Leaver' },
		variables: { ...(item.user ? { commvault_user: item.user } : {}), ...(item.lastDay ? { last_working_day: item.lastDay } : {}) },
	};
}

describe('n8n: every refusal of the webhook examples answers its caller and ends red', () => {
	let ledger: Ledger;

	beforeAll(async () => {
		ledger = await startLedgerInstance('webhook-refusals');
	});

	afterAll(async () => {
		await stopLedgerInstance(ledger);
	});

	const hrUrl = () => ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.hr.webhook);
	const ticketUrl = () => ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.ticket.webhook);
	const rowKeys = async () => (await ledgerRows(ledger.client, ledger.table)).map((r) => r.leaverKey as string);
	const rowOf = async (key: string) => (await ledgerRows(ledger.client, ledger.table)).filter((r) => r.leaverKey === key);
	const writes = async () => (await ledger.sim.requests()).filter((r: { method: string }) => r.method !== 'GET');
	/** Finished executions of a workflow so far: the next one is number `count + 1`. */
	const finished = async (workflowId: string) => (await ledger.client.listExecutions({ workflowId })).filter((e) => FINISHED.includes(e.status)).length;

	describe('BambooHR (hr-offboarding-webhook.json)', () => {
		const now = () => Math.floor(Date.now() / 1000);
		test.each([
			['unsigned', async (url: string, body: unknown) => await postJson(url, body)],
			['signed with another key', async (url: string, body: unknown) => await postSignedBambooHr(url, body, { key: 'not-the-private-key' })],
			['signed 10 minutes ago (a replay)', async (url: string, body: unknown) => await postSignedBambooHr(url, body, { timestamp: now() - 600 })],
		])('a request %s: 401 with the reason, a red execution, nothing recorded, nothing sent', async (_, post) => {
			await ledger.sim.reset();
			const before = await finished(LEDGER_WORKFLOWS.hr.id);
			const keysBefore = await rowKeys();
			const reply = await post(hrUrl(), { employees: [bambooHrEmployee({ id: '2101', user: 'jdoe', terminationDate: dateFromToday(0) })] });

			expect(reply.status).toBe(401);
			expect(reply.body.error).toMatch(/^Not signed by BambooHR: .* Nobody was offboarded\.$/);
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.hr.id, before + 1);
			expect(run.status).toBe('error');
			expect(storedErrorMessage(run.run)).toMatch(/^Refused a request not signed by BambooHR/);
			expect(await rowKeys()).toEqual(keysBefore);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test('a body that is not JSON: 422 from n8n, before the workflow runs; no execution, nothing recorded or sent', async () => {
			await ledger.sim.reset();
			const before = await executionCount(ledger.client, LEDGER_WORKFLOWS.hr.id);
			const finishedBefore = await finished(LEDGER_WORKFLOWS.hr.id);
			const keysBefore = await rowKeys();
			const notJson = await postSignedRawBambooHr(hrUrl(), '{"employees": [');
			expect([notJson.status, notJson.body.message]).toEqual([422, 'Failed to parse request body']);

			// A request the workflow does run, then: its execution is the only new one, so the 422 started none.
			expect((await postJson(hrUrl(), { employees: [] })).status).toBe(401);
			await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.hr.id, finishedBefore + 1);
			expect(await executionCount(ledger.client, LEDGER_WORKFLOWS.hr.id)).toBe(before + 1);
			expect(await rowKeys()).toEqual(keysBefore);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test('a signed body without an employees list: 400 with the reason, a red execution, nothing recorded', async () => {
			await ledger.sim.reset();
			const before = await finished(LEDGER_WORKFLOWS.hr.id);
			const keysBefore = await rowKeys();
			const reply = await postSignedBambooHr(hrUrl(), { event: 'employee.changed', employee: { id: '2102' } });

			expect(reply.status).toBe(400);
			expect(reply.body).toEqual({ error: 'Not a BambooHR "employee changed" event: the body has no "employees" list. Nothing was recorded.' });
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.hr.id, before + 1);
			expect(run.status).toBe('error');
			expect(storedErrorMessage(run.run)).toMatch(/^Refused a signed request whose body has no "employees" list/);
			expect(await rowKeys()).toEqual(keysBefore);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test('employees without an ID or a Commvault user are refused with the reason, the good one in the same delivery is recorded, and the execution ends red', async () => {
			await ledger.sim.reset();
			const before = await finished(LEDGER_WORKFLOWS.hr.id);
			const date = dateFromToday(30);
			const good = bambooHrEmployee({ id: '2103', user: 'rlee', terminationDate: date });
			const noUser = { ...bambooHrEmployee({ id: '2104', user: 'x', terminationDate: date }), fields: { employmentStatus: 'Terminated', terminationDate: date } };
			const noId: Record<string, unknown> = bambooHrEmployee({ id: 'unused', user: 'jdoe', terminationDate: date });
			delete noId.id;
			const reply = await postSignedBambooHr(hrUrl(), { employees: [good, noUser, noId] });

			expect(reply.status).toBe(200);
			expect(reply.body).toMatchObject({ received: 3, pending: 1, refused: 2 });
			expect(reply.body.results.map((r: { recorded: string; message: string }) => [r.recorded, r.message])).toEqual([
				['pending', `Scheduled for ${date}.`],
				['refused', 'Not recorded: no Commvault user in the event.'],
				['refused', 'Not recorded: no employee ID in the event.'],
			]);
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.hr.id, before + 1);
			expect(run.status).toBe('error');
			expect(storedErrorMessage(run.run)).toContain('employee 2104: Not recorded: no Commvault user in the event.');
			expect(await rowOf('bamboohr:2103')).toEqual([expect.objectContaining({ state: 'pending', commvaultUser: 'rlee' })]);
			expect((await rowKeys()).filter((key) => key === 'bamboohr:2104' || key === 'bamboohr:' || key === 'bamboohr:undefined')).toEqual([]);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test('leavers due today whom the node or Commvault refuses (protected admin, unknown user, legal hold): 200 "due", a red due run, each row says why, nothing changed in Commvault', async () => {
			await ledger.sim.reset();
			const dueBefore = await finished(LEDGER_WORKFLOWS.dueRun.id);
			const today = dateFromToday(0);
			const employees = [
				bambooHrEmployee({ id: '2201', user: 'admin', terminationDate: today }),
				bambooHrEmployee({ id: '2202', user: 'nobody.here', terminationDate: today }),
				bambooHrEmployee({ id: '2203', user: 'legal.hold', terminationDate: today }),
			];
			const reply = await postSignedBambooHr(hrUrl(), { employees });

			expect(reply.status).toBe(200);
			expect(reply.body).toMatchObject({ received: 3, due: 3, refused: 0 });
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.dueRun.id, dueBefore + 1);
			expect(run.status).toBe('error');
			expect(storedErrorMessage(run.run)).toMatch(/^3 of 3 due leavers were not offboarded: /);
			const rows = Object.fromEntries((await ledgerRows(ledger.client, ledger.table)).filter((r) => /^bamboohr:220\d$/.test(r.leaverKey)).map((r) => [r.commvaultUser, r]));
			expect(rows.admin).toMatchObject({ state: 'refused', open: false, resultStatus: 'refused' });
			expect(rows.admin.resultMessage).toMatch(/will not offboard user "admin": "admin" is Commvault's built-in administrator\. This node never changes it\. Nothing was sent to Commvault\./);
			expect(rows['nobody.here']).toMatchObject({ open: false, resultStatus: 'notFound' });
			expect(rows['legal.hold']).toMatchObject({ state: 'refused', open: false, resultStatus: 'refused', commvaultErrorCode: 3 });
			// Only the legal-hold offboard reached Commvault, which refused it (errorCode 3) and changed nothing.
			expect((await writes()).map((r: { endpoint: string; body: unknown }) => [r.endpoint, r.body])).toEqual([['user/offboard', { userId: 1305 }]]);
			expect((await ledger.sim.userState('admin')).events).toEqual([]);
			expect((await ledger.sim.userState('legal.hold')).events.map((e: { type: string; errorCode: number }) => [e.type, e.errorCode])).toEqual([['offboard', 3]]);
		});
	});

	describe('ServiceNow (ticket-offboarding-servicenow.json)', () => {
		test('without basic auth (401), with a wrong password (401; 403 on n8n 2.0.0), or with a body that is not JSON (422): n8n answers, runs no workflow, and nothing is recorded or sent', async () => {
			await ledger.sim.reset();
			const before = await executionCount(ledger.client, LEDGER_WORKFLOWS.ticket.id);
			const keysBefore = await rowKeys();
			const item = requestItem({ number: 'RITM0052101', user: 'jdoe', lastDay: dateFromToday(0) });
			const wrong = wrongBasicAuth(WEBHOOK_SECRETS.serviceNowUser);

			expect((await postJson(ticketUrl(), item)).status).toBe(401);
			expect((await postJson(ticketUrl(), item, { Authorization: wrong })).status).toBe(wrongBasicAuthStatus(ledger.n8n.install.dir));
			const notJson = await postRaw(ticketUrl(), '{"number": "RITM0052101", ', serviceNowAuthHeader(WEBHOOK_SECRETS));
			expect([notJson.status, notJson.body.message]).toEqual([422, 'Failed to parse request body']);
			// A request n8n does run, then: its execution is the only new one, so the two 401s started none.
			const refused = await postAsServiceNow(ticketUrl(), requestItem({ number: 'RITM0052102', lastDay: dateFromToday(0) }));
			expect(refused.status).toBe(422);
			await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.ticket.id, before + 1);
			expect(await executionCount(ledger.client, LEDGER_WORKFLOWS.ticket.id)).toBe(before + 1);
			expect(await rowKeys()).toEqual(keysBefore);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test.each([
			['no Commvault user', requestItem({ number: 'RITM0052103', lastDay: dateFromToday(3) }), 'RITM0052103', 'no Commvault user in the event'],
			['no last working day', requestItem({ number: 'RITM0052104', user: 'jdoe' }), 'RITM0052104', 'no effective date (YYYY-MM-DD) and not marked immediate'],
			['no request item number', requestItem({ user: 'jdoe', lastDay: dateFromToday(0) }), '', 'no request item number in the event'],
		])('a request item with %s: 422 with the reason, a red execution, nothing recorded', async (_, item, number, reason) => {
			await ledger.sim.reset();
			const before = await finished(LEDGER_WORKFLOWS.ticket.id);
			const keysBefore = await rowKeys();
			const reply = await postAsServiceNow(ticketUrl(), item);

			expect(reply.status).toBe(422);
			expect(reply.body).toMatchObject({ number, result: 'refused', work_notes: `Commvault leaver ledger: Not recorded: ${reason}.` });
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.ticket.id, before + 1);
			expect(run.status).toBe('error');
			expect(storedErrorMessage(run.run)).toBe(`Request item ${number}: Not recorded: ${reason}. ServiceNow got its reply (422).`);
			expect(await rowKeys()).toEqual(keysBefore);
			expect(await ledger.sim.requests()).toEqual([]);
		});

		test('a request item for an unknown Commvault user due today: 200 "due", then a red due run and a row that says the user was not found', async () => {
			await ledger.sim.reset();
			const dueBefore = await finished(LEDGER_WORKFLOWS.dueRun.id);
			const reply = await postAsServiceNow(ticketUrl(), requestItem({ number: 'RITM0052106', user: 'nobody.else', lastDay: dateFromToday(-1) }));

			expect(reply.status).toBe(200);
			expect(reply.body).toMatchObject({ number: 'RITM0052106', result: 'due', commvault_user: 'nobody.else' });
			const run = await newestFinishedRun(ledger.n8n, LEDGER_WORKFLOWS.dueRun.id, dueBefore + 1);
			expect(run.status).toBe('error');
			expect(await rowOf('servicenow:RITM0052106')).toEqual([expect.objectContaining({ open: false, resultStatus: 'notFound' })]);
			expect(await writes()).toEqual([]);
		});
	});

	describe("the callers' secrets in what n8n stores", () => {
		const WEBHOOK_HEADER = 'resultData.runData.ServiceNow request item.0.data.main.0.0.json.headers.authorization';

		test("ServiceNow's Authorization header (Base64 of user:password) is stored with each execution, only as the Webhook node's headers.authorization; the password itself, the BambooHR key and Commvault's secrets are in none of n8n's files", async () => {
			const { [SERVICENOW_BASIC_AUTH]: basicAuth, ...secrets } = await secretsOf(ledger.sim);
			expect(`Basic ${basicAuth}`).toBe(serviceNowAuthHeader(WEBHOOK_SECRETS).Authorization);

			// Each ServiceNow execution above keeps the header, in the Webhook node's output and nowhere else.
			const executions = await ledger.client.listExecutions({ workflowId: LEDGER_WORKFLOWS.ticket.id });
			expect(executions.length).toBeGreaterThanOrEqual(5);
			for (const { id } of executions) {
				const { run } = await storedRun(ledger.n8n, String(id));
				expect([id, pathsContaining(run, basicAuth)]).toEqual([id, [WEBHOOK_HEADER]]);
				expect([id, pathsContaining(run, WEBHOOK_SECRETS.serviceNowPassword)]).toEqual([id, []]);
			}
			// Nor is it in the ledger.
			expect(JSON.stringify(await ledgerRows(ledger.client, ledger.table))).not.toContain(basicAuth);

			const scan = scanUserFolder(ledger.n8n, { ...secrets, [SERVICENOW_BASIC_AUTH]: basicAuth });
			expect(scan.filesScanned).toContain('.n8n/database.sqlite');
			expect(scan.hits.filter((hit) => !hit.label.startsWith(SERVICENOW_BASIC_AUTH))).toEqual([]);
			expect(scan.hits.filter((hit) => hit.label === SERVICENOW_BASIC_AUTH).map((hit) => hit.file)).toEqual(
				expect.arrayContaining([expect.stringMatching(/^\.n8n\/database\.sqlite/)]),
			);
		});

		test('the BambooHR private key: in no stored file when it is in the Crypto credential (n8n 2.10 and later); a node parameter, so in the workflow and each execution, before that', async () => {
			const key = { 'BambooHR webhook private key': WEBHOOK_SECRETS.bambooHrKey };
			const hits = scanUserFolder(ledger.n8n, key).hits.map((hit) => hit.file);
			if (bambooHrKeyIsNodeParameter()) expect(hits).toEqual(expect.arrayContaining([expect.stringMatching(/^\.n8n\/database\.sqlite/)]));
			else expect(hits).toEqual([]);
		});
	});
});
