/**
 * The Commvault node as an AI agent's tool, in a real n8n: `examples/ai-helpdesk-mcp.json` published
 * (an MCP Server Trigger with bearer authentication and two Commvault tools), and an MCP client (the
 * official SDK, as an AI assistant uses it) that lists the tools and calls them. Assertions on what
 * the client received and on the simulator's record. Then the same tool nodes run headless by n8n's
 * Tool Executor (`n8n execute --id`), no language model involved.
 */
import {
	accessTokenCredential,
	newInstance,
	nodeOutputs,
	scanUserFolder,
	secretsOf,
	startSimulator,
	storedExecutions,
} from './support/e2e';
import type { Instance, Simulator } from './support/types';
import { offboardedItem, PREVIEW_SAYS } from '../support/expectations';
import {
	MCP_EXAMPLE,
	TOOL_EXECUTOR_ID,
	connectMcp,
	mcpBearerCredential,
	mcpUrl,
	newMcpToken,
	rawToolCall,
	toolExecutorWorkflow,
	mcpBehaviour,
	toolResult,
	withoutErrorClass,
} from './support/mcp';

type McpClient = Awaited<ReturnType<typeof connectMcp>>;

const USER_DESCRIPTION =
	'The Commvault user name (login name) of the person to offboard, exactly as Commvault shows it, for example jdoe. Users of a company or domain include its prefix. Not an email address and not a display name.';

describe('n8n MCP Server Trigger: the helpdesk example as tools of an AI assistant', () => {
	const token = newMcpToken();
	let sim: Simulator;
	let n8n: Instance;
	let client: McpClient;
	let behaviour: ReturnType<typeof mcpBehaviour>;

	const call = async (name: string, args: Record<string, unknown>) =>
		toolResult(await client.callTool({ name, arguments: args }));
	const changingRequests = async () => (await sim.requests()).filter((r) => r.method !== 'GET');

	beforeAll(async () => {
		sim = await startSimulator();
		n8n = await newInstance('mcp');
		await n8n.importCredentials([accessTokenCredential(sim), mcpBearerCredential(token)]);
		await n8n.importWorkflows([
			MCP_EXAMPLE.file,
			toolExecutorWorkflow({ Preview_offboarding: { user: 'jdoe' }, Offboard_user: { user: 'jdoe' } }),
		]);
		await n8n.start({ activate: [MCP_EXAMPLE.id] });
		client = await connectMcp(mcpUrl(n8n), token);
		behaviour = mcpBehaviour(n8n);
	});

	afterAll(async () => {
		await client?.close();
		await n8n?.stop();
		await sim?.stop();
	});

	test.each([
		['without a token', undefined],
		['with a wrong token', 'not-the-token'],
	])('a client %s is refused and nothing reaches Commvault', async (_, wrongToken) => {
		await sim.reset();
		// n8n's Webhook authentication answers 403 "Authorization data is wrong!" to both.
		await expect(connectMcp(mcpUrl(n8n), wrongToken)).rejects.toMatchObject({
			code: 403,
			message: 'Streamable HTTP error: Error POSTing to endpoint: Authorization data is wrong!',
		});
		expect(await sim.requests()).toEqual([]);
	});

	test.each([
		['without a token', {}],
		['with a wrong token', { Authorization: 'Bearer not-the-token' }],
	])('a tool call %s in a live session is refused and offboards nobody', async (_, headers) => {
		await sim.reset();
		expect(client.transport?.sessionId).toEqual(expect.any(String));
		const reply = await rawToolCall(mcpUrl(n8n), client, 'Offboard_user', { user: 'jdoe' }, headers);

		expect(reply).toEqual({ status: 403, text: 'Authorization data is wrong!' });
		expect(await sim.requests()).toEqual([]);
	});

	test('the same hand-made call with the token is carried out: the refusal above is the token\'s', async () => {
		await sim.reset();
		const reply = await rawToolCall(mcpUrl(n8n), client, 'Preview_offboarding', { user: 'jdoe' }, { Authorization: `Bearer ${token}` });

		expect(reply.status).toBe(200);
		expect(reply.text).toContain('(ID 1301), who holds a role on 3 subclients and 2 clients. Nothing was changed in Commvault.');
		expect((await sim.requests()).map((r) => r.method)).toEqual(expect.arrayContaining(['GET']));
		expect(await changingRequests()).toEqual([]);
	});

	test('the client lists the two tools, each with one input: the user name, a required string', async () => {
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));

		expect(Object.keys(byName).sort()).toEqual(['Offboard_user', 'Preview_offboarding']);
		for (const tool of tools) {
			expect(tool.inputSchema).toEqual({
				$schema: behaviour.schemaDialect,
				type: 'object',
				properties: { user: { type: 'string', description: USER_DESCRIPTION } },
				required: ['user'],
				// n8n's schema for $fromAI inputs (a non-strict zod object): other arguments are dropped, see below.
				additionalProperties: true,
			});
		}
		expect(byName.Preview_offboarding.description).toMatch(/^Preview the offboarding of one Commvault user\. Changes nothing in Commvault/);
		expect(byName.Offboard_user.description).toMatch(/^Offboard one Commvault user\. This CHANGES Commvault and this tool cannot undo it/);
		expect(byName.Offboard_user.description).toContain('The input `user` is the exact Commvault user name');
	});

	test('the preview only reads; the offboard sends exactly one POST /User/Offboard', async () => {
		await sim.reset();
		const preview = await call('Preview_offboarding', { user: 'jdoe' });

		expect(preview.isError).toBe(false);
		expect(preview.json).toEqual([
			expect.objectContaining({
				dryRun: true,
				status: 'wouldOffboard',
				userId: 1301,
				userName: 'jdoe',
				requests: [{ method: 'POST', path: '/User/Offboard' }],
				// What the tool description promises the model.
				user: expect.objectContaining({
					id: 1301,
					name: 'jdoe',
					email: 'jdoe@example.com',
					fullName: 'John Doe',
					enabled: true,
					locked: false,
					company: 'Commcell',
				}),
				message: `Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients. Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
			}),
		]);
		const previewRequests = await sim.requests();
		expect(previewRequests.length).toBeGreaterThan(0);
		expect(previewRequests.map((r) => r.method)).toEqual(previewRequests.map(() => 'GET'));
		expect((await sim.userState('jdoe')).ownedSubclients).not.toEqual([]);

		const offboard = await call('Offboard_user', { user: 'jdoe' });

		expect(offboard.isError).toBe(false);
		expect(offboard.json).toEqual([
			offboardedItem(1301, 'jdoe'),
		]);
		expect((await changingRequests()).map((r) => [r.method, r.path, r.body, r.status])).toEqual([
			['POST', '/commandcenter/api/User/Offboard', { userId: 1301 }, 200],
		]);
		expect((await sim.userState('jdoe')).ownedSubclients).toEqual([]);
	});

	test('an argument the schema does not name is dropped: the preview stays a dry run', async () => {
		await sim.reset();
		const preview = await call('Preview_offboarding', { user: 'jdoe', dryRun: false, options: { dryRun: false } });

		expect(preview.isError).toBe(false);
		expect(preview.json).toEqual([expect.objectContaining({ status: 'wouldOffboard', dryRun: true })]);
		expect(await changingRequests()).toEqual([]);
	});

	test('a user that does not exist comes back as a tool error with the node message', async () => {
		await sim.reset();
		const preview = await call('Preview_offboarding', { user: 'nobody' });
		expect(preview.isError).toBe(true);
		expect(withoutErrorClass(preview.text)).toBe(
			'User "nobody" not found in Commvault\n\nDetails: Failed for item 1, user "nobody". Commvault has no such user, or the account behind the credential cannot see it. Check the user in Command Center (Manage > Security > Users) and the value mapped into the User field (name, ID or email, exactly as Commvault shows it), then run this item again.',
		);
		expect(await changingRequests()).toEqual([]);

		// The offboard looks the user up first too, and sends nothing for a user that is not there.
		const offboard = await call('Offboard_user', { user: 'nobody' });
		expect(offboard.isError).toBe(true);
		expect(withoutErrorClass(offboard.text)).toBe(withoutErrorClass(preview.text));
		expect(await changingRequests()).toEqual([]);
	});

	test('Commvault refusing the offboard (legal hold) comes back as a tool error with its reason', async () => {
		await sim.reset();
		const result = await call('Offboard_user', { user: 'legal.hold' });

		expect(result.isError).toBe(true);
		expect(result.text).toContain('Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.');
	});

	test("a protected account (Commvault's built-in admin) comes back as a tool error that says why; nothing is sent", async () => {
		await sim.reset();
		const result = await call('Offboard_user', { user: 'admin' });

		expect(result.isError).toBe(true);
		expect(result.text).toContain('will not offboard user "admin": "admin" is Commvault\'s built-in administrator');
		expect(await changingRequests()).toEqual([]);
	});

	test('a rate limit comes back as a tool error that says to wait', async () => {
		await sim.reset();
		// As many 429s as the node's default Max Attempts (3).
		await sim.queueResponse({ endpoint: 'user/offboard', status: 429, headers: { 'Retry-After': '600' }, times: 3 });
		const result = await call('Offboard_user', { user: 'jdoe' });

		expect(result.isError).toBe(true);
		// A wait longer than the node waits: the item is not sent again, and says until when (n8n 2.41);
		// n8n 2.0.0 hands the node no Retry-After, so it retries and then reports the 429 itself.
		expect(withoutErrorClass(result.text)).toMatch(
			behaviour.seesRetryAfter ? /^Not sent: Commvault's rate limit holds until \d{4}-\d\d-\d\dT[\d:.]+Z\n/ : /^Commvault returned HTTP 429\b/,
		);
		expect(result.text).toContain('Commvault is rate-limiting requests (HTTP 429).');
		const attempts = behaviour.seesRetryAfter ? 1 : 3;
		expect(result.text.includes('Commvault asked to wait 600 second(s).')).toBe(behaviour.seesRetryAfter);
		expect((await changingRequests()).map((r) => [r.method, r.path, r.status])).toEqual(
			Array.from({ length: attempts }, () => ['POST', '/commandcenter/api/User/Offboard', 429]),
		);
		expect((await sim.userState('jdoe')).ownedSubclients).not.toEqual([]);
	});

	test('the tool calls are stored executions; neither the bearer token nor Commvault secrets are stored', async () => {
		// The calls above: 4 previews (jdoe three times, nobody: failed) and 5 offboards (jdoe, then nobody,
		// legal.hold, admin and a rate-limited jdoe: failed). The refused calls never started one.
		const [total, previews, offboards] = behaviour.failedCallsFinish ? [9, 4, 5] : [4, 3, 1];
		await n8n.client!.waitForExecutions(MCP_EXAMPLE.id, total);
		const executions = (await storedExecutions(n8n)).filter((e) => e.workflowId === MCP_EXAMPLE.id);
		const finished = executions.filter((e) => !['running', 'new', 'waiting'].includes(e.status));
		const toolRuns = (node: string) => finished.filter((e) => e.run.resultData.runData[node]).length;
		expect([finished.length, toolRuns('Preview offboarding'), toolRuns('Offboard user')]).toEqual([total, previews, offboards]);

		const scan = scanUserFolder(n8n, { ...(await secretsOf(sim)), 'MCP bearer token': token });
		expect(scan.filesScanned).toContain('.n8n/database.sqlite');
		expect(scan.hits).toEqual([]);
	});

	test('the Tool Executor runs the same tool nodes with fixed arguments, without a model', async () => {
		await sim.reset();
		const result = await n8n.execute(TOOL_EXECUTOR_ID);
		expect(result.run?.status).toBe('success');
		expect(result.run.data.resultData.error).toBeUndefined();

		// The Tool Executor's item is the tool's answer as the model would get it: a JSON string.
		const [[preview]] = nodeOutputs(result.run, 'Run Preview offboarding');
		const [[offboard]] = nodeOutputs(result.run, 'Run Offboard user');
		expect(JSON.parse(preview)).toEqual([
			expect.objectContaining({ status: 'wouldOffboard', dryRun: true, message: `Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients. Nothing was changed in Commvault. ${PREVIEW_SAYS}` }),
		]);
		expect(JSON.parse(offboard)).toEqual([
			offboardedItem(1301, 'jdoe'),
		]);
		expect((await changingRequests()).map((r) => [r.method, r.path, r.body])).toEqual([
			['POST', '/commandcenter/api/User/Offboard', { userId: 1301 }],
		]);
	});
});
