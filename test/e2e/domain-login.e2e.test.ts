/**
 * A credential that logs in as a domain user (Username erin, Domain acme) in a real n8n: the account it
 * acts as is acme\erin, the name Commvault gives domain users and the Login reply's userName, so that
 * account is refused as the integration's own, while the local user erin, a namesake, is offboarded
 * (issue 24; the simulator's users are in simulator/README.md).
 */
import { WORKFLOWS, domainCredential, newInstance, nodeOutputs, startSimulator } from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { offboardedItem } from '../support/expectations';

describe('a domain login (erin, domain acme) in a real n8n', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('domain-login');
		await n8n.importCredentials([domainCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.domainLogin.file]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	test('refuses its own account acme\\erin and offboards the local namesake erin, by ID', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.domainLogin.id);

		expect(result.run?.status).toBe('success');
		const [offboarded, failed] = nodeOutputs(result.run, 'Commvault');
		expect(offboarded).toEqual([offboardedItem(1307, 'erin')]);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({
			users: 'acme\\erin',
			status: 'refused',
			userId: 1308,
			userName: 'acme\\erin',
			error: 'Item 1: will not offboard user "acme\\erin": "acme\\erin" is the user this workflow\'s Commvault credential acts as',
			details: { reason: 'protectedAccount', subject: 'user "acme\\erin"' },
		});

		// The login named the domain, and Commvault's reply named acme\erin; one offboard went out, for erin's ID.
		const [login] = await sim.requests({ endpoint: 'login' });
		expect(login.body).toEqual(expect.objectContaining({ username: 'erin', domain: 'acme' }));
		expect(login.account).toBe('acme\\erin');
		expect((await sim.requests({ endpoint: 'user/offboard' })).map((r) => r.body)).toEqual([{ userId: 1307 }]);
		expect((await sim.userState('acme\\erin')).ownedSubclients).toHaveLength(1);
		expect((await sim.userState('erin')).ownedSubclients).toEqual([]);
	});
});
