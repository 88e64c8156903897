import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByEmail, userById, userByName, userFromList } from '../../../../harness/engine';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../support/simulator';
import { EXPECTED_USER_COLUMNS } from '../../../../support/expectations';

const get = (user: IDataObject, extra: IDataObject = {}) => ({ resource: 'user', operation: 'get', user, ...extra });

describe('User → Get', () => {
	const sim = useSimulator();

	const JDOE = {
		status: 'found',
		userId: 1301,
		userName: 'jdoe',
		message: 'Found user "jdoe".',
		email: 'jdoe@example.com',
		fullName: 'John Doe',
		description: 'Finance',
		enabled: true,
		locked: false,
		company: 'Commcell',
		userGroups: ['Laptop Users'],
		lastLogin: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
	};

	it('gets a user by ID with GET /User/{id}, simplified', async () => {
		const { output, error } = await runCommvaultNode({ parameters: get(userById('1301')), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({ ...JDOE, userPrincipalName: '' });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(sim.requests.filter((r) => r.endpoint !== 'v2/whoami').map((r) => [r.method, r.path, r.query])).toEqual([
			// level 40 is the documented level that returns associatedUserGroups
			['GET', '/commandcenter/api/User/1301', { level: '40' }],
		]);
	});

	it('gets a user by name: looks the ID up with an exact-name filter, then reads the full user', async () => {
		const { output } = await runCommvaultNode({ parameters: get(userByName(' acme\\asmith ')), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toMatchObject({
			userId: 1302,
			userName: 'acme\\asmith',
			company: 'Acme Corp',
			userPrincipalName: 'asmith@acme.example.com',
			userGroups: ['acme\\Tenant Users'],
		});
		const [list] = requestsTo(sim, 'user');
		expect(list.query).toEqual({ level: '10', fl: EXPECTED_USER_COLUMNS, fq: 'name:eq:acme\\asmith' });
		expect(requestsTo(sim, 'user/{id}').map((r) => r.path)).toEqual(['/commandcenter/api/User/1302']);
	});

	it('gets a user by email (case-insensitive) and from the list', async () => {
		const byEmail = await runCommvaultNode({ parameters: get(userByEmail('JDoe@Example.com')), credentials: accessTokenCredential(sim) });
		expect(byEmail.output[0].json).toMatchObject({ userId: 1301, userName: 'jdoe' });
		// An email costs two filtered queries (email, then UPN), so the node reads the user list's first page
		// instead; the simulator's tenant fits on it, and the address is matched there, as email or UPN.
		expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([{ level: '10', fl: EXPECTED_USER_COLUMNS, start: '0', limit: '1000' }]);

		const fromList = await runCommvaultNode({ parameters: get(userFromList('1303', 'mroe')), credentials: accessTokenCredential(sim) });
		expect(fromList.output[0].json).toMatchObject({ userId: 1303, userName: 'mroe', enabled: false });
	});

	it('finds a user by UPN when the address is not its email, case-insensitively, as Commvault\'s connectors match', async () => {
		const asmith = sim.state.getUser(1302)!;
		asmith.upn = 'Alice.Smith@acme.example.com';
		const { output, error } = await runCommvaultNode({ parameters: get(userByEmail('alice.smith@ACME.example.com')), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ userId: 1302, email: 'asmith@acme.example.com', userPrincipalName: 'Alice.Smith@acme.example.com' });
		expect(requestsTo(sim, 'user').map((r) => r.query.fq)).toEqual([undefined]);
	});

	it('looks an email up with its two filters when the user list is too long to read for one user', async () => {
		// The first page says the tenant has 100,000 users: reading them all costs more than the two queries.
		sim.queueResponse({ endpoint: 'user', body: { users: [], filterQueryCount: 100_000 } });
		const asmith = sim.state.getUser(1302)!;
		asmith.upn = 'Alice.Smith@acme.example.com';
		const { output, error } = await runCommvaultNode({ parameters: get(userByEmail('alice.smith@ACME.example.com')), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ userId: 1302, userPrincipalName: 'Alice.Smith@acme.example.com' });
		expect(requestsTo(sim, 'user').map((r) => r.query.fq)).toEqual([
			undefined,
			'users.email:eq:alice.smith@ACME.example.com',
			'users.UPN:eq:alice.smith@ACME.example.com',
		]);
	});

	it('finds users by email although Commvault lists them bare without level=10: the node asks for it', async () => {
		await runCommvaultNode({ parameters: get(userByEmail('jdoe@example.com')), credentials: accessTokenCredential(sim) });
		// Without level the simulator answers only userEntity {userName, userId}, as documented: the email match would find no one.
		expect(requestsTo(sim, 'user').every((r) => r.query.level === '10')).toBe(true);
	});

	describe('errorCode 2 on GET /User/{id}, which Commvault documents only as "a failure"', () => {
		it('is a refusal, not "user not found", when the user list shows the user', async () => {
			sim.queueResponse({ endpoint: 'user/{id}', body: { errorCode: 2, errorMessage: 'User does not have the permission to view user [jdoe].' } });
			const { error } = await runCommvaultNode({ parameters: get(userById(1301)), credentials: accessTokenCredential(sim) });
			expect(error?.message).toBe('User does not have the permission to view user [jdoe].');
			const details = (error as { errorResponse?: IDataObject }).errorResponse;
			expect(details).toMatchObject({ reason: 'userRefused', commvaultErrorCode: 2 });
			expect(error?.description).toMatch(/^Failed for item 1, user ID 1301\. Commvault refused to read this user \(error code 2\), although the user exists/);
			expect(error?.description).toMatch(/lacks permission.* Ask your Commvault administrator for a role with user management permissions on this user .*then run this item again\.$/);
			expect((error as { httpCode?: string }).httpCode).toBe('Commvault error 2');
			expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([{ level: '10', fl: EXPECTED_USER_COLUMNS, fq: 'users.userEntity.userId:eq:1301' }]);
		});

		it('is "user not found" when the user list confirms there is no such user', async () => {
			const { error } = await runCommvaultNode({ parameters: get(userById(4242)), credentials: accessTokenCredential(sim) });
			expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
			expect(requestsTo(sim, 'user').map((r) => r.query.fq)).toEqual(['users.userEntity.userId:eq:4242']);
		});

		it("stays Commvault's refusal, with no reason guessed, when the user list cannot be read", async () => {
			sim.queueResponse({ endpoint: 'user/{id}', body: { errorCode: 2, errorMessage: 'Failure.' } });
			sim.queueResponse({ endpoint: 'user', status: 403, body: { errorCode: 5, errorMessage: 'Access denied' } });
			const { error } = await runCommvaultNode({ parameters: get(userById(1301)), credentials: accessTokenCredential(sim) });
			expect(error?.message).toBe('Failure.');
			expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
		});
	});

	it('shows a locked account as locked', async () => {
		const { output } = await runCommvaultNode({ parameters: get(userByName('kfrost')), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toMatchObject({ userName: 'kfrost', locked: true });
	});

	it('adds Commvault\'s own user object under "raw" with "Simplify" off', async () => {
		const { output } = await runCommvaultNode({
			parameters: get(userById(1301), { simple: false }),
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json).toMatchObject({ status: 'found', userId: 1301, userName: 'jdoe', fullName: 'John Doe' });
		expect(output[0].json.raw).toMatchObject({
			userEntity: { userId: 1301, userName: 'jdoe' },
			enableUser: true,
			associatedUserGroups: [{ userGroupId: 2, userGroupName: 'Laptop Users' }],
			securityAssociations: expect.any(Object),
		});
	});

	it.each([
		['name', userByName('ghost'), 'User "ghost" not found in Commvault', undefined],
		['email', userByEmail('ghost@example.com'), 'User with email "ghost@example.com" not found in Commvault', undefined],
		// Commvault itself answers an unknown ID (HTTP 200, errorCode 2): the message is the one "not found" wording all the same.
		['ID', userById(4242), 'User ID 4242 not found in Commvault', 2],
	])('fails an unknown user (by %s) with the one "user not found" error', async (_mode, user, message, code) => {
		const { error } = await runCommvaultNode({ parameters: get(user), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/^Failed for item 1, user .*\. Commvault has no such user, /);
		expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ reason: 'userNotFound' });
		expect((error as { errorResponse?: IDataObject }).errorResponse?.commvaultErrorCode).toBe(code);
	});

	it("keeps Commvault's own words and code for an unknown ID: in the description, the details and the error code n8n shows", async () => {
		const { error } = await runCommvaultNode({ parameters: get(userById(4242)), credentials: accessTokenCredential(sim) });
		expect(error?.description).toMatch(/then run this item again\. Commvault said: "User \[4242\] does not exist\." \(error 2\)\.$/);
		expect((error as { httpCode?: string }).httpCode).toBe('Commvault error 2');
		expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ httpStatus: 200, commvaultErrorCode: 2, message: 'User ID 4242 not found in Commvault' });
	});

	it('refuses an email shared by several users, naming them', async () => {
		sim.queueResponse({
			endpoint: 'user',
			body: {
				users: [
					{ userEntity: { userId: 7, userName: 'shared1' }, email: 'team@example.com' },
					{ userEntity: { userId: 8, userName: 'shared2' }, email: 'TEAM@example.com' },
				],
			},
		});
		const { error } = await runCommvaultNode({ parameters: get(userByEmail('team@example.com')), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Item 1: 2 Commvault users have the email or UPN "team@example.com"');
		expect(error?.description).toMatch(/"shared1" \(ID 7\), "shared2" \(ID 8\)\. Choose the user by name or ID/);
	});

	it('ignores near matches that a loose server filter lets through', async () => {
		sim.queueResponse({ endpoint: 'user', body: { users: [{ userEntity: { userId: 9, userName: 'jdoe2' } }] } });
		const { error } = await runCommvaultNode({ parameters: get(userByName('jdoe')), credentials: accessTokenCredential(sim) });
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		expect(requestsTo(sim, 'user/{id}')).toHaveLength(0);
	});

	it("passes Commvault's failures on", async () => {
		sim.queueResponse({ endpoint: 'user/{id}', status: 403, body: { errorCode: 5, errorMessage: 'Access denied for user admin' } });
		const { error } = await runCommvaultNode({ parameters: get(userById(1301)), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Access denied for user admin');
		expect(error?.description).toMatch(/not allowed/);
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
	});

	describe('continue on fail', () => {
		const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: '' } }, { json: { login: 'rlee' } }];
		const parameters = get(userByName('={{ $json.login }}'));

		it('"Continue" outputs the failed items with the userNotFound reason', async () => {
			const { output, error } = await runCommvaultNode({
				parameters,
				items,
				onError: 'continueRegularOutput',
				credentials: accessTokenCredential(sim),
			});
			expect(error).toBeUndefined();
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(output[0].json).toMatchObject({ userName: 'jdoe' });
			expect(output[1].json).toEqual({
				status: 'notFound',
				userId: null,
				userName: 'ghost',
				message: 'User "ghost" not found in Commvault',
				error: 'User "ghost" not found in Commvault',
				details: {
					itemIndex: 1,
					reason: 'userNotFound',
					subject: 'user "ghost"',
					description: expect.stringMatching(/^Failed for item 2, user "ghost"\. Commvault has no such user, /),
				},
			});
			expect(output[2].json).toMatchObject({ error: 'Item 3: the user is empty' });
			expect(output[3].json).toMatchObject({ userName: 'rlee' });
		});

		it('"Continue (using error output)" routes them to the error output', async () => {
			const { output, errorOutput } = await runCommvaultNode({
				parameters,
				items,
				onError: 'continueErrorOutput',
				credentials: accessTokenCredential(sim),
			});
			expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual([
				['jdoe', { item: 0 }],
				['rlee', { item: 3 }],
			]);
			expect(errorOutput.map((i) => [i.json.error, i.pairedItem])).toEqual([
				['User "ghost" not found in Commvault', { item: 1 }],
				['Item 3: the user is empty', { item: 2 }],
			]);
		});
	});
});
