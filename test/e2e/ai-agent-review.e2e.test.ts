/**
 * `examples/ai-agent-offboarding-review.json` in a real n8n: an AI Agent whose Offboard tool is
 * wired through n8n's human review step (a generated Send Email "HitlTool" node, n8n 2.6 or later),
 * driven by a scripted OpenAI-compatible chat model on loopback (test/support/scripted-chat-model.js),
 * not a real LLM. The review email goes to a local SMTP receiver; the test follows its links as a
 * person's browser does. Assertions on the simulator's record, the email and what the model was told.
 */
import { AGENT_REVIEW_EXAMPLE, N8N_VERSION, SCRIPTED_MODEL_API_KEY, releaseGeneratesReviewNodes, startAgentReviewInstance } from './support/agent-review';
import { offboardedItem } from '../support/expectations';
import { nodeOutputs, scanUserFolder, secretsOf, storedExecutions } from './support/e2e';
import { FINISHED, clickEmailLink, mailButtons, waitForStatus } from './support/ledger';

type AgentReview = Awaited<ReturnType<typeof startAgentReviewInstance>>;

const REVIEW_SINCE = [2, 6, 0];
const olderThanReview = (version: string) => {
	const parts = version.split('.').map(Number);
	const at = parts.findIndex((part, i) => part !== REVIEW_SINCE[i]);
	return at >= 0 && parts[at] < REVIEW_SINCE[at];
};

if (!releaseGeneratesReviewNodes()) {
	describe(`n8n ${N8N_VERSION} has no human review step for an AI Agent's tools (added in n8n 2.6)`, () => {
		test('the release generates no HitlTool nodes, so the example cannot run on it (docs/ai-assistant.md says so)', () => {
			expect({ version: N8N_VERSION, olderThan260: olderThanReview(N8N_VERSION) }).toEqual({ version: N8N_VERSION, olderThan260: true });
		});
	});
} else {
	describe('n8n AI Agent: Offboard only after the human review by email', () => {
		let agent: AgentReview;

		beforeAll(async () => {
			agent = await startAgentReviewInstance('jdoe');
		});

		afterAll(async () => {
			await agent?.stop();
		});

		const offboards = async () => await agent.sim.requests({ endpoint: 'user/offboard' });
		const writes = async () => (await agent.sim.requests()).filter((r: { method: string }) => r.method !== 'GET');
		const finished = async () => (await agent.client.listExecutions({ workflowId: AGENT_REVIEW_EXAMPLE.id })).filter((e: { status: string }) => FINISHED.includes(e.status)).length;
		/** The AI Agent's final output in a stored execution. */
		const agentAnswer = async (executionId: string) => {
			const execution = (await storedExecutions(agent.n8n)).find((e) => e.id === executionId)!;
			const [items] = nodeOutputs(execution.run, 'AI Agent');
			return items?.at(-1)?.output;
		};
		const toolMessages = () =>
			agent.model
				.completions()
				.flatMap((body: { messages: Array<{ role: string; content: unknown }> }) => body.messages)
				.filter((m: { role: string }) => m.role === 'tool')
				.map((m: { content: unknown }) => String(m.content));

		/** Asks the agent, in the chat, to offboard jdoe and waits for the review email; nothing may have reached Commvault. */
		async function awaitingReview() {
			const mails = agent.smtp.messages.length;
			const before = await finished();
			const reply = await agent.ask('Please offboard jdoe, she left the company today.');
			expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: { output: expect.stringMatching(/^Your request is with the helpdesk agent\. Offboarding a Commvault user needs an approver/) } });
			const mail = await agent.smtp.waitForMessage(mails + 1);
			expect(mail.to).toEqual(['backup-approvals@example.com']);
			expect(mail.subject).toBe('Approve: the helpdesk agent wants to offboard a Commvault user');
			expect(mail.body).toContain('The helpdesk agent asks to offboard this Commvault user (tool Offboard_user):');
			expect(mail.body).toMatch(/Commvault user: jdoe\r?\n/);
			await waitForStatus(agent.client, AGENT_REVIEW_EXAMPLE.id, 1, ['waiting']);
			expect(await writes()).toEqual([]);
			return { mail, before };
		}

		test('the model is offered Preview_offboarding as is and Offboard_user behind the review (its arguments under toolParameters)', async () => {
			await agent.sim.reset();
			const { mail, before } = await awaitingReview();
			const tools = agent.model.completions()[0].tools.map((t: { function: { name: string; parameters: { properties: object } } }) => [t.function.name, Object.keys(t.function.parameters.properties).sort()]);
			expect(tools.sort()).toEqual([
				['Offboard_user', ['hitlParameters', 'toolParameters']],
				['Preview_offboarding', ['user']],
			]);
			// Leave nothing waiting for the next test.
			await clickEmailLink(mailButtons(mail).find((b) => b.label === 'Do not offboard')!.url);
			await waitForStatus(agent.client, AGENT_REVIEW_EXAMPLE.id, before + 1, FINISHED);
		});

		test('"Do not offboard": nothing is sent to Commvault and the model is told the call was rejected', async () => {
			await agent.sim.reset();
			const { mail, before } = await awaitingReview();
			const toolResultsBefore = toolMessages().length;

			const decline = mailButtons(mail).find((b) => b.label === 'Do not offboard')!;
			expect((await clickEmailLink(decline.url)).status).toBe(200);
			const [run] = (await waitForStatus(agent.client, AGENT_REVIEW_EXAMPLE.id, before + 1, FINISHED)).filter((e: { status: string }) => FINISHED.includes(e.status));
			expect(run.status).toBe('success');
			expect(await offboards()).toEqual([]);
			expect(await writes()).toEqual([]);
			// n8n hands the model its denial as the tool's result (processHitlResponses.js in @n8n/n8n-nodes-langchain 2.41.1).
			expect(toolMessages().slice(toolResultsBefore).map((m) => JSON.parse(m))).toEqual([
				[{ output: expect.stringMatching(/^User rejected the tool call to Offboard user \(id: call_\d+\)\. STOP what you are doing /) }],
			]);
			// The chat gets the agent's final answer (the scripted model quotes the tool result).
			// The agent's answer quotes the tool result (the scripted model does).
			expect(await agentAnswer(run.id)).toMatch(/^Tool Offboard_user answered: .*User rejected the tool call/);
		});

		test('"Offboard": exactly one POST /User/Offboard for the user the model chose, and its result goes back to the model', async () => {
			await agent.sim.reset();
			const { mail, before } = await awaitingReview();
			const toolResultsBefore = toolMessages().length;

			const approve = mailButtons(mail).find((b) => b.label === 'Offboard')!;
			expect((await clickEmailLink(approve.url)).status).toBe(200);
			const [run] = (await waitForStatus(agent.client, AGENT_REVIEW_EXAMPLE.id, before + 1, FINISHED)).filter((e: { status: string }) => FINISHED.includes(e.status));
			expect(run.status).toBe('success');
			// The node sends the user it looked up and checked, by ID (jdoe is 1301 in the simulator's seed).
			expect((await offboards()).map((r: { body: unknown }) => r.body)).toEqual([{ userId: 1301 }]);
			// The tool's output item, as the model sees it.
			expect(toolMessages().slice(toolResultsBefore).map((m) => JSON.parse(m))).toEqual([[expect.objectContaining(offboardedItem(1301, 'jdoe'))]]);
			expect(await agentAnswer(run.id)).toMatch(/^Tool Offboard_user answered: .*"status":"offboarded"/);
		});

		test("the model got the credential's API key, and neither it, the chat's password nor the Commvault secrets are in n8n's files", async () => {
			expect(new Set(agent.model.authorizations())).toEqual(new Set([`Bearer ${SCRIPTED_MODEL_API_KEY}`]));
			const scan = scanUserFolder(agent.n8n, { ...(await secretsOf(agent.sim)), ...agent.secrets, 'model API key': SCRIPTED_MODEL_API_KEY });
			expect(scan.filesScanned).toContain('.n8n/database.sqlite');
			expect(scan.hits).toEqual([]);
		});
	});
}
