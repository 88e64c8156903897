import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { batchLimitError, optionsWithBatchLimit } from '../../helpers/batchLimit';
import { userLocator } from '../../descriptions/user.locator';
import type { ChangeRequest } from '../../helpers/audit';
import { auditTrail } from '../../helpers/audit';
import { resolveUser } from '../../helpers/lookup';
import { refuseProtected } from '../../helpers/protectedAccounts';
import { describeUser, readUserReference } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description: 'The user to disable. Commvault keeps the account, its settings and what it owns, but the user can no longer log in.',
	},
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['disable'] } }, properties);

/** `PUT /User/{id}/Disable` (the user is looked up first; Commvault answers `{response: [{errorCode}]}`). */
/** More users to disable than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'disable');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const found = await resolveUser.call(this, itemIndex, user);
	await refuseProtected.call(this, itemIndex, found, 'disable');
	const request: ChangeRequest = { method: 'PUT', endpoint: `User/${found.id}/Disable` };
	await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(user) });
	return { userId: found.id, userName: found.name, enabled: false, ...auditTrail(request) };
}
