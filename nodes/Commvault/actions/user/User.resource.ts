import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';
import * as deleteUser from './delete.operation';
import * as disable from './disable.operation';
import * as enable from './enable.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as logOffSessions from './logOffSessions.operation';
import * as offboard from './offboard.operation';
import * as removeFromUserGroups from './removeFromUserGroups.operation';
import * as restore from './restore.operation';
import * as revokeAccessTokens from './revokeAccessTokens.operation';

export { check, deleteUser as delete, disable, enable, get, getAll, logOffSessions, offboard, removeFromUserGroups, restore, revokeAccessTokens };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Read what a user still owns and holds, e.g. after they left',
				action: 'Check what a user holds',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a user for good; what they owned goes to a new owner',
				action: 'Delete a user',
			},
			{
				name: 'Disable',
				value: 'disable',
				description: 'Stop a user logging in; the account and what it owns stay',
				action: 'Disable a user',
			},
			{
				name: 'Enable',
				value: 'enable',
				description: 'Let a disabled user log in again',
				action: 'Enable a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one user by name, ID or email, with status and groups',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List users, optionally those whose name or email has a text',
				action: 'Get many users',
			},
			{
				name: 'Log Off Sessions',
				value: 'logOffSessions',
				description: 'Log a user out of all their open Commvault sessions',
				action: 'Log off sessions of a user',
			},
			{
				name: 'Offboard',
				value: 'offboard',
				description: 'Remove a leaver as owner and disable their backups; account stays',
				action: 'Offboard a user',
			},
			{
				name: 'Remove From User Groups',
				value: 'removeFromUserGroups',
				description: 'Take a user out of all, or the listed, user groups',
				action: 'Remove a user from user groups',
			},
			{
				name: 'Restore',
				value: 'restore',
				description: 'Put back what an offboard removed: owners, roles, backup, account',
				action: 'Restore an offboarded user',
			},
			{
				name: 'Revoke Access Tokens',
				value: 'revokeAccessTokens',
				description: 'Revoke the API access tokens a user created',
				action: 'Revoke access tokens of a user',
			},
		],
		default: 'offboard',
	},
	...check.description,
	...deleteUser.description,
	...disable.description,
	...enable.description,
	...get.description,
	...getAll.description,
	...logOffSessions.description,
	...offboard.description,
	...removeFromUserGroups.description,
	...restore.description,
	...revokeAccessTokens.description,
];
