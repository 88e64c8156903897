import type { INodeProperties } from 'n8n-workflow';

/** The `user` resource locator shared by every user operation. */
export const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'resourceLocator',
	default: { mode: 'name', value: '' },
	required: true,
	description: 'The Commvault user to act on',
	modes: [
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
	],
};
