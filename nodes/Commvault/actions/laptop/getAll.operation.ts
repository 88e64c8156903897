import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import { laptopsOf } from '../../helpers/laptops';
import { resolveUser } from '../../helpers/lookup';
import { describeUser, readUserReference } from '../../helpers/user';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user whose laptops to list: an owner of the laptop, or its user name or email' },
];

export const description = updateDisplayOptions({ show: { resource: ['laptop'], operation: ['getAll'] } }, properties);

/** The user is looked up, then `GET /V4/Laptop`; one item per laptop of the user (none when they have none). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const reference = readUserReference.call(this, itemIndex);
	const user = await resolveUser.call(this, itemIndex, reference);
	const laptops = await laptopsOf.call(this, itemIndex, user, describeUser(reference));
	return laptops.map((laptop) => ({ ...laptop, user: { id: user.id, name: user.name } }));
}
