import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { findLaptop, sendLaptopChange, withoutLaptop } from '../../commvault/laptops';
import type { ChangeRequest } from '../../commvault/steps';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { laptopIdField } from '../../descriptions/laptop.description';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseProtectedOwners } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { noteItemUser, outcome } from '../../output/outcome';
import { readLaptopId } from '../../parameters/laptopId';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...laptopIdField,
		description:
			'The laptop to retire: Commvault uninstalls its software, releases the licence and deletes the client once its data has aged (a job)',
	},
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['laptop'], operation: ['retire'] } }, properties);

/** More laptops than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'retire the laptop of');
}

/**
 * `DELETE /Client/{id}/Retire` with cvpysdk's body `{client: {clientId, clientName}}` (cvpysdk `client.py`
 * L7844-7884). The reply is `{response: {errorCode, errorString}, jobId}` (an object; api.commvault.com
 * SP32 retire-client); the job ID is returned. The laptop is looked up first (`GET /V4/Laptop`), so that a
 * protected owner is refused before anything is sent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const laptop = await findLaptop.call(this, itemIndex, readLaptopId.call(this, itemIndex));
	// The item is about the laptop's (first) owner: usually the leaver.
	const [owner] = laptop.owners;
	if (owner) noteItemUser.call(this, itemIndex, owner);
	await refuseProtectedOwners.call(this, itemIndex, laptop, 'retire the laptop of');
	const request: ChangeRequest = {
		method: 'DELETE',
		endpoint: `Client/${laptop.id}/Retire`,
		body: { client: { clientId: laptop.id, clientName: laptop.name } },
	};
	const send = async () => await commvaultApiRequest.call(this, { ...request, itemIndex, subject: `laptop "${laptop.name}"`, idempotent: false });
	const response = await sendLaptopChange.call(this, send, withoutLaptop(laptop.id));
	const jobId = response.jobId ?? null;
	const message = `Retired laptop "${laptop.name}" (ID ${laptop.id}): Commvault uninstalls its software and releases its licence${jobId === null ? '' : ` in job ${String(jobId)}`}.`;
	const fields = { laptopId: laptop.id, laptopName: laptop.name, owners: laptop.owners, jobId, ...auditTrail(request) };
	return outcome('retired', owner ?? {}, message, fields, response);
}
