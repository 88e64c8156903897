import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { removeFromUserGroups } from '../../commvault/userGroups';
import type { CommvaultUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { shownItem } from '../../failures/errors';
import { batchLimitError } from '../../guards/batchLimit';
import { capitalized, count, nameOf } from '../../output/outcome';
import { changeUserWith } from './userStep';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user to take out of user groups' },
	{
		displayName: 'Groups',
		name: 'groups',
		type: 'options',
		options: [
			{ name: 'All Groups', value: 'all', description: 'Every user group the user is a member of' },
			{ name: 'Listed Groups', value: 'listed', description: 'Only the user groups named below' },
		],
		default: 'all',
	},
	{
		displayName: 'User Groups',
		name: 'userGroups',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Laptop Users, 4',
		description: 'User group names or IDs, separated by commas. Groups the user is not a member of are reported under notMemberOf.',
		displayOptions: { show: { groups: ['listed'] } },
	},
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['removeFromUserGroups'] } }, properties);

/** More users than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'remove the group memberships of');
}

function listedGroups(this: IExecuteFunctions, itemIndex: number): string[] | undefined {
	if (this.getNodeParameter('groups', itemIndex, 'all') !== 'listed') return undefined;
	const raw = String(this.getNodeParameter('userGroups', itemIndex, '') ?? '');
	const groups = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
	if (groups.length > 0) return groups;
	throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: no user groups listed`, {
		itemIndex,
		description: 'Name the user groups to leave under "User Groups" (names or IDs, separated by commas), or choose "All Groups".',
	});
}

function removedMessage(user: CommvaultUser, changed: IDataObject): string {
	const removed = (changed.userGroupsRemoved as IDataObject[]).length;
	const notMember = Array.isArray(changed.notMemberOf) ? ` Not a member of: ${(changed.notMemberOf as string[]).join(', ')}.` : '';
	const done = removed === 0 ? `${capitalized(nameOf(user))} was in none of these user groups.` : `Removed ${nameOf(user)} from ${count(removed, 'user group')}.`;
	return `${done}${notMember}`;
}

/** `GET /User/{id}?level=40` for the groups, then `PUT /V4/user/{id}` with `userGroupOperation: DELETE`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const wanted = listedGroups.call(this, itemIndex);
	const how = { verb: 'remove the group memberships of', status: 'removedFromGroups' as const, message: removedMessage, full: true };
	return await changeUserWith.call(this, itemIndex, how, async function (context, user) {
		return await removeFromUserGroups.call(this, context, user, wanted);
	});
}
