import type { IExecuteFunctions } from 'n8n-workflow';

import { nodeFailure } from '../failures/errors';
import { TOKEN_CREDENTIAL } from '../failures/reasons';

/**
 * Revoking access tokens needs a username-and-password credential: from 11.42, "You cannot create, edit,
 * and delete an access token using another access token"
 * (https://documentation.commvault.com/11.42/software/creating_access_token.html). Commvault's refusal
 * would read as a missing permission, so the item is refused before anything is sent.
 */
export const TOKEN_REVOCATION_REFUSAL = {
	reason:
		'from Commvault 11.42, an access token cannot create, edit or delete access tokens ("You cannot create, edit, and delete an access token using another access token"), so Commvault would refuse this',
	remedy: 'Use a Commvault credential that logs in with the username and password of a service account allowed to manage users.',
};

/** Whether this workflow's Commvault credential is an access token rather than a username and password. */
export async function credentialIsAccessToken(this: IExecuteFunctions): Promise<boolean> {
	const credentials = await this.getCredentials('commvaultApi');
	return credentials.authMethod !== 'password';
}

/**
 * Refuses the item when the credential is an access token. `message` names what is refused (by default the
 * operation itself; Offboard names its Also step); `alternative` is another way out, if any.
 */
export async function refuseTokenRevocationWithToken(
	this: IExecuteFunctions,
	itemIndex: number,
	subject: string,
	{ message, alternative }: { message: string; alternative?: string } = { message: 'will not revoke access tokens with an access-token credential' },
): Promise<void> {
	if (!(await credentialIsAccessToken.call(this))) return;
	const { reason, remedy } = TOKEN_REVOCATION_REFUSAL;
	throw nodeFailure(this.getNode(), { itemIndex, subject }, {
		message,
		description: `${reason[0].toUpperCase()}${reason.slice(1)}. ${remedy}${alternative ? ` ${alternative}` : ''} Nothing was sent to Commvault.`,
		reason: TOKEN_CREDENTIAL,
	});
}
