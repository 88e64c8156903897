import type { INodeProperties } from 'n8n-workflow';

import * as deleteUser from './delete.operation';
import * as disable from './disable.operation';
import * as enable from './enable.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as offboard from './offboard.operation';

export { deleteUser as delete, disable, enable, get, getAll, offboard };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description:
					'Delete a user for good and hand what they owned (alerts, schedule policies, workflows…) to another user or a user group. Requires a new owner.',
				action: 'Delete a user',
			},
			{
				name: 'Disable',
				value: 'disable',
				description: 'Disable a user so they can no longer log in. The account and what it owns stay.',
				action: 'Disable a user',
			},
			{
				name: 'Enable',
				value: 'enable',
				description: 'Enable a disabled user so they can log in again',
				action: 'Enable a user',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one user by name, ID or email: ID, name, email, full name, whether enabled or locked, company and user groups',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many users, optionally only those whose name or email contains a text',
				action: 'Get many users',
			},
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
	...deleteUser.description,
	...disable.description,
	...enable.description,
	...get.description,
	...getAll.description,
	...offboard.description,
];
