import { repoFile } from '../support/package-files';

interface WorkflowNode {
	name: string;
	type: string;
	alwaysOutputData?: boolean;
	onError?: string;
	credentials?: Record<string, { id: string; name: string }>;
	parameters: Record<string, unknown> & { options?: Record<string, unknown> };
}
type Connections = Record<string, { main: Array<Array<{ node: string }>> }>;

// The example runs end to end in test/e2e/undo-and-reconciliation.e2e.test.ts (through its form, with the
// ledger); this pins, in every `npm test`, the wiring that keeps an Undo safe.
describe('examples/undo-offboarding.json', () => {
	const workflow = JSON.parse(repoFile('examples/undo-offboarding.json')) as { nodes: WorkflowNode[]; connections: Connections };
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const next = (name: string, output = 0) => (workflow.connections[name]?.main[output] ?? []).map((c) => c.node);
	const feeding = (target: string) => Object.keys(workflow.connections).filter((name) => workflow.connections[name].main.some((out) => out.some((c) => c.node === target)));

	it('a form with basic authentication, or the sample, names the leaver; the ledger is read before anything reaches Commvault', () => {
		expect(byName.get('Undo form')).toMatchObject({
			type: 'n8n-nodes-base.formTrigger',
			parameters: { authentication: 'basicAuth' },
			credentials: { httpBasicAuth: { id: 'cvFormsBasicAuth1', name: 'Leaver forms (basic auth)' } },
		});
		expect([next('Undo form'), next('Sample request')]).toEqual([['Undo request'], ['Undo request']]);
		expect(next('Undo request')).toEqual(["The leaver's ledger rows"]);
		// No rows still gives an item, so that "nothing to undo" is answered and ends red.
		expect(byName.get("The leaver's ledger rows")).toMatchObject({ type: 'n8n-nodes-base.dataTable', alwaysOutputData: true, parameters: { operation: 'get' } });
		expect(next("The leaver's ledger rows")).toEqual(['Pick the offboarding to undo']);
		expect([next('An offboarding to undo?', 0), next('An offboarding to undo?', 1)]).toEqual([['Restore (Dry Run)'], ['Nothing to undo']]);
	});

	it('Restore runs only after its Dry Run, from the picked row; every Restore outcome, failures included, is written back', () => {
		expect(byName.get('Restore (Dry Run)')?.parameters.options).toEqual({ dryRun: true });
		expect(feeding('Restore')).toEqual(['Anything to put back?']);
		expect(feeding('Anything to put back?')).toEqual(['Restore (Dry Run)']);
		for (const name of ['Restore (Dry Run)', 'Restore']) expect(byName.get(name)?.onError).toBe('continueErrorOutput');
		expect(feeding('Restore result').sort()).toEqual(['Anything to put back?', 'Restore', 'Restore (Dry Run)']);
		expect(next('Restore (Dry Run)', 1)).toEqual(['Restore result']);
		expect(next('Restore', 1)).toEqual(['Restore result']);
		expect(byName.get('Restore')?.parameters.snapshot).toBe("={{ $('Pick the offboarding to undo').first().json.row.before }}");
	});

	it('writes only the row it undid, and only while it is still offboarded', () => {
		const write = byName.get('Write the undo into the row')!.parameters as { operation: string; filters: { conditions: Array<{ keyName: string; condition: string; keyValue: string }> } };
		expect(write.operation).toBe('update');
		expect(write.filters.conditions).toEqual([
			{ keyName: 'id', condition: 'eq', keyValue: "={{ $('Pick the offboarding to undo').first().json.row.id }}" },
			{ keyName: 'state', condition: 'eq', keyValue: 'offboarded' },
		]);
	});

	it('answers the form (only a form-started run), then ends red when nothing was undone', () => {
		expect(feeding('The answer').sort()).toEqual(['Nothing to undo', 'What happened']);
		expect([next('Asked through the form?', 0), next('Asked through the form?', 1)]).toEqual([['Answer the form'], ['Not undone?']]);
		expect(byName.get('Answer the form')).toMatchObject({ type: 'n8n-nodes-base.form', parameters: { operation: 'completion' } });
		expect(next('Answer the form')).toEqual(['Not undone?']);
		expect([next('Not undone?', 0), next('Not undone?', 1)]).toEqual([['Fail the run: not undone'], []]);
		expect(byName.get('Fail the run: not undone')?.type).toBe('n8n-nodes-base.stopAndError');
	});
});
