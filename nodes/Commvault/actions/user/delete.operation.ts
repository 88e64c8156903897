import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { batchLimitError, optionsWithBatchLimit } from '../../helpers/batchLimit';
import { newOwnerUserGroupLocator, newOwnerUserLocator, userLocator } from '../../descriptions/user.locator';
import type { ChangeRequest } from '../../helpers/audit';
import { auditTrail } from '../../helpers/audit';
import { resolveUser } from '../../helpers/lookup';
import { refuseProtected } from '../../helpers/protectedAccounts';
import { describeUser, isLocatorEmpty, readUserGroupReference, readUserReference } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			'The user to delete. Commvault removes the account for good and hands what it owned to the new owner below.',
	},
	newOwnerUserLocator,
	newOwnerUserGroupLocator,
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

/** A new owner as Commvault's DELETE takes it: an ID, or the documented `byName(…)` form. */
interface NewOwner {
	query: number | string;
	output: IDataObject;
}

const odataQuote = (value: string) => value.replace(/'/g, "''");

function readNewOwnerUser(this: IExecuteFunctions, itemIndex: number): NewOwner | undefined {
	if (isLocatorEmpty.call(this, itemIndex, 'transferToUser')) return undefined;
	const owner = readUserReference.call(this, itemIndex, 'transferToUser');
	if (owner.mode === 'id') return { query: owner.id, output: { userId: owner.id } };
	if (owner.mode === 'name') return { query: `byName(userName='${odataQuote(owner.name)}')`, output: { userName: owner.name } };
	throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the new owner must be given by name or ID`, { itemIndex });
}

function readNewOwnerGroup(this: IExecuteFunctions, itemIndex: number): NewOwner | undefined {
	if (isLocatorEmpty.call(this, itemIndex, 'transferToUserGroup')) return undefined;
	const group = readUserGroupReference.call(this, itemIndex, 'transferToUserGroup', 'Transfer Ownership to User Group');
	if (group.mode === 'id') return { query: group.id, output: { userGroupId: group.id } };
	return { query: `byName(userGroupName='${odataQuote(group.name)}')`, output: { userGroupName: group.name } };
}

/**
 * `DELETE /User/{id}?newUserId=…&newUserGroupId=…` (the user is looked up first). Commvault requires
 * a new owner, a user or a user group, and takes 0 for the one not sent. Never re-sent blindly.
 */
/** More users to delete than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'delete');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const newUser = readNewOwnerUser.call(this, itemIndex);
	const newGroup = readNewOwnerGroup.call(this, itemIndex);
	if (!newUser && !newGroup) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: no new owner for what ${describeUser(user)} owns`, {
			itemIndex,
			description:
				'Commvault deletes a user only when the ownership of its alerts, schedule policies, workflows and other entities goes to another user or a user group. Set "Transfer Ownership to User" or "Transfer Ownership to User Group". Nothing was sent to Commvault.',
		});
	}
	if (newUser && newGroup) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: two new owners for what ${describeUser(user)} owns`, {
			itemIndex,
			description:
				'Commvault transfers the ownership to either a user or a user group. Clear one of "Transfer Ownership to User" and "Transfer Ownership to User Group". Nothing was sent to Commvault.',
		});
	}

	const found = await resolveUser.call(this, itemIndex, user);
	await refuseProtected.call(this, itemIndex, found, 'delete');
	const request: ChangeRequest = {
		method: 'DELETE',
		endpoint: `User/${found.id}`,
		qs: { newUserId: newUser?.query ?? 0, newUserGroupId: newGroup?.query ?? 0 },
	};
	await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(user), idempotent: false });
	const transferredTo = (newUser ?? newGroup)?.output ?? {};
	return { userId: found.id, userName: found.name, deleted: true, transferredTo, ...auditTrail(request) };
}
