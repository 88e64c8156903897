import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { repoFile } from '../support/package-files';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}
interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

// The example cannot run headless (a Form Trigger and a Wait node's approval form); this pins what it relies on.
describe('examples/laptop-handover.json', () => {
	const workflow = JSON.parse(repoFile('examples/laptop-handover.json')) as Workflow;
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const next = (name: string, output = 0) => (workflow.connections[name]?.main[output] ?? []).map((c) => c.node);

	it('lists the leaver\'s laptops, waits for an approval form, then retires them or hands them to the manager', () => {
		expect(byName.get('Leaver and manager')).toMatchObject({
			type: 'n8n-nodes-base.formTrigger',
			// Whoever fills it in must log in (the examples authenticate their senders).
			parameters: { authentication: 'basicAuth' },
			credentials: { httpBasicAuth: { id: 'cvFormsBasicAuth1', name: 'Leaver forms (basic auth)' } },
		});
		expect(next('Leaver and manager')).toEqual(['List laptops']);
		expect(next('List laptops')).toEqual(['Laptops for approval']);
		expect(next('Laptops for approval')).toEqual(['Approval']);
		expect(byName.get('Approval')).toMatchObject({ type: 'n8n-nodes-base.wait', parameters: { resume: 'form' } });
		expect(next('Approval')).toEqual(['Decision and laptops']);
		expect(next('Decision and laptops')).toEqual(['One item per laptop']);
		expect(next('One item per laptop')).toEqual(['Retire?']);
		expect([next('Retire?', 0), next('Retire?', 1)]).toEqual([['Retire laptop'], ['Hand to manager']]);
	});

	it("uses only the Commvault node's existing laptop operations and their fields", () => {
		const { properties } = new Commvault().description;
		const laptopOperations = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('laptop')) as INodeProperties;
		const operations = (laptopOperations.options as INodePropertyOptions[]).map((o) => o.value);
		const commvaultNodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-commvault.commvault');
		expect(commvaultNodes.map((node) => [node.name, node.parameters.operation])).toEqual([
			['List laptops', 'getAll'],
			['Retire laptop', 'retire'],
			['Hand to manager', 'changeOwner'],
		]);
		for (const node of commvaultNodes) {
			expect(node.parameters.resource).toBe('laptop');
			expect(operations).toContain(node.parameters.operation);
			const fields = properties
				.filter((p) => p.displayOptions?.show?.resource?.includes('laptop') && p.displayOptions?.show?.operation?.includes(node.parameters.operation as string))
				.map((p) => p.name);
			for (const parameter of Object.keys(node.parameters).filter((key) => !['resource', 'operation'].includes(key))) {
				expect(fields).toContain(parameter);
			}
		}
	});
});
