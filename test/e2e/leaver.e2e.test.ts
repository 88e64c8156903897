
/**
 * The whole leaver in a real n8n: `workflows/leaver.json` runs Offboard's Dry Run with every "Also" step
 * (the impact report; only GETs reach Commvault), then Offboard with every "Also" step, with
 * `n8n execute --id`; assertions on the run data n8n printed and on the simulator's record and state.
 */
import { WORKFLOWS, newInstance, nodeOutputs, passwordCredential, startSimulator } from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { JDOE_ALSO_WRITES, jdoeOffboardedWithAlso } from '../support/expectations';

describe('n8n: Offboard with every "Also" step, after a Dry Run', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('leaver');
		// Revoking access tokens needs a username-and-password credential (Commvault 11.42+): the workflow uses it.
		await n8n.importCredentials([passwordCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.leaver.file]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	test('execute --id: the Dry Run reports the impact and sends only GETs; the Offboard then does every step, in order', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.leaver.id);
		expect(result.run?.status).toBe('success');
		expect(result.run.data.resultData.error).toBeUndefined();

		const [[dryRun]] = nodeOutputs(result.run, 'Dry Run');
		expect(dryRun).toMatchObject({
			dryRun: true,
			impact: {
				subclients: [
					expect.objectContaining({ clientName: 'LT-JDOE-01', role: 'Client Admins' }),
					expect.objectContaining({ clientName: 'LT-JDOE-01', role: 'Client Admins' }),
					expect.objectContaining({ clientName: 'srv-fileshare01', role: 'View' }),
				],
				clients: [expect.objectContaining({ clientName: 'vm-jdoe-dev01' }), expect.objectContaining({ clientName: 'vm-jdoe-test02' })],
				userGroups: [{ id: 2, name: 'Laptop Users' }],
				sessions: [expect.objectContaining({ sessionId: 'sess-1301-1' }), expect.objectContaining({ sessionId: 'sess-1301-2' })],
				accessTokens: [
					{ id: 701, name: 'jdoe-reporting' },
					{ id: 702, name: 'jdoe-ci' },
				],
				laptops: [expect.objectContaining({ name: 'LT-JDOE-01' })],
			},
			alsoSteps: {
				disableAccount: 'would disable the account',
				logOffSessions: 'would log off 2 sessions',
				revokeAccessTokens: 'would revoke 2 access tokens',
				removeFromUserGroups: 'would remove it from 1 user group',
			},
		});
		expect((dryRun.requests as unknown[]).length).toBe(6);

		const [[offboard]] = nodeOutputs(result.run, 'Offboard with Also');
		expect(offboard).toEqual(jdoeOffboardedWithAlso({ removeFromUserGroups: true, revokeAccessTokens: true }));
		// One request shape: the preview planned exactly what the audit trail then records.
		expect(dryRun.requests).toEqual(offboard.requests);

		// Every change came from the Offboard node, after the Dry Run's reads.
		// The password credential's login changes nothing in Commvault.
		const requests = ((await sim.requests()) as Array<{ method: string; endpoint: string }>).filter((r) => r.endpoint !== 'login');
		const firstWrite = requests.findIndex((r) => r.method !== 'GET');
		expect(requests.slice(firstWrite).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.endpoint}`)).toEqual(JDOE_ALSO_WRITES);
		expect(requests.slice(0, firstWrite).map((r) => r.endpoint)).toEqual(
			expect.arrayContaining(['user', 'user/{id}', 'session', 'v4/accesstoken', 'v4/laptop']),
		);
		const jdoe = await sim.userState('jdoe');
		expect([jdoe.user.enabled, jdoe.user.userGroupIds, jdoe.sessions, jdoe.accessTokens, jdoe.ownedSubclients]).toEqual([false, [], [], [], []]);
	});
});
