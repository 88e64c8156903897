import { importCircles, importGraph } from '../support/source-files';

describe('imports of nodes/ and credentials/', () => {
	const graph = importGraph();

	it('form no circle', () => {
		expect(importCircles(graph)).toEqual([]);
	});

	it('finds a circle when there is one (the check itself works)', () => {
		expect(importCircles({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'] })).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
		// The graph holds the package's own imports, e.g. the transport's of the failure model.
		expect(graph['nodes/Commvault/transport/index.ts']).toContain('nodes/Commvault/transport/failure.ts');
	});

	it('run one way: the failure model imports nothing of the package, helpers/errors only the failure model', () => {
		expect(graph['nodes/Commvault/transport/failure.ts']).toEqual([]);
		expect(graph['nodes/Commvault/helpers/errors.ts']).toEqual(['nodes/Commvault/transport/failure.ts']);
	});
});
