import { ExecuteContext } from 'n8n-core';

import { runCommvaultNode } from '../../../../../harness/engine';
import { CredentialStore } from '../../../../../harness/credentials';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../../support/simulator';
import { byExpression, offboard } from './support';

/*
 * What one leaver asks of n8n besides its requests (issue 29). In a real n8n every credential read is a
 * database query and a decryption, and every parameter read runs n8n's parameter resolution (an
 * expression in n8n's expression isolate): work that grows with the leavers and that no request count
 * shows. Timings are never asserted; these counts are.
 */
describe('User → Offboard: n8n work per leaver', () => {
	const sim = useSimulator({ generatedUsers: 60 });
	const LEAVERS = 40;
	const items = Array.from({ length: LEAVERS }, (_, i) => ({ json: { login: `user${String(i + 1).padStart(5, '0')}` } }));

	afterEach(() => jest.restoreAllMocks());

	it('reads the credential once per request sent, plus once for the Base URL, and checks the token once', async () => {
		const store = new CredentialStore();
		const { output, error } = await runCommvaultNode({ parameters: offboard(byExpression), items, credentials: accessTokenCredential(sim), store });

		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.status)).toEqual(Array(LEAVERS).fill('offboarded'));
		expect(requestsTo(sim, 'user/offboard')).toHaveLength(LEAVERS);
		// Every request goes through n8n's httpRequestWithAuthentication, which reads the stored credential.
		expect(store.reads).toBeLessThanOrEqual(sim.requests.length + 1);
		expect(store.preAuthenticationCalls).toBe(1);
	});

	it('reads at most four node parameters per leaver: its options twice (the batch check and the item) and its user twice (the batch plan and the item)', async () => {
		// n8n-core's getNodeParameter is bound per context and hands every read to this method.
		const reads = jest.spyOn(ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string) => unknown }, '_getNodeParameter');
		const { output } = await runCommvaultNode({ parameters: offboard(byExpression), items, credentials: accessTokenCredential(sim) });

		expect(output).toHaveLength(LEAVERS);
		const perParameter = new Map<string, number>();
		for (const [name] of reads.mock.calls) perParameter.set(String(name), (perParameter.get(String(name)) ?? 0) + 1);
		// The User field is read once up front for the whole batch (issue 25: one user-list read matches every
		// leaver) and once by the item itself.
		expect(perParameter.get('user')).toBe(2 * LEAVERS);
		expect(perParameter.get('options')).toBeLessThanOrEqual(2 * LEAVERS + 1);
		// resource, operation and the request options are read once per run, not per leaver.
		expect(reads.mock.calls.length).toBeLessThanOrEqual(4 * LEAVERS + 4);
	});

	it('does not ask n8n for a copy of the node per request when the requests succeed', async () => {
		// n8n-core's getNode() returns a deep copy of the node; the node needs it only to build an error.
		const copies = jest.spyOn(ExecuteContext.prototype, 'getNode');
		const { output } = await runCommvaultNode({ parameters: offboard(byExpression), items, credentials: accessTokenCredential(sim) });

		expect(output.map((item) => item.json.status)).toEqual(Array(LEAVERS).fill('offboarded'));
		expect(copies.mock.calls.length).toBeLessThanOrEqual(4);
	});
});
