import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { revokeAccessTokens } from '../../commvault/accessTokens';
import type { CommvaultUser } from '../../commvault/users';
import { describeUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import { refuseTokenRevocationWithToken } from '../../guards/tokenCredential';
import { capitalized, count, nameOf } from '../../output/outcome';
import { readUserReference } from '../../parameters/userLocator';
import { noteUserReference } from '../itemUser';
import { changeUserWith } from './userStep';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			"The user whose access tokens (for REST API scripts and integrations) are revoked. Whether Commvault lets an administrator revoke another user's tokens is not documented.",
	},
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['revokeAccessTokens'] } }, properties);

/** More users than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'revoke the access tokens of');
}

function revokedMessage(user: CommvaultUser, changed: IDataObject): string {
	const revoked = (changed.tokensRevoked as IDataObject[]).length;
	return revoked === 0 ? `${capitalized(nameOf(user))} had no access token to revoke.` : `Revoked ${count(revoked, 'access token')} of ${nameOf(user)}.`;
}

/**
 * `GET /V4/AccessToken/?userId=`, then `DELETE /V4/AccessToken/{id}` for each (see `commvault/accessTokens.ts`).
 * With an access-token credential nothing is sent: Commvault 11.42+ refuses it (guards/tokenCredential.ts).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const reference = readUserReference.call(this, itemIndex);
	noteUserReference.call(this, itemIndex, reference);
	await refuseTokenRevocationWithToken.call(this, itemIndex, describeUser(reference));
	const how = { verb: 'revoke the access tokens of', status: 'tokensRevoked' as const, message: revokedMessage };
	return await changeUserWith.call(this, itemIndex, how, revokeAccessTokens);
}
