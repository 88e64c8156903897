import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { shownItem, userNotFoundError, userRefusedError } from '../failures/errors';
import { commvaultApiRequest } from '../transport';
import { planKeys, planOf } from './plan';

/** A user as the node sends it to Commvault: by name or by ID. */
export type DirectUserReference = { mode: 'name'; name: string } | { mode: 'id'; id: number };

/** A user as the User field gives it (parameters/userLocator.ts). An email is resolved to an ID first (`resolveUser`). */
export type UserReference = DirectUserReference | { mode: 'email'; email: string };

/** How an error names the user, e.g. `user "jdoe"`, `user ID 1251` or `user with email "jdoe@example.com"`. */
export function describeUser(user: UserReference): string {
	if (user.mode === 'id') return `user ID ${user.id}`;
	if (user.mode === 'email') return `user with email "${user.email}"`;
	return `user "${user.name}"`;
}

/** The request body fields Commvault's user endpoints take for this reference. */
export function userBody(user: DirectUserReference): IDataObject {
	return user.mode === 'id' ? { userId: user.id } : { userName: user.name };
}

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
	upnIs: (upn: string) => `users.UPN:eq:${upn}`,
	emailContains: (text: string) => `users.email:contains:${text}`,
	fullNameContains: (text: string) => `users.fullName:contains:${text}`,
	idIs: (id: number) => `users.userEntity.userId:eq:${id}`,
};

/**
 * `level` of `GET /User` requests. Without it Commvault's list carries only `userEntity {userName,
 * userId}`; level 10 adds "user properties such as the description and email address"
 * (https://documentation.commvault.com/v11/software/rest_api_get_user.html), as Commvault's own SOAR
 * and XSOAR connectors ask for it.
 */
export const USER_LIST_LEVEL = 10;

/**
 * `fl` of `GET /User` requests: the columns the node reads, named as cvpysdk's user cache asks for
 * them together with its `fq` filters (cvpysdk `security/user.py` `_get_fl_parameters`). Sent with
 * `level=10`, so that either way of asking Commvault for more than names and IDs is covered.
 */
export const USER_LIST_COLUMNS = [
	'users.userEntity',
	'users.email',
	'users.fullName',
	'users.description',
	'users.UPN',
	'users.enableUser',
	'users.isAccountLocked',
	'users.lastLogIntime',
	'users.userEntity.entityInfo.companyName',
].join(',');

/**
 * `level` of `GET /User/{id}` when the user groups are needed: "40: Returns associatedUserGroups,
 * associatedExternalUserGroups, SecurityAssociations"
 * (https://api.commvault.com/docs/SP38/api/cv/UserOperations/get-user-properties).
 */
export const FULL_USER_LEVEL = 40;

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
	const qs: IDataObject = { level: USER_LIST_LEVEL, fl: USER_LIST_COLUMNS };
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

/**
 * Whether a user ID is in Commvault's user list (`GET /User?level=10&fq=users.userEntity.userId:eq:<id>`).
 * The reply is checked for that exact ID, so a server that ignores the filter (and sends every user)
 * gives the same answer.
 */
async function userIdListed(this: IExecuteFunctions, itemIndex: number, id: number, subject: string): Promise<boolean> {
	const { users } = await queryUsers.call(this, { filters: [userFilter.idIs(id)], itemIndex, subject });
	return users.some((raw) => toCommvaultUser(raw, false)?.id === id);
}

/**
 * Commvault answered `GET /User/{id}` with errorCode 2, which it documents only as "a failure". It
 * means "no such user" only when the user list confirms it; a user that is listed was refused for
 * another reason (usually the credential's permissions), and is reported as such. When the list
 * itself cannot be read, Commvault's refusal is kept as it was.
 */
async function explainCode2(this: IExecuteFunctions, context: { itemIndex: number; subject: string }, id: number, refusal: NodeApiError) {
	let listed: boolean;
	try {
		listed = await userIdListed.call(this, context.itemIndex, id, context.subject);
	} catch {
		return refusal;
	}
	return listed ? userRefusedError(this.getNode(), context, refusal) : userNotFoundError(this.getNode(), context, refusal);
}

/**
 * `GET /User/{id}?level=…`: the user (level 10), or with `full` the user with its user groups
 * (level 40). Commvault answers an unknown ID with an HTTP 200 error body.
 */
async function getUserById(
	this: IExecuteFunctions,
	itemIndex: number,
	user: UserReference & { mode: 'id' },
	full = false,
) {
	const context = { itemIndex, subject: describeUser(user) };
	let response: IDataObject;
	try {
		response = await commvaultApiRequest.call(this, {
			method: 'GET',
			endpoint: `User/${user.id}`,
			qs: { level: full ? FULL_USER_LEVEL : USER_LIST_LEVEL },
			...context,
		});
	} catch (error) {
		const code2 = error instanceof NodeApiError && Number(error.errorResponse?.commvaultErrorCode) === 2;
		throw code2 ? await explainCode2.call(this, context, user.id, error) : error;
	}
	const found = Array.isArray(response.users) ? toCommvaultUser(response.users[0], full) : undefined;
	if (!found || found.id !== user.id) throw userNotFoundError(this.getNode(), context);
	return found;
}

/**
 * A user by ID. A full user (level 40) asked for `shared` is read at most once per execution and shared
 * (state/executionPlan.ts): the protected-groups guard, "Also → Remove From User Groups" and the Dry Run
 * read the user's groups, which Offboard does not change. Any other full read is fresh (a read-back must
 * see the change it checks) and becomes what the shared reads see.
 */
async function userById(this: IExecuteFunctions, itemIndex: number, id: number, full: boolean, shared = false): Promise<CommvaultUser> {
	if (!full) return await getUserById.call(this, itemIndex, { mode: 'id', id });
	const read = async () => await getUserById.call(this, itemIndex, { mode: 'id', id }, true);
	if (shared) return await planOf(this).once(planKeys.fullUser(id), read);
	const user = await read();
	planOf(this).remember(planKeys.fullUser(id), user);
	return user;
}

/** Whether a list entry's email or UPN is the address, case-insensitively (as Commvault's connectors match a leaver). */
function hasAddress(raw: IDataObject, address: string): boolean {
	return [raw.email, raw.UPN].some((value) => typeof value === 'string' && value.trim().toLowerCase() === address);
}

/** Users whose email or UPN is the address: `GET /User?level=10&fq=users.email:eq:…`, then `…users.UPN:eq:…`. */
async function usersWithAddress(this: IExecuteFunctions, itemIndex: number, email: string, subject: string) {
	const wanted = email.toLowerCase();
	const byId = new Map<number, CommvaultUser>();
	for (const filter of [userFilter.emailIs(email), userFilter.upnIs(email)]) {
		const { users } = await queryUsers.call(this, { filters: [filter], itemIndex, subject });
		for (const raw of users) {
			const found = toCommvaultUser(raw, false);
			if (found && !byId.has(found.id) && hasAddress(raw, wanted)) byId.set(found.id, found);
		}
	}
	return [...byId.values()];
}

/** Users whose name is exactly this one, case-insensitively: `GET /User?level=10&fq=name:eq:…`. */
async function usersNamed(this: IExecuteFunctions, itemIndex: number, name: string, subject: string) {
	const wanted = name.toLowerCase();
	const { users } = await queryUsers.call(this, { filters: [userFilter.nameIs(name)], itemIndex, subject });
	return users
		.map((raw) => toCommvaultUser(raw, false))
		.filter((found): found is CommvaultUser => found !== undefined && found.name.toLowerCase() === wanted);
}

/**
 * Finds the user a User field names, for operations whose endpoint needs the user's ID, and fails
 * with the one "user not found" error (`details.reason: 'userNotFound'`) when there is none.
 * - by ID: `GET /User/{id}?level=10` (errorCode 2 is checked against the user list);
 * - by name: `GET /User?level=10&fq=name:eq:<name>`, exact match, case-insensitive;
 * - by email: the email **or** UPN, case-insensitive (`fq=users.email:eq:` and `fq=users.UPN:eq:`);
 *   more than one user with that address fails.
 * With `full`, the user is read with `GET /User/{id}?level=40`, which carries its user groups; `shared`:
 * once per execution (see `userById`). `listed`:
 * the users the batch's read of the user list found for this reference (`userBatch.ts`), used instead
 * of the query.
 */
export async function resolveUser(
	this: IExecuteFunctions,
	itemIndex: number,
	user: UserReference,
	options: { full?: boolean; shared?: boolean; listed?: CommvaultUser[] } = {},
): Promise<CommvaultUser> {
	const { full = false, shared = false, listed } = options;
	if (user.mode === 'id') return !full && listed?.length === 1 ? listed[0] : await userById.call(this, itemIndex, user.id, full, shared);

	const subject = describeUser(user);
	const matches =
		listed ??
		(user.mode === 'name'
			? await usersNamed.call(this, itemIndex, user.name, subject)
			: await usersWithAddress.call(this, itemIndex, user.email, subject));
	if (matches.length === 0) throw userNotFoundError(this.getNode(), { itemIndex, subject });
	if (matches.length > 1) {
		const names = matches.slice(0, 5).map((found) => `"${found.name}" (ID ${found.id})`);
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: ${matches.length} Commvault users have the email or UPN "${user.mode === 'email' ? user.email : ''}"`, {
			itemIndex,
			description: `They are ${names.join(', ')}${matches.length > 5 ? ', …' : ''}. Choose the user by name or ID instead.`,
		});
	}
	const [found] = matches;
	return full ? await userById.call(this, itemIndex, found.id, true, shared) : found;
}
