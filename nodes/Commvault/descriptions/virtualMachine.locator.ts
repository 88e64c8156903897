import type { INodeProperties } from 'n8n-workflow';

/** The virtual machine an item acts on: picked from `GET /VM`, or given by its GUID. */
export const virtualMachineLocator: INodeProperties = {
	displayName: 'Virtual Machine',
	name: 'virtualMachine',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The virtual machine to offboard, e.g. one that moves to another team',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a virtual machine...',
			typeOptions: { searchListMethod: 'searchVirtualMachines', searchable: true },
		},
		{
			displayName: 'By GUID',
			name: 'guid',
			type: 'string',
			placeholder: 'e.g. 5f2a1c3e-8d4b-4e6f-9a7b-1c2d3e4f5a6b',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', errorMessage: 'Not a VM GUID' },
				},
			],
		},
	],
};
