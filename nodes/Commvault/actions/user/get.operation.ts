import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import { findItemUser, simplifyUser } from '../../helpers/lookup';
import { nameOf, outcome } from '../../helpers/outcome';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user to get' },
	{
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

/**
 * A user as Get and Get Many output it: the common fields, the simplified user (its `id` and `name`
 * are `userId` and `userName`) and, unless simplified, Commvault's user object under `raw`.
 */
export function foundUser(raw: IDataObject, simple: boolean): IDataObject {
	const { id, name, ...fields } = simplifyUser(raw);
	const user = { id: id as number, name: name as string };
	return outcome('found', user, `Found ${nameOf(user)}.`, fields, simple ? undefined : raw);
}

/** `GET /User/{id}?level=40`, which carries the user groups (a name or email is looked up first with `GET /User?level=10&fq=…`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const simple = this.getNodeParameter('simple', itemIndex, true) as boolean;
	const { found } = await findItemUser.call(this, itemIndex, { full: true });
	return foundUser(found.raw, simple);
}
