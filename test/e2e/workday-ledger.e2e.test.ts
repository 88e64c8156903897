/**
 * The Workday report as an entry point of the leaver ledger (docs/leaver-ledger.md), in a real n8n:
 * examples/workday-leavers-report.json writes a row per leaver of the report and offboards nobody; the
 * due run it starts offboards the due rows. Assertions on the ledger's rows (read through n8n's REST API),
 * the stored executions and the simulator's record of what reached Commvault.
 */
import { nodeOutputs } from './support/e2e';
import { FINISHED, LEDGER_WORKFLOWS, dateFromToday, executionsOf, ledgerRows, runDueLeavers, startLedgerInstance, stopLedgerInstance, waitForStatus } from './support/ledger';
import { WORKDAY, reportLine, runWorkdayReport, workdayForE2e } from './support/workday';

type Ledger = Awaited<ReturnType<typeof startLedgerInstance>>;

describe('n8n: the Workday report into the leaver ledger', () => {
	let ledger: Ledger;

	beforeAll(async () => {
		ledger = await startLedgerInstance('workday-ledger', { workflows: [workdayForE2e()], activate: [WORKDAY.id] });
	});

	afterAll(async () => {
		await stopLedgerInstance(ledger);
	});

	const today = dateFromToday(0);
	const inThreeWeeks = dateFromToday(21);
	const inTenDays = dateFromToday(10);
	// jdoe (Commvault user ID 1301) leaves today; rlee (1304) in three weeks (simulator/README.md).
	const jdoeToday = reportLine({ id: '21001', user: 'jdoe', date: today });
	const rleeLater = reportLine({ id: '21017', user: 'rlee', date: inThreeWeeks });

	const writes = async () => (await ledger.sim.requests()).filter((r: { method: string }) => r.method !== 'GET');
	const offboardedIds = async () => (await ledger.sim.requests({ endpoint: 'user/offboard' })).map((r: { body: { userId: number } }) => r.body.userId);
	const workdayRows = async () => (await ledgerRows(ledger.client, ledger.table)).filter((r) => r.source === 'workday');
	const finishedDueRuns = async () => (await executionsOf(ledger.client, LEDGER_WORKFLOWS.dueRun.id)).filter((e) => FINISHED.includes(e.status)).length;
	const summaryOf = (run: unknown) => nodeOutputs(run, 'Run summary')[0][0];

	test('a leaver due today and one leaving in three weeks: a due row and a pending row; the due run it starts offboards the due one exactly once', async () => {
		await ledger.sim.reset();
		const dueRuns = await finishedDueRuns();

		const first = await runWorkdayReport(ledger.n8n, [jdoeToday, rleeLater]);
		expect(first.status).toBe('success');
		expect(summaryOf(first.run)).toMatchObject({ received: 2, due: 1, pending: 1, duplicate: 0, refused: 0, notInReport: [], attention: [] });

		const [dueRun] = (await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, dueRuns + 1, FINISHED)).filter((e) => FINISHED.includes(e.status));
		expect(dueRun.status).toBe('success');
		expect(await workdayRows()).toEqual([
			expect.objectContaining({ leaverKey: 'workday:21001', sourceEventId: `21001@${today}`, commvaultUser: 'jdoe', effectiveDate: today, state: 'offboarded', open: false, attempts: 1, resultStatus: 'offboarded' }),
			expect.objectContaining({ leaverKey: 'workday:21017', sourceEventId: `21017@${inThreeWeeks}`, commvaultUser: 'rlee', effectiveDate: inThreeWeeks, state: 'pending', open: true, attempts: 0, resultMessage: `Scheduled for ${inThreeWeeks}.` }),
		]);
		expect(await offboardedIds()).toEqual([1301]);
	});

	test('the same report again adds no row and changes nothing; a due run leaves the pending leaver alone', async () => {
		const rowsBefore = await workdayRows();
		const writesBefore = (await writes()).length;

		const again = await runWorkdayReport(ledger.n8n, [jdoeToday, rleeLater]);
		expect(again.status).toBe('success');
		expect(summaryOf(again.run)).toMatchObject({ received: 2, duplicate: 2, due: 0, pending: 0 });
		expect(await workdayRows()).toEqual(rowsBefore);
		expect((await writes()).length).toBe(writesBefore);

		const dueRun = await runDueLeavers(ledger.n8n);
		expect(dueRun.status).toBe('success');
		expect((await writes()).length).toBe(writesBefore);
		expect(await offboardedIds()).toEqual([1301]);
		expect((await ledger.sim.userState('rlee')).events).toEqual([]);
	});

	test('a new date moves the pending row; a leaver the report no longer lists keeps the row, and the run ends red naming it', async () => {
		const writesBefore = (await writes()).length;
		const [, rleeRow] = await workdayRows();

		const moved = await runWorkdayReport(ledger.n8n, [jdoeToday, reportLine({ id: '21017', user: 'rlee', date: inTenDays })]);
		expect(moved.status).toBe('success');
		expect(summaryOf(moved.run)).toMatchObject({ received: 2, duplicate: 1, pending: 1 });
		const afterMove = await workdayRows();
		expect(afterMove).toHaveLength(2);
		expect(afterMove[1]).toMatchObject({
			id: rleeRow.id,
			effectiveDate: inTenDays,
			sourceEventId: `21017@${inTenDays}`,
			state: 'pending',
			open: true,
			resultMessage: `Scheduled for ${inTenDays} (moved from ${inThreeWeeks}).`,
		});

		const gone = await runWorkdayReport(ledger.n8n, [jdoeToday]);
		expect(gone.status).toBe('error');
		expect(summaryOf(gone.run).notInReport).toEqual([{ leaverKey: 'workday:21017', commvaultUser: 'rlee', effectiveDate: inTenDays, state: 'pending' }]);
		expect(gone.run.resultData.error.message).toBe(
			`workday:21017 (rlee, pending, effective ${inTenDays}) is no longer in the report and was not cancelled: if the termination was rescinded, set the row's state to cancelled and open to false; otherwise it is offboarded on its date.`,
		);
		expect(await workdayRows()).toEqual(afterMove);
		expect((await writes()).length).toBe(writesBefore);
	});

	test('moved to today, the row becomes due and the due run offboards rlee once; listed again, nothing more is sent', async () => {
		const dueRuns = await finishedDueRuns();
		const run = await runWorkdayReport(ledger.n8n, [jdoeToday, reportLine({ id: '21017', user: 'rlee', date: today })]);
		expect(run.status).toBe('success');
		expect(summaryOf(run.run)).toMatchObject({ due: 1, duplicate: 1 });
		await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, dueRuns + 1, FINISHED);
		expect((await workdayRows()).map((r) => [r.leaverKey, r.state, r.attempts])).toEqual([
			['workday:21001', 'offboarded', 1],
			['workday:21017', 'offboarded', 1],
		]);
		expect(await offboardedIds()).toEqual([1301, 1304]);

		const writesBefore = (await writes()).length;
		const again = await runWorkdayReport(ledger.n8n, [jdoeToday, reportLine({ id: '21017', user: 'rlee', date: today })]);
		expect(again.status).toBe('success');
		expect(summaryOf(again.run)).toMatchObject({ duplicate: 2, due: 0 });
		expect((await writes()).length).toBe(writesBefore);
	});
});
