import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { findCommvaultBodyError, withoutSecrets } from '../failures/errors';
import { authError, normalizeBaseUrl, requestOptions } from './authRequest';
import type { CommvaultFailure } from '../failures/failure';
import { CommvaultAuthError, extractFailure, statusOf } from '../failures/failure';

/** Which WhoAmI answered a token check. */
export type WhoAmIEndpoint = 'GET v2/WhoAmI' | 'POST WhoAmI';

const BASE_URL_FORMS =
	'https://host/commandcenter/api, https://host/webconsole/api or http://host:81/SearchSvc/CVWebService.svc';

type Answer = { body: unknown } | { failure: CommvaultFailure };

async function ask(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	method: 'GET' | 'POST',
	path: string,
	headers: Record<string, string>,
): Promise<Answer> {
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
 * Checks a token with Commvault's WhoAmI and says which one answered:
 * - `GET v2/WhoAmI`, what Commvault's MCP server validates tokens with (commvault-mcp-server setup.py);
 * - on a 404 (a Command Center without the v2 API), v1 `POST WhoAmI`, what cvpysdk uses
 *   (cvpysdk.py L308-346: `errorCode == 0` and `user.userName`).
 * A failure names the endpoint that gave it; a 404 from both points at the Base URL.
 */
export async function whoAmI(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	headers: Record<string, string>,
	/** The caller's own error for a failure, e.g. a renewal for a 401; undefined to explain it here. */
	handle: (failure: CommvaultFailure) => Error | undefined = () => undefined,
): Promise<WhoAmIEndpoint> {
	const v2 = await ask(helper, credentials, 'GET', 'v2/WhoAmI', headers);
	if (!('failure' in v2)) return 'GET v2/WhoAmI';
	const handled = handle(v2.failure);
	if (handled) throw handled;
	if (statusOf(v2.failure) !== 404) throw failed(v2.failure, 'GET v2/WhoAmI');

	const v1 = await ask(helper, credentials, 'POST', 'WhoAmI', headers);
	if ('failure' in v1) {
		const handledV1 = handle(v1.failure);
		if (handledV1) throw handledV1;
	}
	if ('failure' in v1) {
		if (statusOf(v1.failure) === 404) {
			throw new CommvaultAuthError(
				'No Commvault API at this Base URL: GET v2/WhoAmI and POST WhoAmI both answered HTTP 404',
				`Use ${BASE_URL_FORMS}.`,
			);
		}
		throw failed(v1.failure, 'POST WhoAmI; GET v2/WhoAmI answered 404');
	}
	const refusal = v1Refusal(v1.body);
	if (refusal) throw naming(refusal, 'POST WhoAmI; GET v2/WhoAmI answered 404');
	return 'POST WhoAmI';
}
