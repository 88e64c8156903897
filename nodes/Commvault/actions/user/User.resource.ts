import type { INodeProperties } from 'n8n-workflow';

import * as offboard from './offboard.operation';

export { offboard };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Offboard',
				value: 'offboard',
				description:
					"Take a leaver's backups out of their hands: remove them as owner of their subclients and VM clients, disable those backups and remove their role. The account itself stays unless \"Disable User Afterwards\" is on; \"Dry Run\" only reports what would happen.",
				action: 'Offboard a user',
			},
		],
		default: 'offboard',
	},
	...offboard.description,
];
