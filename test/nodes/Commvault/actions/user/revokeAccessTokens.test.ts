import { audited, runCommvaultNode, shaped, runWithAnUnknownUser, userByEmail, userById, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, passwordCredential, startSimulator, useSimulator } from '../../../../support/simulator';

const revoke = (user: object, extra: object = {}) => ({ resource: 'user', operation: 'revokeAccessTokens', user, ...extra });
// Revoking needs a username-and-password credential; its login changes nothing in Commvault.
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET' && r.endpoint !== 'login');

describe('User → Revoke Access Tokens', () => {
	const sim = useSimulator();

	it.each([
		['name', userByName('jdoe')],
		['email', userByEmail('jdoe@example.com')],
		['ID', userById(1301)],
	])('by %s: lists the tokens with GET /V4/AccessToken/?userId=, then deletes each', async (_mode, user) => {
		const tokens = sim.state.leaver.tokensOf(1301).map((t) => ({ id: t.accessTokenId, name: t.tokenName }));
		const { output, error } = await runCommvaultNode({ parameters: revoke(user), credentials: passwordCredential(sim) });

		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(shaped('tokensRevoked', [1301, 'jdoe'], {
			tokensRevoked: tokens,
			...audited(...tokens.map((t): [string, string] => ['DELETE', `/V4/AccessToken/${t.id}`])),
		}));
		expect(sim.requests.find((r) => r.endpoint === 'v4/accesstoken')?.query).toEqual({ userId: '1301' });
		expect(sim.state.leaver.tokensOf(1301)).toEqual([]);
		expect(sim.state.leaver.tokensOf(1304)).toHaveLength(1);
	});

	it('refuses an access-token credential before sending anything: Commvault 11.42+ does not let a token delete tokens', async () => {
		const { output } = await runCommvaultNode({
			parameters: revoke(userByName('jdoe')),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json).toMatchObject({
			status: 'refused',
			userName: 'jdoe',
			error: 'Item 1: will not revoke access tokens with an access-token credential',
			details: { reason: 'tokenCredential', subject: 'user "jdoe"' },
		});
		expect(String((output[0].json.details as { description?: string }).description)).toMatch(
			/From Commvault 11\.42, an access token cannot create, edit or delete access tokens .* username and password of a service account .* Nothing was sent to Commvault\.$/,
		);
		expect(sim.requests).toEqual([]);
		expect(sim.state.leaver.tokensOf(1301)).toHaveLength(2);
	});

	it.each([
		['without a list', { errorCode: 0 }],
		['with entries it does not recognise', { accessTokens: [{ id: 701, name: 'jdoe-reporting' }] }],
	])('fails when Commvault lists the tokens %s, revoking nothing', async (_case, body) => {
		sim.queueResponse({ endpoint: 'v4/accesstoken', method: 'GET', body });
		const { error } = await runCommvaultNode({ parameters: revoke(userByName('jdoe')), credentials: passwordCredential(sim) });
		expect(error?.message).toBe('Item 1: Commvault listed the access tokens in a form the node cannot read');
		expect((error as { errorResponse?: { reason?: string } }).errorResponse?.reason).toBe('unreadableReply');
		expect(writes(sim)).toEqual([]);
		expect(sim.state.leaver.tokensOf(1301)).toHaveLength(2);
	});

	it('refuses a protected user before anything that changes Commvault is sent', async () => {
		const { error } = await runCommvaultNode({ parameters: revoke(userByName('jdoe')), credentials: passwordCredential(sim, { protectedUsers: '1301' }) });
		expect(error?.message).toBe('Item 1: will not revoke the access tokens of user "jdoe": "1301" is listed under Protected Users');
		expect(writes(sim)).toHaveLength(0);
	});

	describe('when Commvault does not let the credential revoke another user\'s token (UNVERIFIABLE; the simulator option)', () => {
		let strict: Simulator;
		beforeAll(async () => {
			strict = await startSimulator({ revokeOthersAccessTokens: false });
		});
		afterAll(async () => {
			await strict.stop();
		});

		it("fails the item with Commvault's refusal, having revoked nothing", async () => {
			const { error } = await runCommvaultNode({ parameters: revoke(userByName('jdoe')), credentials: passwordCredential(strict) });
			expect(error?.message).toBe('User does not have permission to revoke access tokens of another user.');
			expect((error as { errorResponse?: object }).errorResponse).toMatchObject({ commvaultErrorCode: 5 });
			expect(strict.state.leaver.tokensOf(1301)).toHaveLength(2);
		});
	});

	it('names the tokens already revoked when a later one is refused', async () => {
		const [first, second] = sim.state.leaver.tokensOf(1301);
		sim.queueResponse({ endpoint: 'v4/accesstoken/{id}', method: 'DELETE', body: { errorCode: 0, errorMessage: '' }, times: 1 });
		sim.queueResponse({ endpoint: 'v4/accesstoken/{id}', method: 'DELETE', body: { errorCode: 5, errorMessage: 'Refused' }, times: 1 });
		const { error } = await runCommvaultNode({ parameters: revoke(userByName('jdoe')), credentials: passwordCredential(sim) });
		expect(error?.message).toBe('Refused');
		expect(error?.description).toContain(`Access tokens already revoked: ${first.accessTokenId}.`);
		expect(error?.description).not.toContain(String(second.accessTokenId));
	});

	it('continue on fail: an unknown user fails its item, the others are revoked', async () => {
		const output = await runWithAnUnknownUser(revoke, passwordCredential(sim));
		expect(output[2].json).toMatchObject({ userName: 'rlee', tokensRevoked: [{ id: 703, name: 'rlee-script' }] });
		expect(sim.state.leaver.tokens).toEqual([]);
	});
});
