import type { IExecuteFunctions } from 'n8n-workflow';

import { requestStateOf } from '../transport/retry';
import { planKeys, planOf } from './plan';
import type { CommvaultUser, UserReference } from './users';
import { queryUsers, toCommvaultUser } from './users';

/**
 * Users per page when a batch reads the user list (`GET /User?level=10&start=&limit=`, cvpysdk's paging;
 * `filterQueryCount` is the total). Commvault documents no largest page; a server that sends fewer
 * than asked is read on from where its page ended.
 */
export const USER_PAGE_SIZE = 1000;

/** What a batch's User fields name: names and addresses lower-case. */
export interface WantedUsers {
	names: Set<string>;
	addresses: Set<string>;
	ids: Set<number>;
}

/** The users of a batch found in the user list, by each way a User field names them. */
export interface UserBatch {
	byName: Map<string, CommvaultUser[]>;
	byAddress: Map<string, CommvaultUser[]>;
	byId: Map<number, CommvaultUser>;
	/** Whether every page was read: only then does an email found once mean no second user has it. */
	complete: boolean;
}

/** Requests the per-user look-ups would send: a name or ID 1, an email 2 (its email and its UPN). */
export function lookUpCost(wanted: WantedUsers): number {
	return wanted.names.size + wanted.ids.size + 2 * wanted.addresses.size;
}

/** The distinct users the references name. */
export function wantedBy(references: UserReference[]): WantedUsers {
	const wanted: WantedUsers = { names: new Set(), addresses: new Set(), ids: new Set() };
	for (const reference of references) {
		if (reference.mode === 'name') wanted.names.add(reference.name.toLowerCase());
		if (reference.mode === 'email') wanted.addresses.add(reference.email.toLowerCase());
		if (reference.mode === 'id') wanted.ids.add(reference.id);
	}
	return wanted;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

function add<K>(map: Map<K, CommvaultUser[]>, key: K, user: CommvaultUser) {
	const list = map.get(key) ?? [];
	if (!list.some((known) => known.id === user.id)) map.set(key, [...list, user]);
}

/** Keeps the entries of a page that the batch names; the rest of the page is dropped (memory stays flat). */
function keepWanted(batch: UserBatch, wanted: WantedUsers, page: unknown[]): void {
	for (const raw of page) {
		const user = toCommvaultUser(raw, false);
		if (!user) continue;
		const name = user.name.toLowerCase();
		if (wanted.names.has(name)) add(batch.byName, name, user);
		if (wanted.ids.has(user.id)) batch.byId.set(user.id, user);
		for (const address of new Set([lower(user.raw.email), lower(user.raw.UPN)])) {
			if (address !== '' && wanted.addresses.has(address)) add(batch.byAddress, address, user);
		}
	}
}

/**
 * What per-user look-ups would still cost for what the batch has not settled. Only an ID is settled by
 * one page: another user with the same email, or a name that differs only in case, may be on a later
 * page, so names and emails are settled by the whole list.
 */
function costLeft(batch: UserBatch, wanted: WantedUsers): number {
	const ids = [...wanted.ids].filter((id) => !batch.byId.has(id)).length;
	return wanted.names.size + ids + 2 * wanted.addresses.size;
}

/**
 * Reads the users a batch names from the user list, when that is cheaper than looking each up: the
 * first page says how many users there are (`filterQueryCount`), and the rest is read only when its
 * pages are fewer than the look-ups they save. Tenants with 100,000 users exist: there a small batch
 * looks its users up one by one. Only GETs are sent.
 */
async function readUserBatch(this: IExecuteFunctions, wanted: WantedUsers): Promise<UserBatch | undefined> {
	// One look-up is never dearer than a page.
	if (lookUpCost(wanted) < 2) return undefined;
	const batch: UserBatch = { byName: new Map(), byAddress: new Map(), byId: new Map(), complete: false };
	const first = await queryUsers.call(this, { start: 0, limit: USER_PAGE_SIZE });
	keepWanted(batch, wanted, first.users);
	const read = first.users.length;
	const total = first.total ?? (read < USER_PAGE_SIZE ? read : undefined);
	if (total === undefined) return batch;
	const pagesLeft = read >= total ? 0 : Math.ceil((total - read) / Math.max(read, 1));
	if (pagesLeft >= costLeft(batch, wanted)) return batch;
	const listed = read + (await readPagesAfterFirst.call(this, batch, wanted, { pageLength: read, total }));
	// A page shorter than the first before the end leaves users unread: then names and emails are
	// looked up one by one, as for a list not read at all.
	batch.complete = listed >= total;
	return batch;
}

/**
 * The pages after the first, Max Concurrent Requests at a time (the items wait for the batch meanwhile,
 * so no more than that are in flight), each starting where the one before ends: a server that sends
 * fewer than `limit` asks is read in pages of what its first page held. Returns the users listed.
 */
async function readPagesAfterFirst(
	this: IExecuteFunctions,
	batch: UserBatch,
	wanted: WantedUsers,
	{ pageLength, total }: { pageLength: number; total: number },
): Promise<number> {
	// A first page with no users cannot say where the next one starts.
	if (pageLength === 0) return 0;
	const starts: number[] = [];
	for (let start = pageLength; start < total; start += pageLength) starts.push(start);
	const atOnce = requestStateOf(this).settings.maxConcurrency;
	let listed = 0;
	for (let next = 0; next < starts.length; next += atOnce) {
		const pages = await Promise.all(
			starts.slice(next, next + atOnce).map(async (start) => await queryUsers.call(this, { start, limit: USER_PAGE_SIZE })),
		);
		for (const page of pages) {
			keepWanted(batch, wanted, page.users);
			listed += page.users.length;
		}
	}
	return listed;
}

/**
 * The users of the whole batch, read once per execution when the batch is worth it (see
 * `readUserBatch`). `references` gives the User field of every item; it is asked for once. A failed
 * read leaves every item to its own look-up, which then reports the failure for its item.
 */
export async function userBatchOf(this: IExecuteFunctions, references: () => UserReference[]): Promise<UserBatch | undefined> {
	return await planOf(this).once(planKeys.userBatch, async () => {
		try {
			return await readUserBatch.call(this, wantedBy(references()));
		} catch {
			// Each item looks its user up on its own instead, and reports a failure there, with its item.
			return undefined;
		}
	});
}

/**
 * The users the batch found for a reference, or undefined when the batch cannot say (then the item
 * looks its user up on its own; a user missing from the list is confirmed by Commvault's own filter).
 * An ID found is settled by any page; a name or an email only when the whole list was read.
 */
export function listedInBatch(batch: UserBatch | undefined, reference: UserReference): CommvaultUser[] | undefined {
	if (!batch) return undefined;
	if (reference.mode === 'id') {
		const user = batch.byId.get(reference.id);
		return user ? [user] : undefined;
	}
	if (!batch.complete) return undefined;
	const matches =
		reference.mode === 'name' ? batch.byName.get(reference.name.toLowerCase()) : batch.byAddress.get(reference.email.toLowerCase());
	return matches && matches.length > 0 ? matches : undefined;
}
