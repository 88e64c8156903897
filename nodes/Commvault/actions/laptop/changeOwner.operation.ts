import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { confirmOwners, findLaptop, sendLaptopChange, withOwners } from '../../commvault/laptops';
import type { ChangeRequest } from '../../commvault/steps';
import { describeUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { laptopIdField } from '../../descriptions/laptop.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseProtectedOwners } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { readLaptopId } from '../../parameters/laptopId';
import { commvaultApiRequest } from '../../transport';
import { findItemUser } from '../itemUser';

const properties: INodeProperties[] = [
	{ ...laptopIdField, description: 'The laptop to hand over, as Laptop → Get Many returns it in "laptopId"' },
	{ ...userLocator, displayName: 'New Owner', name: 'newOwner', description: 'The user who becomes the only owner of the laptop, e.g. the leaver\'s manager' },
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['laptop'], operation: ['changeOwner'] } }, properties);

/** More laptops than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'hand over the laptop of');
}

/**
 * `POST /Client/{id}` with the client's owner associations, as cvpysdk's `add_client_owner` sends them
 * (`client.py` L7372-7405, `update_properties` L5869-5900), with `ownersOperationType: 1` and the new owner
 * only, so that the new owner replaces the previous ones. The reply is `{response: [{errorCode}]}`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const laptop = await findLaptop.call(this, itemIndex, readLaptopId.call(this, itemIndex));
	// The item is about the new owner: the user this operation's user field names.
	const { reference: ownerReference, found: owner } = await findItemUser.call(this, itemIndex, { parameter: 'newOwner' });
	await refuseProtectedOwners.call(this, itemIndex, laptop, 'hand over the laptop of');
	const owners = [{ userId: owner.id, userName: owner.name }];
	const request: ChangeRequest = {
		method: 'POST',
		endpoint: `Client/${laptop.id}`,
		body: {
			clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType: 1, owners } } } },
			association: { entity: [{ clientName: laptop.name }] },
		},
	};
	// Setting the same owner again changes nothing: safe to repeat (the README's "Safe to repeat?" table).
	const subject = `laptop "${laptop.name}" for ${describeUser(ownerReference)}`;
	const send = async () => await commvaultApiRequest.call(this, { ...request, itemIndex, subject, idempotent: true });
	const response = await sendLaptopChange.call(this, send, withOwners(laptop.id, [{ id: owner.id, name: owner.name }]));
	await confirmOwners.call(this, itemIndex, laptop, [owner]);
	const fields = {
		laptopId: laptop.id,
		laptopName: laptop.name,
		previousOwners: laptop.owners,
		owners: [{ id: owner.id, name: owner.name }],
		...auditTrail(request),
	};
	return outcome('ownerChanged', owner, `Laptop "${laptop.name}" (ID ${laptop.id}) now belongs to ${nameOf(owner)} only.`, fields, response);
}
