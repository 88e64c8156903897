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
				description: "Hand a laptop backed up by Commvault Endpoint to another user, e.g. the leaver's manager",
				action: 'Change the owner of a laptop',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get a user's laptops backed up by Commvault Endpoint: those the user owns, or whose user name or email is the user's",
				action: 'Get many laptops',
			},
			{
				name: 'Retire',
				value: 'retire',
				description: 'Retire a laptop: Commvault uninstalls its software, releases the licence and deletes the client once its data has aged. Returns the job ID.',
				action: 'Retire a laptop',
			},
		],
		default: 'getAll',
	},
	...changeOwner.description,
	...getAll.description,
	...retire.description,
];
