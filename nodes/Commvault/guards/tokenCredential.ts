import type { IExecuteFunctions } from 'n8n-workflow';

import { nodeFailure } from '../failures/errors';
import { TOKEN_CREDENTIAL } from '../failures/reasons';

/**
 * Revoking access tokens needs a username-and-password credential: from 11.42, "You cannot create, edit,
 * and delete an access token using another access token"
 * (https://documentation.commvault.com/11.42/software/creating_access_token.html). Commvault's refusal
 * would read as a missing permission, so the item is refused before anything is sent.
 */
export async function refuseTokenRevocationWithToken(this: IExecuteFunctions, itemIndex: number, subject: string): Promise<void> {
	const credentials = await this.getCredentials('commvaultApi');
	if (credentials.authMethod === 'password') return;
	throw nodeFailure(this.getNode(), { itemIndex, subject }, {
		message: 'will not revoke access tokens with an access-token credential',
		description:
			'From Commvault 11.42, an access token cannot create, edit or delete access tokens ("You cannot create, edit, and delete an access token using another access token"), so Commvault would refuse this. Use a Commvault credential that logs in with the username and password of a service account allowed to manage users. Nothing was sent to Commvault.',
		reason: TOKEN_CREDENTIAL,
	});
}
