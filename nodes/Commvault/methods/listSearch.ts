import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { queryUserGroups, queryUsers, toCommvaultUser, userFilter } from '../helpers/lookup';
import { LIST_SEARCH_SETTINGS, bindRequestState } from '../transport/retry';

/** Users per page of the "From List" drop-down. */
export const USER_SEARCH_PAGE_SIZE = 100;

/**
 * "From List" for the User fields: `GET /User?start=&limit=`, filtered by user name
 * (`fq=users.userEntity.userName:contains:<filter>`). The pagination token is the next `start`,
 * so large tenants load page by page as the list scrolls.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	bindRequestState(this, LIST_SEARCH_SETTINGS);
	const start = Math.max(0, Number(paginationToken) || 0);
	const text = filter?.trim();
	const { users, total } = await queryUsers.call(this, {
		start,
		limit: USER_SEARCH_PAGE_SIZE,
		filters: text ? [userFilter.nameContains(text)] : [],
	});
	const results = users
		.map((raw) => toCommvaultUser(raw, false))
		.filter((user) => user !== undefined)
		.map((user) => {
			const extra = [user.raw.fullName, user.raw.email].filter((v) => typeof v === 'string' && v && v !== user.name);
			return { name: extra.length ? `${user.name} (${extra.join(', ')})` : user.name, value: String(user.id) };
		});
	const next = start + users.length;
	const more = total !== undefined ? next < total : users.length >= USER_SEARCH_PAGE_SIZE;
	return { results, paginationToken: more && users.length > 0 ? String(next) : undefined };
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
