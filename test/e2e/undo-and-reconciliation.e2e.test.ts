/**
 * The two examples of issue 26 in a real n8n: the weekly reconciliation, run with `n8n execute --id`
 * (User → Check for recent leavers, a report, red when someone still holds something), and "Undo an
 * offboarding", submitted through its form (basic authentication) to an n8n with the leaver ledger:
 * it reads the leaver's offboarded row, restores its `before` snapshot (Restore's Dry Run, then
 * Restore) and marks the row restored (issue 27). Assertions on the run data, the form's answer page,
 * the ledger's rows (n8n's REST API) and the simulator's state and record of requests.
 */
import { WORKFLOWS, accessTokenCredential, newInstance, nodeOutputs, postSignedBambooHr, readJson, startSimulator } from './support/e2e';
import { formAnswer, newFormLogin, submitForm } from './support/forms';
import { ensureLedgerTable } from '../../scripts/n8n/ledger';
import { FINISHED, LEDGER_WORKFLOWS, bambooHrEmployee, dateFromToday, executionsOf, ledgerRows, startLedgerInstance, stopLedgerInstance, updateLedgerRows, waitForStatus } from './support/ledger';
import type { Instance, Simulator } from './support/types';

describe('n8n: the weekly reconciliation (example)', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('snapshot');
		await n8n.importCredentials([accessTokenCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.reconciliation.file]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	const offboardJdoe = async () => {
		const response = await fetch(`${sim.baseUrl}/User/Offboard`, {
			method: 'POST',
			headers: { Authtoken: `QSDK ${sim.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({ userId: 1301 }),
		});
		expect(await response.json()).toEqual({ errorMessage: 'Successfully offboarded user 1301', errorCode: 0 });
	};

	test('the reconciliation reports who still holds what and ends red', async () => {
		await sim.reset();
		await offboardJdoe();
		const result = await n8n.execute(WORKFLOWS.reconciliation.id);
		expect(result.run?.status).toBe('error');
		const [[report]] = nodeOutputs(result.run, 'Reconciliation report');
		expect(report.total).toBe(3);
		expect((report.holding as Array<{ userName: string; message: string }>).map((h) => h.message)).toEqual([
			'User "jdoe" still holds 1 role association, 2 sessions, 2 access tokens, an enabled account.',
			'User "mroe" still holds 1 owned client, 1 subclient with backup on, 1 role association, 1 laptop.',
			'User "rlee" still holds 1 session, 1 access token, an enabled account.',
		]);
		expect(result.run.data.resultData.error?.message).toMatch(/^3 of 3 leavers still hold something in Commvault: User "jdoe" still holds/);
		expect((await sim.requests()).filter((r: { method: string }) => r.method !== 'GET')).toHaveLength(1);
	});

});

type Ledger = Awaited<ReturnType<typeof startLedgerInstance>>;
type Entity = { ownerUserIds: number[]; ownerUserGroupIds: number[]; backupEnabled: boolean; securityAssociations: Array<{ userId?: number; roleId: number }> };
type SimState = { users: Array<{ userName: string; enabled: boolean }>; subclients: Array<Entity & { subclientId: number }>; vmClients: Array<Entity & { clientId: number }> };

describe('n8n: undo an offboarding from the leaver ledger (example, through its form)', () => {
	const login = newFormLogin();
	let ledger: Ledger;
	let formUrl: string;

	beforeAll(async () => {
		ledger = await startLedgerInstance('undo', {
			workflows: [WORKFLOWS.undo.file],
			activate: [WORKFLOWS.undo.id],
			credentials: [{ id: 'cvFormsBasicAuth1', name: 'Leaver forms (basic auth)', type: 'httpBasicAuth', data: { user: login.user, password: login.password } }],
		});
		const form = (readJson(WORKFLOWS.undo.file) as { nodes: Array<{ type: string; webhookId?: string }> }).nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
		formUrl = ledger.n8n.webhookUrl('').replace(/\/webhook\/$/, `/form/${form?.webhookId}`);
	});

	afterAll(async () => {
		await stopLedgerInstance(ledger);
	});

	const writes = async () => (await ledger.sim.requests()).filter((r: { method: string }) => r.method !== 'GET');
	const rowsOf = async (leaverKey: string) => (await ledgerRows(ledger.client, ledger.table)).filter((r) => r.leaverKey === leaverKey);
	const finishedRuns = async (workflowId: string) => (await executionsOf(ledger.client, workflowId)).filter((e) => FINISHED.includes(e.status)).length;

	/** What an offboard changes and Undo must put back, read from the simulator's own state. */
	const ownership = async () => {
		const state = (await ledger.sim.control('GET', '/state')) as SimState;
		const entity = (e: Entity) => ({
			owners: [...e.ownerUserIds].sort(),
			groups: [...e.ownerUserGroupIds].sort(),
			backupEnabled: e.backupEnabled,
			roles: e.securityAssociations.map((a) => `${String(a.userId)}:${a.roleId}`).sort(),
		});
		return {
			subclients: state.subclients.map((s) => ({ id: s.subclientId, ...entity(s) })),
			vms: state.vmClients.map((v) => ({ id: v.clientId, ...entity(v) })),
			enabled: state.users.map((u) => [u.userName, u.enabled]),
		};
	};

	/** A termination of jdoe dated today under a BambooHR employee ID: the due run offboards it. */
	async function offboardJdoeThroughTheLedger(employeeId: string) {
		const dueRuns = await finishedRuns(LEDGER_WORKFLOWS.dueRun.id);
		const reply = await postSignedBambooHr(ledger.n8n.webhookUrl(LEDGER_WORKFLOWS.hr.webhook), {
			employees: [bambooHrEmployee({ id: employeeId, user: 'jdoe', terminationDate: dateFromToday(0) })],
		});
		expect(reply.body).toMatchObject({ received: 1, due: 1 });
		await waitForStatus(ledger.client, LEDGER_WORKFLOWS.dueRun.id, dueRuns + 1, FINISHED);
		const [row] = await rowsOf(`bamboohr:${employeeId}`);
		expect(row).toMatchObject({ state: 'offboarded', commvaultUser: 'jdoe' });
		expect(JSON.parse(row.before)).toMatchObject({ snapshotVersion: 1, user: { userName: 'jdoe' } });
		return row;
	}

	/** Fills in the Undo form as its page does, reads the answer page, and waits for the run to finish. */
	async function undo(values: [user: string, ledgerKey: string, requestedBy: string]) {
		const runs = await finishedRuns(WORKFLOWS.undo.id);
		const submitted = await submitForm(formUrl, values, login);
		expect([submitted.status, submitted.formWaitingUrl]).toEqual([200, expect.stringContaining('/form-waiting/')]);
		const answer = await formAnswer(submitted.formWaitingUrl!);
		const [run] = (await waitForStatus(ledger.client, WORKFLOWS.undo.id, runs + 1, FINISHED)).filter((e) => FINISHED.includes(e.status));
		return { page: answer.page ?? '', status: run.status as string };
	}

	test("a leaver the due run offboarded: Undo restores the row's before, the simulator is as before the offboard, the row is restored; a second Undo sends nothing and ends red", async () => {
		await ledger.sim.reset();
		const untouched = await ownership();
		await offboardJdoeThroughTheLedger('1301');
		expect(await ownership()).not.toEqual(untouched);

		const writesBefore = (await writes()).length;
		const first = await undo(['jdoe', '', 'A. Admin, INC0012345']);
		expect(first.status).toBe('success');
		expect(first.page).toContain('Restored jdoe from the ledger row bamboohr:1301');
		expect(await ownership()).toEqual(untouched);
		const sent = (await writes()).slice(writesBefore);
		const [row] = await rowsOf('bamboohr:1301');
		expect(row).toMatchObject({ state: 'restored', open: false, restoreStatus: 'restored', restoreRequestedBy: 'A. Admin, INC0012345' });
		expect(row.restoredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(row.restoreRequestedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(JSON.parse(row.restoreParts)).toEqual({ owners: 'done', roles: 'done', backup: 'done', account: 'done' });
		// The row's evidence lists exactly the changes that reached Commvault.
		expect(JSON.parse(row.restoreRequests).map((r: { method: string }) => r.method)).toEqual(sent.map((r: { method: string }) => r.method));
		expect(sent.length).toBeGreaterThan(0);
		// The offboard's own evidence stays.
		expect(row.resultStatus).toBe('offboarded');

		const writesAfter = (await writes()).length;
		const second = await undo(['jdoe', '', 'A. Admin, INC0012345']);
		expect(second.status).toBe('error');
		expect(second.page).toContain('No offboarded row left for');
		expect(second.page).toContain('Nothing was sent to Commvault.');
		expect((await writes()).length).toBe(writesAfter);
		expect(await rowsOf('bamboohr:1301')).toEqual([expect.objectContaining({ state: 'restored', restoredAt: row.restoredAt })]);
	});

	test('Undo for a user without an offboarded row sends nothing and ends red; the form refuses a caller without its login', async () => {
		await ledger.sim.reset();
		const unauthenticated = await submitForm(formUrl, ['rlee', '', 'someone'], undefined);
		expect(unauthenticated.status).toBe(401);

		const runs = await finishedRuns(WORKFLOWS.undo.id);
		const answer = await undo(['rlee', '', 'A. Admin']);
		expect(answer.status).toBe('error');
		expect(answer.page).toContain('No offboarded row for');
		expect(answer.page).toContain('Nothing was sent to Commvault.');
		expect(await writes()).toEqual([]);
		// Only the authenticated submission ran the workflow.
		expect(await finishedRuns(WORKFLOWS.undo.id)).toBe(runs + 1);
	});

	test('a Restore Commvault refuses leaves the row offboarded with the failure recorded and ends red; the next Undo finishes it', async () => {
		await ledger.sim.reset();
		const untouched = await ownership();
		await offboardJdoeThroughTheLedger('2301');
		// Commvault refuses the role associations (POST /Security) once.
		await ledger.sim.queueResponse({ endpoint: 'security', method: 'POST', status: 403, body: { errorCode: 5, errorMessage: 'Access denied' }, times: 1 });

		const failed = await undo(['jdoe', 'bamboohr:2301', 'A. Admin']);
		expect(failed.status).toBe('error');
		expect(failed.page).toContain('Not restored');
		const [row] = await rowsOf('bamboohr:2301');
		expect(row).toMatchObject({ state: 'offboarded', restoreRequestedBy: 'A. Admin', restoredAt: null });
		expect(row.restoreStatus).not.toBe('restored');
		expect(row.restoreMessage).toMatch(/incomplete/);
		expect(await ownership()).not.toEqual(untouched);

		const retried = await undo(['jdoe', 'bamboohr:2301', 'A. Admin']);
		expect(retried.status).toBe('success');
		expect(await rowsOf('bamboohr:2301')).toEqual([expect.objectContaining({ state: 'restored', restoreStatus: 'restored' })]);
		expect(await ownership()).toEqual(untouched);
	});

	test('an offboarded row without a before snapshot: Undo sends nothing, says why and ends red; the row stays offboarded', async () => {
		await ledger.sim.reset();
		const row = await offboardJdoeThroughTheLedger('3301');
		// As a row of an offboard run without Snapshot and Verify.
		await updateLedgerRows(ledger.client, ledger.table, [{ columnName: 'id', condition: 'eq', value: row.id }], { before: null });
		const writesBefore = (await writes()).length;

		const answer = await undo(['jdoe', 'bamboohr:3301', 'A. Admin']);
		expect(answer.status).toBe('error');
		expect(answer.page).toContain('holds no before snapshot');
		expect((await writes()).length).toBe(writesBefore);
		expect(await rowsOf('bamboohr:3301')).toEqual([expect.objectContaining({ state: 'offboarded', before: null, restoreStatus: null })]);
	});

	// Last: it drops a column. A ledger `npm run dev` made before the Undo columns existed gets them added.
	test('a ledger without the Undo columns gets them when the set-up finds it', async () => {
		const columnsPath = `/projects/${ledger.table.projectId}/data-tables/${ledger.table.id}/columns`;
		const columns = async () => ((await ledger.client.request('GET', columnsPath)) as Array<{ id: string; name: string }>).map((c) => c.name);
		const dropped = ((await ledger.client.request('GET', columnsPath)) as Array<{ id: string; name: string }>).filter((c) => ['restoreParts', 'restoredAt'].includes(c.name));
		expect(dropped).toHaveLength(2);
		for (const column of dropped) await ledger.client.request('DELETE', `${columnsPath}/${column.id}`);
		expect(await columns()).not.toContain('restoreParts');

		const found = await ensureLedgerTable(ledger.client);
		expect(found).toMatchObject({ id: ledger.table.id, created: false });
		expect(found.addedColumns.sort()).toEqual(['restoreParts', 'restoredAt']);
		expect(await columns()).toEqual(expect.arrayContaining(['restoreParts', 'restoredAt', 'restoreStatus']));
		expect((await ensureLedgerTable(ledger.client)).addedColumns).toEqual([]);
	});
});
