import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import {
	VERIFIED_ACCESS_TOKEN,
	authHeadersFor,
	bareToken,
	normalizeBaseUrl,
	sessionOwnerOf,
	withTokenPrefix,
} from '../../nodes/Commvault/auth/session';
import { testCommvaultCredential } from '../harness/credential-test';
import { CredentialStore } from '../harness/credentials';
import type { Simulator } from '../support/simulator';
import { ACCESS_TOKEN, ADMIN, accessTokenCredential, passwordCredential, requestsTo, startSimulator } from '../support/simulator';

describe('Commvault API credential', () => {
	const credential = new CommvaultApi();

	it('has the fields saved workflows depend on', () => {
		expect(credential.name).toBe('commvaultApi');
		expect(credential.displayName).toBe('Commvault API');
		const fields = Object.fromEntries(credential.properties.map((p) => [p.name, p.type]));
		expect(fields).toEqual({
			baseUrl: 'string',
			authMethod: 'options',
			accessToken: 'string',
			refreshToken: 'string',
			headerStyle: 'options',
			username: 'string',
			password: 'string',
			domain: 'string',
			allowUnauthorizedCerts: 'boolean',
			protectedUsers: 'string',
			protectedUserGroups: 'string',
			sessionToken: 'hidden',
			sessionOwner: 'hidden',
			renewalLease: 'hidden',
		});
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.accessToken.typeOptions?.password).toBe(true);
		expect(byName.refreshToken.typeOptions?.password).toBe(true);
		expect(byName.password.typeOptions?.password).toBe(true);
		expect(byName.sessionToken.typeOptions).toMatchObject({ expirable: true, password: true });
		expect(byName.allowUnauthorizedCerts.displayName).toBe('Ignore SSL Issues (Insecure)');
		// Masked, n8n's editor would show the switch OFF after it was saved ON (see the browser e2e test).
		expect(byName.allowUnauthorizedCerts.typeOptions?.password).toBeUndefined();
		expect(byName.authMethod.options?.map((o) => (o as { value: string }).value)).toEqual(['accessToken', 'password']);
	});

	describe('helpers', () => {
		it('sends QSDK, SAML and Bearer tokens as given and puts QSDK in front of a bare token (as cvpysdk)', () => {
			expect(withTokenPrefix('abc123')).toBe('QSDK abc123');
			expect(withTokenPrefix(' QSDK abc123 ')).toBe('QSDK abc123');
			expect(withTokenPrefix('SAML abc123')).toBe('SAML abc123');
			expect(withTokenPrefix('Bearer abc123')).toBe('Bearer abc123');
			expect(bareToken('Bearer abc123')).toBe('abc123');
			expect(bareToken('abc123')).toBe('abc123');
		});

		it('ignores trailing slashes of the Base URL', () => {
			expect(normalizeBaseUrl(' https://cc.example.com/commandcenter/api/// ')).toBe('https://cc.example.com/commandcenter/api');
		});

		it('uses the access token directly, and a session only for the account that opened it', () => {
			expect(authHeadersFor({ authMethod: 'accessToken', accessToken: 'abc' })).toEqual({ Authtoken: 'QSDK abc' });
			expect(authHeadersFor({ authMethod: 'accessToken', accessToken: 'QSDK abc', headerStyle: 'bearer' })).toEqual({
				Authorization: 'Bearer abc',
			});
			const creds = { authMethod: 'password', baseUrl: 'https://cc/api', username: 'svc', password: 'pw', sessionToken: 'QSDK s1' };
			expect(authHeadersFor({ ...creds, sessionOwner: sessionOwnerOf(creds) })).toEqual({ Authtoken: 'QSDK s1' });
			const cloud = { ...creds, sessionToken: 'Bearer s2' };
			expect(authHeadersFor({ ...cloud, sessionOwner: sessionOwnerOf(cloud) })).toEqual({ Authorization: 'Bearer s2' });
			expect(authHeadersFor({ ...creds, sessionOwner: sessionOwnerOf({ ...creds, username: 'other' }) })).toBeUndefined();
			expect(authHeadersFor({ ...creds, sessionToken: VERIFIED_ACCESS_TOKEN, sessionOwner: 'accessToken|https://cc/api||' })).toBeUndefined();
			// The same account with another password: the session was opened with the old one.
			expect(authHeadersFor({ ...creds, password: 'edited', sessionOwner: sessionOwnerOf(creds) })).toBeUndefined();
		});

		it("names a login's session by account and a password fingerprint keyed by the session, never the password", () => {
			const creds = { authMethod: 'password', baseUrl: 'https://cc/api/', domain: 'acme', username: 'svc', password: 'pw-secret-1', sessionToken: 'QSDK s1' };
			const owner = sessionOwnerOf(creds);
			expect(owner).toMatch(/^password\|https:\/\/cc\/api\|acme\|svc\|tls-checked\|[0-9a-f]{16}$/);
			expect(owner).not.toContain(creds.password);
			expect(owner).not.toContain('s1');
			expect(sessionOwnerOf({ ...creds })).toBe(owner);
			expect(sessionOwnerOf({ ...creds, password: 'pw-secret-2' })).not.toBe(owner);
			// Keyed by the session: the fingerprint alone cannot confirm a guessed password.
			expect(sessionOwnerOf({ ...creds, sessionToken: 'QSDK s2' })).not.toBe(owner);
			// An access token is checked by every request; its owner holds no fingerprint.
			expect(sessionOwnerOf({ authMethod: 'accessToken', baseUrl: 'https://cc/api', accessToken: 'abc' })).toBe('accessToken|https://cc/api|||tls-checked');
		});

		it('authenticate() sets the Authtoken header without touching the request it was given', async () => {
			const request = { url: 'https://cc/api/User', headers: { Accept: 'application/json' } };
			const authenticated = await credential.authenticate({ authMethod: 'accessToken', accessToken: 'abc' }, request);
			expect(authenticated.headers).toEqual({ Accept: 'application/json', Authtoken: 'QSDK abc' });
			expect(request.headers).toEqual({ Accept: 'application/json' });
		});
	});

	describe('credential test (WhoAmI: GET v2/WhoAmI, v1 POST WhoAmI)', () => {
		let sim: Simulator;
		let tlsSim: Simulator;
		beforeAll(async () => {
			sim = await startSimulator();
			tlsSim = await startSimulator({ https: true });
		});
		afterAll(async () => {
			await sim.stop();
			await tlsSim.stop();
		});
		beforeEach(() => {
			sim.reset();
			tlsSim.reset();
		});

		it('passes with a valid access token', async () => {
			await expect(testCommvaultCredential(accessTokenCredential(sim))).resolves.toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			// The token check (v2/WhoAmI), then the test request (v1 POST WhoAmI, which every Command Center has).
			expect(sim.requests.map((r) => `${r.method} ${r.endpoint} ${r.status}`)).toEqual(['GET v2/whoami 200', 'POST whoami 200']);
			expect(sim.requests.every((r) => r.headers.authtoken === `QSDK ${ACCESS_TOKEN}`)).toBe(true);
		});

		it('passes with a valid username and password', async () => {
			await expect(testCommvaultCredential(passwordCredential(sim))).resolves.toMatchObject({ status: 'OK' });
			expect(sim.requests.map((r) => `${r.method} ${r.endpoint} ${r.status}`)).toEqual(['POST login 200', 'POST whoami 200']);
		});

		it('fails clearly on a wrong token', async () => {
			const result = await testCommvaultCredential(accessTokenCredential(sim, { accessToken: 'wrong' }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^Commvault rejected the access token \(HTTP 401 from GET v2\/WhoAmI\)\. The token is wrong, expired or revoked/);
		});

		it("fails with Commvault's errLogMessage on a wrong password", async () => {
			const result = await testCommvaultCredential(passwordCredential(sim, { password: 'nope' }));
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^Invalid Username or Password\. Commvault refused the login/),
			});
		});

		it('fails clearly on an unreachable host', async () => {
			const result = await testCommvaultCredential(
				accessTokenCredential(sim, { baseUrl: 'http://127.0.0.1:9/commandcenter/api' }),
			);
			expect(result.message).toMatch(/^Cannot reach Commvault: connection refused\. Check the Base URL/);
		});

		it('fails clearly on an untrusted certificate, and passes when told to ignore it', async () => {
			const refused = await testCommvaultCredential(passwordCredential(tlsSim));
			expect(refused.message).toMatch(/^Commvault's TLS certificate is not trusted\. .*Ignore SSL Issues \(Insecure\)/);
			expect(tlsSim.requests).toHaveLength(0);

			const accepted = await testCommvaultCredential(passwordCredential(tlsSim, { allowUnauthorizedCerts: true }));
			expect(accepted.status).toBe('OK');
		});

		it('passes in each Commvault Cloud mode: login (Bearer session) and Bearer access token', async () => {
			const cloud = await startSimulator({ saas: true });
			try {
				await expect(testCommvaultCredential(passwordCredential(cloud))).resolves.toMatchObject({ status: 'OK' });
				const bearer = accessTokenCredential(cloud, { headerStyle: 'bearer' });
				await expect(testCommvaultCredential(bearer)).resolves.toMatchObject({ status: 'OK' });
				expect(requestsTo(cloud, 'v2/whoami').every((r) => r.status === 200 && /^Bearer /.test(String(r.headers.authorization)))).toBe(true);
			} finally {
				await cloud.stop();
			}
		});

		it('passes with an access and refresh token, and says that an expired one is renewed by a run, not by the test', async () => {
			const pair = { accessToken: 'test-rotating-access', refreshToken: 'test-rotating-refresh' };
			const rotating = await startSimulator({ accessTokens: [{ token: pair.accessToken, ...pair }], accessTokenLifetime: { requests: 2 } });
			try {
				// The test checks the token twice (preAuthentication, then the test request): its 2 requests.
				await expect(testCommvaultCredential(accessTokenCredential(rotating, pair))).resolves.toMatchObject({ status: 'OK' });
				const expired = await testCommvaultCredential(accessTokenCredential(rotating, pair));
				expect(expired.status).toBe('Error');
				expect(expired.message).toMatch(/^Commvault rejected the access token \(HTTP 401\)\. It has expired .*a credential test does not renew it/);
				expect(requestsTo(rotating, 'v4/accesstoken/renew')).toHaveLength(0);
			} finally {
				await rotating.stop();
			}
		});

		it('points at the Base URL when neither WhoAmI is found', async () => {
			sim.queueResponse({ endpoint: 'v2/whoami', status: 404, body: '' });
			sim.queueResponse({ endpoint: 'whoami', status: 404, body: '' });
			const result = await testCommvaultCredential(accessTokenCredential(sim));
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^No Commvault API at this Base URL: GET v2\/WhoAmI and POST WhoAmI both answered HTTP 404\. Use .*\/commandcenter\/api/),
			});
		});

		it('points at the Base URL when the test request is not found (password login)', async () => {
			sim.queueResponse({ endpoint: 'whoami', status: 404, body: '' });
			const result = await testCommvaultCredential(passwordCredential(sim));
			expect(result.message).toMatch(/^No Commvault API at this Base URL \(HTTP 404 from POST WhoAmI\)\. Use .*\/commandcenter\/api/);
		});

		describe('of a credential that has worked before, then edited', () => {
			// What n8n keeps after a successful test or run: the hidden session and whose it is.
			const worked = (data: ICredentialDataDecryptedObject) => {
				const session = { ...data, sessionToken: data.authMethod === 'password' ? 'QSDK session-of-before' : VERIFIED_ACCESS_TOKEN };
				return { ...session, sessionOwner: sessionOwnerOf(session) };
			};

			it.each([
				['a wrong port', 'http://127.0.0.1:9/commandcenter/api', /^Cannot reach Commvault: connection refused\. Check the Base URL's host name and port/],
				['an unknown host', 'http://commvault.invalid/commandcenter/api', /^Cannot reach Commvault: host name not found\. Check the Base URL's host name and port/],
			])('explains %s, for an access token and a password', async (_case, baseUrl, expected) => {
				for (const data of [accessTokenCredential(sim), passwordCredential(sim)]) {
					const result = await testCommvaultCredential({ ...worked(data), baseUrl });
					expect(result).toEqual({ status: 'Error', message: expect.stringMatching(expected) });
				}
			});

			it('explains an untrusted certificate once "Ignore SSL Issues" is turned off, for an access token and a password', async () => {
				for (const data of [accessTokenCredential(tlsSim), passwordCredential(tlsSim)]) {
					const working = worked({ ...data, allowUnauthorizedCerts: true });
					const result = await testCommvaultCredential({ ...working, allowUnauthorizedCerts: false });
					expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Commvault's TLS certificate is not trusted\. .*Ignore SSL Issues \(Insecure\)/) });
				}
			});

			it('explains a wrong token', async () => {
				const result = await testCommvaultCredential({ ...worked(accessTokenCredential(sim)), accessToken: 'wrong' });
				expect(result.message).toMatch(/^Commvault rejected the access token \(HTTP 401 from GET v2\/WhoAmI\)\. The token is wrong/);
			});

			it('checks the login again when the user changed, and passes without a new check when nothing changed', async () => {
				const before = worked(passwordCredential(sim));
				const result = await testCommvaultCredential({ ...before, username: 'nobody' });
				expect(result.message).toMatch(/Commvault refused the login/);
				sim.reset();
				await expect(testCommvaultCredential(worked(accessTokenCredential(sim)))).resolves.toMatchObject({ status: 'OK' });
				expect(sim.requests.map((r) => `${r.method} ${r.endpoint} ${r.status}`)).toEqual(['POST whoami 200']);
			});

			// The session of the working test is still valid on Commvault: without the password in the
			// session's owner, the edited credential reused it and its test passed until it expired.
			it('checks the login again when the password changed, while the stored session still works', async () => {
				const store = new CredentialStore();
				await expect(testCommvaultCredential(passwordCredential(sim), store)).resolves.toMatchObject({ status: 'OK' });
				const stored = store.get('commvaultApi');
				expect(String(stored.sessionOwner)).not.toContain(ADMIN.password);

				const edited = await testCommvaultCredential({ ...stored, password: 'wrong-password' });
				expect(edited).toEqual({ status: 'Error', message: expect.stringMatching(/^Invalid Username or Password\. Commvault refused the login/) });
				const logins = requestsTo(sim, 'login').length;
				await expect(testCommvaultCredential(stored)).resolves.toMatchObject({ status: 'OK' });
				expect(requestsTo(sim, 'login')).toHaveLength(logins);
			});
		});

		describe('on a Command Center without v2/WhoAmI', () => {
			let oldSim: Simulator;
			beforeAll(async () => {
				oldSim = await startSimulator({ v2WhoAmI: false });
			});
			afterAll(async () => {
				await oldSim.stop();
			});
			beforeEach(() => oldSim.reset());

			it('falls back to v1 POST WhoAmI and passes with an access token', async () => {
				await expect(testCommvaultCredential(accessTokenCredential(oldSim))).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
				expect(oldSim.requests.map((r) => `${r.method} ${r.endpoint} ${r.status}`)).toEqual([
					'GET v2/whoami 404',
					'POST whoami 200',
					'POST whoami 200',
				]);
			});

			it('passes with a username and password', async () => {
				await expect(testCommvaultCredential(passwordCredential(oldSim))).resolves.toMatchObject({ status: 'OK' });
			});

			it('says that POST WhoAmI answered when it rejects the token', async () => {
				const result = await testCommvaultCredential(accessTokenCredential(oldSim, { accessToken: 'wrong' }));
				expect(result).toEqual({
					status: 'Error',
					message: expect.stringMatching(
						/^Commvault rejected the access token \(HTTP 401 from POST WhoAmI; GET v2\/WhoAmI answered 404\)\. The token is wrong/,
					),
				});
			});

			it("reports v1 WhoAmI's own refusal in an HTTP 200 (cvpysdk checks errorCode and user.userName)", async () => {
				oldSim.queueResponse({ endpoint: 'whoami', body: { errorCode: 5, errorMessage: 'No mapping exists for the given token for any user' } });
				const result = await testCommvaultCredential(accessTokenCredential(oldSim));
				expect(result.message).toMatch(
					/^No mapping exists for the given token for any user \(POST WhoAmI; GET v2\/WhoAmI answered 404\)\. POST WhoAmI did not accept/,
				);
			});
		});
	});
});
