import type { IDataObject } from 'n8n-workflow';

import { audited, runCommvaultNode, shaped, userByEmail, userById, userByName, userFromList } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../support/simulator';
import { EXPECTED_USER_COLUMNS } from '../../../../support/expectations';

const none = { __rl: true, mode: 'list', value: '' };
const group = (mode: string, value: string | number) => ({ __rl: true, mode, value });
const remove = (user: IDataObject, owners: { toUser?: IDataObject; toGroup?: IDataObject } = {}) => ({
	resource: 'user',
	operation: 'delete',
	user,
	transferToUser: owners.toUser ?? none,
	transferToUserGroup: owners.toGroup ?? none,
});
const deletes = (sim: Simulator) => sim.requests.filter((r) => r.method === 'DELETE');

describe('User → Delete', () => {
	const sim = useSimulator();

	it('deletes a user and hands what it owned to a user given by name, resolved to its ID first (the documented ID form)', async () => {
		const owned = sim.state.subclientsOwnedBy(1301).length + sim.state.vmClientsOwnedBy(1301).length;
		const { output, error } = await runCommvaultNode({
			parameters: remove(userByName('jdoe'), { toUser: userByName('rlee') }),
			credentials: accessTokenCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output).toEqual([
			{
				json: shaped('deleted', [1301, 'jdoe'], {
					deleted: true,
					transferredTo: { userId: 1304, userName: 'rlee' },
					...audited(['DELETE', '/User/1301?newUserId=1304&newUserGroupId=0']),
				}),
				pairedItem: { item: 0 },
			},
		]);
		const [call] = deletes(sim);
		expect(call.path).toBe('/commandcenter/api/User/1301');
		expect(call.query).toEqual({ newUserId: '1304', newUserGroupId: '0' });
		// Only IDs reach Commvault's DELETE: the new owner was looked up by name before it.
		expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([
			{ level: '10', fl: EXPECTED_USER_COLUMNS, fq: 'name:eq:jdoe' },
			{ level: '10', fl: EXPECTED_USER_COLUMNS, fq: 'name:eq:rlee' },
		]);
		expect(sim.requests.filter((r) => /byName/i.test(r.path) || Object.values(r.query).some((v) => /byName/i.test(String(v))))).toEqual([]);
		expect(sim.state.getUser('jdoe')).toBeUndefined();
		expect(sim.state.subclientsOwnedBy(1304).length + sim.state.vmClientsOwnedBy(1304).length).toBe(owned);
	});

	it.each([
		['a user by ID', { toUser: userById(' 1304 ') }, { newUserId: '1304', newUserGroupId: '0' }, { userId: 1304 }],
		['a user from the list', { toUser: userFromList('1304', 'rlee') }, { newUserId: '1304', newUserGroupId: '0' }, { userId: 1304 }],
		['a user group from the list', { toGroup: group('list', '4') }, { newUserId: '0', newUserGroupId: '4' }, { userGroupId: 4 }],
		['a user group by ID', { toGroup: group('id', 4) }, { newUserId: '0', newUserGroupId: '4' }, { userGroupId: 4 }],
		[
			'a user group by name',
			{ toGroup: group('name', "Helpdesk") },
			{ newUserId: '0', newUserGroupId: '4' },
			{ userGroupId: 4, userGroupName: 'Helpdesk' },
		],
	])('transfers the ownership to %s (0 for the owner not sent)', async (_case, owners, query, transferredTo) => {
		const { output, error } = await runCommvaultNode({ parameters: remove(userById(1301), owners), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(shaped('deleted', [1301, 'jdoe'], {
			deleted: true,
			transferredTo,
			...audited(['DELETE', `/User/1301?${new URLSearchParams(query as Record<string, string>)}`]),
		}));
		expect(deletes(sim)[0].query).toEqual(query);
		expect(sim.state.getUser(1301)).toBeUndefined();
	});

	it('deletes a user found by email', async () => {
		const { output } = await runCommvaultNode({
			parameters: remove(userByEmail('rlee@example.com'), { toUser: userByName('admin') }),
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json).toMatchObject({ status: 'deleted', userId: 1304, userName: 'rlee', deleted: true });
	});

	it('a deleted user is gone: deleting or getting it again says "user not found"', async () => {
		await runCommvaultNode({ parameters: remove(userByName('jdoe'), { toUser: userByName('rlee') }), credentials: accessTokenCredential(sim) });
		const again = await runCommvaultNode({ parameters: remove(userByName('jdoe'), { toUser: userByName('rlee') }), credentials: accessTokenCredential(sim) });
		expect((again.error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		const get = await runCommvaultNode({ parameters: { resource: 'user', operation: 'get', user: userById(1301) }, credentials: accessTokenCredential(sim) });
		expect((get.error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		expect(deletes(sim)).toHaveLength(1);
	});

	describe('refuses, sending nothing', () => {
		it('without a new owner', async () => {
			const { error } = await runCommvaultNode({ parameters: remove(userByName('jdoe')), credentials: accessTokenCredential(sim) });
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toBe('Item 1: no new owner for what user "jdoe" owns');
			expect(error?.description).toMatch(/Set "Transfer Ownership to User" or "Transfer Ownership to User Group"\. Nothing was sent/);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(0);
			expect(sim.requests).toHaveLength(0);
			expect(sim.state.getUser('jdoe')).toBeDefined();
		});

		it('when the new owner expressions resolve to nothing', async () => {
			const { error } = await runCommvaultNode({
				parameters: remove(userByName('jdoe'), { toUser: userByName('={{ $json.manager }}'), toGroup: group('name', '={{ $json.team }}') }),
				items: [{ json: { manager: '   ' } }],
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe('Item 1: no new owner for what user "jdoe" owns');
			expect(sim.requests).toHaveLength(0);
		});

		it('with both a new owner user and a user group', async () => {
			const { error } = await runCommvaultNode({
				parameters: remove(userByName('jdoe'), { toUser: userByName('rlee'), toGroup: group('id', 4) }),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe('Item 1: two new owners for what user "jdoe" owns');
			expect(sim.requests).toHaveLength(0);
		});

		it('with an unusable new owner group ID', async () => {
			const { error } = await runCommvaultNode({
				parameters: remove(userByName('jdoe'), { toGroup: group('id', '={{ "4x" }}') }),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe('Item 1: "4x" is not a Commvault user group ID');
			expect(sim.requests).toHaveLength(0);
		});
	});

	it.each([
		['name', userByName('ghost'), 'User "ghost" not found in Commvault'],
		['ID', userById(4242), 'User ID 4242 not found in Commvault'],
	])('fails an unknown user (by %s) with the "user not found" error, deleting nothing', async (_mode, user, message) => {
		const { error } = await runCommvaultNode({ parameters: remove(user, { toUser: userByName('rlee') }), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe(message);
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		expect(deletes(sim)).toHaveLength(0);
	});

	it.each([
		['an unknown new owner ID', userByName('jdoe'), { toUser: userById(4242) }, 'New owner user [4242] does not exist.'],
	])("passes Commvault's refusal (response[].errorCode) on: %s", async (_case, user, owners, message) => {
		const { error } = await runCommvaultNode({ parameters: remove(user, owners), credentials: accessTokenCredential(sim) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/Check the user \(and any new owner\) in Command Center .*then run this item again\.$/);
		expect((error as { httpCode?: string }).httpCode).toBe('Commvault error 2');
		expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ commvaultErrorCode: 2 });
		// The user to delete exists: this is not a "user not found".
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
		expect(sim.state.users).toHaveLength(10);
	});

	it.each([
		['user', { toUser: userByName('nobody') }, 'New owner user "nobody" not found in Commvault'],
		['user group', { toGroup: group('name', 'Nobodies') }, 'New owner user group "Nobodies" not found in Commvault'],
	])('fails a new owner %s given by a name Commvault does not know, deleting nothing', async (_kind, owners, message) => {
		const { error } = await runCommvaultNode({ parameters: remove(userByName('jdoe'), owners), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/^Failed for item 1, new owner .*then run this item again\. Nothing was deleted\.$/);
		// Not the "user not found" of the user to delete, which a workflow may branch on.
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
		expect(deletes(sim)).toHaveLength(0);
		expect(sim.state.getUser('jdoe')).toBeDefined();
	});

	it('never re-sends a DELETE that may have reached Commvault', async () => {
		sim.queueResponse({ endpoint: 'user/{id}', method: 'DELETE', status: 502, html: '<html><head><title>502 - Bad Gateway</title></head></html>', times: 3 });
		const { error } = await runCommvaultNode({
			parameters: { ...remove(userByName('jdoe'), { toUser: userByName('rlee') }), requestOptions: { maxAttempts: 3, retryDelay: 0.001 } },
			credentials: accessTokenCredential(sim),
		});
		expect(error?.message).toMatch(/502 - Bad Gateway/);
		expect(requestsTo(sim, 'user/{id}').filter((r) => r.method === 'DELETE')).toHaveLength(1);
	});

	describe('continue on fail', () => {
		const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: 'admin' } }, { json: { login: 'mroe' } }];
		const parameters = remove(userByName('={{ $json.login }}'), { toUser: userByName('rlee') });

		it('"Continue" deletes the others and keeps pairedItem', async () => {
			const { output, error } = await runCommvaultNode({ parameters, items, onError: 'continueRegularOutput', credentials: accessTokenCredential(sim) });
			expect(error).toBeUndefined();
			expect(output.map((i) => [i.json.status, i.json.userName, i.json.error, i.pairedItem])).toEqual([
				['deleted', 'jdoe', undefined, { item: 0 }],
				['notFound', 'ghost', 'User "ghost" not found in Commvault', { item: 1 }],
				['refused', 'admin', 'Item 3: will not delete user "admin": "admin" is Commvault\'s built-in administrator', { item: 2 }],
				['deleted', 'mroe', undefined, { item: 3 }],
			]);
			expect(output[1].json.details).toMatchObject({ reason: 'userNotFound' });
			expect(sim.state.users.map((u) => u.userName)).not.toContain('mroe');
		});

		it('"Continue (using error output)" routes the failed items there', async () => {
			const { output, errorOutput } = await runCommvaultNode({ parameters, items, onError: 'continueErrorOutput', credentials: accessTokenCredential(sim) });
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
			expect(errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		});
	});
});
