import { repoFile } from '../support/package-files';

interface WorkflowNode {
	name: string;
	type: string;
	disabled?: boolean;
	parameters: Record<string, unknown> & { options?: Record<string, unknown> };
}
type Connections = Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;

// The review itself runs in test/e2e/ai-agent-review.e2e.test.ts (n8n 2.41.1 only); this pins, in every
// `npm test`, the wiring it relies on: the Offboard tool reaches the agent only through the review node.
describe('examples/ai-agent-offboarding-review.json', () => {
	const workflow = JSON.parse(repoFile('examples/ai-agent-offboarding-review.json')) as { nodes: WorkflowNode[]; connections: Connections };
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const targets = (name: string, type: string) => (workflow.connections[name]?.[type] ?? []).flat().map((c) => [c.node, c.type]);

	it('wires Offboard user → Review offboarding (n8n\'s generated email review tool) → AI Agent, and nothing else from Offboard user', () => {
		expect(byName.get('Offboard user')).toMatchObject({ type: 'n8n-nodes-commvault.commvaultTool', parameters: { resource: 'user', operation: 'offboard' } });
		expect(byName.get('Review offboarding')?.type).toBe('n8n-nodes-base.emailSendHitlTool');
		expect(byName.get('AI Agent')?.type).toBe('@n8n/n8n-nodes-langchain.agent');
		expect(workflow.connections['Offboard user']).toEqual({ ai_tool: [[{ node: 'Review offboarding', type: 'ai_tool', index: 0 }]] });
		expect(targets('Review offboarding', 'ai_tool')).toEqual([['AI Agent', 'ai_tool']]);
		expect(workflow.nodes.filter((node) => node.disabled)).toEqual([]);
	});

	it('the only Commvault tool the agent reaches without review is the preview, with Dry Run fixed on', () => {
		const direct = Object.keys(workflow.connections).filter((name) => targets(name, 'ai_tool').some(([node]) => node === 'AI Agent'));
		const commvaultDirect = direct.filter((name) => byName.get(name)?.type.startsWith('n8n-nodes-commvault.'));
		expect(commvaultDirect).toEqual(['Preview offboarding']);
		expect(byName.get('Preview offboarding')?.parameters.options).toMatchObject({ dryRun: true, maxUsersPerRun: 1 });
		expect(byName.get('Offboard user')?.parameters.options).toMatchObject({ maxUsersPerRun: 1 });
	});

	it('a Chat Trigger (its output holds no request headers, so no credential) starts it, and Acknowledge answers before the agent runs', () => {
		expect(byName.get('Helpdesk chat')).toMatchObject({
			type: '@n8n/n8n-nodes-langchain.chatTrigger',
			parameters: { public: true, mode: 'webhook', authentication: 'basicAuth', options: { responseMode: 'responseNode' } },
		});
		expect(targets('Helpdesk chat', 'main')).toEqual([['Acknowledge', 'main']]);
		expect(byName.get('Acknowledge')?.type).toBe('n8n-nodes-base.respondToWebhook');
		expect(targets('Acknowledge', 'main')).toEqual([['AI Agent', 'main']]);
	});

	it('the review asks by email with approve and decline buttons, naming the user the model chose', () => {
		const review = byName.get('Review offboarding')!.parameters;
		expect(review.approvalOptions).toEqual({ values: { approvalType: 'double', approveLabel: 'Offboard', disapproveLabel: 'Do not offboard' } });
		expect(review.message).toContain('{{ $tool.parameters.user }}');
	});
});
