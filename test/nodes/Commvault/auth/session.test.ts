import type { IDataObject } from 'n8n-workflow';

import { testCommvaultCredential } from '../../../harness/credential-test';
import { CredentialStore } from '../../../harness/credentials';
import { runCommvaultNode, userByName } from '../../../harness/engine';
import type { Simulator } from '../../../support/simulator';
import {
	ACCESS_TOKEN,
	accessTokenCredential,
	passwordCredential,
	requestsTo,
	startSimulator,
	useSimulator,
} from '../../../support/simulator';

const offboardEach = (requestOptions: IDataObject = {}) => ({
	resource: 'user',
	operation: 'offboard',
	user: userByName('={{ $json.login }}'),
	requestOptions,
});
const items = (...logins: string[]) => logins.map((login) => ({ json: { login } }));

describe('logging in (password credential)', () => {
	let sim: Simulator;
	beforeAll(async () => {
		// Like a CommCell lockout policy: three failed logins lock the account.
		sim = await startSimulator({ lockAfterFailedLogins: 3 });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	it('sends a refused login once, not once per item, so the account does not get locked', async () => {
		const wrong = passwordCredential(sim, { username: 'jdoe', password: 'not-jdoe-password' });
		const first = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee', 'mroe', 'jdoe', 'tapicompany/tapicompany'),
			onError: 'continueRegularOutput',
			credentials: wrong,
		});
		const second = await runCommvaultNode({ parameters: offboardEach(), items: items('rlee'), credentials: wrong });

		expect(first.output.map((i) => i.json.error)).toEqual(Array(4).fill('Invalid Username or Password'));
		expect(second.error?.message).toBe('Invalid Username or Password');
		expect(requestsTo(sim, 'login')).toHaveLength(1);
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);

		// The account is not locked: the right password works at once.
		const fixed = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee'),
			credentials: passwordCredential(sim, { username: 'jdoe', password: 'jdoe-password' }),
		});
		expect(fixed.output[0].json.status).toBe('offboarded');
	});

	it('retries a login that failed for a passing reason', async () => {
		sim.queueResponse({ endpoint: 'login', status: 503, html: '<html><title>503 Service Unavailable</title></html>' });
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach({ retryDelay: 0.001 }),
			items: items('rlee'),
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('offboarded');
		expect(requestsTo(sim, 'login').map((r) => r.status)).toEqual([503, 200]);
	});

	it('never quotes a login error page that echoes the request', async () => {
		const password = 'S3cr3t-Passw0rd!';
		const base64 = Buffer.from(password).toString('base64');
		const echo = `Bad request: {"username":"admin","password":"${base64}"} password=${password}`;
		sim.queueResponse({ endpoint: 'login', status: 400, body: echo, times: 2 });
		const credentials = passwordCredential(sim, { password });

		const { error } = await runCommvaultNode({ parameters: offboardEach(), items: items('rlee'), credentials });
		const test = await testCommvaultCredential(credentials);

		expect(error?.message).toBe('Commvault returned HTTP 400');
		const seen = JSON.stringify(error) + JSON.stringify(test);
		expect(seen).not.toContain(base64);
		expect(seen).not.toContain(password);
	});

	it('logs in once when concurrent items read the credential before n8n has stored the session', async () => {
		// The first eight reads start together and come back 5, 10 … 40 ms later with no session in them.
		const store = new CredentialStore();
		store.readLatencyMs = (read) => (read <= 8 ? read * 5 : 0);
		const logins = items(...Array.from({ length: 40 }, (_, i) => ['rlee', 'mroe', 'jdoe'][i % 3]));
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach({ maxConcurrency: 8 }),
			items: logins,
			store,
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(40);
		expect(requestsTo(sim, 'login')).toHaveLength(1);
		expect(requestsTo(sim, 'user/offboard').map((r) => r.status)).toEqual(Array(40).fill(200));
		// n8n reads the credential for each request (the batch's one read of the user list, then the
		// offboard per item); the node reads it twice more, for the Base URL and for the protected accounts.
		expect(store.reads).toBe(1 + 40 + 2);
	});
});

describe('access token prefixes', () => {
	const sim = useSimulator();

	const authtokensSent = () => requestsTo(sim, 'user/offboard').map((r) => r.headers.authtoken);

	it.each([
		['a bare token gets QSDK in front', ACCESS_TOKEN, `QSDK ${ACCESS_TOKEN}`],
		['a QSDK token goes as given', `QSDK ${ACCESS_TOKEN}`, `QSDK ${ACCESS_TOKEN}`],
		['a Bearer token goes as given, not as "QSDK Bearer …"', `Bearer ${ACCESS_TOKEN}`, `Bearer ${ACCESS_TOKEN}`],
	])('%s', async (_name, accessToken, sent) => {
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee'),
			credentials: accessTokenCredential(sim, { accessToken }),
		});
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('offboarded');
		expect(authtokensSent()).toEqual([sent]);
	});

	it('sends a SAML token as given', async () => {
		// The simulator knows no SAML tokens (their check is not documented), so Commvault's 401 is expected.
		await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee'),
			credentials: accessTokenCredential(sim, { accessToken: 'SAML assertion-token' }),
		});
		expect(requestsTo(sim, 'v2/whoami').map((r) => r.headers.authtoken)).toEqual(['SAML assertion-token']);
	});
});

describe('Commvault Cloud (SaaS)', () => {
	const sim = useSimulator({ saas: true });

	it("sends a login's data.authToken as Authorization: Bearer", async () => {
		const { output, error } = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee', 'jdoe'),
			credentials: passwordCredential(sim),
		});
		expect(error).toBeUndefined();
		expect(output.map((i) => i.json.status)).toEqual(['offboarded', 'offboarded']);
		const sent = requestsTo(sim, 'user/offboard');
		expect(sent.every((r) => /^Bearer [0-9a-f]+$/.test(String(r.headers.authorization)))).toBe(true);
		expect(sent.every((r) => r.headers.authtoken === undefined)).toBe(true);
	});

	it('sends an access token as Authorization: Bearer when the credential says so', async () => {
		const bearer = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee'),
			credentials: accessTokenCredential(sim, { headerStyle: 'bearer' }),
		});
		expect(bearer.output[0].json.status).toBe('offboarded');
		expect(requestsTo(sim, 'user/offboard')[0].headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);

		const authtoken = await runCommvaultNode({
			parameters: offboardEach(),
			items: items('rlee'),
			credentials: accessTokenCredential(sim),
		});
		expect(authtoken.error?.message).toBe('Commvault rejected the access token (HTTP 401 from GET v2/WhoAmI)');
	});
});
