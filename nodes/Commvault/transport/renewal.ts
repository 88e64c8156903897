import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { CommvaultFailure } from '../helpers/errors';
import { extractFailure, findCommvaultBodyError, withoutSecrets } from '../helpers/errors';
import { CommvaultAuthError, bareToken, normalizeBaseUrl, tokenFingerprint } from './session';

/*
 * Access tokens with a refresh token (Commvault 11.38+): they expire after 30 minutes (2 hours on
 * 11.44) and are renewed with `POST /V4/AccessToken/Renew`, which rotates the pair. Renewing with an
 * older pair "invalidates and deletes all access tokens in the create and renew chain"
 * (documentation.commvault.com/saas/using_refresh_tokens_to_renew_access_tokens.html), so a pair is
 * renewed at most once:
 * - in this process, one renewal per old access token runs at a time (single-flight), and the pair it
 *   produced is remembered, so a request that still holds the old token takes the new one;
 * - before asking for a renewal, the transport waits this process's own delay, then reads the stored
 *   credential again and uses a newer pair if another process stored one (see `renewalCredential` in
 *   ./index.ts);
 * - n8n stores the new pair, because preAuthentication returns it.
 * Keys are hashes of the old access token; pairs are kept in memory only, like the session cache.
 */

/** `sessionOwner` value that asks preAuthentication to renew the pair (never stored: n8n stores its output). */
export const RENEWAL_REQUESTED = 'renewal-requested';

/**
 * How long this process waits after an access token expired before it reads the stored credential
 * again and renews. Drawn once per process: two n8n processes (queue-mode workers) whose requests meet
 * the same expiry at the same moment would otherwise both find the old pair and both renew it, which
 * invalidates the chain; with different delays, the later one finds the pair the earlier one stored.
 * Two processes whose delays are closer than one renewal takes can still collide.
 */
export const renewalDelay = { ms: Math.floor(Math.random() * 5000) };

const delays = new Map<string, { wait: Promise<void>; at: number }>();

/** Waits this process's renewal delay once per expired token: every request that met it shares the wait. */
export async function waitBeforeRenewal(failedToken: string): Promise<void> {
	const now = Date.now();
	for (const [key, entry] of delays) if (now - entry.at > 60_000) delays.delete(key);
	let entry = delays.get(failedToken);
	if (!entry) {
		entry = { wait: sleep(renewalDelay.ms), at: now };
		delays.set(failedToken, entry);
	}
	await entry.wait;
}

export interface TokenPair {
	accessToken: string;
	refreshToken: string;
}

const RENEW_TIMEOUT_MS = 30_000;
const MEMORY_TTL_MS = 24 * 3600_000;
const MAX_REMEMBERED = 1000;

const renewalsInFlight = new Map<string, Promise<TokenPair>>();
const renewedPairs = new Map<string, { next: TokenPair; at: number }>();
const refusedRenewals = new Map<string, { error: CommvaultAuthError; at: number }>();

function forgetOld(now: number) {
	for (const memory of [renewedPairs, refusedRenewals] as Array<Map<string, { at: number }>>) {
		for (const [key, entry] of memory) {
			if (now - entry.at > (memory === renewedPairs ? MEMORY_TTL_MS : 60_000)) memory.delete(key);
		}
		while (memory.size > MAX_REMEMBERED) memory.delete(memory.keys().next().value as string);
	}
}

/** The newest pair this process renewed the credential's access token into, if any. */
export function renewedPairOf(credentials: ICredentialDataDecryptedObject): TokenPair | undefined {
	forgetOld(Date.now());
	return renewedPairs.get(tokenFingerprint(credentials.baseUrl, credentials.accessToken))?.next;
}

function renewalRefused(failure: CommvaultFailure): CommvaultAuthError {
	const said = findCommvaultBodyError(failure.body)?.message;
	const status = failure.status === undefined ? failure.code ?? 'no answer' : `HTTP ${failure.status}`;
	return new CommvaultAuthError(
		`Commvault refused to renew the access token (${status})${said ? `: ${withoutSecrets(said)}` : ''}`,
		'The refresh token has expired (after 90 days by default; 365 days or Forever from 11.42), or the token chain was invalidated because an older access and refresh token pair was used again. Create a new access token with a refresh token in Command Center (Manage > Security > Users > your user > Access tokens) and paste both into the credential.',
		{ refused: failure.status !== undefined && failure.status < 500 && failure.status !== 429 },
	);
}

async function postRenewal(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<TokenPair> {
	const accessToken = bareToken(credentials.accessToken);
	let response: IDataObject | undefined;
	try {
		response = (await helper.helpers.httpRequest({
			method: 'POST',
			url: `${normalizeBaseUrl(credentials.baseUrl)}/V4/AccessToken/Renew`,
			headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` },
			body: { accessToken, refreshToken: String(credentials.refreshToken ?? '').trim() },
			json: true,
			timeout: RENEW_TIMEOUT_MS,
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		})) as IDataObject;
	} catch (error) {
		// Rethrown without the raw error, which carries both tokens in its request.
		throw renewalRefused(extractFailure(error));
	}
	const next = { accessToken: response?.accessToken, refreshToken: response?.refreshToken };
	if (typeof next.accessToken !== 'string' || !next.accessToken || typeof next.refreshToken !== 'string' || !next.refreshToken) {
		throw renewalRefused({ status: 200, body: response });
	}
	return next as TokenPair;
}

/**
 * Renews the credential's pair once for every concurrent caller in this process; a caller that comes
 * with a pair this process already renewed gets the newest pair without asking Commvault again.
 */
export async function renewOnce(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<TokenPair> {
	const key = tokenFingerprint(credentials.baseUrl, credentials.accessToken);
	const known = renewedPairOf(credentials);
	if (known) return known;
	const refused = refusedRenewals.get(key);
	if (refused) throw refused.error;

	let renewal = renewalsInFlight.get(key);
	if (!renewal) {
		renewal = postRenewal(helper, credentials)
			.then((next) => {
				const nextKey = tokenFingerprint(credentials.baseUrl, next.accessToken);
				// Pairs renewed earlier into the old one now lead straight to the newest.
				for (const entry of renewedPairs.values()) if (entry.next.accessToken === bareToken(credentials.accessToken)) entry.next = next;
				renewedPairs.set(key, { next, at: Date.now() });
				renewedPairs.delete(nextKey);
				return next;
			})
			.catch((error: unknown) => {
				if (error instanceof CommvaultAuthError && error.refused) refusedRenewals.set(key, { error, at: Date.now() });
				throw error;
			})
			.finally(() => renewalsInFlight.delete(key));
		renewalsInFlight.set(key, renewal);
	}
	return await renewal;
}
