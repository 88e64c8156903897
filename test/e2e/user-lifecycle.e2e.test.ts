/**
 * Every user operation in a real n8n: `workflows/user-lifecycle.json` chains Get Many, Get (by email,
 * raw), Offboard (dry run; by email with Also → Disable Account), Enable, Disable, Delete (to a
 * user group) and a Get of the deleted user, run with `n8n execute --id`; assertions on the run
 * data n8n printed and on the simulator's record and state. Then `n8n start`, and the editor's
 * "From List" request (`POST /rest/dynamic-node-parameters/resource-locator-results`) for the
 * User field, and the credential's Test button (`POST /rest/credentials/test`) against a Command
 * Center without v2/WhoAmI.
 */
import { WORKFLOWS, accessTokenCredential, newInstance, nodeOutputs, startSimulator } from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { JDOE_DRY_RUN_PLAN, audited, shaped } from '../support/expectations';

describe('n8n: the user lifecycle operations', () => {
	let sim: Simulator;
	let n8n: Instance;

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('user-lifecycle');
		await n8n.importCredentials([accessTokenCredential(sim)]);
		await n8n.importWorkflows([WORKFLOWS.lifecycle.file]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	test('execute --id: Get Many, Get, Offboard (dry run, then with Also → Disable Account), Enable, Disable, Delete', async () => {
		await sim.reset();
		const result = await n8n.execute(WORKFLOWS.lifecycle.id);
		expect(result.run?.status).toBe('success');
		expect(result.run.data.resultData.error).toBeUndefined();
		const out = (node: string, output = 0) => nodeOutputs(result.run, node)[output] ?? [];

		expect(out('Get Many').map((u) => [u.userId, u.userName])).toEqual([
			[1, 'admin'],
			[1251, 'tapicompany/tapicompany'],
			[1301, 'jdoe'],
		]);
		expect(out('Get Many by Email').map((u) => u.userName)).toEqual(['acme\\asmith', 'acme\\erin']);
		expect(out('Get by Email')).toEqual([
			expect.objectContaining({ status: 'found', userId: 1301, userName: 'jdoe', email: 'jdoe@example.com', enabled: true, userGroups: ['Laptop Users'] }),
		]);
		expect(out('Get Raw')).toEqual([
			expect.objectContaining({
				status: 'found',
				userId: 1303,
				userName: 'mroe',
				raw: expect.objectContaining({ userEntity: expect.objectContaining({ userId: 1303, userName: 'mroe' }), enableUser: false }),
			}),
		]);
		expect(out('Dry Run')).toEqual([
			expect.objectContaining(JDOE_DRY_RUN_PLAN),
		]);
		expect(out('Offboard and Disable')).toEqual([
			shaped('offboarded', [1302, 'acme\\asmith'], { disabled: true, steps: { disableAccount: 'done', logOffSessions: 'skipped', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' }, ...audited(['POST', '/User/Offboard'], ['PUT', '/User/1302/Disable']) }),
		]);
		expect(out('Enable')).toEqual([shaped('enabled', [1302, 'acme\\asmith'], { enabled: true, ...audited(['PUT', '/User/1302/Enable']) })]);
		expect(out('Disable')).toEqual([shaped('disabled', [1304, 'rlee'], { enabled: false, ...audited(['PUT', '/User/1304/Disable']) })]);
		expect(out('Delete')).toEqual([
			shaped('deleted', [1304, 'rlee'], {
				deleted: true,
				transferredTo: { userGroupId: 4, userGroupName: 'Helpdesk' },
				...audited(['DELETE', '/User/1304?newUserId=0&newUserGroupId=4']),
			}),
		]);
		// The deleted user is gone: "Get Deleted" sends its item to the error output, marked userNotFound.
		expect(out('Get Deleted', 0)).toEqual([]);
		expect(out('Get Deleted', 1)).toEqual([
			expect.objectContaining({
				error: 'User "rlee" not found in Commvault',
				details: expect.objectContaining({ reason: 'userNotFound', subject: 'user "rlee"' }),
			}),
		]);
		expect(nodeOutputs(result.run, 'Not Found')[0]).toHaveLength(1);

		// What Commvault (the simulator) received and what it now holds.
		const writes = (await sim.requests()).filter((r) => r.method !== 'GET');
		expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /commandcenter/api/User/Offboard',
			'PUT /commandcenter/api/User/1302/Disable',
			'PUT /commandcenter/api/User/1302/Enable',
			'PUT /commandcenter/api/User/1304/Disable',
			'DELETE /commandcenter/api/User/1304',
		]);
		expect(writes[0].body).toEqual({ userId: 1302 });
		// The group named in the workflow was resolved to its ID: Commvault's documented ID form, 0 for the user.
		expect(writes[4].query).toEqual({ newUserId: '0', newUserGroupId: '4' });
		// Every user list asked for level 10, without which Commvault lists names and IDs only.
		expect((await sim.requests({ endpoint: 'user' })).every((r: { query: Record<string, string> }) => r.query.level === '10')).toBe(true);
		const jdoe = await sim.userState('jdoe');
		expect(jdoe.events).toEqual([]);
		expect(jdoe.ownedSubclients.length).toBeGreaterThan(0);
		const asmith = await sim.userState('acme\\asmith');
		expect(asmith.user.enabled).toBe(true);
		expect(asmith.events.map((e: { type: string }) => e.type)).toEqual(['offboard', 'disable', 'enable']);
		const rlee = await sim.userState('1304');
		expect(rlee.deleted).toBe(true);
	});

	test('the editor\'s "From List" for the User field searches users through the installed package', async () => {
		await sim.reset();
		const { client } = await n8n.start();
		const search = async (filter?: string, paginationToken?: string) =>
			await client.request('POST', '/dynamic-node-parameters/resource-locator-results', {
				body: {
					path: 'parameters.user',
					nodeTypeAndVersion: { name: 'n8n-nodes-commvault.commvault', version: 1 },
					currentNodeParameters: { resource: 'user', operation: 'get', user: { __rl: true, mode: 'list', value: '' } },
					methodName: 'searchUsers',
					credentials: { commvaultApi: { id: 'cvSimulatorCred1', name: 'Commvault (simulator)' } },
					...(filter === undefined ? {} : { filter }),
					...(paginationToken === undefined ? {} : { paginationToken }),
				},
			});

		const all = await search();
		expect(all.results).toEqual(
			expect.arrayContaining([{ name: 'jdoe (John Doe, jdoe@example.com)', value: '1301' }]),
		);
		expect(all.paginationToken).toBeUndefined();
		const filtered = await search('smith');
		expect(filtered.results).toEqual([{ name: 'acme\\asmith (Alice Smith, asmith@acme.example.com)', value: '1302' }]);
		// One request per searched field (user name, full name, email), merged: Alice Smith shows once.
		const listCalls = (await sim.requests({ endpoint: 'user' })).slice(-3);
		expect(listCalls.map((call) => call.query.fq)).toEqual([
			'users.userEntity.userName:contains:smith',
			'users.fullName:contains:smith',
			'users.email:contains:smith',
		]);
		expect(listCalls[0].query).toMatchObject({ level: '10', start: '0', limit: '100' });
	});

	test("the credential's Test button falls back to v1 POST WhoAmI on a Command Center without v2/WhoAmI", async () => {
		const oldSim = await startSimulator(['--no-v2-whoami']);
		try {
			// n8n is still running from the test before; started here when this test runs alone.
			const client = n8n.client ?? (await n8n.start()).client;
			const data = (accessToken: string) => ({ baseUrl: oldSim.baseUrl, authMethod: 'accessToken', accessToken, allowUnauthorizedCerts: false });
			// n8n tests a saved credential, with the data the editor shows (here all of it, unredacted).
			const saved = await client.request('POST', '/credentials', {
				body: { name: 'Commvault (no v2)', type: 'commvaultApi', data: data(oldSim.accessToken) },
			});
			const test = async (accessToken: string) =>
				await client.request('POST', '/credentials/test', {
					body: { credentials: { id: saved.id, name: 'Commvault (no v2)', type: 'commvaultApi', data: data(accessToken) } },
				});
			expect(await test(oldSim.accessToken)).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect((await oldSim.requests()).map((r: { method: string; endpoint: string; status: number }) => `${r.method} ${r.endpoint} ${r.status}`)).toEqual([
				'GET v2/whoami 404',
				'POST whoami 200',
				'POST whoami 200',
			]);
			const wrong = await test('not-a-token');
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toMatch(/^Commvault rejected the access token \(HTTP 401 from POST WhoAmI; GET v2\/WhoAmI answered 404\)/);
		} finally {
			await oldSim.stop();
		}
	});
});
