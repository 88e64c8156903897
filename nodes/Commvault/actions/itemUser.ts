import type { IExecuteFunctions } from 'n8n-workflow';

import type { CommvaultUser, UserReference } from '../commvault/users';
import { listedInBatch, userBatchOf } from '../commvault/userBatch';
import { resolveUser } from '../commvault/users';
import { noteItemUser } from '../output/outcome';
import { readUserReference } from '../parameters/userLocator';

/** Notes the user an item is about as its User field gives it (a name or an ID), before any look-up. */
export function noteUserReference(this: IExecuteFunctions, itemIndex: number, reference: UserReference): void {
	if (reference.mode === 'id') noteItemUser.call(this, itemIndex, { id: reference.id });
	if (reference.mode === 'name') noteItemUser.call(this, itemIndex, { name: reference.name });
}

/** Every item's User field; an item whose field cannot be read is left out (it fails when it runs). */
function batchReferences(this: IExecuteFunctions): UserReference[] {
	const references: UserReference[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			references.push(readUserReference.call(this, itemIndex));
		} catch {
			// That item fails with this error when its turn comes; the batch only skips it.
			continue;
		}
	}
	return references;
}

/**
 * The user an item's User field (or another user field, e.g. a new owner) names, looked up (see
 * `resolveUser`). For the User field, the batch's users are read once per execution
 * (commvault/userBatch.ts), and a user found there costs no request of its own. The item's user is
 * noted as it becomes known, so that a failed item still says which user it was about.
 */
export async function findItemUser(
	this: IExecuteFunctions,
	itemIndex: number,
	options: { full?: boolean; parameter?: string } = {},
): Promise<{ reference: UserReference; found: CommvaultUser }> {
	const reference = readUserReference.call(this, itemIndex, options.parameter);
	noteUserReference.call(this, itemIndex, reference);
	const batch = options.parameter === undefined ? await userBatchOf.call(this, () => batchReferences.call(this)) : undefined;
	const found = await resolveUser.call(this, itemIndex, reference, { full: options.full, listed: listedInBatch(batch, reference) });
	noteItemUser.call(this, itemIndex, { id: found.id, name: found.name });
	return { reference, found };
}
