import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import { resolveUser } from '../../helpers/lookup';
import { describeUser, readUserReference } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description: 'The user to disable. Commvault keeps the account, its settings and what it owns, but the user can no longer log in.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['disable'] } }, properties);

/** `PUT /User/{id}/Disable` (the user is looked up first; Commvault answers `{response: [{errorCode}]}`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const found = await resolveUser.call(this, itemIndex, user);
	await commvaultApiRequest.call(this, {
		method: 'PUT',
		endpoint: `User/${found.id}/Disable`,
		itemIndex,
		subject: describeUser(user),
	});
	return { userId: found.id, userName: found.name, enabled: false };
}
