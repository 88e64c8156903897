import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest } from '../../commvault/steps';
import { queryUserGroups } from '../../commvault/userGroups';
import type { DirectUserReference, UserReference } from '../../commvault/users';
import { describeUser, resolveUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { newOwnerUserGroupLocator, newOwnerUserLocator, userLocator } from '../../descriptions/user.locator';
import { isUserNotFound, notFoundError, shownItem } from '../../failures/errors';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { isLocatorEmpty, readUserGroupReference, readUserReference } from '../../parameters/userLocator';
import { commvaultApiRequest } from '../../transport';
import { findItemUser, noteUserReference } from '../itemUser';

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

/** A new owner as the node read it, before it is resolved to an ID. */
type NewOwnerReference = { kind: 'user'; ref: UserReference } | { kind: 'group'; ref: DirectUserReference };

function readNewOwnerUser(this: IExecuteFunctions, itemIndex: number): NewOwnerReference | undefined {
	if (isLocatorEmpty.call(this, itemIndex, 'transferToUser')) return undefined;
	return { kind: 'user', ref: readUserReference.call(this, itemIndex, 'transferToUser') };
}

function readNewOwnerGroup(this: IExecuteFunctions, itemIndex: number): NewOwnerReference | undefined {
	if (isLocatorEmpty.call(this, itemIndex, 'transferToUserGroup')) return undefined;
	return { kind: 'group', ref: readUserGroupReference.call(this, itemIndex, 'transferToUserGroup', 'Transfer Ownership to User Group') };
}

/** The new owner's ID and what the output says about it. An owner given by ID is sent as it is. */
async function resolveNewOwner(this: IExecuteFunctions, itemIndex: number, owner: NewOwnerReference) {
	if (owner.ref.mode === 'id') {
		return owner.kind === 'user'
			? { newUserId: owner.ref.id, newUserGroupId: 0, output: { userId: owner.ref.id } }
			: { newUserId: 0, newUserGroupId: owner.ref.id, output: { userGroupId: owner.ref.id } };
	}
	if (owner.kind === 'group') {
		const group = await findUserGroup.call(this, itemIndex, owner.ref.mode === 'name' ? owner.ref.name : '');
		return { newUserId: 0, newUserGroupId: group.id, output: { userGroupId: group.id, userGroupName: group.name } };
	}
	try {
		const found = await resolveUser.call(this, itemIndex, owner.ref);
		return { newUserId: found.id, newUserGroupId: 0, output: { userId: found.id, userName: found.name } };
	} catch (error) {
		throw isUserNotFound(error) ? newOwnerNotFound.call(this, itemIndex, describeUser(owner.ref)) : error;
	}
}

/** "New owner user "x" not found in Commvault": not the "user not found" of the user to delete, which a workflow may branch on. */
function newOwnerNotFound(this: IExecuteFunctions, itemIndex: number, owner: string) {
	return notFoundError(
		this.getNode(),
		{ itemIndex, subject: `new owner ${owner}` },
		'Commvault needs the ID of the user or user group that takes over what the deleted user owned. Check "Transfer Ownership to User" or "Transfer Ownership to User Group", then run this item again. Nothing was deleted.',
	);
}

/** A user group by its exact name, case-insensitively, from `GET /UserGroup`. */
async function findUserGroup(this: IExecuteFunctions, itemIndex: number, name: string) {
	const groups = await queryUserGroups.call(this, { itemIndex, subject: `user group "${name}"` });
	const match = groups.find((group) => group.name.toLowerCase() === name.toLowerCase());
	if (!match) throw newOwnerNotFound.call(this, itemIndex, `user group "${name}"`);
	return match;
}

/** How a message names the new owner, from the item's `transferredTo`. */
function ownerName(owner: IDataObject): string {
	if (owner.userName) return `user "${String(owner.userName)}"`;
	if (owner.userGroupName) return `user group "${String(owner.userGroupName)}"`;
	return owner.userId ? `user ID ${String(owner.userId)}` : `user group ID ${String(owner.userGroupId)}`;
}

/** More users to delete than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'delete');
}

/**
 * `DELETE /User/{id}?newUserId=…&newUserGroupId=…` (the user is looked up first). Commvault requires
 * a new owner, a user or a user group, and documents the ID form with "0 as the value for the ID you
 * are not sending" (https://documentation.commvault.com/v11/software/rest_api_delete_user.html): a
 * new owner given by name or email is resolved to its ID first. Never re-sent blindly.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	noteUserReference.call(this, itemIndex, user);
	const newUser = readNewOwnerUser.call(this, itemIndex);
	const newGroup = readNewOwnerGroup.call(this, itemIndex);
	if (!newUser && !newGroup) {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: no new owner for what ${describeUser(user)} owns`, {
			itemIndex,
			description:
				'Commvault deletes a user only when the ownership of its alerts, schedule policies, workflows and other entities goes to another user or a user group. Set "Transfer Ownership to User" or "Transfer Ownership to User Group". Nothing was sent to Commvault.',
		});
	}
	if (newUser && newGroup) {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: two new owners for what ${describeUser(user)} owns`, {
			itemIndex,
			description:
				'Commvault transfers the ownership to either a user or a user group. Clear one of "Transfer Ownership to User" and "Transfer Ownership to User Group". Nothing was sent to Commvault.',
		});
	}

	const { found } = await findItemUser.call(this, itemIndex);
	await refuseProtected.call(this, itemIndex, found, 'delete');
	const owner = await resolveNewOwner.call(this, itemIndex, (newUser ?? newGroup) as NewOwnerReference);
	const request: ChangeRequest = {
		method: 'DELETE',
		endpoint: `User/${found.id}`,
		qs: { newUserId: owner.newUserId, newUserGroupId: owner.newUserGroupId },
	};
	const response = await commvaultApiRequest.call(this, { ...request, itemIndex, subject: describeUser(user), idempotent: false });
	const message = `Deleted ${nameOf(found)}; what they owned now belongs to ${ownerName(owner.output)}.`;
	return outcome('deleted', found, message, { deleted: true, transferredTo: owner.output, ...auditTrail(request) }, response);
}
