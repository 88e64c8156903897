import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { laptopsOf } from '../../commvault/laptops';
import { describeUser } from '../../commvault/users';
import { userLocator } from '../../descriptions/user.locator';
import { nameOf, outcome } from '../../output/outcome';
import { findItemUser } from '../itemUser';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user whose laptops to list: an owner of the laptop, or its user name or email' },
];

export const description = updateDisplayOptions({ show: { resource: ['laptop'], operation: ['getAll'] } }, properties);

/** The user is looked up, then `GET /V4/Laptop`; one item per laptop of the user (none when they have none). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { reference, found } = await findItemUser.call(this, itemIndex);
	const laptops = await laptopsOf.call(this, itemIndex, found, describeUser(reference));
	return laptops.map(({ id, name, raw, ...fields }) =>
		outcome('found', found, `Laptop "${name}" (ID ${id}) of ${nameOf(found)}.`, { laptopId: id, laptopName: name, ...fields }, raw),
	);
}
