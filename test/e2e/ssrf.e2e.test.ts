/**
 * n8n's SSRF protection on (`N8N_SSRF_PROTECTION_ENABLED=true`) and the simulator's address
 * (127.0.0.1) not allowed, as on a hardened n8n whose administrator has not allowed the Command
 * Center yet: the CLI suite's workflows (cli.e2e.test.ts runs them with the address allowed) and the
 * credential modal's "Test". n8n refuses every request before it is sent, so each item must fail at
 * once, with n8n's explanation, the Base URL's host and the variable to set, and the simulator must
 * see nothing. On a release without SSRF protection (before 2.12.0, e.g. the oldest leg of .ci/run)
 * the same settings must change nothing.
 */
import {
	WORKFLOWS,
	accessTokenCredential,
	newInstance,
	nodeOutputs,
	passwordCredential,
	releaseHasSsrfProtection,
	SSRF_PROTECTION_SINCE,
	ssrfProtection,
	startSimulator,
} from './support/e2e';
import type { Instance, Simulator } from './support/types';

// n8n 2.41.1's SsrfBlockedIpError (@n8n/backend-network), which the node quotes.
const N8N_SAYS = [
	'The request was blocked because it resolves to a restricted IP address.',
	'This is a security measure to prevent Server-Side Request Forgery (SSRF).',
];

/** A simulator and an n8n with N8N_SSRF_PROTECTION_ENABLED=true that does not allow it, for one describe. */
function blockedSetUp() {
	const ctx = {} as { sim: Simulator; n8n: Instance; host: string };
	beforeAll(async () => {
		ctx.sim = await startSimulator();
		ctx.host = new URL(ctx.sim.url).host;
		ctx.n8n = await newInstance('ssrf-blocked', {
			env: ssrfProtection(ctx.sim, { allowSimulator: false }),
		});
		await ctx.n8n.importCredentials([accessTokenCredential(ctx.sim), passwordCredential(ctx.sim)]);
		await ctx.n8n.importWorkflows([WORKFLOWS.batch.file, WORKFLOWS.manualPassword.file]);
	});
	afterAll(async () => {
		await ctx.n8n?.stop();
		await ctx.sim?.stop();
	});
	return ctx;
}

if (!releaseHasSsrfProtection()) {
	describe(`n8n before ${SSRF_PROTECTION_SINCE} has no SSRF protection`, () => {
		const ctx = blockedSetUp();

		test('N8N_SSRF_PROTECTION_ENABLED=true changes nothing: the batch example reaches the simulator', async () => {
			await ctx.sim.reset();
			const result = await ctx.n8n.execute(WORKFLOWS.batch.id);
			// The example ends red after its report: two of its sample leavers cannot be offboarded.
			expect(result.run?.status).toBe('error');
			expect(result.run?.data.resultData.lastNodeExecuted).toBe('Fail the run: leavers not offboarded');
			const [items] = nodeOutputs(result.run, 'Offboard in Commvault');
			expect(items[0]).toMatchObject({ status: 'offboarded', userId: 1301 });
			expect(await ctx.sim.requests({ endpoint: 'user/offboard' })).toHaveLength(3);
		});
	});
} else {
	describe("n8n's SSRF protection on, the simulator's address not allowed", () => {
		const ctx = blockedSetUp();
		let sim: Simulator;
		let n8n: Instance;
		let host: string;
		beforeAll(() => {
			({ sim, n8n, host } = ctx);
		});

		/** The explanation an item's `{ error, details }` must carry. */
		function expectBlocked(item: { error?: unknown; details?: Record<string, unknown> }, itemIndex: number) {
			expect(item.error).toBe(`n8n's SSRF protection blocked the request to Commvault at ${host}`);
			expect(item.details).toEqual(expect.objectContaining({ itemIndex }));
			// Sent once: a request the node tried more than once carries `attempts` in its details
			// (helpers/errors.ts). A count, not the execution time, which a busy machine stretches.
			expect(item.details?.attempts).toBeUndefined();
			const description = String(item.details?.description);
			for (const sentence of N8N_SAYS) expect(description).toContain(sentence);
			expect(description).toContain('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32');
		}

		test('the batch example (access token): each leaver fails at once with the explanation, and Commvault receives nothing', async () => {
			await sim.reset();
			const result = await n8n.execute(WORKFLOWS.batch.id);

			// Every leaver failed, so the example ends red after its report.
			expect(result.run?.status).toBe('error');
			const [offboarded, items] = nodeOutputs(result.run, 'Offboard in Commvault');
			expect(offboarded).toEqual([]);
			expect(items).toHaveLength(4);
			items.forEach((item, i) => expectBlocked(item, i));
			const [[report]] = nodeOutputs(result.run, 'Offboarding report');
			expect(report).toMatchObject({ total: 4, succeeded: 0, failed: 4 });

			expect(await sim.requests()).toEqual([]);
		});

		test('password credential: the login is blocked, both items go to the error output, no login reaches Commvault', async () => {
			await sim.reset();
			const result = await n8n.execute(WORKFLOWS.manualPassword.id);

			expect(result.run?.status).toBe('success');
			const [offboarded, failed] = nodeOutputs(result.run, 'Commvault');
			expect(offboarded).toEqual([]);
			expect(failed).toHaveLength(2);
			failed.forEach((item, i) => expectBlocked(item, i));
			expect(result.output).not.toContain(sim.account.password);

			expect(await sim.requests()).toEqual([]);
		});

		test('the credential modal\'s "Test" shows the same explanation', async () => {
			await sim.reset();
			const { client } = await n8n.start();
			const credential = accessTokenCredential(sim);

			const answer = await client.testCredential(credential);

			expect(answer.status).toBe('Error');
			expect(answer.message).toContain(`n8n's SSRF protection blocked the request to Commvault at ${host}`);
			for (const sentence of N8N_SAYS) expect(answer.message).toContain(sentence);
			expect(answer.message).toContain('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32');
			expect(answer.message).not.toContain(sim.accessToken);
			expect(await sim.requests()).toEqual([]);
		});
	});
}
