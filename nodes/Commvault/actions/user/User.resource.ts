import type { INodeProperties } from 'n8n-workflow';

import * as deleteUser from './delete.operation';
import * as disable from './disable.operation';
import * as enable from './enable.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as logOffSessions from './logOffSessions.operation';
import * as offboard from './offboard.operation';
import * as removeFromUserGroups from './removeFromUserGroups.operation';
import * as revokeAccessTokens from './revokeAccessTokens.operation';

export { deleteUser as delete, disable, enable, get, getAll, logOffSessions, offboard, removeFromUserGroups, revokeAccessTokens };

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
				name: 'Log Off Sessions',
				value: 'logOffSessions',
				description:
					"End the user's open sessions (Command Center, CommCell Console, command line) so that a leaver who is still logged in is logged out",
				action: 'Log off sessions of a user',
			},
			{
				name: 'Offboard',
				value: 'offboard',
				description:
					"Take a leaver's backups out of their hands: remove them as owner of their subclients and VM clients, disable those backups and remove their role. The account itself stays unless \"Disable User Afterwards\" is on; \"Dry Run\" only reports what would happen.",
				action: 'Offboard a user',
			},
			{
				name: 'Remove From User Groups',
				value: 'removeFromUserGroups',
				description:
					'Take the user out of all their user groups, or of the listed ones, so that group memberships no longer grant them rights',
				action: 'Remove a user from user groups',
			},
			{
				name: 'Revoke Access Tokens',
				value: 'revokeAccessTokens',
				description:
					'Revoke the access tokens the user created for REST API scripts and integrations. Whether Commvault lets an administrator revoke another user\'s tokens is not documented.',
				action: 'Revoke access tokens of a user',
			},
		],
		default: 'offboard',
	},
	...deleteUser.description,
	...disable.description,
	...enable.description,
	...get.description,
	...getAll.description,
	...logOffSessions.description,
	...offboard.description,
	...removeFromUserGroups.description,
	...revokeAccessTokens.description,
];
