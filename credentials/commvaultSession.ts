import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { CommvaultFailure } from '../nodes/Commvault/helpers/errors';
import { explainFailure, extractFailure } from '../nodes/Commvault/helpers/errors';

/** Value of the hidden `sessionToken` field once an access token has been verified. */
export const VERIFIED_ACCESS_TOKEN = 'access-token-verified';

const AUTH_TIMEOUT_MS = 30_000;

export type CommvaultAuthMethod = 'accessToken' | 'password';

export function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** Commvault expects `QSDK <token>` in the Authtoken header; access tokens are usually copied without it. */
export function withQsdkPrefix(token: unknown): string {
	const value = String(token ?? '').trim();
	return value.startsWith('QSDK ') ? value : `QSDK ${value}`;
}

export function authMethodOf(credentials: ICredentialDataDecryptedObject): CommvaultAuthMethod {
	return credentials.authMethod === 'password' ? 'password' : 'accessToken';
}

/**
 * Identifies whose session the stored token is. n8n keeps the hidden token when someone edits the
 * credential, so a changed URL or user must not keep acting with the previous account's session.
 */
export function sessionOwnerOf(credentials: ICredentialDataDecryptedObject): string {
	return [
		authMethodOf(credentials),
		normalizeBaseUrl(credentials.baseUrl),
		String(credentials.domain ?? '').trim(),
		String(credentials.username ?? '').trim(),
	].join('|');
}

/** The Authtoken header value for a request, or undefined to force a 401 and a fresh login. */
export function authtokenFor(credentials: ICredentialDataDecryptedObject): string | undefined {
	if (authMethodOf(credentials) === 'accessToken') return withQsdkPrefix(credentials.accessToken);
	const token = String(credentials.sessionToken ?? '');
	if (!token || credentials.sessionOwner !== sessionOwnerOf(credentials)) return undefined;
	return token;
}

/**
 * A login or token check that failed. n8n's credential test shows only an error's message, so the
 * message says what to do as well; `summary` is the short form the node shows above the description.
 * It deliberately carries no `code`, `status` or request data, so nothing secret can leak through it.
 */
export class CommvaultAuthError extends UserError {
	readonly commvaultAuthFailure = true;

	readonly summary: string;

	constructor(summary: string, description: string) {
		super(`${summary}. ${description}`, { description });
		this.summary = summary;
	}
}

/** Explains a failed Login or WhoAmI call with the same wording the node uses for any request. */
function authError(failure: CommvaultFailure, step: 'login' | 'token check'): CommvaultAuthError {
	if (step === 'token check' && (failure.status === 401 || failure.status === 403)) {
		return new CommvaultAuthError(
			`Commvault rejected the access token (HTTP ${failure.status})`,
			'The token is wrong, expired or revoked. Create a new one in Command Center (Manage > Security > Users > your user > Access tokens) and paste it into the credential.',
		);
	}
	if (failure.status === 401 || failure.status === 403) {
		return new CommvaultAuthError(
			`Commvault rejected the login (HTTP ${failure.status})`,
			'Check the username, password and domain in the credential.',
		);
	}
	const { message, description } = explainFailure(failure);
	return new CommvaultAuthError(message, description);
}

function requestOptions(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) {
	return {
		...options,
		headers: { Accept: 'application/json', ...options.headers },
		json: true,
		timeout: AUTH_TIMEOUT_MS,
		skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
	} as IHttpRequestOptions;
}

function loginFailure(body: IDataObject): CommvaultAuthError {
	const errList = Array.isArray(body.errList) ? (body.errList as IDataObject[]) : [];
	const message =
		(errList.find((e) => e.errLogMessage)?.errLogMessage as string | undefined) ??
		(body.errorMessage as string | undefined) ??
		'Commvault did not return a session token';
	const lockedFor = Number(body.remainingLockTime ?? 0);
	if (body.isAccountLocked === true) {
		const minutes = Math.ceil(lockedFor / 60);
		return new CommvaultAuthError(
			message,
			`The Commvault account is locked${lockedFor > 0 ? ` for about ${minutes} more minute(s)` : ''}. Wait, or ask a Commvault administrator to unlock it, then try again.`,
		);
	}
	return new CommvaultAuthError(
		message,
		'Commvault refused the login. Check the username, password and domain in the credential (AD users can log in with their email address).',
	);
}

/** POST /Login with the Base64 password, returning the session token Commvault issues. */
export async function logIn(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const body: IDataObject = {
		username: String(credentials.username ?? '').trim(),
		password: Buffer.from(String(credentials.password ?? ''), 'utf8').toString('base64'),
	};
	const domain = String(credentials.domain ?? '').trim();
	if (domain) body.domain = domain;

	let response: IDataObject | undefined;
	let failure: CommvaultFailure | undefined;
	try {
		response = (await helper.helpers.httpRequest(
			requestOptions(credentials, { method: 'POST', url: `${baseUrl}/Login`, body }),
		)) as IDataObject;
	} catch (error) {
		// Rethrown below as a clean error: the raw one holds the request body, i.e. the password.
		failure = extractFailure(error);
	}
	if (failure) throw authError(failure, 'login');

	if (typeof response !== 'object' || response === null) {
		throw authError({ status: 200, body: response }, 'login');
	}
	const data = (response?.data ?? {}) as IDataObject;
	const token = response?.token ?? data.authToken;
	if (typeof token !== 'string' || token === '') throw loginFailure(response ?? {});
	return withQsdkPrefix(token);
}

/** GET /v2/WhoAmI with the access token, so a wrong token is reported before any real work. */
export async function verifyAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<void> {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	if (!String(credentials.accessToken ?? '').trim()) {
		throw new CommvaultAuthError(
			'The access token is empty',
			'Paste an access token created in Command Center, or switch the credential to username and password.',
		);
	}
	let failure: CommvaultFailure | undefined;
	try {
		await helper.helpers.httpRequest(
			requestOptions(credentials, {
				method: 'GET',
				url: `${baseUrl}/v2/WhoAmI`,
				headers: { Authtoken: withQsdkPrefix(credentials.accessToken) },
			}),
		);
	} catch (error) {
		// Rethrown below without the raw error, which carries the token in its request headers.
		failure = extractFailure(error);
	}
	if (failure) throw authError(failure, 'token check');
}

/*
 * Logins in flight, and sessions that were just replaced, per account. With concurrent items, a
 * first use or an expired session makes many requests ask for a login at once; they share one.
 * A request that was sent with the old session and comes back 401 a moment after the new one
 * exists takes the new one instead of logging in again. Entries live for seconds, never across
 * restarts, and n8n's stored credential stays the source of truth.
 */
const loginsInFlight = new Map<string, Promise<string>>();
const replacedSessions = new Map<string, { next: string; at: number }>();
const REPLACED_SESSION_TTL_MS = 60_000;

function loginKey(credentials: ICredentialDataDecryptedObject): string {
	const secret = authMethodOf(credentials) === 'password' ? credentials.password : credentials.accessToken;
	return `${sessionOwnerOf(credentials)}\u0000${String(secret ?? '')}`;
}

/** Runs `open` once for all concurrent callers with the same account; reuses a session that just replaced theirs. */
export async function sharedSession(
	credentials: ICredentialDataDecryptedObject,
	open: () => Promise<string>,
): Promise<string> {
	const key = loginKey(credentials);
	const now = Date.now();
	for (const [token, entry] of replacedSessions) {
		if (now - entry.at > REPLACED_SESSION_TTL_MS) replacedSessions.delete(token);
	}
	const previous = String(credentials.sessionToken ?? '');
	const replacement = previous ? replacedSessions.get(`${key}\u0000${previous}`) : undefined;
	if (replacement) return replacement.next;

	let login = loginsInFlight.get(key);
	if (!login) {
		login = open().finally(() => loginsInFlight.delete(key));
		loginsInFlight.set(key, login);
	}
	const session = await login;
	if (previous && previous !== session) replacedSessions.set(`${key}\u0000${previous}`, { next: session, at: Date.now() });
	return session;
}
