import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';
import { isUserNotFound, userNotFoundError } from './errors';
import type { UserReference } from './user';
import { describeUser } from './user';

/** A Commvault user the node has found. */
export interface CommvaultUser {
	id: number;
	name: string;
	/** Commvault's own user object: a `GET /User` list entry, or the full user of `GET /User/{id}`. */
	raw: IDataObject;
	/** Whether `raw` is the full user (`GET /User/{id}`), with user groups and associations. */
	full: boolean;
}

export interface UserPage {
	users: IDataObject[];
	/** Commvault's `filterQueryCount`: how many users match the filter in all. */
	total?: number;
}

/** Filters for `GET /User`, in the `fq` syntax of cvpysdk and Commvault's Terraform provider. */
export const userFilter = {
	nameIs: (name: string) => `name:eq:${name}`,
	nameContains: (text: string) => `users.userEntity.userName:contains:${text}`,
	emailIs: (email: string) => `users.email:eq:${email}`,
	emailContains: (text: string) => `users.email:contains:${text}`,
};

function entityOf(raw: IDataObject): IDataObject {
	const entity = raw.userEntity;
	return entity && typeof entity === 'object' && !Array.isArray(entity) ? (entity as IDataObject) : {};
}

/** Reads a `GET /User` entry or a full user into a CommvaultUser; undefined when it names no user. */
export function toCommvaultUser(raw: unknown, full: boolean): CommvaultUser | undefined {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
	const entity = entityOf(raw as IDataObject);
	const id = Number(entity.userId);
	if (!Number.isSafeInteger(id) || id <= 0) return undefined;
	return { id, name: String(entity.userName ?? ''), raw: raw as IDataObject, full };
}

/**
 * The useful fields of a Commvault user (v1 list entry or full user), named plainly. Fields that
 * Commvault did not send are left out.
 */
export function simplifyUser(raw: IDataObject): IDataObject {
	const entity = entityOf(raw);
	const info = (entity.entityInfo ?? {}) as IDataObject;
	const out: IDataObject = { id: Number(entity.userId), name: entity.userName };
	const copy = (to: string, value: unknown) => {
		if (value !== undefined && value !== null) out[to] = value;
	};
	copy('email', raw.email);
	copy('fullName', raw.fullName);
	copy('description', raw.description);
	copy('userPrincipalName', raw.UPN);
	copy('enabled', raw.enableUser);
	copy('locked', raw.isAccountLocked);
	copy('company', info.companyName);
	if (Array.isArray(raw.associatedUserGroups)) {
		out.userGroups = (raw.associatedUserGroups as IDataObject[])
			.map((group) => group?.userGroupName)
			.filter((name) => typeof name === 'string');
	}
	const lastLogin = Number(raw.lastLogIntime);
	if (Number.isFinite(lastLogin) && lastLogin > 0) out.lastLogin = new Date(lastLogin * 1000).toISOString();
	return out;
}

/** One page of `GET /User` (v1), with cvpysdk's `start`/`limit` paging and `fq` filters. */
export async function queryUsers(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	options: { start?: number; limit?: number; filters?: string[]; itemIndex?: number; subject?: string },
): Promise<UserPage> {
	const qs: IDataObject = {};
	if (options.start !== undefined) qs.start = options.start;
	if (options.limit !== undefined) qs.limit = options.limit;
	// Several filters are several `fq` parameters (`fq=a&fq=b`), which n8n's `qs` would send as
	// `fq[0]=a&fq[1]=b`: they go into the endpoint's own query string instead.
	const fq = new URLSearchParams((options.filters ?? []).map((filter): [string, string] => ['fq', filter])).toString();
	const response = await commvaultApiRequest.call(this, {
		method: 'GET',
		endpoint: fq ? `User?${fq}` : 'User',
		qs,
		itemIndex: options.itemIndex,
		subject: options.subject,
	});
	const users = Array.isArray(response.users)
		? (response.users as unknown[]).filter((u): u is IDataObject => !!u && typeof u === 'object')
		: [];
	const total = Number(response.filterQueryCount);
	return { users, total: Number.isFinite(total) && response.filterQueryCount !== undefined ? total : undefined };
}

/** `GET /User/{id}`: the full user. Commvault answers an unknown ID with an HTTP 200 error body. */
async function getUserById(this: IExecuteFunctions, itemIndex: number, user: UserReference & { mode: 'id' }) {
	const context = { itemIndex, subject: describeUser(user) };
	let response: IDataObject;
	try {
		response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: `User/${user.id}`, ...context });
	} catch (error) {
		// errorCode 2 in an HTTP 200 is Commvault saying it has no such user; anything else (e.g. access
		// denied) stays as it is, so a workflow never takes a permission problem for a missing user.
		const missing = error instanceof NodeApiError && Number(error.errorResponse?.commvaultErrorCode) === 2;
		throw missing ? userNotFoundError(this.getNode(), context, error) : error;
	}
	const found = Array.isArray(response.users) ? toCommvaultUser(response.users[0], true) : undefined;
	if (!found || found.id !== user.id) throw userNotFoundError(this.getNode(), context);
	return found;
}

/**
 * Finds the user a User field names, for operations whose endpoint needs the user's ID, and fails
 * with the one "user not found" error (`details.reason: 'userNotFound'`) when there is none.
 * - by ID: `GET /User/{id}` (the full user);
 * - by name: `GET /User?fq=name:eq:<name>`, exact match, case-insensitive;
 * - by email: `GET /User?fq=users.email:eq:<email>`; more than one user with that email fails.
 * With `full`, a user found in the list is read again with `GET /User/{id}`.
 */
export async function resolveUser(
	this: IExecuteFunctions,
	itemIndex: number,
	user: UserReference,
	options: { full?: boolean } = {},
): Promise<CommvaultUser> {
	if (user.mode === 'id') return await getUserById.call(this, itemIndex, user);

	const subject = describeUser(user);
	const wanted = (user.mode === 'name' ? user.name : user.email).toLowerCase();
	const { users } = await queryUsers.call(this, {
		filters: [user.mode === 'name' ? userFilter.nameIs(user.name) : userFilter.emailIs(user.email)],
		itemIndex,
		subject,
	});
	// Only exact matches count, whatever the server's filter did.
	const matches = users
		.map((raw) => toCommvaultUser(raw, false))
		.filter((found): found is CommvaultUser => {
			if (!found) return false;
			const value = user.mode === 'name' ? found.name : found.raw.email;
			return typeof value === 'string' && value.toLowerCase() === wanted;
		});
	if (matches.length === 0) throw userNotFoundError(this.getNode(), { itemIndex, subject });
	if (matches.length > 1) {
		const names = matches.slice(0, 5).map((found) => `"${found.name}" (ID ${found.id})`);
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${matches.length} Commvault users have the email "${user.mode === 'email' ? user.email : ''}"`, {
			itemIndex,
			description: `They are ${names.join(', ')}${matches.length > 5 ? ', …' : ''}. Choose the user by name or ID instead.`,
		});
	}
	const [found] = matches;
	return options.full ? await getUserById.call(this, itemIndex, { mode: 'id', id: found.id }) : found;
}

/**
 * For a request that named the user directly and that Commvault refused with errorCode 2 (its
 * generic failure code, which Offboard also gives for an unknown user): when the user does not
 * exist, the error to throw is the one "user not found" error, with Commvault's own message kept.
 * Any other refusal is returned as it was, without a look-up.
 */
export async function userMissingOr(
	this: IExecuteFunctions,
	itemIndex: number,
	user: UserReference,
	refusal: unknown,
): Promise<unknown> {
	const failedWithCode2 = refusal instanceof NodeApiError && Number(refusal.errorResponse?.commvaultErrorCode) === 2;
	if (!failedWithCode2) return refusal;
	try {
		await resolveUser.call(this, itemIndex, user);
		return refusal;
	} catch (lookupError) {
		// The look-up failing for another reason says nothing about the user: keep Commvault's refusal.
		return isUserNotFound(lookupError)
			? userNotFoundError(this.getNode(), { itemIndex, subject: describeUser(user) }, refusal)
			: refusal;
	}
}
