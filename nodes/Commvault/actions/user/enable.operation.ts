import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import type { ChangeRequest } from '../../helpers/audit';
import { auditTrail } from '../../helpers/audit';
import { resolveUser } from '../../helpers/lookup';
import { describeUser, readUserReference } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description: 'The user to enable again, so that they can log in',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['enable'] } }, properties);

/** `PUT /User/{id}/Enable` (the user is looked up first; Commvault answers `{response: [{errorCode}]}`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const found = await resolveUser.call(this, itemIndex, user);
	const request: ChangeRequest = { method: 'PUT', endpoint: `User/${found.id}/Enable` };
	await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(user) });
	return { userId: found.id, userName: found.name, enabled: true, ...auditTrail(request) };
}
