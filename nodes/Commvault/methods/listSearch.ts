import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { queryUserGroups } from '../commvault/userGroups';
import { queryUsers, toCommvaultUser, userFilter } from '../commvault/users';
import { listVirtualMachines } from '../commvault/virtualMachines';
import { LIST_SEARCH_SETTINGS, bindRequestState } from '../transport/retry';

/** Users per page of the "From List" drop-down. */
export const USER_SEARCH_PAGE_SIZE = 100;

/**
 * What the drop-down's text is looked for in, in this order, each with Commvault's own filter
 * (`fq=<column>:contains:<text>`, the columns of cvpysdk `security/user.py`): the user name, the
 * full name and the email address. A user is shown by the first of them that it matches.
 */
const SEARCHED_FIELDS: Array<{ filter: (text: string) => string; value: (raw: IDataObject) => unknown }> = [
	{ filter: userFilter.nameContains, value: (raw) => (raw.userEntity as IDataObject | undefined)?.userName },
	{ filter: userFilter.fullNameContains, value: (raw) => raw.fullName },
	{ filter: userFilter.emailContains, value: (raw) => raw.email },
];

type SearchPage = { users: IDataObject[]; next?: number };

/** One page of one filter, and where its next page starts (none when it has no more). */
async function searchPage(this: ILoadOptionsFunctions, filters: string[], start: number): Promise<SearchPage> {
	const { users, total } = await queryUsers.call(this, { start, limit: USER_SEARCH_PAGE_SIZE, filters });
	const next = start + users.length;
	const more = total !== undefined ? next < total : users.length >= USER_SEARCH_PAGE_SIZE;
	return { users, next: more && users.length > 0 ? next : undefined };
}

/**
 * The pagination token: each filter's next `start`, comma-separated, empty for a filter that has
 * no more (without a text, one filter: the token is the next `start`, e.g. "100").
 */
function startsOf(token: string | undefined, count: number): Array<number | undefined> {
	const parts = token ? token.split(',') : [];
	return Array.from({ length: count }, (_, i) => {
		if (!token) return 0;
		const part = parts[i] ?? '';
		return part === '' ? undefined : Math.max(0, Number(part) || 0);
	});
}

/** Whether an earlier field (of SEARCHED_FIELDS) already matches, so an earlier filter shows it. */
function shownEarlier(raw: IDataObject, text: string, field: number): boolean {
	const wanted = text.toLowerCase();
	return SEARCHED_FIELDS.slice(0, field).some(({ value }) => {
		const v = value(raw);
		return typeof v === 'string' && v.toLowerCase().includes(wanted);
	});
}

function toResult(raw: IDataObject): INodeListSearchItems | undefined {
	const user = toCommvaultUser(raw, false);
	if (!user) return undefined;
	const extra = [user.raw.fullName, user.raw.email].filter((v) => typeof v === 'string' && v && v !== user.name);
	return { name: extra.length ? `${user.name} (${extra.join(', ')})` : user.name, value: String(user.id) };
}

/**
 * "From List" for the User fields: `GET /User?start=&limit=`, page by page as the list scrolls.
 * A text is looked for in the user name, full name and email (SEARCHED_FIELDS), one request each;
 * the answers are merged, each user once.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	bindRequestState(this, LIST_SEARCH_SETTINGS);
	const text = filter?.trim() ?? '';
	const queries = text ? SEARCHED_FIELDS.map(({ filter: fq }) => [fq(text)]) : [[]];
	const starts = startsOf(paginationToken, queries.length);
	const results = new Map<string, INodeListSearchItems>();
	const nexts: Array<number | undefined> = [];
	for (const [field, filters] of queries.entries()) {
		const start = starts[field];
		const page: SearchPage = start === undefined ? { users: [] } : await searchPage.call(this, filters, start);
		nexts.push(page.next);
		for (const raw of page.users) {
			const result = text && shownEarlier(raw, text, field) ? undefined : toResult(raw);
			if (result && !results.has(String(result.value))) results.set(String(result.value), result);
		}
	}
	const more = nexts.some((next) => next !== undefined);
	return { results: [...results.values()], paginationToken: more ? nexts.map((n) => n ?? '').join(',') : undefined };
}

/** "From List" for the new owner user group of Delete: `GET /UserGroup`, filtered here by name. */
export async function searchUserGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	bindRequestState(this, LIST_SEARCH_SETTINGS);
	const text = filter?.trim().toLowerCase() ?? '';
	const results = (await queryUserGroups.call(this))
		.filter((group) => !text || group.name.toLowerCase().includes(text))
		.map((group) => ({ name: group.name, value: String(group.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/** "From List" for Virtual Machine → Offboard: `GET /VM`, filtered here by name. */
export async function searchVirtualMachines(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	bindRequestState(this, LIST_SEARCH_SETTINGS);
	const text = filter?.trim().toLowerCase() ?? '';
	const results = (await listVirtualMachines.call(this))
		.filter((vm) => !text || vm.name.toLowerCase().includes(text))
		.map((vm) => ({ name: vm.name, value: vm.guid }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
