import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { findCommvaultBodyError } from '../failures/bodyErrors';
import type { CommvaultFailure } from '../failures/failure';
import { CommvaultAuthError, extractFailure, statusOf } from '../failures/failure';
import { withoutSecrets } from '../failures/redaction';
import { BASE_URL_FORMS } from '../failures/wording';
import { authError, normalizeBaseUrl, requestOptions } from './authRequest';

/** Commvault's two WhoAmI endpoints, by how errors name them. */
export type WhoAmIEndpoint = 'GET v2/WhoAmI' | 'POST WhoAmI';

/** The method and path (below the Base URL) of each WhoAmI. */
export const WHOAMI_REQUESTS: Readonly<Record<WhoAmIEndpoint, { method: 'GET' | 'POST'; path: string }>> = {
	'GET v2/WhoAmI': { method: 'GET', path: 'v2/WhoAmI' },
	'POST WhoAmI': { method: 'POST', path: 'WhoAmI' },
};

/**
 * The one v2 → v1 WhoAmI fallback, for the token check (`whoAmI` below) and for the user a token
 * belongs to (commvault/whoami.ts): `GET v2/WhoAmI`, what Commvault's MCP server validates tokens with
 * (commvault-mcp-server setup.py); when its answer does not do (`v2Does` false: a Command Center
 * without the v2 API answers 404, and v2's reply fields are not documented), v1 `POST WhoAmI`, what
 * cvpysdk uses (cvpysdk.py L308-346). `ask` sends one; what it throws ends the check.
 */
export async function askWhoAmI<T>(
	ask: (endpoint: WhoAmIEndpoint) => Promise<T>,
	v2Does: (answer: T) => boolean,
): Promise<{ endpoint: WhoAmIEndpoint; answer: T }> {
	const v2 = await ask('GET v2/WhoAmI');
	if (v2Does(v2)) return { endpoint: 'GET v2/WhoAmI', answer: v2 };
	return { endpoint: 'POST WhoAmI', answer: await ask('POST WhoAmI') };
}

type Answer = { body: unknown } | { failure: CommvaultFailure };

async function ask(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	endpoint: WhoAmIEndpoint,
	headers: Record<string, string>,
): Promise<Answer> {
	const { method, path } = WHOAMI_REQUESTS[endpoint];
	const url = `${normalizeBaseUrl(credentials.baseUrl)}/${path}`;
	try {
		return { body: await helper.helpers.httpRequest(requestOptions(credentials, { method, url, headers })) };
	} catch (error) {
		// Only the failure is kept: the raw error carries the token in its request headers.
		return { failure: extractFailure(error, url) };
	}
}

/** The same explanation, saying which endpoint gave it, e.g. "(HTTP 401 from POST WhoAmI)". */
function naming(error: CommvaultAuthError, endpoint: string): CommvaultAuthError {
	const summary = /\(HTTP \d+\)$/.test(error.summary)
		? error.summary.replace(/\(HTTP (\d+)\)$/, `(HTTP $1 from ${endpoint})`)
		: `${error.summary} (${endpoint})`;
	const description = error.message.slice(error.summary.length + 2) || String(error.description ?? '');
	return new CommvaultAuthError(summary, description, { transient: error.transient, refused: error.refused });
}

/** A failed WhoAmI, explained; one that got an HTTP answer names the endpoint that gave it. */
function failed(failure: CommvaultFailure, endpoint: string): CommvaultAuthError {
	const error = authError(failure, 'token check');
	return failure.kind === 'http' ? naming(error, endpoint) : error;
}

/** The user a WhoAmI answer names, if any. */
function userNameIn(answer: Answer): string | undefined {
	const body = 'body' in answer ? answer.body : undefined;
	const user = body && typeof body === 'object' ? ((body as IDataObject).user as IDataObject | undefined) : undefined;
	return typeof user?.userName === 'string' && user.userName !== '' ? user.userName : undefined;
}

/** cvpysdk's check of the v1 answer: `errorCode` 0 (or absent) and a `user.userName`. */
function v1Refusal(body: unknown): CommvaultAuthError | undefined {
	const bodyError = findCommvaultBodyError(body);
	const user = body && typeof body === 'object' ? ((body as IDataObject).user as IDataObject | undefined) : undefined;
	if (!bodyError && typeof user?.userName === 'string') return undefined;
	return new CommvaultAuthError(
		withoutSecrets(bodyError?.message ?? 'Commvault did not say whose token this is'),
		'POST WhoAmI did not accept the access token. Create a new one in Command Center (Manage > Security > Users > your user > Access tokens) and paste it into the credential.',
		{ refused: true },
	);
}

/**
 * Checks a token with Commvault's WhoAmI (`askWhoAmI`: v2, or v1 where v2 answers 404) and says which
 * one answered, and whose token it is when the answer names a user (`user.userName`, cvpysdk
 * `cvpysdk.py` L308-346). A failure names the endpoint that gave it; a 404 from both points at the Base URL.
 */
export async function whoAmI(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	headers: Record<string, string>,
	/** The caller's own error for a failure, e.g. a renewal for a 401; undefined to explain it here. */
	handle: (failure: CommvaultFailure) => Error | undefined = () => undefined,
): Promise<{ endpoint: WhoAmIEndpoint; userName?: string }> {
	const send = async (endpoint: WhoAmIEndpoint): Promise<Answer> => {
		const answer = await ask(helper, credentials, endpoint, headers);
		if (!('failure' in answer)) return answer;
		const handled = handle(answer.failure);
		if (handled) throw handled;
		if (endpoint === 'GET v2/WhoAmI' && statusOf(answer.failure) !== 404) throw failed(answer.failure, endpoint);
		return answer;
	};
	const { endpoint, answer } = await askWhoAmI(send, (v2) => !('failure' in v2));
	if (endpoint === 'GET v2/WhoAmI') return { endpoint, userName: userNameIn(answer) };
	if ('failure' in answer) {
		if (statusOf(answer.failure) === 404) {
			throw new CommvaultAuthError(
				'No Commvault API at this Base URL: GET v2/WhoAmI and POST WhoAmI both answered HTTP 404',
				`Use ${BASE_URL_FORMS}.`,
			);
		}
		throw failed(answer.failure, 'POST WhoAmI; GET v2/WhoAmI answered 404');
	}
	const refusal = v1Refusal(answer.body);
	if (refusal) throw naming(refusal, 'POST WhoAmI; GET v2/WhoAmI answered 404');
	return { endpoint: 'POST WhoAmI', userName: userNameIn(answer) };
}
