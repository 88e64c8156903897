import { audited, runCommvaultNode, shaped, runWithAnUnknownUser, userByEmail, userById, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

const removeGroups = (user: object, extra: object = {}) => ({ resource: 'user', operation: 'removeFromUserGroups', user, ...extra });
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe('User → Remove From User Groups', () => {
	// Reset before each test, then the set-up below.
	const sim = useSimulator();

	beforeEach(() => {
		sim.state.getUser('jdoe')!.userGroupIds.push(3, 4);
	});

	it.each([
		['name', userByName('jdoe')],
		['email', userByEmail('jdoe@example.com')],
		['ID', userById(1301)],
	])('by %s: reads the groups at level 40, then PUT /V4/user/{id} with userGroupOperation DELETE for all of them', async (_mode, user) => {
		const { output, error } = await runCommvaultNode({ parameters: removeGroups(user), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(shaped('removedFromGroups', [1301, 'jdoe'], {
			userGroupsRemoved: [
				{ id: 2, name: 'Laptop Users' },
				{ id: 3, name: 'View All' },
				{ id: 4, name: 'Helpdesk' },
			],
			...audited(['PUT', '/V4/user/1301']),
		}));
		expect(sim.requests.find((r) => r.path.endsWith('/User/1301'))?.query).toEqual({ level: '40' });
		expect(writes(sim).map((r) => r.body)).toEqual([{ userGroupOperation: 'DELETE', userGroups: [{ id: 2 }, { id: 3 }, { id: 4 }] }]);
		expect(sim.state.getUser(1301)?.userGroupIds).toEqual([]);
	});

	it('removes only the listed groups (names or IDs), and reports the listed ones the user is not in', async () => {
		const parameters = removeGroups(userByName('jdoe'), { groups: 'listed', userGroups: 'view all, 4, master' });
		const { output } = await runCommvaultNode({ parameters, credentials: accessTokenCredential(sim) });
		expect(output[0].json).toMatchObject({
			userGroupsRemoved: [
				{ id: 3, name: 'View All' },
				{ id: 4, name: 'Helpdesk' },
			],
			notMemberOf: ['master'],
		});
		expect(sim.state.getUser(1301)?.userGroupIds).toEqual([2]);
	});

	it('reads the user back at level 40, and fails naming the groups still listed when Commvault did not act', async () => {
		sim.queueResponse({ endpoint: 'v4/user/{id}', method: 'PUT', body: { errorCode: 0, errorMessage: '' } });
		const { output } = await runCommvaultNode({
			parameters: removeGroups(userByName('jdoe')),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json).toMatchObject({
			status: 'failed',
			userId: 1301,
			error: 'Item 1: still a member of "Laptop Users", "View All", "Helpdesk" after the removal',
			details: { reason: 'notConfirmed', subject: 'user "jdoe"' },
		});
		expect(sim.requests.filter((r) => r.path.endsWith('/User/1301')).map((r) => r.query)).toEqual([{ level: '40' }, { level: '40' }]);
	});

	it('fails an empty list of groups before anything is sent', async () => {
		const { error } = await runCommvaultNode({ parameters: removeGroups(userByName('jdoe'), { groups: 'listed', userGroups: ' , ' }), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Item 1: no user groups listed');
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a protected user before anything that changes Commvault is sent', async () => {
		const { error } = await runCommvaultNode({ parameters: removeGroups(userByName('jdoe')), credentials: accessTokenCredential(sim, { protectedUsers: 'jdoe' }) });
		expect(error?.message).toBe('Item 1: will not remove the group memberships of user "jdoe": "jdoe" is listed under Protected Users');
		expect(writes(sim)).toHaveLength(0);
	});

	it("fails with Commvault's refusal for an external user, whose groups cannot be modified", async () => {
		const { error } = await runCommvaultNode({ parameters: removeGroups(userByName('acme\\asmith')), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('User groups of the external user [acme\\asmith] cannot be modified.');
		expect(sim.state.getUser(1302)?.userGroupIds).toEqual([6]);
	});

	it('continue on fail: an unknown user fails its item, the others leave their groups', async () => {
		const output = await runWithAnUnknownUser(removeGroups, accessTokenCredential(sim));
		expect(output[2].json).toMatchObject({ userName: 'rlee', userGroupsRemoved: [{ id: 2, name: 'Laptop Users' }] });
		expect(sim.state.getUser(1304)?.userGroupIds).toEqual([]);
	});
});
