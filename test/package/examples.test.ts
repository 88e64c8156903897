import { LEDGER_COLUMNS, LEDGER_TABLE } from '../../scripts/n8n/ledger';
import { exampleWorkflowFiles, repoFile } from '../support/package-files';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const workflow = (file: string) => JSON.parse(repoFile(file)) as { id: string; nodes: WorkflowNode[] };
const dataTableNodes = (file: string) => workflow(file).nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable');

describe('the shipped example workflows', () => {
	it('finds the examples, the leaver ledger ones among them', () => {
		expect(exampleWorkflowFiles()).toEqual(
			expect.arrayContaining(['examples/hr-offboarding-webhook.json', 'examples/ticket-offboarding-servicenow.json', 'examples/offboard-due-leavers.json']),
		);
	});

	// Workflow static data is experimental, not kept for manual runs; the ledger (a Data Table) keeps the state.
	it.each(exampleWorkflowFiles())('%s keeps no state in workflow static data', (file) => {
		expect(repoFile(file)).not.toMatch(/getWorkflowStaticData/);
	});

	it.each(exampleWorkflowFiles())('%s: every Data Table node finds the ledger by its name and uses only its columns', (file) => {
		const known = new Set(['id', ...LEDGER_COLUMNS.map((c) => c.name)]);
		for (const node of dataTableNodes(file)) {
			expect([node.name, node.parameters.dataTableId]).toEqual([node.name, { __rl: true, mode: 'name', value: LEDGER_TABLE }]);
			const conditions = ((node.parameters.filters as { conditions?: Array<{ keyName: string }> })?.conditions ?? []).map((c) => c.keyName);
			const written = Object.keys((node.parameters.columns as { value?: Record<string, unknown> })?.value ?? {});
			expect([node.name, [...conditions, ...written].filter((name) => !known.has(name))]).toEqual([node.name, []]);
		}
	});

	it('the due run sets the approval threshold in one place, 20 by default', () => {
		const file = 'examples/offboard-due-leavers.json';
		const text = repoFile(file);
		expect(text.match(/approvalThreshold/g)?.length).toBeGreaterThan(1);
		const settings = workflow(file).nodes.find((n) => n.name === 'Settings')!;
		const assignments = (settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
		expect(assignments.filter((a) => a.name === 'approvalThreshold').map((a) => a.value)).toEqual(['=20']);
		// Every other mention reads it from Settings.
		const elsewhere = workflow(file).nodes.filter((n) => n.name !== 'Settings' && n.type !== 'n8n-nodes-base.stickyNote');
		for (const node of elsewhere) {
			for (const use of JSON.stringify(node.parameters).match(/.{0,40}approvalThreshold/g) ?? []) expect(use).toContain("$('Settings').first().json.approvalThreshold");
		}
	});
});
