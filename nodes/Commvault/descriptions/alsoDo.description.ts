import type { INodeProperties } from 'n8n-workflow';

/** Offboard's "Also" option: the steps of actions/user/offboard/alsoSteps.ts, in the order they run. */
export const alsoDoOption: INodeProperties = {
	displayName: 'Also',
	name: 'alsoDo',
	type: 'multiOptions',
	options: [
		{ name: 'Disable Account', value: 'disableAccount', description: 'PUT /User/{ID}/Disable' },
		{ name: 'Log Off Sessions', value: 'logOffSessions', description: 'GET /Session?userId=, then DELETE /Sessions' },
		{ name: 'Remove From User Groups', value: 'removeFromUserGroups', description: 'All groups: PUT /V4/user/{ID} with userGroupOperation DELETE' },
		{ name: 'Revoke Access Tokens', value: 'revokeAccessTokens', description: 'GET /V4/AccessToken/?userId=, then DELETE /V4/AccessToken/{ID} each' },
	],
	default: [],
	description:
		'What else to do once the offboard succeeded, always in this order: disable the account, log off sessions, revoke access tokens, remove from user groups. A failed step does not stop the others; the item then fails and says what was done.',
};
