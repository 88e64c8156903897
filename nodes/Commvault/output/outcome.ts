import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { simplifyUser } from '../commvault/users';
import type { ItemUser } from '../state/stores';
import { itemUsers } from '../state/stores';

/*
 * The one output shape. Every item, success or failure, of every operation starts with the same
 * fields, so that a table of a run lines up and a workflow branches on one field:
 *   status, userId, userName, message, commvaultErrorCode (when Commvault gave one), …, raw.
 * A failed item keeps n8n's `error` and `details` beside them (see actions/errorItems.ts).
 */

/** What happened to an item that succeeded; failures are in `FailureStatus`. */
export type SuccessStatus =
	| 'offboarded'
	| 'wouldOffboard'
	| 'wouldRefuse'
	| 'disabled'
	| 'enabled'
	| 'deleted'
	| 'found'
	| 'loggedOff'
	| 'tokensRevoked'
	| 'removedFromGroups'
	| 'retired'
	| 'ownerChanged'
	| 'restored'
	| 'wouldRestore'
	| 'checked';

/**
 * What happened to an item that failed: `notFound` (no such user), `refused` (Commvault or a guard of
 * the node said no, e.g. a legal hold or a protected account), `notSent` (Commvault's rate limit holds
 * too long), `partlyDone` (the offboard was done, an "Also" step failed), `failed` (anything else).
 */
export type FailureStatus = 'notFound' | 'refused' | 'notSent' | 'partlyDone' | 'failed';

export const NO_USER: ItemUser = { id: null, name: null };

/** A successful item: the common fields first, the operation's own fields after them, `raw` last. */
export function outcome(
	status: SuccessStatus,
	user: Partial<ItemUser>,
	message: string,
	fields: IDataObject = {},
	raw?: unknown,
): IDataObject {
	const item: IDataObject = { status, userId: user.id ?? null, userName: user.name ?? null, message, ...fields };
	if (raw !== undefined) item.raw = raw as IDataObject;
	return item;
}

/** Records which user an item is about; later, better knowledge (the looked-up user) wins. */
export function noteItemUser(this: IExecuteFunctions, itemIndex: number, user: Partial<ItemUser>): void {
	let users = itemUsers.get(this);
	if (!users) itemUsers.set(this, (users = new Map()));
	const known = users.get(itemIndex) ?? NO_USER;
	users.set(itemIndex, { id: user.id ?? known.id, name: user.name ?? known.name });
}

/** The user an item is about, as far as the operation noted it before it failed. */
export function itemUserOf(context: object, itemIndex: number): ItemUser {
	return itemUsers.get(context)?.get(itemIndex) ?? NO_USER;
}

/** `user "jdoe"` or `user ID 1251`: how a message names the user. */
export function nameOf(user: Partial<ItemUser>): string {
	return user.name ? `user "${user.name}"` : `user ID ${String(user.id)}`;
}

/** The text with its first letter in capitals, for a sentence that starts with `nameOf`. */
export function capitalized(text: string): string {
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "1 session", "2 sessions". */
export function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A user as Get and Get Many output it: the common fields, the simplified user (its `id` and `name`
 * are `userId` and `userName`) and, unless simplified, Commvault's user object under `raw`.
 */
export function foundUser(raw: IDataObject, simple: boolean): IDataObject {
	const { id, name, ...fields } = simplifyUser(raw);
	const user = { id: id as number, name: name as string };
	return outcome('found', user, `Found ${nameOf(user)}.`, fields, simple ? undefined : raw);
}
