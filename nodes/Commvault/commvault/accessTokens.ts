import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { nodeFailure } from '../failures/errors';
import { UNREADABLE_REPLY } from '../failures/reasons';
import { commvaultApiRequest } from '../transport';
import type { ChangeRequest, StepContext, StepResult } from './steps';
import { objects, withDone } from './steps';
import type { CommvaultUser } from './users';

/** The request that revokes one access token. */
export const revokeRequest = (token: IDataObject): ChangeRequest => ({ method: 'DELETE', endpoint: `V4/AccessToken/${token.id}` });

/**
 * The user's access tokens: `GET /V4/AccessToken/?userId=` (cvpysdk `services.py` L713). The reply has
 * no documented schema; the entries carry `accessTokenId` and `tokenName` as cvpysdk's token replies do
 * (`user.py` L1466-1469), so every list of such entries is read, whatever its key. A reply without a list,
 * or with entries that carry no `accessTokenId`, fails the item: reading it as "no tokens" would report
 * tokens that still work as revoked.
 */
export async function listAccessTokens(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<IDataObject[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'V4/AccessToken/', qs: { userId: user.id }, ...context });
	const lists = Object.values(response).filter((value): value is unknown[] => Array.isArray(value));
	const entries = lists.flat();
	const tokens = objects(entries).filter((token) => Number(token.accessTokenId) > 0);
	if (lists.length > 0 && tokens.length === entries.length) return tokens.map((token) => ({ id: Number(token.accessTokenId), name: token.tokenName }));
	throw nodeFailure(this.getNode(), context, {
		message: 'Commvault listed the access tokens in a form the node cannot read',
		description: `GET /V4/AccessToken/?userId=${user.id} answered ${lists.length === 0 ? 'without a list' : 'with entries that carry no accessTokenId'}, so the node cannot tell which tokens exist, and revoked nothing. Check the user's access tokens in Command Center (Manage > Security > Users > the user > Access tokens).`,
		reason: UNREADABLE_REPLY,
	});
}

/**
 * Revoke Access Tokens: lists them, then `DELETE /V4/AccessToken/{id}` each (cvpysdk `services.py` L711,
 * `user.py` L1572-1593). Whether Commvault lets an administrator revoke another user's token is not
 * documented; a refusal fails the step with Commvault's message, naming the tokens already revoked.
 */
export async function revokeAccessTokens(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const tokens = await listAccessTokens.call(this, context, user);
	const requests: ChangeRequest[] = [];
	const replies: IDataObject[] = [];
	for (const token of tokens) {
		const request = revokeRequest(token);
		try {
			replies.push(await commvaultApiRequest.call(this, { ...request, ...context, idempotent: false }));
		} catch (error) {
			throw withDone(error, requests.length > 0 ? `Access tokens already revoked: ${tokens.slice(0, requests.length).map((t) => t.id).join(', ')}.` : undefined);
		}
		requests.push(request);
	}
	return { changed: { tokensRevoked: tokens }, requests, replies };
}
