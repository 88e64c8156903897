import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { randomBytes } from 'crypto';

import { findCommvaultBodyError } from '../failures/bodyErrors';
import type { CommvaultFailure } from '../failures/failure';
import { CommvaultAuthError, extractFailure, networkCodeOf, statusOf } from '../failures/failure';
import { withoutSecrets } from '../failures/redaction';
import type { RenewalDecision, TokenPair } from '../state/stores';
import { refusedRenewals, renewalDecisions, renewalsInFlight, renewedPairs, tokenUsers } from '../state/stores';
import { normalizeBaseUrl } from './authRequest';
import { bareToken, tokenFingerprint } from './session';

/*
 * Access tokens with a refresh token (Commvault 11.38+): they expire after 30 minutes (2 hours on
 * 11.44) and are renewed with `POST /V4/AccessToken/Renew`, which rotates the pair. Renewing with an
 * older pair "invalidates and deletes all access tokens in the create and renew chain"
 * (documentation.commvault.com/saas/using_refresh_tokens_to_renew_access_tokens.html), so a pair is
 * renewed at most once:
 * - in this process, one renewal per old access token runs at a time (single-flight), and the pair it
 *   produced is remembered, so a request that still holds the old token takes the new one;
 * - before asking for a renewal, the transport reads the stored credential again and uses a newer
 *   pair if another process stored one, and the processes that share the credential agree through a
 *   lease stored in it on which one renews (`coordinateRenewal`, used by transport/authenticated.ts);
 * - n8n stores the new pair, because preAuthentication returns it.
 * Keys are hashes of the old access token; pairs are kept in memory only (state/stores.ts), like the
 * session cache.
 */

/** `sessionOwner` value that asks preAuthentication to renew the pair (never stored: n8n stores its output). */
export const RENEWAL_REQUESTED = 'renewal-requested';

/** `sessionOwner` value that asks preAuthentication to store `renewalLease` (never stored itself). */
export const RENEWAL_LEASE = 'renewal-lease';

/** Names this n8n process in a renewal lease. */
const PROCESS_ID = randomBytes(8).toString('hex');

/** How long a lease writer waits for the other writers before it reads back who holds the lease. */
export const renewalTiming = { settleMs: 500, pollMs: 200, followMs: 15_000 };
const LEASE_FRESH_MS = 30_000;

/** What the transport gives the lease: the stored credential, and a way to store a lease in it. */
export interface RenewalStore {
	read(): Promise<ICredentialDataDecryptedObject>;
	writeLease(stored: ICredentialDataDecryptedObject, lease: string): Promise<void>;
}

function leaseOf(stored: ICredentialDataDecryptedObject, failedToken: string): { mine: boolean } | undefined {
	const [owner, token, at] = String(stored.renewalLease ?? '').split(':');
	if (token !== failedToken || !(Date.now() - Number(at) < LEASE_FRESH_MS)) return undefined;
	return { mine: owner === PROCESS_ID };
}

const isNewer = (stored: ICredentialDataDecryptedObject, failedToken: string) =>
	tokenFingerprint(stored.baseUrl, stored.accessToken) !== failedToken;

/** Waits for the lease holder to store the new pair; false when it did not in time. */
async function followLease(store: RenewalStore, failedToken: string): Promise<boolean> {
	for (const until = Date.now() + renewalTiming.followMs; Date.now() < until; ) {
		await sleep(renewalTiming.pollMs);
		if (isNewer(await store.read(), failedToken)) return true;
	}
	return false;
}

/**
 * Decides, with the other n8n processes that share the credential (queue-mode workers), who renews an
 * expired pair. n8n gives a node no lock, so the stored credential serves as one: a process writes its
 * lease, waits for concurrent writers, and reads back; the last writer renews and the others wait for
 * the pair it stores. A process that finds a fresh lease of another follows it without writing its own.
 */
async function decideRenewal(store: RenewalStore, failedToken: string): Promise<RenewalDecision> {
	let stored = await store.read();
	if (isNewer(stored, failedToken)) return 'newer';
	const lease = leaseOf(stored, failedToken);
	if (lease && !lease.mine && (await followLease(store, failedToken))) return 'newer';
	await store.writeLease(stored, `${PROCESS_ID}:${failedToken}:${Date.now()}`);
	await sleep(renewalTiming.settleMs);
	stored = await store.read();
	if (isNewer(stored, failedToken)) return 'newer';
	if (leaseOf(stored, failedToken)?.mine) return 'renew';
	// Another process holds the lease; if it stores nothing in time, it has gone, and this one renews.
	return (await followLease(store, failedToken)) ? 'newer' : 'renew';
}

/** One decision per expired token in this process: every request that met the expiry shares it. */
export async function coordinateRenewal(store: RenewalStore, failedToken: string): Promise<RenewalDecision> {
	let decision = renewalDecisions.get(failedToken);
	if (!decision) {
		decision = decideRenewal(store, failedToken);
		decision.catch(() => renewalDecisions.delete(failedToken));
		renewalDecisions.set(failedToken, decision);
	}
	return await decision;
}

const RENEW_TIMEOUT_MS = 30_000;

/** The newest pair this process renewed the credential's access token into, if any. */
export function renewedPairOf(credentials: ICredentialDataDecryptedObject): TokenPair | undefined {
	return renewedPairs.get(tokenFingerprint(credentials.baseUrl, credentials.accessToken))?.next;
}

function renewalRefused(failure: CommvaultFailure): CommvaultAuthError {
	const said = failure.kind === 'http' ? findCommvaultBodyError(failure.body)?.message : undefined;
	const httpStatus = statusOf(failure);
	const status = httpStatus === undefined ? (networkCodeOf(failure) ?? 'no answer') : `HTTP ${httpStatus}`;
	return new CommvaultAuthError(
		`Commvault refused to renew the access token (${status})${said ? `: ${withoutSecrets(said)}` : ''}`,
		'The refresh token has expired (after 90 days by default; 365 days or Forever from 11.42), or the token chain was invalidated because an older access and refresh token pair was used again. Create a new access token with a refresh token in Command Center (Manage > Security > Users > your user > Access tokens) and paste both into the credential.',
		{ refused: httpStatus !== undefined && httpStatus < 500 && httpStatus !== 429 },
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
	const next = renewedPairIn(response);
	if (!next) throw unreadableRenewal();
	return next;
}

/**
 * The new pair in a renewal's answer: at its root, as documented
 * (https://api.commvault.com/docs/SP38/api/cv/OpenAPI3/renew-accesstoken) and as Commvault's MCP server reads
 * it, or under `tokenInfo`, which Commvault's newest SOAR connector code also unwraps
 * (splunk-soar-connectors/commvaultcloud commit 67edaeb94c90, `_renew_token` L389-420) and where V4 token
 * create and update replies put it (cvpysdk `user.py` L1502, L1570).
 */
export function renewedPairIn(response: unknown): TokenPair | undefined {
	if (!response || typeof response !== 'object') return undefined;
	const root = response as IDataObject;
	const wrapped = root.tokenInfo && typeof root.tokenInfo === 'object' ? (root.tokenInfo as IDataObject) : undefined;
	for (const candidate of [root, wrapped]) {
		const { accessToken, refreshToken } = candidate ?? {};
		if (typeof accessToken === 'string' && accessToken !== '' && typeof refreshToken === 'string' && refreshToken !== '') return { accessToken, refreshToken };
	}
	return undefined;
}

/**
 * Commvault answered the renewal without an error, but the node finds no pair in it. Commvault may have
 * rotated the pair already, so this is not reported as a refusal, and not remembered as one: renewing
 * again with the old pair would invalidate the whole chain.
 */
const unreadableRenewals = new WeakSet<CommvaultAuthError>();

function unreadableRenewal(): CommvaultAuthError {
	const error = new CommvaultAuthError(
		'Commvault answered the access token renewal in a form the node cannot read',
		'The answer (HTTP 200) carries no accessToken and refreshToken, at its root or under tokenInfo. Commvault may already have replaced the pair, and renewing with an older pair invalidates every token of its chain, so the node does not try again. Create a new access token with a refresh token in Command Center (Manage > Security > Users > your user > Access tokens), paste both into the credential, and report the answer\'s form to the maintainers of this node.',
		{ refused: false },
	);
	unreadableRenewals.add(error);
	return error;
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
	if (refused) throw refused;

	let renewal = renewalsInFlight.get(key);
	if (!renewal) {
		renewal = postRenewal(helper, credentials)
			.then((next) => {
				const nextKey = tokenFingerprint(credentials.baseUrl, next.accessToken);
				// Pairs renewed earlier into the old one now lead straight to the newest.
				for (const entry of renewedPairs.values()) if (entry.next.accessToken === bareToken(credentials.accessToken)) entry.next = next;
				renewedPairs.set(key, { next });
				// The renewed token acts as the same user as the old one (state/stores.ts tokenUsers).
				const user = tokenUsers.get(key);
				if (user) tokenUsers.set(nextKey, user);
				renewedPairs.delete(nextKey);
				return next;
			})
			.catch((error: unknown) => {
				// An unreadable answer is remembered like a refusal: renewing again with the old pair could kill the chain.
				if (error instanceof CommvaultAuthError && (error.refused || unreadableRenewals.has(error))) refusedRenewals.set(key, error);
				throw error;
			})
			.finally(() => renewalsInFlight.delete(key));
		renewalsInFlight.set(key, renewal);
	}
	return await renewal;
}
