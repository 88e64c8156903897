/**
 * One departure, one offboard (issue 27): when BambooHR and ServiceNow both report the same leaver, the
 * ledger gets a row per source and each entry workflow starts a due run, but Commvault gets one offboard.
 * The other row is closed as the same departure (`cancelled`, naming the row that went), and neither due
 * run ends red for it. An offboarded row from before the new row was recorded (a rehire leaving again)
 * does not block. Counts come from the simulator's record of the requests it received.
 */
import { payload, postAsServiceNow, postSignedBambooHr } from './support/e2e';
import { FINISHED, LEDGER_WORKFLOWS, bambooHrEmployee, dateFromToday, executionsOf, ledgerRows, startLedgerInstance, stopLedgerInstance, waitForRows, waitForStatus } from './support/ledger';

type Ledger = Awaited<ReturnType<typeof startLedgerInstance>>;

/** The shipped ServiceNow sample request item, for `user` and with `lastDay` as its last working day. */
function requestItem(number: string, user: string, lastDay: string) {
	const item = payload('servicenow-ritm-offboard.json');
	return { ...item, sys_id: `sys-${number}`, number, variables: { ...item.variables, commvault_user: user, last_working_day: lastDay } };
}

describe('n8n: one departure reported by two sources is offboarded once', () => {
	let ledger: Ledger;

	beforeAll(async () => {
		ledger = await startLedgerInstance('one-departure');
	});

	afterAll(async () => {
		await stopLedgerInstance(ledger);
	});

	const hrUrl = () => ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.hr.webhook);
	const ticketUrl = () => ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.ticket.webhook);
	const finishedDueRuns = async () => (await executionsOf(ledger.client, LEDGER_WORKFLOWS.dueRun.id)).filter((e) => FINISHED.includes(e.status));
	const offboardsOf = async (userId: number) =>
		(await ledger.sim.requests({ endpoint: 'user/offboard' })).filter((r: { method: string; body: { userId?: number } }) => r.method === 'POST' && r.body?.userId === userId);
	const rowsOfUser = async (user: string) => (await ledgerRows(ledger.client, ledger.table)).filter((r) => r.commvaultUser === user);
	const ofUser = (rows: Array<Record<string, unknown>>, user: string) => rows.filter((r) => r.commvaultUser === user);

	test('BambooHR terminates jdoe today and ServiceNow asks for jdoe today, one right after the other: one POST /User/Offboard, one row offboarded, the other cancelled naming it, no red due run', async () => {
		await ledger.sim.reset();
		const runsBefore = (await finishedDueRuns()).length;

		const hr = await postSignedBambooHr(hrUrl(), { employees: [bambooHrEmployee({ id: '1301', user: 'jdoe', terminationDate: dateFromToday(0) })] });
		const ticket = await postAsServiceNow(ticketUrl(), requestItem('RITM0041873', 'jdoe', dateFromToday(0)));
		expect(hr.status).toBe(200);
		expect(hr.body).toMatchObject({ received: 1, due: 1 });
		expect(ticket.status).toBe(200);
		expect(ticket.body).toMatchObject({ number: 'RITM0041873', result: 'due', commvault_user: 'jdoe' });

		// Each entry workflow started a due run: both finish, and neither ends red.
		const runs = (await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, runsBefore + 2, FINISHED)).filter((e) => FINISHED.includes(e.status));
		expect(runs.slice(0, 2).map((e) => e.status)).toEqual(['success', 'success']);
		const rows = await waitForRows(ledger.client, ledger.table, (all) => ofUser(all, 'jdoe').length === 2 && ofUser(all, 'jdoe').every((r) => r.open === false));

		expect(await offboardsOf(1301)).toHaveLength(1);
		const jdoe = ofUser(rows, 'jdoe');
		const offboarded = jdoe.filter((r) => r.state === 'offboarded');
		const cancelled = jdoe.filter((r) => r.state === 'cancelled');
		expect(offboarded).toHaveLength(1);
		expect(cancelled).toHaveLength(1);
		expect(offboarded[0].before).toMatch(/LT-JDOE-01/);
		expect(cancelled[0]).toMatchObject({ open: false, resultStatus: 'cancelled', requests: '[]', changedAt: null, before: null });
		expect(cancelled[0].resultMessage).toMatch(new RegExp(`^Same departure as ${offboarded[0].leaverKey}, (offboarded at ${offboarded[0].changedAt}: not sent again|being offboarded by a due run that claimed it first: not sent twice)\\.$`));
	});

	test('an older offboarded row of the user, confirmed before the new row was recorded (a rehire leaving again), does not block: the new row is offboarded too', async () => {
		await ledger.sim.reset();
		const runsBefore = (await finishedDueRuns()).length;
		const first = await postSignedBambooHr(hrUrl(), { employees: [bambooHrEmployee({ id: '1304', user: 'rlee', terminationDate: dateFromToday(-400) })] });
		expect(first.body).toMatchObject({ received: 1, due: 1 });
		await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, runsBefore + 1, FINISHED);
		await waitForRows(ledger.client, ledger.table, (all) => ofUser(all, 'rlee').some((r) => r.state === 'offboarded'));
		expect(await offboardsOf(1304)).toHaveLength(1);

		const ticket = await postAsServiceNow(ticketUrl(), requestItem('RITM0052201', 'rlee', dateFromToday(0)));
		expect(ticket.body).toMatchObject({ result: 'due', commvault_user: 'rlee' });
		const runs = (await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, runsBefore + 2, FINISHED)).filter((e) => FINISHED.includes(e.status));
		expect(runs[0].status).toBe('success');
		const rows = await rowsOfUser('rlee');
		expect(rows.map((r) => [r.leaverKey, r.state])).toEqual([
			['bamboohr:1304', 'offboarded'],
			['servicenow:RITM0052201', 'offboarded'],
		]);
		expect(await offboardsOf(1304)).toHaveLength(2);
	});
});
