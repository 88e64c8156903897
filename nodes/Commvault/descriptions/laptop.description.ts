import type { INodeProperties } from 'n8n-workflow';

export const laptopIdField: INodeProperties = {
	displayName: 'Laptop ID',
	name: 'laptopId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 42',
	description: 'The client ID of the laptop, as Laptop → Get Many returns it in "laptopId"',
};
