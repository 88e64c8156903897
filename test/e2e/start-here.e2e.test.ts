/**
 * The "start here" example in a real n8n, as the demo imports it: `n8n execute --id` runs its Manual
 * Trigger → Offboard with Dry Run on against the simulator, and nothing in Commvault changes.
 */
import { WORKFLOWS, accessTokenCredential, newInstance, nodeOutputs, startSimulator } from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { PREVIEW_SAYS } from '../support/expectations';

describe('n8n: the start-here example', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('start-here');
		await n8n.importCredentials([accessTokenCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.startHere.file]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	test('execute --id: previews the offboarding of jdoe, sends only reads and changes nothing', async () => {
		await sim.reset();
		const before = await sim.userState('jdoe');

		const result = await n8n.execute(WORKFLOWS.startHere.id);
		expect(result.run?.status).toBe('success');
		const [[preview]] = nodeOutputs(result.run, 'Preview offboarding');
		expect(preview).toMatchObject({ status: 'wouldOffboard', userId: 1301, userName: 'jdoe', dryRun: true, requests: [{ method: 'POST', path: '/User/Offboard' }] });
		expect(preview.message).toBe(
			`Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients. Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
		);

		const requests = (await sim.requests()) as Array<{ method: string; endpoint: string }>;
		expect(requests.length).toBeGreaterThan(0);
		expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
		expect(await sim.userState('jdoe')).toEqual(before);
	});
});
