import type { IExecuteFunctions } from 'n8n-workflow';

import type { CommvaultUser, UserReference } from '../commvault/users';
import { resolveUser } from '../commvault/users';
import { noteItemUser } from '../output/outcome';
import { readUserReference } from '../parameters/userLocator';

/** Notes the user an item is about as its User field gives it (a name or an ID), before any look-up. */
export function noteUserReference(this: IExecuteFunctions, itemIndex: number, reference: UserReference): void {
	if (reference.mode === 'id') noteItemUser.call(this, itemIndex, { id: reference.id });
	if (reference.mode === 'name') noteItemUser.call(this, itemIndex, { name: reference.name });
}

/**
 * The user an item's User field (or another user field, e.g. a new owner) names, looked up (see
 * `resolveUser`). The item's user is noted as it becomes known, so that a failed item still says
 * which user it was about.
 */
export async function findItemUser(
	this: IExecuteFunctions,
	itemIndex: number,
	options: { full?: boolean; parameter?: string } = {},
): Promise<{ reference: UserReference; found: CommvaultUser }> {
	const reference = readUserReference.call(this, itemIndex, options.parameter);
	noteUserReference.call(this, itemIndex, reference);
	const found = await resolveUser.call(this, itemIndex, reference, options);
	noteItemUser.call(this, itemIndex, { id: found.id, name: found.name });
	return { reference, found };
}
