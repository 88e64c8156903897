/**
 * The README's install for self-hosted n8n without the UI: `cd ~/.n8n/nodes && npm install
 * n8n-nodes-commvault` (here the packed tarball), with npm's defaults. npm then also installs the
 * peer dependency n8n-workflow into the nodes folder, so the node runs against a second copy of it,
 * not n8n's own: errors, the error output and continue-on-fail must still work across the two.
 */
import {
	STOPPING_MANUAL_ID,
	WORKFLOWS,
	installWithNpm,
	installedPackageDir,
	newInstance,
	nodeOutputs,
	packagesInNodesFolder,
	passwordCredential,
	accessTokenCredential,
	readJson,
	startSimulator,
	stoppingManualWorkflow,
} from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { audited, offboardedItem } from '../support/expectations';

const LEGAL_HOLD = 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.';

describe('n8n with the package installed by `npm install` in the nodes folder (README, without the UI)', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('manual-install');
		await installWithNpm(n8n);
		await n8n.importCredentials([accessTokenCredential(sim), passwordCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.batch.file, WORKFLOWS.manualPassword.file, stoppingManualWorkflow()]);
	});

	afterAll(async () => {
		await sim?.stop();
	});

	test('npm put the package in the nodes folder, with its own n8n-workflow beside it', () => {
		const installed = readJson(`${installedPackageDir(n8n.userFolder)}/package.json`);
		expect(installed.name).toBe('n8n-nodes-commvault');
		expect(installed.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packagesInNodesFolder(n8n.userFolder)).toEqual(expect.arrayContaining(['n8n-nodes-commvault', 'n8n-workflow']));
	});

	test('the e2e batch workflow offboards, disables, logs off and reports failed items with their details', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.batch.id);
		// The batch example ends red when a leaver failed (here legal.hold and sgone), after its report.
		expect(result.run?.status).toBe('error');
		const [offboarded, notOffboarded] = nodeOutputs(result.run, 'Offboard in Commvault');
		expect(offboarded).toEqual([
			expect.objectContaining({
				userId: 1301,
				disabled: true,
				steps: { disableAccount: 'done', logOffSessions: 'done', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' },
				...audited(['POST', '/User/Offboard'], ['PUT', '/User/1301/Disable'], ['DELETE', '/Sessions']),
			}),
			expect.objectContaining({
				userId: 1302,
				disabled: true,
				steps: { disableAccount: 'done', logOffSessions: 'done', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' },
				...audited(['POST', '/User/Offboard'], ['PUT', '/User/1302/Disable'], ['DELETE', '/Sessions']),
			}),
		]);
		expect(notOffboarded).toEqual([
			expect.objectContaining({ status: 'refused', error: LEGAL_HOLD, details: expect.objectContaining({ itemIndex: 2, commvaultErrorCode: 3 }) }),
			expect.objectContaining({ status: 'notFound', error: 'User "sgone" not found in Commvault', details: expect.objectContaining({ itemIndex: 3, reason: 'userNotFound' }) }),
		]);
		expect(nodeOutputs(result.run, 'Offboarding report')[0]).toEqual([expect.objectContaining({ total: 4, succeeded: 2, failed: 2 })]);
	});

	test('"Continue (using error output)" routes the failed item to the error output', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.manualPassword.id);
		expect(result.run?.status).toBe('success');
		const [offboarded, failed] = nodeOutputs(result.run, 'Commvault');
		expect(offboarded).toEqual([offboardedItem(1304, 'rlee')]);
		expect(failed).toEqual([
			expect.objectContaining({ error: LEGAL_HOLD, details: expect.objectContaining({ itemIndex: 1, commvaultErrorCode: 3 }) }),
		]);
		expect(nodeOutputs(result.run, 'Failed')[0]).toHaveLength(1);
	});

	test("stopping on the error, the run fails with Commvault's message, the item and the hint", async () => {
		await sim.reset();
		const result = await n8n.execute(STOPPING_MANUAL_ID);
		expect(result.run?.status).toBe('error');
		const error = result.run.data.resultData.error;
		expect(error.message).toBe(LEGAL_HOLD);
		// Numbered from 1 as n8n shows it (index 1), then the next step.
		expect(error.description).toMatch(/^Failed for item 2, user "legal\.hold"\. A legal hold keeps data this user owns, .*run this item again\./);
		// What n8n's error panel shows under "Error code": Commvault's code, not the HTTP 200 the refusal came in.
		expect(error.httpCode).toBe('Commvault error 3');
		expect(error.node?.name ?? result.run.data.resultData.lastNodeExecuted).toBe('Commvault');
	});
});
