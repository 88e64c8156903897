/**
 * The two examples of issue 26 in a real n8n, run with `n8n execute --id` (their Manual Triggers):
 * the weekly reconciliation (User → Check for recent leavers, a report, red when someone still holds
 * something) and "Undo an offboarding" (Restore's Dry Run, then Restore, from a stored snapshot).
 * Assertions on the run data n8n printed and on the simulator's state.
 */
import { WORKFLOWS, accessTokenCredential, newInstance, nodeOutputs, startSimulator } from './support/e2e';
import type { Instance, Simulator } from './support/types';

describe('n8n: undo an offboarding, and the weekly reconciliation (examples)', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('snapshot');
		await n8n.importCredentials([accessTokenCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.undo.file, WORKFLOWS.reconciliation.file]);
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
	const holdings = async () => {
		const state = (await sim.userState('jdoe')) as { ownedSubclients: unknown[]; ownedVmClients: unknown[]; roleAssociationsOn: unknown[] };
		return { subclients: state.ownedSubclients.length, vms: state.ownedVmClients.length, roles: state.roleAssociationsOn.length };
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

	test('undo: after jdoe was offboarded, the Dry Run lists what to put back, Restore puts it back, a second run sends nothing', async () => {
		await sim.reset();
		const untouched = await holdings();
		await offboardJdoe();
		expect(await holdings()).toEqual({ subclients: 0, vms: 0, roles: 1 });

		const result = await n8n.execute(WORKFLOWS.undo.id);
		expect(result.run?.status).toBe('success');
		const [[dryRun]] = nodeOutputs(result.run, 'Restore (Dry Run)');
		expect(dryRun).toMatchObject({ status: 'wouldRestore', userName: 'jdoe', dryRun: true });
		const [[restored]] = nodeOutputs(result.run, 'Restore');
		expect(restored).toMatchObject({ status: 'restored', userId: 1301, parts: { owners: 'done', roles: 'done', backup: 'done', account: 'nothingToDo' } });
		expect(await holdings()).toEqual(untouched);

		const again = await n8n.execute(WORKFLOWS.undo.id);
		expect(again.run?.status).toBe('success');
		expect(nodeOutputs(again.run, 'Restore')).toEqual([]);
		const [, [nothing]] = nodeOutputs(again.run, 'Anything to put back?');
		expect(nothing).toMatchObject({ status: 'wouldRestore', requests: [] });
	});
});
