import type { CommvaultAuthError } from '../failures/failure';
import type { ExecutionPlan } from './executionPlan';
import type { ExecutionRequestState } from './requestState';

/*
 * Everything the node remembers between two calls, in one place: what each store holds, what it is
 * keyed by and how long an entry lives. Nothing here is a secret: process-wide keys are SHA-256
 * hashes, and n8n's stored credential stays the source of truth.
 *
 * Two lifetimes:
 * - per execution: a WeakMap keyed by n8n's execution context object (the operation's `this`), so an
 *   entry lives exactly as long as that execution of the node and is dropped with it;
 * - per process: entries shared by the executions of this n8n process, each dropped a fixed time after
 *   it was stored (`Expiring`), or when the promise it holds settles (`inFlight` stores).
 */

/** Per execution: the state its requests share (settings, target, pause, refusal): transport/retry.ts. */
export const requestStates = new WeakMap<object, ExecutionRequestState>();

/** The user an item is about; a part not known (yet) is null. */
export interface ItemUser {
	id: number | null;
	name: string | null;
}

/**
 * Per execution, by item index: the user each item is about, as far as it is known, so that a failed
 * item names its user too (output/outcome.ts `noteItemUser`; the router reads it).
 */
export const itemUsers = new WeakMap<object, Map<number, ItemUser>>();

/** Who the node never changes, as the credential lists them and WhoAmI names the credential's user. */
export interface ProtectionRules {
	users: Set<string>;
	groups: Set<string>;
	/** The user the credential acts as, lower-case: the login name, or what WhoAmI names. */
	ownUser: string | undefined;
}

/**
 * Per execution: the protection rules, read once (the credential and WhoAmI do not change between the
 * items of one run); a failed read is dropped, so the next item tries again (guards/protectedAccounts.ts).
 */
export const protectionRules = new WeakMap<object, Promise<ProtectionRules>>();

/**
 * Per execution: what the execution read from Commvault once for all its items (a batch's users, full
 * users, the laptop list), so that a batch costs about one request per item (./executionPlan.ts).
 */
export const executionPlans = new WeakMap<object, ExecutionPlan>();

/** Entries that expire `ttlMs` after they were stored; beyond `maxEntries`, the oldest go first. */
export class Expiring<T> {
	private readonly entries = new Map<string, { value: T; at: number }>();

	constructor(
		readonly ttlMs: number,
		readonly maxEntries = Number.POSITIVE_INFINITY,
	) {}

	get(key: string): T | undefined {
		this.forgetOld();
		return this.entries.get(key)?.value;
	}

	set(key: string, value: T): void {
		this.entries.set(key, { value, at: Date.now() });
		this.forgetOld();
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	/** The values still held, e.g. to point older entries at a newer session or pair. */
	values(): T[] {
		this.forgetOld();
		return [...this.entries.values()].map((entry) => entry.value);
	}

	private forgetOld(): void {
		const now = Date.now();
		for (const [key, entry] of this.entries) if (now - entry.at > this.ttlMs) this.entries.delete(key);
		while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
	}
}

const MINUTE_MS = 60_000;

/*
 * Logins (auth/session.ts `sharedSession`), per account (a hash of its settings and its password or
 * token). With concurrent items, a first use or an expired session makes many requests ask for a login
 * at once; they share one. A request sent with the old session that comes back 401 after the new one
 * exists takes the new one. A refused login is not tried again for a minute: Commvault counts failed
 * logins and locks the account.
 */

/** Per process, until it settles: the login running for an account. */
export const loginsInFlight = new Map<string, Promise<string>>();

/** Per process, a minute: the session that replaced an older one (key: hash of account and old session). */
export const replacedSessions = new Expiring<{ next: string }>(MINUTE_MS);

/** Per process, a minute: the refusal of an account's login, repeated instead of logging in again. */
export const refusedLogins = new Expiring<CommvaultAuthError>(MINUTE_MS);

/*
 * Renewals of an access token with its refresh token (auth/renewal.ts), per old access token (its
 * fingerprint). A pair may be renewed only once: renewing with an older pair invalidates the chain.
 */

/** Whether to use a newer stored pair or renew, decided once per expired token. */
export type RenewalDecision = 'newer' | 'renew';

/** Per process, a minute: the decision, shared by every request that met the expiry. */
export const renewalDecisions = new Expiring<Promise<RenewalDecision>>(MINUTE_MS);

export interface TokenPair {
	accessToken: string;
	refreshToken: string;
}

/** Per process, until it settles: the renewal running for an old access token. */
export const renewalsInFlight = new Map<string, Promise<TokenPair>>();

/** At most this many renewed pairs and refusals are remembered. */
const MAX_REMEMBERED = 1000;

/**
 * Per process, a day: the pair an old access token was renewed into, so a request that still holds
 * the old token takes the new one.
 */
export const renewedPairs = new Expiring<{ next: TokenPair }>(24 * 60 * MINUTE_MS, MAX_REMEMBERED);

/** Per process, a minute: Commvault's refusal to renew a pair, repeated instead of asking again. */
export const refusedRenewals = new Expiring<CommvaultAuthError>(MINUTE_MS, MAX_REMEMBERED);

/**
 * Per process, a day: the user an access token acts as (lower-case), keyed by the token's fingerprint
 * (auth/session.ts `tokenFingerprint`, a hash of the Base URL and the token). WhoAmI names it when the
 * token is checked (auth/session.ts `verifyAccessToken`); a renewed token keeps its predecessor's user
 * (auth/renewal.ts). The guard for the credential's own user reads it instead of asking WhoAmI on every
 * execution (guards/protectedAccounts.ts); another token, or the same token on another server, is asked again.
 */
export const tokenUsers = new Expiring<string>(24 * 60 * MINUTE_MS, MAX_REMEMBERED);
