import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { nodeFailure } from '../failures/errors';
import { NOT_CONFIRMED } from '../failures/reasons';
import { commvaultApiRequest } from '../transport';
import type { ChangeRequest, StepContext, StepResult } from './steps';
import { objects } from './steps';
import type { CommvaultUser } from './users';
import { resolveUser } from './users';

/** Commvault's user groups (`GET /UserGroup`), each as its ID and name. */
export async function queryUserGroups(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	options: { itemIndex?: number; subject?: string } = {},
): Promise<Array<{ id: number; name: string }>> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'UserGroup', ...options });
	const groups = Array.isArray(response.userGroups) ? (response.userGroups as IDataObject[]) : [];
	return groups
		.map((group) => (group?.userGroupEntity ?? {}) as IDataObject)
		.filter((entity) => typeof entity.userGroupName === 'string' && Number(entity.userGroupId) > 0)
		.map((entity) => ({ id: Number(entity.userGroupId), name: String(entity.userGroupName) }));
}

/** The user's user groups, from the full user (`GET /User/{id}?level=40`'s `associatedUserGroups`). */
export function groupsOf(user: CommvaultUser): Array<{ id: number; name: string }> {
	return objects(user.raw.associatedUserGroups)
		.filter((group) => Number(group.userGroupId) > 0)
		.map((group) => ({ id: Number(group.userGroupId), name: String(group.userGroupName ?? '') }));
}

/** Which of the user's groups a list of names or IDs picks (all of them without a list). */
export function pickGroups(user: CommvaultUser, wanted?: string[]) {
	const groups = groupsOf(user);
	if (!wanted) return { remove: groups, notMember: [] as string[] };
	const matches = (group: { id: number; name: string }, entry: string) => String(group.id) === entry || group.name.toLowerCase() === entry.toLowerCase();
	return {
		remove: groups.filter((group) => wanted.some((entry) => matches(group, entry))),
		notMember: wanted.filter((entry) => !groups.some((group) => matches(group, entry))),
	};
}

/** The request that takes the user out of these groups. */
export const leaveGroupsRequest = (user: CommvaultUser, groups: Array<{ id: number }>): ChangeRequest => ({
	method: 'PUT',
	endpoint: `V4/user/${user.id}`,
	body: { userGroupOperation: 'DELETE', userGroups: groups.map((group) => ({ id: group.id })) },
});

/** Fails the step when the user, read again at level 40, is still in one of the groups it left. */
async function confirmLeft(this: IExecuteFunctions, context: StepContext, user: CommvaultUser, left: Array<{ id: number; name: string }>) {
	const now = groupsOf(await resolveUser.call(this, context.itemIndex, { mode: 'id', id: user.id }, { full: true }));
	const still = left.filter((group) => now.some((member) => member.id === group.id));
	if (still.length === 0) return;
	throw nodeFailure(this.getNode(), context, {
		message: `still a member of ${still.map((group) => `"${group.name}"`).join(', ')} after the removal`,
		description: `Commvault answered PUT /V4/user/${user.id} without an error, but GET /User/${user.id}?level=40 still lists these user groups. For external (domain) users Commvault does not modify user groups (PowerShell SDK v2 OpenAPI, UpdateUser); change the membership in the directory or in Command Center, then run this item again.`,
		reason: NOT_CONFIRMED,
	});
}

/**
 * Remove from User Groups: `PUT /V4/user/{id}` with `{userGroupOperation: 'DELETE', userGroups: [{id}]}`
 * (Commvault PowerShell SDK v2 OpenAPI, `UpdateUser`), then the user read back at level 40: a group still
 * listed fails the step. `user` must be the full user (level 40). Nothing is sent when there is no group
 * to leave.
 */
export async function removeFromUserGroups(this: IExecuteFunctions, context: StepContext, user: CommvaultUser, wanted?: string[]): Promise<StepResult> {
	const { remove, notMember } = pickGroups(user, wanted);
	const changed: IDataObject = { userGroupsRemoved: remove };
	if (notMember.length > 0) changed.notMemberOf = notMember;
	if (remove.length === 0) return { changed, requests: [], replies: [] };
	const request = leaveGroupsRequest(user, remove);
	const reply = await commvaultApiRequest.call(this, { ...request, ...context });
	await confirmLeft.call(this, context, user, remove);
	return { changed, requests: [request], replies: [reply] };
}
