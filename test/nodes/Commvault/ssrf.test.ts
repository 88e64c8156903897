import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { VERIFIED_ACCESS_TOKEN, sessionOwnerOf } from '../../../nodes/Commvault/auth/session';
import { testCommvaultCredential } from '../../harness/credential-test';
import { CredentialStore } from '../../harness/credentials';
import { credentialData, runCommvaultNode, userByName } from '../../harness/engine';
import type { Simulator } from '../../support/simulator';
import { accessTokenCredential, passwordCredential, startSimulator } from '../../support/simulator';
import { disableSsrfProtection, enableSsrfProtection } from '../../support/ssrf';

// n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED, off by default in n8n 2.41) blocks requests to
// private networks and localhost, i.e. to the simulator on 127.0.0.1, before anything is sent.
const N8N_EXPLANATION = 'This is a security measure to prevent Server-Side Request Forgery (SSRF).';
const LEAVERS = ['jdoe', 'acme\\asmith', 'rlee'];
const items = (): INodeExecutionData[] => LEAVERS.map((login) => ({ json: { login } }));
const offboardEach = { resource: 'user', operation: 'offboard', user: userByName('={{ $json.login }}') };

describe("n8n's SSRF protection", () => {
	let sim: Simulator;
	let host: string;
	beforeAll(async () => {
		sim = await startSimulator();
		host = new URL(sim.baseUrl()).host;
	});
	afterAll(async () => {
		disableSsrfProtection();
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	async function runBlocked(credentials: ICredentialDataDecryptedObject, store?: CredentialStore) {
		const result = await runCommvaultNode({ parameters: offboardEach, items: items(), onError: 'continueRegularOutput', credentials, store });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(LEAVERS.length);
		// Nothing reached Commvault: n8n refused every request before opening a connection.
		expect(sim.requests).toEqual([]);
		return result;
	}

	function expectExplained(json: IDataObject, itemIndex: number) {
		expect(json.error).toBe(`n8n's SSRF protection blocked the request to Commvault at ${host}`);
		const details = json.details as IDataObject;
		expect(details.itemIndex).toBe(itemIndex);
		const description = String(details.description);
		expect(description).toContain('The request was blocked because it resolves to a restricted IP address.');
		expect(description).toContain(N8N_EXPLANATION);
		expect(description).toContain('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32');
		// Not retried: a blocked request is blocked again.
		expect(details.attempts).toBeUndefined();
		expect(description).not.toContain('Gave up after');
		return details;
	}

	describe('the simulator (127.0.0.1) not allowed', () => {
		beforeAll(() => enableSsrfProtection());

		it('access token: the token check is blocked for each item, once, and each item fails with the explanation', async () => {
			const store = new CredentialStore();
			const { output } = await runBlocked(accessTokenCredential(sim), store);
			output.forEach((item, i) => expectExplained(item.json, i));
			// One token check for the batch's read of the user list (blocked: each item then looks its user up
			// itself) and one per item (none stored), none repeated.
			expect(store.preAuthenticationCalls).toBe(1 + LEAVERS.length);
		});

		it('password: the login is blocked, never retried, and no password or token appears in the error', async () => {
			const store = new CredentialStore();
			const { output } = await runBlocked(passwordCredential(sim), store);
			output.forEach((item, i) => expectExplained(item.json, i));
			expect(store.preAuthenticationCalls).toBe(1 + LEAVERS.length);
			expect(JSON.stringify(output)).not.toContain(passwordCredential(sim).password);
		});

		it('a stored session: the request itself is blocked, with network code SSRF_BLOCKED and no retry', async () => {
			const credentials = credentialData(accessTokenCredential(sim));
			const store = new CredentialStore();
			store.set('commvaultApi', { ...credentials, sessionToken: VERIFIED_ACCESS_TOKEN, sessionOwner: sessionOwnerOf(credentials) });
			const { output } = await runBlocked({ ...credentials, sessionToken: VERIFIED_ACCESS_TOKEN, sessionOwner: sessionOwnerOf(credentials) }, store);
			output.forEach((item, i) => {
				const details = expectExplained(item.json, i);
				expect(details.networkCode).toBe('SSRF_BLOCKED');
				expect(details.subject).toBe(`user "${LEAVERS[i]}"`);
			});
			expect(store.preAuthenticationCalls).toBe(0);
		});

		it('the credential test shows the same explanation', async () => {
			const result = await testCommvaultCredential(accessTokenCredential(sim));
			expect(result.status).toBe('Error');
			expect(result.message).toContain(`n8n's SSRF protection blocked the request to Commvault at ${host}`);
			expect(result.message).toContain(N8N_EXPLANATION);
			expect(result.message).toContain('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32');
			expect(sim.requests).toEqual([]);
		});
	});

	it('a Base URL host name on the deny-list: the error names it and N8N_SSRF_BLOCKED_HOSTNAMES / N8N_SSRF_ALLOWED_HOSTNAMES', async () => {
		enableSsrfProtection({ blockedHostnames: 'localhost' });
		const baseUrl = sim.baseUrl('/commandcenter/api').replace('127.0.0.1', 'localhost');
		const { output } = await runBlocked(passwordCredential(sim, { baseUrl }));
		const json = output[0].json;
		expect(json.error).toBe(`n8n's SSRF protection blocked the request to Commvault at ${host.replace('127.0.0.1', 'localhost')}`);
		const description = String((json.details as IDataObject).description);
		expect(description).toContain('The request was blocked because the destination hostname is restricted.');
		expect(description).toContain('remove localhost from N8N_SSRF_BLOCKED_HOSTNAMES, or add it to N8N_SSRF_ALLOWED_HOSTNAMES');
	});

	it('the simulator allowed with N8N_SSRF_ALLOWED_IP_RANGES: everything works as without the protection', async () => {
		enableSsrfProtection({ allowedIpRanges: '127.0.0.1/32' });
		const { output, error } = await runCommvaultNode({ parameters: offboardEach, items: items(), credentials: passwordCredential(sim) });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.status)).toEqual(['offboarded', 'offboarded', 'offboarded']);
		// One read of the user list for the batch (Offboard checks each user before any change), one offboard per user.
		expect(sim.requests.map((r) => r.endpoint).sort()).toEqual(['login', 'user', ...Array(3).fill('user/offboard')]);
		await expect(testCommvaultCredential(accessTokenCredential(sim))).resolves.toMatchObject({ status: 'OK' });
	});
});
