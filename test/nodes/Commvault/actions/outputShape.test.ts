import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../../harness/engine';
import type { Simulator } from '../../../support/simulator';
import { passwordCredential, useSimulator } from '../../../support/simulator';

/*
 * The one output shape (nodes/Commvault/output/outcome.ts), pinned for every operation: a success
 * and a failure each start with status, userId, userName and message, and a failure keeps n8n's
 * error and details. The other suites check what each operation does; this one checks how it says so.
 */

const COMMON = ['status', 'userId', 'userName', 'message'];
const none = { __rl: true, mode: 'list', value: '' };
const laptopOf = (sim: Simulator, name: string) => sim.state.leaver.activeLaptops().find((laptop) => laptop.name === name)!.clientId;

interface Case {
	operation: string;
	/** The node's parameters for a user (by name); `laptop` is the ID of LT-JDOE-01. */
	parameters: (user: IDataObject, laptop: number) => IDataObject;
	status: string;
	user: [number, string];
	message: string | RegExp;
	/** Whether the item carries Commvault's reply under `raw`. */
	raw: boolean;
}

const user = (operation: string, extra: IDataObject = {}) => (u: IDataObject) => ({ resource: 'user', operation, user: u, ...extra });

const CASES: Case[] = [
	{
		operation: 'user → offboard',
		parameters: user('offboard'),
		status: 'offboarded',
		user: [1301, 'jdoe'],
		message: 'Offboarded user "jdoe": Commvault confirmed the offboard, which removes the user as owner of the subclients and VM clients they still own, disables those backups and removes their role. Its reply does not say whether anything was left to remove (after an earlier offboard, nothing is).',
		raw: true,
	},
	{
		operation: 'user → offboard (dry run)',
		parameters: user('offboard', { options: { dryRun: true } }),
		status: 'wouldOffboard',
		user: [1301, 'jdoe'],
		message:
			'Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients. Nothing was changed in Commvault. Checked: the user exists, is not a protected account, and what they hold. Commvault may still refuse the real offboard (e.g. a legal hold or a running job): only Commvault decides that when it runs.',
		raw: false,
	},
	{
		operation: 'user → disable',
		parameters: user('disable'),
		status: 'disabled',
		user: [1301, 'jdoe'],
		message: 'Disabled user "jdoe": they can no longer log in. Commvault keeps the account and what it owns.',
		raw: true,
	},
	{ operation: 'user → enable', parameters: user('enable'), status: 'enabled', user: [1301, 'jdoe'], message: 'Enabled user "jdoe": they can log in again.', raw: true },
	{
		operation: 'user → delete',
		parameters: user('delete', { transferToUser: userByName('rlee'), transferToUserGroup: none }),
		status: 'deleted',
		user: [1301, 'jdoe'],
		message: 'Deleted user "jdoe"; what they owned now belongs to user "rlee".',
		raw: true,
	},
	{ operation: 'user → get', parameters: user('get'), status: 'found', user: [1301, 'jdoe'], message: 'Found user "jdoe".', raw: false },
	{
		operation: 'user → get (Simplify off)',
		parameters: user('get', { simple: false }),
		status: 'found',
		user: [1301, 'jdoe'],
		message: 'Found user "jdoe".',
		raw: true,
	},
	{
		operation: 'user → logOffSessions',
		parameters: user('logOffSessions'),
		status: 'loggedOff',
		user: [1301, 'jdoe'],
		message: 'Logged off 2 sessions of user "jdoe".',
		raw: true,
	},
	{
		operation: 'user → revokeAccessTokens',
		parameters: user('revokeAccessTokens'),
		status: 'tokensRevoked',
		user: [1301, 'jdoe'],
		message: 'Revoked 2 access tokens of user "jdoe".',
		raw: true,
	},
	{
		operation: 'user → removeFromUserGroups',
		parameters: user('removeFromUserGroups'),
		status: 'removedFromGroups',
		user: [1301, 'jdoe'],
		message: 'Removed user "jdoe" from 1 user group.',
		raw: true,
	},
	{
		operation: 'laptop → getAll',
		parameters: (u) => ({ resource: 'laptop', operation: 'getAll', user: u }),
		status: 'found',
		user: [1301, 'jdoe'],
		message: /^Laptop "LT-JDOE-01" \(ID \d+\) of user "jdoe"\.$/,
		raw: true,
	},
	{
		operation: 'laptop → retire',
		parameters: (_u, laptop) => ({ resource: 'laptop', operation: 'retire', laptopId: laptop }),
		status: 'retired',
		user: [1301, 'jdoe'],
		message: /^Retired laptop "LT-JDOE-01" \(ID \d+\): Commvault uninstalls its software and releases its licence in job \d+\.$/,
		raw: true,
	},
	{
		operation: 'laptop → changeOwner',
		parameters: (_u, laptop) => ({ resource: 'laptop', operation: 'changeOwner', laptopId: laptop, newOwner: userByName('rlee') }),
		status: 'ownerChanged',
		user: [1304, 'rlee'],
		message: /^Laptop "LT-JDOE-01" \(ID \d+\) now belongs to user "rlee" only\.$/,
		raw: true,
	},
];

describe('one output shape for every operation', () => {
	const sim = useSimulator();

	describe.each(CASES)('$operation', ({ parameters, status, user: [userId, userName], message, raw }) => {
		it(`succeeds with status "${status}", the user, a plain message${raw ? " and Commvault's reply under raw" : ''}`, async () => {
			const { output, error } = await runCommvaultNode({ parameters: parameters(userByName('jdoe'), laptopOf(sim, 'LT-JDOE-01')), credentials: passwordCredential(sim) });
			expect(error).toBeUndefined();
			const [{ json }] = output;
			expect(Object.keys(json).slice(0, 4)).toEqual(COMMON);
			expect(json).toMatchObject({ status, userId, userName });
			expect(json.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
			expect(json.raw !== undefined).toBe(raw);
			if (raw) expect(Object.keys(json).at(-1)).toBe('raw');
			expect(json).not.toHaveProperty('error');
		});
	});

	// Every operation that takes the User field fails an unknown user the same way; the laptop ones
	// that take a laptop fail an unknown laptop.
	it.each(CASES.filter(({ operation }) => !/retire|changeOwner/.test(operation)).map((c) => [c.operation, c]))(
		'%s: an unknown user fails with status "notFound", the name given, the message, error and details',
		async (_name, { parameters }) => {
			const { output } = await runCommvaultNode({
				parameters: parameters(userByName('ghost'), 0),
				onError: 'continueRegularOutput',
				credentials: passwordCredential(sim),
			});
			const [{ json }] = output;
			expect(Object.keys(json)).toEqual([...COMMON, 'error', 'details']);
			expect(json).toEqual({
				status: 'notFound',
				userId: null,
				userName: 'ghost',
				message: 'User "ghost" not found in Commvault',
				error: 'User "ghost" not found in Commvault',
				details: expect.objectContaining({ itemIndex: 0, reason: 'userNotFound' }),
			});
		},
	);

	it.each([
		['retire', {}],
		['changeOwner', { newOwner: userByName('rlee') }],
	])('laptop → %s: an unknown laptop fails with the common fields, error and details', async (operation, extra) => {
		const { output } = await runCommvaultNode({
			parameters: { resource: 'laptop', operation, laptopId: 4242, ...extra },
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});
		const [{ json }] = output;
		expect(Object.keys(json)).toEqual([...COMMON, 'error', 'details']);
		expect(json).toMatchObject({ status: 'notFound', userId: null, userName: null, message: json.error });
	});

	it("a refusal inside an HTTP 200 is \"refused\", with Commvault's code and reply", async () => {
		const { output, errorOutput } = await runCommvaultNode({
			parameters: user('offboard')(userByName('legal.hold')),
			onError: 'continueErrorOutput',
			credentials: passwordCredential(sim),
		});
		expect(output).toEqual([]);
		const [{ json }] = errorOutput;
		expect(Object.keys(json)).toEqual([...COMMON, 'commvaultErrorCode', 'error', 'details', 'raw']);
		const commvaultSays = 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.';
		expect(json).toMatchObject({ status: 'refused', userId: 1305, userName: 'legal.hold', message: commvaultSays, commvaultErrorCode: 3, error: commvaultSays });
		expect(json.raw).toEqual({ errorCode: 3, errorMessage: commvaultSays });
	});

	it('a protected account is "refused" before anything is sent, naming the user', async () => {
		const { output } = await runCommvaultNode({
			parameters: user('disable')(userByName('jdoe')),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim, { protectedUsers: 'jdoe' }),
		});
		expect(output[0].json).toMatchObject({ status: 'refused', userId: 1301, userName: 'jdoe', details: { reason: 'protectedAccount' } });
	});

	it('a run over Max Users per Run is "refused" for every item, before anything is sent', async () => {
		const { output } = await runCommvaultNode({
			parameters: user('disable', { options: { maxUsersPerRun: 1 } })(userByName('={{ $json.login }}')),
			items: [{ json: { login: 'jdoe' } }, { json: { login: 'rlee' } }],
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});
		expect(output.map((item) => [item.json.status, item.json.userId, item.json.userName, item.json.details])).toEqual([
			['refused', null, null, expect.objectContaining({ reason: 'batchLimit' })],
			['refused', null, null, expect.objectContaining({ reason: 'batchLimit' })],
		]);
		expect(sim.requests.filter((request) => request.method !== 'GET')).toEqual([]);
	});

	it('an "Also" step that fails after the offboard is "partlyDone", with the steps', async () => {
		sim.queueResponse({ endpoint: 'sessions', status: 200, body: { errorCode: 5, errorMessage: 'Access denied' } });
		const { output } = await runCommvaultNode({
			parameters: user('offboard', { options: { alsoDo: ['logOffSessions'] } })(userByName('jdoe')),
			onError: 'continueRegularOutput',
			credentials: passwordCredential(sim),
		});
		expect(output[0].json).toMatchObject({
			status: 'partlyDone',
			userId: 1301,
			userName: 'jdoe',
			commvaultErrorCode: 5,
			details: { steps: expect.objectContaining({ logOffSessions: expect.objectContaining({ status: 'failed' }) }) },
		});
	});
});
