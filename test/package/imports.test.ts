import { importCircles, importGraph, layerBreaks, layerOf, sourceFiles } from '../support/source-files';

describe('imports of nodes/ and credentials/', () => {
	const graph = importGraph();

	it('form no circle', () => {
		expect(importCircles(graph)).toEqual([]);
	});

	it('finds a circle when there is one (the check itself works)', () => {
		expect(importCircles({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'] })).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
		// The graph holds the package's own imports, e.g. the transport's of the failure model.
		expect(graph['nodes/Commvault/transport/index.ts']).toContain('nodes/Commvault/failures/failure.ts');
	});

	it('put every product file in a folder that names its layer', () => {
		expect(sourceFiles().filter((file: string) => layerOf(file) === undefined)).toEqual([]);
	});

	it('run down the layers only: failures ← state ← auth ← transport ← commvault ← guards | output | parameters ← actions ← node', () => {
		expect(layerBreaks(graph)).toEqual([]);
	});

	it('give the credential auth/ only, and descriptions/ nothing of the package', () => {
		const credential = graph['credentials/CommvaultApi.credentials.ts'];
		expect(credential.length).toBeGreaterThan(0);
		expect(credential.filter((file: string) => !file.startsWith('nodes/Commvault/auth/'))).toEqual([]);
		const descriptions = Object.keys(graph).filter((file) => file.startsWith('nodes/Commvault/descriptions/'));
		expect(descriptions.length).toBeGreaterThan(0);
		expect(descriptions.flatMap((file) => graph[file])).toEqual([]);
	});

	it('finds a back-edge when there is one (the rule itself works)', () => {
		const upward = {
			'nodes/Commvault/failures/errors.ts': ['nodes/Commvault/transport/index.ts'],
			'nodes/Commvault/transport/index.ts': ['nodes/Commvault/failures/errors.ts'],
			'nodes/Commvault/guards/batchLimit.ts': ['nodes/Commvault/output/outcome.ts'],
			'nodes/Commvault/descriptions/user.locator.ts': ['nodes/Commvault/failures/reasons.ts'],
			'credentials/CommvaultApi.credentials.ts': ['nodes/Commvault/auth/session.ts', 'nodes/Commvault/transport/index.ts'],
			'nodes/Commvault/actions/laptop/changeOwner.operation.ts': ['nodes/Commvault/actions/laptop/retire.operation.ts'],
			'nodes/Commvault/helpers/user.ts': [],
			'nodes/Commvault/actions/router.ts': ['nodes/Commvault/helpers/user.ts'],
		};
		expect(layerBreaks(upward)).toEqual([
			'nodes/Commvault/failures/errors.ts → nodes/Commvault/transport/index.ts: failures imports transport/, which is not below it',
			'nodes/Commvault/guards/batchLimit.ts → nodes/Commvault/output/outcome.ts: guards imports output/, which is not below it',
			'nodes/Commvault/descriptions/user.locator.ts → nodes/Commvault/failures/reasons.ts: descriptions imports failures/, which is not below it',
			'credentials/CommvaultApi.credentials.ts → nodes/Commvault/transport/index.ts: the credential imports transport/',
			'nodes/Commvault/actions/laptop/changeOwner.operation.ts → nodes/Commvault/actions/laptop/retire.operation.ts: an operation imports another operation',
			'nodes/Commvault/actions/router.ts → nodes/Commvault/helpers/user.ts: nodes/Commvault/helpers/user.ts is in no layer',
		]);
	});
});
