/**
 * n8n's CLI against the simulator: the package installed from the packed tarball, credentials
 * and workflows imported with `n8n import:*`, manual-trigger workflows run with
 * `n8n execute --id`, and every assertion made on the run data n8n printed plus the simulator's
 * record of what it received (the exit code alone proves nothing). The suite runs twice: as n8n
 * ships, and with n8n's SSRF protection on and the simulator's address allowed, where everything
 * must work the same (ssrf.e2e.test.ts: the same workflows with the address not allowed).
 */
import {
	WORKFLOWS,
	accessTokenCredential,
	installedPackageDir,
	newInstance,
	nodeOutputs,
	packagesInNodesFolder,
	passwordCredential,
	readJson,
	ssrfProtection,
	startSimulator,
} from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { audited, jdoeOffboardedWithAlso, legalHoldRefused, offboardedItem, shaped } from '../support/expectations';

const SETTINGS: Array<{ label: string; folder: string; env: (sim: Simulator) => Record<string, string> }> = [
	{ label: "n8n's defaults", folder: 'cli', env: () => ({}) },
	{
		label: "N8N_SSRF_PROTECTION_ENABLED=true, the simulator's address allowed",
		folder: 'cli-ssrf-allowed',
		env: (sim) => ssrfProtection(sim, { allowSimulator: true }),
	},
];

describe.each(SETTINGS)('n8n CLI ($label): import, then execute --id', ({ folder, env }) => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance(folder, { env: env(sim) });
		await n8n.importCredentials([accessTokenCredential(sim), passwordCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.batch.file, WORKFLOWS.manualPassword.file]);
	});

	afterAll(async () => {
		await sim?.stop();
	});

	const logins = async () => (await sim.requests({ endpoint: 'login' })).length;

	test('the package sits in the nodes folder like an installed community package, without a second n8n-workflow', () => {
		expect(packagesInNodesFolder(n8n.userFolder)).toEqual(['n8n-nodes-commvault']);
		const installed = readJson(`${installedPackageDir(n8n.userFolder)}/package.json`);
		expect(installed.name).toBe('n8n-nodes-commvault');
		// n8n's installer strips these before its `npm install`, so the peer n8n-workflow is n8n's own.
		expect(installed.peerDependencies).toBeUndefined();
		expect(installed.devDependencies).toBeUndefined();
		expect(installed.n8n.nodes).toEqual(['dist/nodes/Commvault/Commvault.node.js']);
		const ledger = readJson(`${n8n.n8nFolder}/nodes/package.json`);
		expect(ledger.dependencies).toEqual({ 'n8n-nodes-commvault': installed.version });
	});

	test('execute --id runs the e2e batch workflow (its Manual Trigger): offboards, then disables and logs off (its access-token credential cannot revoke tokens), and reports successes and failures, then ends red because two failed', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.batch.id);

		expect(result.run).toBeDefined();
		// The report is written first; then the run fails, so a failed night shows in Executions.
		expect(result.run.status).toBe('error');
		expect(result.run.data.resultData.lastNodeExecuted).toBe('Fail the run: leavers not offboarded');
		expect(result.run.data.resultData.error.message).toBe(
			'2 of 4 leavers were not offboarded: legal.hold (Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.); sgone (User "sgone" not found in Commvault). The report above lists them.',
		);

		const [commvault, notOffboarded] = nodeOutputs(result.run, 'Offboard in Commvault');
		expect(commvault).toEqual([
			// "Also": the user is looked up first, so the output names it by ID and name; then the steps in order.
			jdoeOffboardedWithAlso({ removeFromUserGroups: false, revokeAccessTokens: false }),
			shaped('offboarded', [1302, 'acme\\asmith'], {
				disabled: true,
				sessionsEnded: ['sess-1302-4'],
				steps: { disableAccount: 'done', logOffSessions: 'done', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' },
				...audited(['POST', '/User/Offboard'], ['PUT', '/User/1302/Disable'], ['DELETE', '/Sessions']),
			}),
		]);
		// The failed leavers leave by the error output, with the report's input fields (n8n adds them).
		expect(notOffboarded).toEqual([
			expect.objectContaining(legalHoldRefused(2)),
			expect.objectContaining({
				status: 'notFound',
				userId: null,
				userName: 'sgone',
				message: 'User "sgone" not found in Commvault',
				error: 'User "sgone" not found in Commvault',
				details: expect.objectContaining({ itemIndex: 3, subject: 'user "sgone"', reason: 'userNotFound' }),
			}),
		]);
		expect(nodeOutputs(result.run, 'Not offboarded')[0]).toHaveLength(2);

		const [[report]] = nodeOutputs(result.run, 'Offboarding report');
		expect(report).toMatchObject({
			total: 4,
			succeeded: 2,
			failed: 2,
			offboarded: ['jdoe', 'acme\\asmith'],
			summary: '2 of 4 leavers offboarded and disabled in Commvault; 2 failed.',
		});
		// An audit record per change: when, the Commvault user ID, and the requests sent (no secrets).
		expect(report.changes).toEqual([
			expect.objectContaining({
				employeeId: '21001',
				commvaultUser: 'jdoe',
				commvaultUserId: '1301',
				changedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				requests: [
					{ method: 'POST', path: '/User/Offboard' },
					{ method: 'PUT', path: '/User/1301/Disable' },
					{ method: 'DELETE', path: '/Sessions' },
				],
			}),
			expect.objectContaining({ employeeId: '21017', commvaultUser: 'acme\\asmith', commvaultUserId: '1302' }),
		]);
		expect(report.failures).toEqual([
			expect.objectContaining({ employeeId: '21042', commvaultUser: 'legal.hold', reason: expect.stringContaining('under legal hold') }),
			expect.objectContaining({ employeeId: '21077', commvaultUser: 'sgone', reason: 'User "sgone" not found in Commvault' }),
		]);

		// What Commvault (the simulator) received: one POST /User/Offboard per leaver it knows (sgone was
		// not found by the look-up), with the access token, and a Disable after each successful offboard.
		const offboards = await sim.requests({ endpoint: 'user/offboard', headers: true });
		expect(offboards.map((r) => r.body)).toEqual([{ userId: 1301 }, { userId: 1302 }, { userId: 1305 }]);
		expect(offboards.map((r) => [r.method, r.status, r.authKind, r.token])).toEqual(
			Array(3).fill(['POST', 200, 'access', `QSDK ${sim.accessToken}`]),
		);
		const disables = await sim.requests({ endpoint: 'user/{id}/disable' });
		expect(disables.map((r) => [r.method, r.path, r.status])).toEqual([
			['PUT', '/commandcenter/api/User/1301/Disable', 200],
			['PUT', '/commandcenter/api/User/1302/Disable', 200],
		]);
		expect(await logins()).toBe(0);

		const jdoe = await sim.userState('jdoe');
		expect(jdoe.ownedSubclients).toEqual([]);
		expect(jdoe.ownedVmClients).toEqual([]);
		expect(jdoe.user.enabled).toBe(false);
		// Its tokens stay: revoking them needs a username-and-password credential (Commvault 11.42+).
		expect([jdoe.sessions.length, jdoe.accessTokens.length]).toEqual([0, 2]);
		expect(jdoe.events).toEqual([
			expect.objectContaining({ type: 'offboard', errorCode: 0, by: 'admin' }),
			expect.objectContaining({ type: 'disable', errorCode: 0, by: 'admin' }),
		]);
		expect((await sim.userState('legal.hold')).user.enabled).toBe(true);
	});

	test('password credential: one login, the session reused by the next execution, a new login after the token expired', async () => {
		await sim.reset();

		const first = await n8n.execute(WORKFLOWS.manualPassword.id);
		expect(first.run?.status).toBe('success');
		const [offboarded, failed] = nodeOutputs(first.run, 'Commvault');
		expect(offboarded).toEqual([offboardedItem(1304, 'rlee')]);
		// errorCode != 0 goes to the error output ("Continue (using error output)"); n8n adds the
		// input item's fields (here `users`) to the node's failed item.
		expect(failed).toEqual([{ users: 'legal.hold', ...legalHoldRefused(1) }]);
		expect(nodeOutputs(first.run, 'Failed')[0]).toHaveLength(1);
		expect(await logins()).toBe(1);

		// A separate `n8n execute` process: n8n stored the session token (encrypted) with the credential.
		const second = await n8n.execute(WORKFLOWS.manualPassword.id);
		expect(second.run?.status).toBe('success');
		expect(nodeOutputs(second.run, 'Commvault')[0]).toHaveLength(1);
		expect(await logins()).toBe(1);

		const before = (await sim.requests()).length;
		const sessionBefore = (await sim.requests({ endpoint: 'user/offboard' })).at(-1)?.token;
		await sim.expireTokens();

		const third = await n8n.execute(WORKFLOWS.manualPassword.id);
		expect(third.run?.status).toBe('success');
		expect(nodeOutputs(third.run, 'Commvault')[0]).toEqual([
			offboardedItem(1304, 'rlee'),
		]);
		expect(await logins()).toBe(2);

		// The expired token got a 401 (on the look-up before the offboard), n8n logged in again and
		// retried with the new session.
		const after = (await sim.requests()).slice(before);
		expect(after.map((r) => `${r.endpoint} ${r.status}`)).toEqual([
			'user 401',
			'login 200',
			// The batch's one read of the user list (issue 25) finds both users.
			'user 200',
			'user/offboard 200',
			'user/offboard 200',
		]);
		expect(after[0].token).toBe(sessionBefore);
		expect(after[2].token).not.toBe(sessionBefore);
		expect(after[2].authKind).toBe('session');
		expect(after[1].body).toEqual(expect.objectContaining({ username: 'admin' }));
	});
});
