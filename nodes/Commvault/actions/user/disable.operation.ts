import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest } from '../../commvault/steps';
import { describeUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';
import { findItemUser } from '../itemUser';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description: 'The user to disable. Commvault keeps the account, its settings and what it owns, but the user can no longer log in.',
	},
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['disable'] } }, properties);

/** More users to disable than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'disable');
}

/** `PUT /User/{id}/Disable` (the user is looked up first; Commvault answers `{response: [{errorCode}]}`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { reference, found } = await findItemUser.call(this, itemIndex);
	await refuseProtected.call(this, itemIndex, found, 'disable');
	const request: ChangeRequest = { method: 'PUT', endpoint: `User/${found.id}/Disable` };
	const response = await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(reference) });
	const message = `Disabled ${nameOf(found)}: they can no longer log in. Commvault keeps the account and what it owns.`;
	return outcome('disabled', found, message, { enabled: false, ...auditTrail(request) }, response);
}
