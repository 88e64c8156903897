import type { INodeProperties } from 'n8n-workflow';

/** The `user` resource locator shared by every user operation. */
export const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Commvault user to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. jdoe or company/jdoe',
			hint: 'The Commvault user name, exactly as Commvault shows it (company or domain users include the prefix)',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1251',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A Commvault user ID is a whole number' },
				},
			],
		},
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. jdoe@example.com',
			hint: 'The email address or UPN stored on the Commvault user; the node looks the user up by it first',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$', errorMessage: 'Not an email address' },
				},
			],
		},
	],
};

/** A user who receives what a deleted user owned. */
export const newOwnerUserLocator: INodeProperties = {
	displayName: 'Transfer Ownership to User',
	name: 'transferToUser',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The user who becomes the owner of what the deleted user owned (alerts, schedule policies, workflows…). Set this or a user group, not both.',
	// The same modes as the User field, but no email (kept as it was). A name is resolved to the ID the DELETE sends.
	modes: (userLocator.modes ?? [])
		.filter((mode) => mode.name !== 'email')
		.map((mode) => (mode.name === 'list' ? { ...mode, placeholder: 'Select the new owner...' } : mode)),
};

/** A user group that receives what a deleted user owned. */
export const newOwnerUserGroupLocator: INodeProperties = {
	displayName: 'Transfer Ownership to User Group',
	name: 'transferToUserGroup',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The user group that becomes the owner of what the deleted user owned. Set this or a user, not both.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user group...',
			typeOptions: { searchListMethod: 'searchUserGroups', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Helpdesk',
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 4',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A Commvault user group ID is a whole number' },
				},
			],
		},
	],
};
