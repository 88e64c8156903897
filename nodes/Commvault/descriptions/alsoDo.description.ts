import type { INodeProperties } from 'n8n-workflow';

/** Offboard's "Also" option: the steps of actions/user/offboard/alsoSteps.ts, in the order they run. */
export const alsoDoOption: INodeProperties = {
	displayName: 'Also',
	name: 'alsoDo',
	type: 'multiOptions',
	options: [
		{ name: 'Disable Account', value: 'disableAccount', description: 'The leaver can no longer log in; Commvault keeps the account' },
		{ name: 'Log Off Sessions', value: 'logOffSessions', description: 'Ends every session the leaver has open' },
		{ name: 'Remove From User Groups', value: 'removeFromUserGroups', description: 'Takes the leaver out of all their user groups' },
		{ name: 'Revoke Access Tokens', value: 'revokeAccessTokens', description: 'Revokes the access tokens of the leaver, so that no script can act as them. Needs a username-and-password credential: with an access token the item is refused before anything is sent.' },
	],
	default: [],
	description:
		'What else to do once the offboard succeeded, always in this order: disable the account, log off sessions, revoke access tokens, remove from user groups. A failed step does not stop the others; the item then fails and says what was done.',
};
