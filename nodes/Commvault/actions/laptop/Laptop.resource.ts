import type { INodeProperties } from 'n8n-workflow';

import * as changeOwner from './changeOwner.operation';
import * as getAll from './getAll.operation';
import * as retire from './retire.operation';

export { changeOwner, getAll, retire };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['laptop'] } },
		options: [
			{
				name: 'Change Owner',
				value: 'changeOwner',
				description: "Hand a backed-up laptop to another user, e.g. the leaver's manager",
				action: 'Change the owner of a laptop',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List a user's laptops backed up by Commvault Endpoint",
				action: 'Get many laptops',
			},
			{
				name: 'Retire',
				value: 'retire',
				description: 'Retire a laptop: uninstall it, free its licence, return the job ID',
				action: 'Retire a laptop',
			},
		],
		default: 'getAll',
	},
	...changeOwner.description,
	...getAll.description,
	...retire.description,
];
