import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userById, userByName } from '../../../../../harness/engine';
import { offboardedItem } from '../../../../../support/expectations';
import { ACCESS_TOKEN, accessTokenCredential, passwordCredential, requestsTo, useSimulator } from '../../../../../support/simulator';
import { byExpression, itemsFor, offboard } from './support';

describe('User → Offboard: authentication', () => {
	const sim = useSimulator({ generatedUsers: 200 });

	describe('with an access token', () => {
		it('offboards a user by name and reports what Commvault said', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(userByName('  jdoe ')),
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output).toEqual([
				{
					json: offboardedItem(1301, 'jdoe'),
					pairedItem: { item: 0 },
				},
			]);
			const [call] = requestsTo(sim, 'user/offboard');
			expect(call.method).toBe('POST');
			expect(call.path).toBe('/commandcenter/api/User/Offboard');
			expect(call.body).toEqual({ userId: 1301 });
			expect(call.headers.authtoken).toBe(`QSDK ${ACCESS_TOKEN}`);
			expect(call.headers.accept).toBe('application/json');
			// The offboard had its effect: jdoe owns nothing any more.
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
			expect(sim.state.vmClientsOwnedBy(1301)).toEqual([]);
		});

		it('offboards a user by ID, sending a number', async () => {
			const { output } = await runCommvaultNode({
				parameters: offboard(userById(' 1251 ')),
				credentials: accessTokenCredential(sim),
			});

			expect(output[0].json).toEqual(offboardedItem(1251, 'tapicompany/tapicompany'));
			expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userId: 1251 });
		});

		it('sends a token that already has the QSDK prefix as it is', async () => {
			await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { accessToken: `QSDK ${ACCESS_TOKEN}` }),
			});
			expect(requestsTo(sim, 'user/offboard')[0].headers.authtoken).toBe(`QSDK ${ACCESS_TOKEN}`);
		});

		it.each(['/commandcenter/api/', '/webconsole/api', '/SearchSvc/CVWebService.svc'])(
			'works under the base path %s',
			async (basePath) => {
				const { output, error } = await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					credentials: accessTokenCredential(sim, { baseUrl: sim.baseUrl(basePath) }),
				});
				expect(error).toBeUndefined();
				expect(output[0].json.status).toBe('offboarded');
				expect(requestsTo(sim, 'user/offboard')[0].path).toBe(`${basePath.replace(/\/$/, '')}/User/Offboard`);
			},
		);

		it('checks the token once, then reuses it and its user for every item and execution (no further WhoAmI)', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'rlee'),
				credentials: accessTokenCredential(sim),
			});
			await runCommvaultNode({ parameters: offboard(byExpression), items: itemsFor('mroe'), store: first.store });

			// The token check, whose answer also names the token's user for the own-user guard (state/stores.ts tokenUsers).
			expect(requestsTo(sim, 'v2/whoami')).toHaveLength(1);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(3);
		});

		it('fails with a clear message when the token is wrong, and sends nothing', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { accessToken: 'not-a-token' }),
			});

			expect(error?.message).toBe('Commvault rejected the access token (HTTP 401 from GET v2/WhoAmI)');
			expect(error?.description).toMatch(/wrong, expired or revoked/);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});
	});

	describe('with username and password', () => {
		it('logs in once with a Base64 password and reuses the session across items and executions', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'rlee', 'mroe'),
				credentials: passwordCredential(sim),
			});
			expect(first.error).toBeUndefined();
			expect(first.output.map((i) => i.json.status)).toEqual(['offboarded', 'offboarded', 'offboarded']);

			const second = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('tapicompany/tapicompany'),
				store: first.store,
			});
			expect(second.output[0].json.status).toBe('offboarded');

			const logins = requestsTo(sim, 'login');
			expect(logins).toHaveLength(1);
			expect(logins[0].body).toEqual({ username: 'admin', password: Buffer.from('admin-password').toString('base64') });
			expect(logins[0].headers.accept).toBe('application/json');
			const sessionToken = first.store.stored.commvaultApi.sessionToken as string;
			expect(sessionToken).toMatch(/^QSDK /);
			expect(new Set(requestsTo(sim, 'user/offboard').map((r) => r.headers.authtoken))).toEqual(new Set([sessionToken]));
		});

		it('sends the domain of a domain user', async () => {
			await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { username: 'asmith', password: 'asmith-password', domain: 'acme' }),
			});
			expect(requestsTo(sim, 'login')[0].body).toMatchObject({ username: 'asmith', domain: 'acme' });
		});

		it('logs in again exactly once when the session has expired', async () => {
			const first = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim),
			});
			sim.expireAllTokens();

			const second = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('rlee', 'mroe'),
				store: first.store,
			});

			expect(second.error).toBeUndefined();
			expect(second.output.map((i) => i.json.status)).toEqual(['offboarded', 'offboarded']);
			expect(requestsTo(sim, 'login')).toHaveLength(2);
			// The next request, the batch's read of the user list (two users), was refused with 401 and re-sent
			// after the new login; both users were found on it.
			expect(requestsTo(sim, 'user').map((r) => r.status)).toEqual([200, 401, 200]);
			expect(requestsTo(sim, 'user/offboard').map((r) => r.status)).toEqual([200, 200, 200]);
		});

		it("reports Commvault's errLogMessage for a wrong password", async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { password: 'wrong' }),
			});
			expect(error?.message).toBe('Invalid Username or Password');
			expect(error?.description).toMatch(/Check the username, password and domain/);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it('says when the account is locked', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(sim, { username: 'kfrost', password: 'kfrost-password' }),
			});
			expect(error?.message).toMatch(/locked/i);
			expect(error?.description).toMatch(/locked for about 30 more minute/);
		});

		it('logs in afresh when the credential now names another user', async () => {
			const first = await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: passwordCredential(sim) });
			first.store.set('commvaultApi', { ...first.store.get('commvaultApi'), username: 'jdoe', password: 'jdoe-password' });

			await runCommvaultNode({ parameters: offboard(userByName('rlee')), store: first.store });

			const logins = requestsTo(sim, 'login');
			expect(logins.map((r) => (r.body as IDataObject).username)).toEqual(['admin', 'jdoe']);
			// The stale session is not sent: authenticate() answers 401 itself, n8n logs in as jdoe and sends.
			const calls = requestsTo(sim, 'user');
			expect(calls.map((r) => [r.status, r.account])).toEqual([
				[200, 'admin'],
				[200, 'jdoe'],
			]);
		});
	});
});
