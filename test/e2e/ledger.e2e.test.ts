/**
 * The leaver process on n8n Data Tables (docs/leaver-ledger.md) in a real n8n: the BambooHR and
 * ServiceNow examples write rows of the ledger instead of offboarding, and the "offboard due leavers"
 * example offboards the due rows once, with approval above the threshold, and writes each result back.
 * Assertions on the webhook replies, the ledger's rows (read through n8n's REST API), the stored
 * executions and the simulator's record of what reached Commvault.
 */
import { payload, postAsServiceNow, postSignedBambooHr } from './support/e2e';
import {
	LEDGER_WORKFLOWS,
	bambooHrEmployee,
	dateFromToday,
	FINISHED,
	executionsOf,
	ledgerRows,
	runDueLeavers,
	startLedgerInstance,
	waitForStatus,
} from './support/ledger';

type Ledger = Awaited<ReturnType<typeof startLedgerInstance>>;

describe('n8n: the leaver ledger (BambooHR, ServiceNow, offboard due leavers)', () => {
	let ledger: Ledger;

	beforeAll(async () => {
		ledger = await startLedgerInstance('ledger');
	});

	afterAll(async () => {
		await ledger?.n8n.stop();
		await ledger?.sim.stop();
		await ledger?.smtp.stop();
	});

	const hrUrl = () => ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.hr.webhook);
	const writes = async () => (await ledger.sim.requests()).filter((r: { method: string }) => r.method !== 'GET');
	const rowsOf = async (leaverKey: string) => (await ledgerRows(ledger.client, ledger.table)).filter((r) => r.leaverKey === leaverKey);

	test('a termination dated in the future: a pending row, nothing changed in Commvault; the same event again adds no row; active again cancels it', async () => {
		await ledger.sim.reset();
		const date = dateFromToday(21);
		const event = bambooHrEmployee({ id: '1304', user: 'rlee', terminationDate: date });

		const reply = await postSignedBambooHr(hrUrl(), { employees: [event] });
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ received: 1, pending: 1, due: 0, refused: 0 });
		expect(reply.body.results).toEqual([expect.objectContaining({ employeeId: '1304', commvaultUser: 'rlee', recorded: 'pending', message: `Scheduled for ${date}.` })]);
		expect(await rowsOf('bamboohr:1304')).toEqual([
			expect.objectContaining({ state: 'pending', open: true, effectiveDate: date, commvaultUser: 'rlee', source: 'bamboohr', attempts: 0 }),
		]);

		const again = await postSignedBambooHr(hrUrl(), { employees: [event] });
		expect(again.body).toMatchObject({ received: 1, duplicate: 1, pending: 0 });
		expect(await rowsOf('bamboohr:1304')).toHaveLength(1);

		// The due run leaves a future leaver alone.
		const run = await runDueLeavers(ledger.n8n);
		expect(run.status).toBe('success');
		expect(await writes()).toEqual([]);

		const active = bambooHrEmployee({ id: '1304', user: 'rlee', status: 'Full-Time', timestamp: '2030-01-01T00:00:00+00:00' });
		const cancel = await postSignedBambooHr(hrUrl(), { employees: [active] });
		expect(cancel.body).toMatchObject({ received: 1, cancelled: 1 });
		const [row] = await rowsOf('bamboohr:1304');
		expect(row).toMatchObject({ state: 'cancelled', open: false, resultStatus: 'cancelled' });
		expect(row.resultMessage).toMatch(/^Cancelled: employment status is Full-Time/);

		await runDueLeavers(ledger.n8n);
		expect(await writes()).toEqual([]);
		expect((await ledger.sim.userState('rlee')).events).toEqual([]);
	});

	test('a termination dated today: the due run starts at once and offboards it exactly once; its row holds the result and the audit trail; a second due run changes nothing', async () => {
		await ledger.sim.reset();
		const finishedBefore = (await executionsOf(ledger.client, LEDGER_WORKFLOWS.dueRun.id)).length;
		const reply = await postSignedBambooHr(hrUrl(), { employees: [bambooHrEmployee({ id: '1301', user: 'jdoe', terminationDate: dateFromToday(0) })] });
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ received: 1, due: 1 });

		// The entry workflow started the due run.
		await ledger.client.waitForExecutions(LEDGER_WORKFLOWS.dueRun.id, finishedBefore + 1);
		const [row] = await rowsOf('bamboohr:1301');
		expect(row).toMatchObject({ state: 'offboarded', open: false, attempts: 1, resultStatus: 'offboarded', commvaultUser: 'jdoe' });
		expect(row.changedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(JSON.parse(row.requests)).toEqual(expect.arrayContaining([{ method: 'POST', path: '/User/Offboard' }]));
		const offboards = await ledger.sim.requests({ endpoint: 'user/offboard' });
		expect(offboards.map((r: { body: unknown }) => r.body)).toEqual([{ userName: 'jdoe' }]);

		const writesBefore = (await writes()).length;
		const second = await runDueLeavers(ledger.n8n);
		expect(second.status).toBe('success');
		expect((await writes()).length).toBe(writesBefore);
		expect(await rowsOf('bamboohr:1301')).toEqual([expect.objectContaining({ state: 'offboarded', attempts: 1 })]);
	});

	test('ServiceNow: a request item for a past day is due at once; a user Commvault refuses (legal hold) leaves a refused row and a red due run', async () => {
		await ledger.sim.reset();
		const runsBefore = (await executionsOf(ledger.client, LEDGER_WORKFLOWS.dueRun.id)).length;
		const reply = await postAsServiceNow(ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.ticket.webhook), payload('servicenow-ritm-legal-hold.json'));
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ number: 'RITM0041874', result: 'due', commvault_user: 'legal.hold' });

		// The entry workflow started the due run, which ends red.
		const [run] = (await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, runsBefore + 1, FINISHED)).filter((e) => FINISHED.includes(e.status));
		expect(run.status).toBe('error');
		const [row] = await rowsOf('servicenow:RITM0041874');
		expect(row).toMatchObject({ state: 'refused', open: false, resultStatus: 'refused', commvaultErrorCode: 3 });
	});
});
