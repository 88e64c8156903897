import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
} from 'n8n-workflow';
import { createHash } from 'crypto';

import { findCommvaultBodyError } from '../failures/bodyErrors';
import type { CommvaultFailure } from '../failures/failure';
import { CommvaultAuthError, extractFailure } from '../failures/failure';
import { withoutSecrets } from '../failures/redaction';
import { loginsInFlight, refusedLogins, replacedSessions, tokenUsers } from '../state/stores';
import { authError, normalizeBaseUrl, requestOptions } from './authRequest';
import { whoAmI } from './whoami';

export { normalizeBaseUrl };

/** Value of the hidden `sessionToken` field once an access token has been verified. */
export const VERIFIED_ACCESS_TOKEN = 'access-token-verified';

export type CommvaultAuthMethod = 'accessToken' | 'password';

/** Token kinds Commvault's own SDK sends unchanged (cvpysdk commcell.py L633-637). */
const TOKEN_PREFIXES = ['QSDK ', 'SAML ', 'Bearer '];

/**
 * The Authtoken header value for a token: a `QSDK `, `SAML ` or `Bearer ` token as given, a bare
 * token (as access tokens are usually copied) with `QSDK ` in front, as cvpysdk does.
 */
export function withTokenPrefix(token: unknown): string {
	const value = String(token ?? '').trim();
	return TOKEN_PREFIXES.some((prefix) => value.startsWith(prefix)) ? value : `QSDK ${value}`;
}

/** The token without a `QSDK `, `SAML ` or `Bearer ` prefix, e.g. for `Authorization: Bearer`. */
export function bareToken(token: unknown): string {
	const value = String(token ?? '').trim();
	const prefix = TOKEN_PREFIXES.find((p) => value.startsWith(p));
	return prefix ? value.slice(prefix.length).trim() : value;
}

/** Whether the credential sends its access token as `Authorization: Bearer` (Commvault Cloud). */
export function sendsBearer(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.headerStyle === 'bearer';
}

/** The header that carries an access token, as the credential's "Send Token As" option says. */
export function accessTokenHeaders(credentials: ICredentialDataDecryptedObject, token: unknown): Record<string, string> {
	return sendsBearer(credentials)
		? { Authorization: `Bearer ${bareToken(token)}` }
		: { Authtoken: withTokenPrefix(token) };
}

/** A session from /Login: `Bearer …` (Commvault Cloud's `data.authToken`) goes in Authorization. */
function sessionHeaders(session: string): Record<string, string> {
	return session.startsWith('Bearer ') ? { Authorization: session } : { Authtoken: session };
}

export function authMethodOf(credentials: ICredentialDataDecryptedObject): CommvaultAuthMethod {
	return credentials.authMethod === 'password' ? 'password' : 'accessToken';
}

/**
 * The account a session acts as: method, Base URL, domain, user (no secret) and whether the server's
 * certificate is checked, so that turning "Ignore SSL Issues" off on a working credential makes its
 * test check the certificate again, with the explained message, instead of n8n's bare TLS code.
 */
function accountOf(credentials: ICredentialDataDecryptedObject): string {
	return [
		authMethodOf(credentials),
		normalizeBaseUrl(credentials.baseUrl),
		String(credentials.domain ?? '').trim(),
		String(credentials.username ?? '').trim(),
		credentials.allowUnauthorizedCerts === true ? 'tls-unchecked' : 'tls-checked',
	].join('|');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Identifies whose session the stored token is. n8n keeps the hidden token when someone edits the
 * credential, so a changed URL, user or password must not keep acting with the previous session:
 * a session that still works would let a wrong new password pass the credential test until it
 * expires. For a login, the owner therefore ends in a fingerprint of the password, keyed by the
 * session token: the editor receives this hidden field, but not the session token (n8n redacts it
 * like the password), so the fingerprint cannot be used to check guessed passwords. An access
 * token needs none: it is sent with every request, and a wrong one is answered with a 401.
 */
export function sessionOwnerOf(credentials: ICredentialDataDecryptedObject): string {
	const account = accountOf(credentials);
	if (authMethodOf(credentials) !== 'password') return account;
	const secret = `${account}\u0000${String(credentials.sessionToken ?? '')}\u0000${String(credentials.password ?? '')}`;
	return `${account}|${sha256(secret).slice(0, 16)}`;
}

/** The authentication header of a request, or undefined to force a 401 and a fresh login. */
export function authHeadersFor(credentials: ICredentialDataDecryptedObject): Record<string, string> | undefined {
	if (authMethodOf(credentials) === 'accessToken') return accessTokenHeaders(credentials, credentials.accessToken);
	const token = String(credentials.sessionToken ?? '');
	if (!token || credentials.sessionOwner !== sessionOwnerOf(credentials)) return undefined;
	return sessionHeaders(token);
}

/** A hash naming an access token on one server (no secret kept). */
export function tokenFingerprint(baseUrl: unknown, accessToken: unknown): string {
	return sha256(`${normalizeBaseUrl(baseUrl)}\u0000${bareToken(accessToken)}`);
}

export function hasRefreshToken(credentials: ICredentialDataDecryptedObject): boolean {
	return String(credentials.refreshToken ?? '').trim() !== '';
}

/** The access token failed and the credential has a refresh token: the transport renews the pair. */
function renewalNeeded(credentials: ICredentialDataDecryptedObject, status: number): CommvaultAuthError {
	return new CommvaultAuthError(
		`Commvault rejected the access token (HTTP ${status})`,
		'It has expired or was renewed elsewhere. The node renews it with the refresh token while a workflow runs; a credential test does not renew it.',
		{ refused: true, renewal: tokenFingerprint(credentials.baseUrl, credentials.accessToken) },
	);
}

function loginFailure(body: IDataObject): CommvaultAuthError {
	const message = withoutSecrets(findCommvaultBodyError(body)?.message ?? 'Commvault did not return a session token');
	const lockedFor = Number(body.remainingLockTime ?? 0);
	if (body.isAccountLocked === true) {
		const minutes = Math.ceil(lockedFor / 60);
		return new CommvaultAuthError(
			message,
			`The Commvault account is locked${lockedFor > 0 ? ` for about ${minutes} more minute(s)` : ''}. Wait, or ask a Commvault administrator to unlock it, then try again.`,
			{ refused: true },
		);
	}
	return new CommvaultAuthError(
		message,
		'Commvault refused the login. Check the username, password and domain in the credential (AD users can log in with their email address).',
		{ refused: true },
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
		failure = extractFailure(error, `${baseUrl}/Login`);
	}
	if (failure) throw authError(failure, 'login');

	if (typeof response !== 'object' || response === null) {
		throw authError({ kind: 'http', status: 200, body: response }, 'login');
	}
	const data = (response?.data ?? {}) as IDataObject;
	if (typeof response.token === 'string' && response.token !== '') return withTokenPrefix(response.token);
	// Commvault Cloud: "The Authentication Token that should be added to the bearer token for all
	// requests" (api.commvault.com SP32 AuthenticationOperations/login).
	if (typeof data.authToken === 'string' && data.authToken !== '') return `Bearer ${bareToken(data.authToken)}`;
	throw loginFailure(response ?? {});
}

/**
 * Checks the access token with WhoAmI (GET v2/WhoAmI, or v1 POST WhoAmI where v2 answers 404; see
 * whoami.ts), so a wrong token is reported before any real work.
 */
export async function verifyAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<void> {
	if (!String(credentials.accessToken ?? '').trim()) {
		throw new CommvaultAuthError(
			'The access token is empty',
			'Paste an access token created in Command Center, or switch the credential to username and password.',
		);
	}
	// A 401 with a refresh token set asks for a renewal instead of failing (see renewal.ts).
	const { userName } = await whoAmI(helper, credentials, accessTokenHeaders(credentials, credentials.accessToken), (failure) =>
		failure.kind === 'http' && failure.status === 401 && hasRefreshToken(credentials) ? renewalNeeded(credentials, failure.status) : undefined,
	);
	// Kept, so that the guard for the credential's own user need not ask WhoAmI again (state/stores.ts tokenUsers).
	if (userName) tokenUsers.set(tokenFingerprint(credentials.baseUrl, credentials.accessToken), userName.toLowerCase());
}

/** Which account a login is for (the key of the login stores in state/stores.ts): a hash, no secret kept. */
function loginKey(credentials: ICredentialDataDecryptedObject): string {
	const secret = authMethodOf(credentials) === 'password' ? credentials.password : credentials.accessToken;
	return sha256(`${accountOf(credentials)}\u0000${String(secret ?? '')}`);
}

/**
 * Runs `open` once for all concurrent callers with the same account, reuses a session that just
 * replaced theirs, and repeats a refusal for a minute instead of sending the same login again.
 */
export async function sharedSession(
	credentials: ICredentialDataDecryptedObject,
	open: () => Promise<string>,
): Promise<string> {
	const key = loginKey(credentials);
	const refused = refusedLogins.get(key);
	if (refused) throw refused;

	const previous = String(credentials.sessionToken ?? '');
	const previousKey = previous ? sha256(`${key}\u0000${previous}`) : '';
	const replacement = previousKey ? replacedSessions.get(previousKey) : undefined;
	if (replacement) return replacement.next;

	let login = loginsInFlight.get(key);
	if (!login) {
		login = open()
			.catch((error: unknown) => {
				if (error instanceof CommvaultAuthError && error.refused) {
					refusedLogins.set(key, error);
				}
				throw error;
			})
			.finally(() => loginsInFlight.delete(key));
		loginsInFlight.set(key, login);
	}
	const session = await login;
	if (previousKey && previous !== session) {
		// Sessions replaced earlier by `previous` now lead straight to the newest one.
		for (const entry of replacedSessions.values()) if (entry.next === previous) entry.next = session;
		replacedSessions.set(previousKey, { next: session });
	}
	return session;
}
