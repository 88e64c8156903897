import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { isHtml } from '../failures/bodyErrors';
import type { CommvaultFailure } from '../failures/failure';
import { CommvaultAuthError, isTransient, statusOf } from '../failures/failure';
import { explainFailure } from '../failures/wording';

/*
 * What the login (./session.ts) and the token check (./whoami.ts) share: the Base URL, the request
 * options they send with, and how a failure of either is explained.
 */

const AUTH_TIMEOUT_MS = 30_000;

export function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

export function requestOptions(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) {
	return {
		...options,
		headers: { Accept: 'application/json', ...options.headers },
		json: true,
		timeout: AUTH_TIMEOUT_MS,
		skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
	} as IHttpRequestOptions;
}

const TOKEN_REJECTED =
	'The token is wrong, expired or revoked. Create a new one in Command Center (Manage > Security > Users > your user > Access tokens) and paste it into the credential. Tokens with scope All or Custom expire after 30 minutes (2 hours on 11.44): for those, also paste the refresh token Command Center shows with it.';

/** Explains a failed Login or WhoAmI call with the same wording the node uses for any request. */
export function authError(failure: CommvaultFailure, step: 'login' | 'token check'): CommvaultAuthError {
	const status = statusOf(failure);
	if (status === 401 || status === 403) {
		return step === 'token check'
			? new CommvaultAuthError(`Commvault rejected the access token (HTTP ${status})`, TOKEN_REJECTED, { refused: true })
			: new CommvaultAuthError(`Commvault rejected the login (HTTP ${status})`, 'Check the username, password and domain in the credential.', {
					refused: true,
				});
	}
	// A proxy's error page may echo the request, i.e. the password or the token: only an HTML page's
	// title and Commvault's own JSON error fields are quoted.
	const quoted = failure.kind === 'http' && typeof failure.body === 'string' && !isHtml(failure.body) ? { ...failure, body: undefined } : failure;
	const { message, description } = explainFailure(quoted);
	const code = failure.kind === 'auth' ? undefined : failure.code;
	const transient = isTransient(failure) ? { status, networkCode: code } : undefined;
	return new CommvaultAuthError(message, description, { transient });
}
