import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { newOwnerUserGroupLocator, newOwnerUserLocator, userLocator } from '../../descriptions/user.locator';
import { resolveUser } from '../../helpers/lookup';
import { describeUser, hasControlCharacter, readUserReference } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			'The user to delete. Commvault removes the account for good and hands what it owned to the new owner below.',
	},
	newOwnerUserLocator,
	newOwnerUserGroupLocator,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

/** A new owner as Commvault's DELETE takes it: an ID, or the documented `byName(…)` form. */
interface NewOwner {
	query: number | string;
	output: IDataObject;
}

const MAX_NAME_LENGTH = 256;

const odataQuote = (value: string) => value.replace(/'/g, "''");

function locatorValue(this: IExecuteFunctions, itemIndex: number, parameter: string) {
	const locator = this.getNodeParameter(parameter, itemIndex, undefined) as
		| INodeParameterResourceLocator
		| string
		| number
		| undefined;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'name';
	const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
	return { mode, empty };
}

function readNewOwnerUser(this: IExecuteFunctions, itemIndex: number): NewOwner | undefined {
	if (locatorValue.call(this, itemIndex, 'transferToUser').empty) return undefined;
	const owner = readUserReference.call(this, itemIndex, 'transferToUser');
	if (owner.mode === 'id') return { query: owner.id, output: { userId: owner.id } };
	if (owner.mode === 'name') return { query: `byName(userName='${odataQuote(owner.name)}')`, output: { userName: owner.name } };
	throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the new owner must be given by name or ID`, { itemIndex });
}

function readNewOwnerGroup(this: IExecuteFunctions, itemIndex: number): NewOwner | undefined {
	const { mode, empty } = locatorValue.call(this, itemIndex, 'transferToUserGroup');
	if (empty) return undefined;
	const locator = this.getNodeParameter('transferToUserGroup', itemIndex) as INodeParameterResourceLocator | string;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the new owner user group is not a name or ID`, {
			itemIndex,
		});
	}
	const value = String(raw).trim();
	if (mode === 'id' || (mode === 'list' && /^[0-9]+$/.test(value))) {
		const id = Number(value);
		if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: "${value.slice(0, 40)}" is not a Commvault user group ID`, {
				itemIndex,
			});
		}
		return { query: id, output: { userGroupId: id } };
	}
	if (value.length > MAX_NAME_LENGTH || hasControlCharacter(value)) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the new owner user group name is not usable`, {
			itemIndex,
			description: `A user group name is at most ${MAX_NAME_LENGTH} characters long and has no line breaks or other control characters.`,
		});
	}
	return { query: `byName(userGroupName='${odataQuote(value)}')`, output: { userGroupName: value } };
}

/**
 * `DELETE /User/{id}?newUserId=…&newUserGroupId=…` (the user is looked up first). Commvault requires
 * a new owner, a user or a user group, and takes 0 for the one not sent. Never re-sent blindly.
 */
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
	await commvaultApiRequest.call(this, {
		method: 'DELETE',
		endpoint: `User/${found.id}`,
		qs: { newUserId: newUser?.query ?? 0, newUserGroupId: newGroup?.query ?? 0 },
		itemIndex,
		subject: describeUser(user),
		idempotent: false,
	});
	return { userId: found.id, userName: found.name, deleted: true, transferredTo: (newUser ?? newGroup)?.output ?? {} };
}
