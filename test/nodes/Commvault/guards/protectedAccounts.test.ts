import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByEmail, userById, userByName } from '../../../harness/engine';
import { accessTokenCredential, passwordCredential, requestsTo, useSimulator } from '../../../support/simulator';

// Protected accounts (credential fields Protected Users and Protected User Groups, the built-in
// admin and the credential's own user): Offboard, Disable and Delete refuse them per item, before
// anything is sent that changes Commvault.
const OPERATIONS: Array<[string, IDataObject]> = [
	['offboard', {}],
	['disable', {}],
	['delete', { transferToUser: { __rl: true, mode: 'name', value: 'rlee' } }],
];
const JDOE_TOKEN = 'jdoe-access-token';

describe('protected accounts', () => {
	const sim = useSimulator({ accessTokens: ['sim-access-token', { token: JDOE_TOKEN, userName: 'jdoe' }] });

	// Logging in and asking WhoAmI change nothing in Commvault.
	const changes = () => sim.requests.filter((r) => r.method !== 'GET' && r.endpoint !== 'whoami' && r.endpoint !== 'login');
	const reasonOf = (error: unknown) => (error as { errorResponse?: IDataObject }).errorResponse?.reason;
	const run = (operation: string, user: IDataObject, credentials: ICredentialDataDecryptedObject, options: IDataObject = {}) =>
		runCommvaultNode({
			parameters: { resource: 'user', operation, user, options, ...(OPERATIONS.find(([op]) => op === operation)?.[1] ?? {}) },
			credentials,
		});

	describe.each(OPERATIONS)('User → %s', (operation) => {
		it.each([
			['by name', userByEmail('jdoe@example.com'), { protectedUsers: 'backup.admin\n JDoe ' }, '"jdoe" is listed under Protected Users', 'Protected Users'],
			['by email', userByName('jdoe'), { protectedUsers: 'JDOE@example.com' }, '"jdoe@example.com" is listed under Protected Users', 'Protected Users'],
			['by ID', userByName('jdoe'), { protectedUsers: 'someone, 1301' }, '"1301" is listed under Protected Users', 'Protected Users'],
			[
				'by group',
				userById(1301),
				{ protectedUserGroups: 'master\nlaptop users' },
				'"jdoe" is a member of the user group "Laptop Users", listed under Protected User Groups',
				'Protected User Groups',
			],
		])('refuses a user protected %s, naming the field to change, and sends nothing', async (_case, user, fields, reason, field) => {
			const { error } = await run(operation, user, accessTokenCredential(sim, fields));
			expect(error?.message).toBe(`Item 1: will not ${operation} user "jdoe": ${reason}`);
			expect(error?.description).toContain(`"${field}" in the Commvault credential`);
			expect(error?.description).toMatch(/Nothing was sent to Commvault\.$/);
			expect(reasonOf(error)).toBe('protectedAccount');
			expect(changes()).toEqual([]);
			expect(sim.state.getUser('jdoe')?.enabled).toBe(true);
		});

		it("refuses Commvault's built-in admin, by ID too", async () => {
			const { error } = await run(operation, userById(1), accessTokenCredential(sim));
			expect(error?.message).toBe(`Item 1: will not ${operation} user "admin": "admin" is Commvault's built-in administrator`);
			expect(changes()).toEqual([]);
		});

		it.each([
			['a password credential (the login user)', () => passwordCredential(sim, { username: 'jdoe', password: 'jdoe-password' })],
			['an access token (the user WhoAmI names)', () => accessTokenCredential(sim, { accessToken: JDOE_TOKEN })],
		])("refuses the credential's own user, with %s", async (_case, credentials) => {
			const { error } = await run(operation, userByEmail('jdoe@example.com'), credentials());
			expect(error?.message).toBe(`Item 1: will not ${operation} user "jdoe": "jdoe" is the user this workflow's Commvault credential acts as`);
			expect(error?.description).toMatch(/would cut off the integration itself/);
			expect(changes()).toEqual([]);
		});
	});

	it('asks POST WhoAmI when v2/WhoAmI answers 404, also with a Commvault error body (whose code is the error code)', async () => {
		sim.queueResponse({ endpoint: 'v2/whoami', status: 404, body: { errorCode: 2, errorMessage: 'Requested Details not found' }, times: 5 });
		const { error } = await run('disable', userByName('jdoe'), accessTokenCredential(sim, { accessToken: JDOE_TOKEN }));
		expect(error?.message).toBe('Item 1: will not disable user "jdoe": "jdoe" is the user this workflow\'s Commvault credential acts as');
		expect(requestsTo(sim, 'whoami').filter((r) => r.method === 'POST').length).toBeGreaterThan(0);
		expect(changes()).toEqual([]);
	});

	it('lets every other user through, reading groups only when groups are protected, once per user', async () => {
		const withoutGroups = await run('disable', userByName('rlee'), accessTokenCredential(sim, { protectedUsers: 'jdoe' }));
		expect(withoutGroups.error).toBeUndefined();
		expect(requestsTo(sim, 'user/{id}')).toHaveLength(0);

		sim.reset();
		const items = [{ json: { login: 'rlee' } }, { json: { login: 'jdoe' } }, { json: { login: 'tapicompany/tapicompany' } }];
		const { output } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'disable', user: userByName('={{ $json.login }}') },
			items,
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim, { protectedUserGroups: 'Tenant Admin' }),
		});
		expect(output.map((i) => i.json.status)).toEqual(['disabled', 'disabled', 'refused']);
		expect(output.map((i) => i.json.error ?? i.json.userName)).toEqual([
			'rlee',
			'jdoe',
			'Item 3: will not disable user "tapicompany/tapicompany": "tapicompany/tapicompany" is a member of the user group "Tenant Admin", listed under Protected User Groups',
		]);
		expect(requestsTo(sim, 'user/{id}').map((r) => r.path)).toEqual([
			'/commandcenter/api/User/1304',
			'/commandcenter/api/User/1301',
			'/commandcenter/api/User/1251',
		]);
		expect(changes().map((r) => r.path)).toEqual(['/commandcenter/api/User/1304/Disable', '/commandcenter/api/User/1301/Disable']);
	});

	it('Dry Run reports wouldRefuse with the reason, and changes nothing', async () => {
		const { output, error } = await run('offboard', userByName('jdoe'), accessTokenCredential(sim, { protectedUsers: 'jdoe' }), { dryRun: true });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			dryRun: true,
			wouldRefuse: { reason: '"jdoe" is listed under Protected Users', remedy: expect.stringMatching(/Protected Users/) },
			status: 'wouldRefuse',
			message: 'Would refuse to offboard user "jdoe" (ID 1301): "jdoe" is listed under Protected Users. Nothing was changed in Commvault.',
		});
		expect(changes()).toEqual([]);

		const allowed = await run('offboard', userByName('rlee'), accessTokenCredential(sim, { protectedUsers: 'jdoe' }), { dryRun: true });
		expect(allowed.output[0].json.wouldRefuse).toBeUndefined();
	});
});
