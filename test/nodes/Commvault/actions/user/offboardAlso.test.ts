import { runCommvaultNode, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, passwordCredential, startSimulator, useSimulator } from '../../../../support/simulator';
import { JDOE_ALSO_WRITES, jdoeOffboardedWithAlso, PREVIEW_SAYS } from '../../../../support/expectations';

const ALL = ['removeFromUserGroups', 'logOffSessions', 'disableAccount', 'revokeAccessTokens'];
const offboard = (user: object, options: object) => ({ resource: 'user', operation: 'offboard', user, options });
// The password credential's login changes nothing in Commvault.
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET' && r.endpoint !== 'login').map((r) => `${r.method} ${r.endpoint}`);
const methodsSent = (sim: Simulator) => new Set(sim.requests.filter((r) => r.endpoint !== 'login').map((r) => r.method));

describe('User → Offboard, "Also" steps', () => {
	const sim = useSimulator();

	it('after the offboard, runs every chosen step in the fixed order and reports each as done', async () => {
		const { output, error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL }), credentials: passwordCredential(sim) });

		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(jdoeOffboardedWithAlso({ removeFromUserGroups: true, revokeAccessTokens: true }));
		expect(writes(sim)).toEqual(JDOE_ALSO_WRITES);
		const jdoe = sim.state.getUser(1301);
		expect([jdoe?.enabled, jdoe?.userGroupIds, sim.state.leaver.sessionsOf(1301), sim.state.leaver.tokensOf(1301)]).toEqual([false, [], [], []]);
	});

	it('marks the steps not chosen as skipped', async () => {
		const { output } = await runCommvaultNode({
			parameters: offboard(userByName('jdoe'), { alsoDo: ['disableAccount', 'logOffSessions'] }),
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json.steps).toEqual({ disableAccount: 'done', logOffSessions: 'done', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' });
		expect(writes(sim)).toEqual(['POST user/offboard', 'PUT user/{id}/disable', 'DELETE sessions']);
	});

	it('runs no step when the offboard itself failed', async () => {
		const { error } = await runCommvaultNode({ parameters: offboard(userByName('legal.hold'), { alsoDo: ALL }), credentials: passwordCredential(sim) });
		expect(error?.message).toMatch(/legal hold/);
		expect(writes(sim)).toEqual(['POST user/offboard']);
	});

	it('refuses a protected user before the offboard or any step', async () => {
		const { error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL }), credentials: passwordCredential(sim, { protectedUsers: 'jdoe' }) });
		expect(error?.message).toBe('Item 1: will not offboard user "jdoe": "jdoe" is listed under Protected Users');
		expect(writes(sim)).toEqual([]);
	});

	it('refuses Also → Revoke Access Tokens with an access-token credential before the offboard: nothing is sent', async () => {
		const { output, error } = await runCommvaultNode({
			parameters: offboard(userByName('jdoe'), { alsoDo: ALL }),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			status: 'refused',
			userName: 'jdoe',
			error: 'Item 1: will not offboard user "jdoe": Also → Revoke Access Tokens needs a username-and-password credential, not an access token',
			details: { reason: 'tokenCredential', subject: 'user "jdoe"' },
		});
		expect(String((output[0].json.details as { description?: string }).description)).toMatch(
			/From Commvault 11\.42, an access token cannot create, edit or delete access tokens .* username and password of a service account .* Or remove Revoke Access Tokens from Also\. Nothing was sent to Commvault\.$/,
		);
		expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
		const jdoe = sim.state.getUser(1301);
		expect([jdoe?.enabled, sim.state.leaver.sessionsOf(1301).length, sim.state.leaver.tokensOf(1301).length]).toEqual([true, 2, 2]);
	});

	describe('Dry Run', () => {
		it('with an access-token credential and Also → Revoke Access Tokens, says the real run would refuse, sending only GETs', async () => {
			const { output, error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL, dryRun: true }), credentials: accessTokenCredential(sim) });

			expect(error).toBeUndefined();
			expect(output[0].json).toMatchObject({ status: 'wouldRefuse', dryRun: true, wouldRefuse: { reason: expect.stringMatching(/^Also → Revoke Access Tokens needs a username-and-password credential: from Commvault 11\.42/) } });
			expect(output[0].json.message).toMatch(/^Would refuse to offboard user "jdoe" \(ID 1301\): Also → Revoke Access Tokens needs a username-and-password credential: .*Nothing was changed in Commvault\.$/);
			expect(methodsSent(sim)).toEqual(new Set(['GET']));
			expect(sim.state.leaver.tokensOf(1301)).toHaveLength(2);
		});

		it('reports each Also step it would take and the requests it would send, sending only GETs', async () => {
			const { output, error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL, dryRun: true }), credentials: passwordCredential(sim) });

			expect(error).toBeUndefined();
			expect(output[0].json.alsoSteps).toEqual({
				disableAccount: 'would disable the account',
				logOffSessions: 'would log off 2 sessions',
				revokeAccessTokens: 'would revoke 2 access tokens',
				removeFromUserGroups: 'would remove it from 1 user group',
			});
			expect(output[0].json.requests).toEqual([
				{ method: 'POST', path: '/User/Offboard' },
				{ method: 'PUT', path: '/User/1301/Disable' },
				{ method: 'DELETE', path: '/Sessions' },
				{ method: 'DELETE', path: '/V4/AccessToken/701' },
				{ method: 'DELETE', path: '/V4/AccessToken/702' },
				{ method: 'PUT', path: '/V4/user/1301' },
			]);
			expect(output[0].json.message).toBe(
				`Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients, then disable the account, log off 2 sessions, revoke 2 access tokens, remove it from 1 user group. Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
			);
			expect(methodsSent(sim)).toEqual(new Set(['GET']));
			expect(sim.requests.find((r) => r.endpoint === 'user/{id}')?.query).toEqual({ level: '40' });
			expect([sim.state.leaver.sessionsOf(1301).length, sim.state.leaver.tokensOf(1301).length, sim.state.getUser(1301)?.enabled]).toEqual([2, 2, true]);
		});

		it('lists its requests in the same shape, and the same requests, as the real run\'s audit trail', async () => {
			const preview = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL, dryRun: true }), credentials: passwordCredential(sim) });
			const real = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL }), credentials: passwordCredential(sim) });
			expect(real.output[0].json.status).toBe('offboarded');
			expect(preview.output[0].json.requests).toEqual(real.output[0].json.requests);
			for (const request of real.output[0].json.requests as object[]) expect(Object.keys(request)).toEqual(['method', 'path']);
		});

		it('says which kind could not be read instead of failing the report', async () => {
			sim.queueResponse({ endpoint: 'v4/accesstoken', status: 404, body: { errorCode: 2, errorMessage: 'Requested Details not found' } });
			const { output, error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL, dryRun: true }), credentials: passwordCredential(sim) });
			expect(error).toBeUndefined();
			expect((output[0].json.impact as { accessTokens: unknown }).accessTokens).toEqual({ unavailable: 'Requested Details not found' });
			expect((output[0].json.alsoSteps as { revokeAccessTokens: string }).revokeAccessTokens).toBe('would revoke its access tokens (they could not be read)');
			expect(methodsSent(sim)).toEqual(new Set(['GET']));
		});
	});

	describe('a failed step', () => {
		let strict: Simulator;
		beforeAll(async () => {
			strict = await startSimulator({ revokeOthersAccessTokens: false });
		});
		afterAll(async () => {
			await strict.stop();
		});
		beforeEach(() => strict.reset());

		it('does not stop the later steps nor hide the ones done: the item fails and says what was done', async () => {
			const { error } = await runCommvaultNode({ parameters: offboard(userByName('jdoe'), { alsoDo: ALL }), credentials: passwordCredential(strict) });

			expect(error?.message).toBe('User does not have permission to revoke access tokens of another user.');
			expect(error?.description).toMatch(
				/^The user was offboarded; done: disabling the account afterwards, logging off their sessions, removing them from their user groups; only revoking their access tokens failed\. Failed for item 1, user "jdoe"\./,
			);
			const jdoe = strict.state.getUser(1301);
			expect([jdoe?.enabled, jdoe?.userGroupIds, strict.state.leaver.sessionsOf(1301).length, strict.state.leaver.tokensOf(1301).length]).toEqual([false, [], 0, 2]);
		});

		it('under continue-on-fail, the failed item carries every step with its status and Commvault\'s reason', async () => {
			const items = [{ json: { name: 'jdoe' } }, { json: { name: 'mroe' } }];
			const { output, error } = await runCommvaultNode({
				parameters: offboard(userByName('={{ $json.name }}'), { alsoDo: ALL }),
				items,
				onError: 'continueRegularOutput',
				credentials: passwordCredential(strict),
			});
			expect(error).toBeUndefined();
			expect(output[0].json).toMatchObject({
				error: 'User does not have permission to revoke access tokens of another user.',
				details: {
					itemIndex: 0,
					steps: {
						disableAccount: 'done',
						logOffSessions: 'done',
						revokeAccessTokens: { status: 'failed', reason: 'User does not have permission to revoke access tokens of another user.' },
						removeFromUserGroups: 'done',
					},
				},
			});
			// mroe has no sessions or tokens: nothing to refuse, every step is done.
			expect(output[1].json).toMatchObject({ userName: 'mroe', steps: { revokeAccessTokens: 'done' }, tokensRevoked: [], sessionsEnded: [] });
		});
	});
});
