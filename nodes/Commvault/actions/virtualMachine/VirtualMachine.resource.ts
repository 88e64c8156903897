import type { INodeProperties } from 'n8n-workflow';

import * as offboard from './offboard.operation';

export { offboard };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['virtualMachine'] } },
		options: [
			{
				name: 'Offboard',
				value: 'offboard',
				description: 'Remove the owners of one VM and disable its backup',
				action: 'Offboard a virtual machine',
			},
		],
		default: 'offboard',
	},
	...offboard.description,
];
