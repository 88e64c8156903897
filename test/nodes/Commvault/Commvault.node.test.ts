import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CommvaultApi } from '../../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../../nodes/Commvault/Commvault.node';
import packageJson from '../../../package.json';
import { repoFile } from '../../support/package-files';

// Saved workflows and AI agents depend on these names: changing one breaks them.
describe('Commvault node description', () => {
	const { description, methods } = new Commvault();
	const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
	const values = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => o.value);
	const operationsOf = (resource: string) =>
		description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource)) as INodeProperties;

	it('is node type commvault, version 1, with the commvaultApi credential, usable as an AI tool', () => {
		expect(description).toMatchObject({
			name: 'commvault',
			displayName: 'Commvault',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'commvaultApi', required: true }],
			inputs: ['main'],
			outputs: ['main'],
		});
		expect(description.subtitle).toContain('$parameter["operation"]');
	});

	it('has resources laptop, user (the default, as before) and virtual machine, the eleven user operations, each with an action text and a description for agents', () => {
		expect(values(property('resource'))).toEqual(['laptop', 'user', 'virtualMachine']);
		expect(property('resource').default).toBe('user');
		const operation = operationsOf('user');
		expect(values(operation)).toEqual([
			'check',
			'delete',
			'disable',
			'enable',
			'get',
			'getAll',
			'logOffSessions',
			'offboard',
			'removeFromUserGroups',
			'restore',
			'revokeAccessTokens',
		]);
		expect(operation.default).toBe('offboard');
		for (const option of operation.options as INodePropertyOptions[]) {
			expect(option.action).toMatch(/^[A-Z][a-z]+( [a-z]+)+$/);
			// n8n's action list shows about the first 60-70 characters of a description.
			expect(option.description).toMatch(/^.{30,70}$/);
		}
	});

	it('has the laptop operations Change Owner, Get Many and Retire, each with an action text and a description', () => {
		const operation = operationsOf('laptop');
		expect(values(operation)).toEqual(['changeOwner', 'getAll', 'retire']);
		for (const option of operation.options as INodePropertyOptions[]) {
			expect(option.action).toMatch(/^[A-Z][a-z]+( [a-z]+)+$/);
			// n8n's action list shows about the first 60-70 characters of a description.
			expect(option.description).toMatch(/^.{30,70}$/);
		}
	});

	it('has the virtual machine operation Offboard, its VM picked from a list or given by GUID', () => {
		const operation = operationsOf('virtualMachine');
		expect(values(operation)).toEqual(['offboard']);
		const locator = description.properties.find((p) => p.name === 'virtualMachine');
		expect(locator?.modes?.map((m) => m.name)).toEqual(['list', 'guid']);
		expect(locator?.modes?.[0].typeOptions?.searchListMethod).toBe('searchVirtualMachines');
	});

	it('finds the user with a resource locator: from list, by name, by ID or by email', () => {
		const locators = description.properties.filter((p) => p.name === 'user');
		expect(locators.length).toBeGreaterThan(0);
		for (const user of locators) {
			expect(user.type).toBe('resourceLocator');
			expect(user.modes?.map((m) => m.name)).toEqual(['list', 'name', 'id', 'email']);
			expect(user.modes?.[0].typeOptions?.searchListMethod).toBe('searchUsers');
		}
		expect(Object.keys(methods.listSearch).sort()).toEqual(['searchUserGroups', 'searchUsers', 'searchVirtualMachines']);
	});

	it('names every option value as a camelCase identifier', () => {
		// Options hold values (options fields) or nested fields (collections); fixedCollections hold `values`.
		const optionValues = (properties: INodeProperties[]): unknown[] =>
			properties.flatMap((p) =>
				((p.options ?? []) as Array<INodePropertyOptions | INodeProperties | { values: INodeProperties[] }>).flatMap((o) =>
					'values' in o ? optionValues(o.values) : 'value' in o ? [o.value] : optionValues([o]),
				),
			);
		const all = optionValues(description.properties);
		expect(all.length).toBeGreaterThan(6);
		for (const value of all) expect(String(value)).toMatch(/^[a-z][a-zA-Z0-9]*$/);
	});

	it('ships themed icons and a codex file that name this node and link to the docs', () => {
		const icon = description.icon as { light: string; dark: string };
		// Icon paths are relative to the node's folder: nodes/Commvault/ → ../../icons/…
		for (const file of [icon.light, icon.dark]) {
			expect(file).toMatch(/^file:\.\.\/\.\.\/icons\/[\w.]+\.svg$/);
			expect(repoFile(file.replace(/^file:\.\.\/\.\.\//, ''))).toMatch(/^<svg[\s>]/);
		}
		const codex = JSON.parse(repoFile('nodes/Commvault/Commvault.node.json'));
		expect(codex.node).toBe(`${packageJson.name}.${description.name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.resources.primaryDocumentation[0].url).toBe(packageJson.homepage);
		expect(codex.resources.credentialDocumentation[0].url).toMatch(/^https:\/\/github\.com\/.*#credentials$/);
	});

	it("gives fields you type into a placeholder that starts with 'e.g.' (n8n's UX guidelines for verified nodes)", () => {
		// Collections ("Add option") and the From List mode ("Select a user...") are pickers, not examples.
		const placeholders = (properties: INodeProperties[]): string[] =>
			properties.flatMap((p) => [
				...(p.placeholder !== undefined && p.type !== 'collection' && p.type !== 'resourceLocator' ? [String(p.placeholder)] : []),
				...(p.modes ?? []).filter((m) => m.name !== 'list' && m.placeholder).map((m) => String(m.placeholder)),
				...placeholders(((p.options ?? []) as INodeProperties[]).filter((o) => 'type' in o)),
			]);
		const all = placeholders([...description.properties, ...new CommvaultApi().properties]);
		expect(all.length).toBeGreaterThan(5);
		for (const text of all) expect(text).toMatch(/^e\.g\. /);
	});

	it('is registered in package.json as a strict n8n community package with no runtime dependencies', () => {
		expect(packageJson.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(packageJson.n8n.nodes).toEqual(['dist/nodes/Commvault/Commvault.node.js']);
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/CommvaultApi.credentials.js']);
		expect(packageJson).not.toHaveProperty('dependencies');
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packageJson.keywords).toEqual(expect.arrayContaining(['n8n-community-node-package', 'commvault', 'backup', 'offboarding']));
		// n8n's verification: MIT licence, and the npm package pointing at its public GitHub repository.
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/n8n-nodes-commvault\.git$/);
		expect(packageJson.homepage).toMatch(/^https:\/\/github\.com\/[^/]+\/n8n-nodes-commvault#readme$/);
	});
});
