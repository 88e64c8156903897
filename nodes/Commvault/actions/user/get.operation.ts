import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import { foundUser } from '../../output/outcome';
import { findItemUser } from '../itemUser';

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

/** `GET /User/{id}?level=40`, which carries the user groups (a name or email is looked up first with `GET /User?level=10&fq=…`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const simple = this.getNodeParameter('simple', itemIndex, true) as boolean;
	const { found } = await findItemUser.call(this, itemIndex, { full: true });
	return foundUser(found.raw, simple);
}
