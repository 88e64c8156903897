import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest } from '../../commvault/steps';
import { describeUser } from '../../commvault/users';
import { userLocator } from '../../descriptions/user.locator';
import { auditTrail } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';
import { findItemUser } from '../itemUser';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description: 'The user to enable again, so that they can log in',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['enable'] } }, properties);

/** `PUT /User/{id}/Enable` (the user is looked up first; Commvault answers `{response: [{errorCode}]}`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { reference, found } = await findItemUser.call(this, itemIndex);
	const request: ChangeRequest = { method: 'PUT', endpoint: `User/${found.id}/Enable` };
	const response = await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(reference) });
	return outcome('enabled', found, `Enabled ${nameOf(found)}: they can log in again.`, { enabled: true, ...auditTrail(request) }, response);
}
