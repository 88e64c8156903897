import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { userLocator } from '../../descriptions/user.locator';
import { describeUser, readUserReference, userBody } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			'The user whose subclients and VM clients are offboarded: Commvault removes them as owner, disables backup and removes their role',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['offboard'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const response = await commvaultApiRequest.call(this, {
		method: 'POST',
		endpoint: 'User/Offboard',
		body: userBody(user),
		itemIndex,
		subject: describeUser(user),
	});
	return { ...userBody(user), errorCode: response.errorCode ?? 0, errorMessage: response.errorMessage ?? '' };
}
