import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { queryUsers, userFilter } from '../../commvault/users';
import { shownItem } from '../../failures/errors';
import { foundUser } from '../../output/outcome';
import { hasControlCharacter } from '../../parameters/userLocator';

/** Users per `GET /User` request when paging through all of them. */
export const GET_MANY_PAGE_SIZE = 500;

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Email Contains',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'e.g. @example.com',
				description: 'Only users whose email address contains this text (case-insensitive)',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. jdoe',
				description: 'Only users whose Commvault user name contains this text (case-insensitive)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

function filterText(this: IExecuteFunctions, itemIndex: number, value: unknown, field: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: the "${field}" filter is not text`, { itemIndex });
	}
	const text = String(value).trim();
	if (text.length > 256 || hasControlCharacter(text)) {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: the "${field}" filter is not usable`, {
			itemIndex,
			description: 'A filter is at most 256 characters long and has no line breaks or other control characters.',
		});
	}
	return text;
}

/**
 * `GET /User?level=10&start=&limit=&fq=…` (level 10: with email, full name, UPN, enabled), page by page (cvpysdk's paging; `filterQueryCount` is the total).
 * Each user is output once, even if the list shifts between pages.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limitValue = Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!returnAll && (!Number.isFinite(limitValue) || limitValue < 1)) {
		throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: the limit is not a positive number`, {
			itemIndex,
			description: 'Set Limit to how many users to return (1 or more), or turn on Return All.',
		});
	}
	const limit = returnAll ? Infinity : Math.floor(limitValue);
	const simple = this.getNodeParameter('simple', itemIndex, true) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const name = filterText.call(this, itemIndex, filters.name, 'Name Contains');
	const email = filterText.call(this, itemIndex, filters.email, 'Email Contains');
	const fq = [...(name ? [userFilter.nameContains(name)] : []), ...(email ? [userFilter.emailContains(email)] : [])];

	const seen = new Set<number>();
	const users: IDataObject[] = [];
	for (let start = 0; users.length < limit; ) {
		const pageSize = Math.min(GET_MANY_PAGE_SIZE, limit - users.length);
		const page = await queryUsers.call(this, { start, limit: pageSize, filters: fq, itemIndex });
		let added = 0;
		for (const raw of page.users) {
			const id = Number(((raw.userEntity ?? {}) as IDataObject).userId);
			if (!Number.isSafeInteger(id) || seen.has(id) || users.length >= limit) continue;
			seen.add(id);
			users.push(raw);
			added++;
		}
		start += page.users.length;
		const lastPage = page.total !== undefined ? start >= page.total : page.users.length < pageSize;
		// A server that ignores paging sends the same users again: stop rather than loop.
		if (lastPage || page.users.length === 0 || added === 0) break;
	}
	return users.map((raw) => foundUser(raw, simple));
}
