import { REQUIRED, tarballProblems } from '../../scripts/package-contents';
import { buildAndListTarball } from '../support/package-files';

describe('the npm package', () => {
	let files: string[];
	beforeAll(() => {
		files = buildAndListTarball();
	}, 120_000);

	it('holds only dist/, README.md, LICENSE and package.json, with everything n8n loads', () => {
		expect(tarballProblems(files)).toEqual({ unexpected: [], missing: [] });
		expect(files).toEqual(expect.arrayContaining(REQUIRED));
		expect(files.filter((f) => f.startsWith('dist/nodes/Commvault/actions/user/')).sort()).toEqual(
			['check', 'delete', 'disable', 'enable', 'get', 'getAll', 'logOffSessions', 'offboard', 'removeFromUserGroups', 'restore', 'revokeAccessTokens']
				.map((op) => `dist/nodes/Commvault/actions/user/${op}.operation.js`)
				.concat('dist/nodes/Commvault/actions/user/User.resource.js')
				// What the operations share (userStep) and Offboard's and Restore's own machinery beside them.
				.concat(['userStep.js', 'offboard/alsoSteps.js', 'offboard/handOver.js', 'offboard/impact.js', 'offboard/snapshot.js', 'restore/plan.js'].map((file) => `dist/nodes/Commvault/actions/user/${file}`))
				.sort(),
		);
		expect(files.filter((f) => f.startsWith('dist/nodes/Commvault/actions/laptop/')).sort()).toEqual(
			['changeOwner', 'getAll', 'retire']
				.map((op) => `dist/nodes/Commvault/actions/laptop/${op}.operation.js`)
				.concat('dist/nodes/Commvault/actions/laptop/Laptop.resource.js')
				.sort(),
		);
		expect(files.filter((f) => f.startsWith('dist/nodes/Commvault/actions/virtualMachine/')).sort()).toEqual([
			'dist/nodes/Commvault/actions/virtualMachine/VirtualMachine.resource.js',
			'dist/nodes/Commvault/actions/virtualMachine/offboard.operation.js',
		]);
	});

	it('the check rejects sources, tests, maps and declarations, and names what is missing', () => {
		const shipped = [...REQUIRED, 'dist/nodes/Commvault/Commvault.node.js.map', 'dist/index.d.ts', 'nodes/Commvault/Commvault.node.ts', 'dist/test/x.js', 'simulator/index.js'];
		expect(tarballProblems(shipped).unexpected).toEqual(shipped.slice(REQUIRED.length));
		expect(tarballProblems(['package.json']).missing).toEqual(REQUIRED.slice(1));
	});
});
