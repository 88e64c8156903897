import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

/*
 * The one failure model. Whatever n8n's request helpers threw becomes a CommvaultFailure here, and
 * the retry policy, the login and token checks, and the error wording all ask this module what a
 * failure means: whether it may be sent again, and whether Commvault may have acted on it.
 * Nothing here imports another module of the package.
 */

/** Commvault (or a proxy in front of it) answered with an HTTP status. */
export interface HttpFailure {
	kind: 'http';
	status: number;
	body?: unknown;
	headers?: IDataObject;
	code?: string;
}

/** No answer: a network error code, n8n's SSRF protection, or nothing known at all. */
export interface NetworkFailure {
	kind: 'network';
	code?: string;
	/** n8n's SSRF protection refused to send the request (code `SSRF_BLOCKED`). */
	ssrf?: SsrfBlock;
}

/** A login or token check that failed inside the credential, already explained (CommvaultAuthError). */
export interface AuthFailure {
	kind: 'auth';
	message: string;
	description?: string;
	/** The login failed for a reason that may pass (the request itself was not sent). */
	transient: boolean;
	/** The access token expired and may be renewed: the fingerprint of the token that failed. */
	renewal?: string;
}

/** What went wrong with one Commvault request, stripped of everything that could hold a secret. */
export type CommvaultFailure = HttpFailure | NetworkFailure | AuthFailure;

/** What n8n's SsrfBlockedIpError or SsrfBlockedHostnameError said, and the Base URL's host. */
export interface SsrfBlock {
	kind: 'ip' | 'hostname';
	/** n8n's own explanation (its message and description). */
	explanation: string;
	/** The host of the URL the node asked for, e.g. `commandcenter.corp.local:443`. */
	host?: string;
	hostname?: string;
}

/** The HTTP status of a failure that got an answer. */
export function statusOf(failure: CommvaultFailure): number | undefined {
	return failure.kind === 'http' ? failure.status : undefined;
}

/** The network code of a failure that got no answer. */
export function networkCodeOf(failure: CommvaultFailure): string | undefined {
	return failure.kind === 'network' ? failure.code : undefined;
}

/** The network code of a request n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) did not send. */
export const SSRF_BLOCKED = 'SSRF_BLOCKED';

/** How the user is told about a network failure; the wording itself is in failures/errors.ts. */
export type NetworkExplanation = 'refused' | 'notFound' | 'unreachable' | 'connectTimeout' | 'timeout' | 'dropped' | 'tls' | 'ssrf';

export interface NetworkCodeNature {
	/** Whether the same request may succeed when sent again. */
	retryable: boolean;
	/** Whether the request may have reached Commvault and been carried out before it failed. */
	mayHaveActed: boolean;
	explanation: NetworkExplanation;
}

const notSentRetry = (explanation: NetworkExplanation): NetworkCodeNature => ({ retryable: true, mayHaveActed: false, explanation });
const maybeActed = (explanation: NetworkExplanation): NetworkCodeNature => ({ retryable: true, mayHaveActed: true, explanation });
const final = (explanation: NetworkExplanation): NetworkCodeNature => ({ retryable: false, mayHaveActed: false, explanation });

/**
 * Every network code the node knows, in one table. A request that failed to connect was not sent, so
 * any request may be sent again; one whose connection dropped or timed out after it was sent may have
 * been carried out, so only a request that is safe to repeat is sent again.
 */
export const NETWORK_CODES: Readonly<Record<string, NetworkCodeNature>> = {
	ECONNREFUSED: notSentRetry('refused'),
	// Node's connect timeout with autoSelectFamily: no connection was made, so nothing was sent.
	ERR_SOCKET_CONNECTION_TIMEOUT: notSentRetry('connectTimeout'),
	ENOTFOUND: final('notFound'),
	EAI_AGAIN: final('notFound'),
	EHOSTUNREACH: final('unreachable'),
	ENETUNREACH: final('unreachable'),
	ECONNABORTED: maybeActed('timeout'),
	ETIMEDOUT: maybeActed('timeout'),
	ESOCKETTIMEDOUT: maybeActed('timeout'),
	ECONNRESET: maybeActed('dropped'),
	EPIPE: maybeActed('dropped'),
	DEPTH_ZERO_SELF_SIGNED_CERT: final('tls'),
	SELF_SIGNED_CERT_IN_CHAIN: final('tls'),
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: final('tls'),
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: final('tls'),
	CERT_HAS_EXPIRED: final('tls'),
	CERT_UNTRUSTED: final('tls'),
	ERR_TLS_CERT_ALTNAME_INVALID: final('tls'),
	EPROTO: final('tls'),
	ERR_SSL_WRONG_VERSION_NUMBER: final('tls'),
	// n8n refused to send it; the same request is refused again.
	[SSRF_BLOCKED]: final('ssrf'),
};

/** What the table says about a network code; undefined for a code it does not know. */
export function networkCodeNature(code: string | undefined): NetworkCodeNature | undefined {
	return code !== undefined && Object.prototype.hasOwnProperty.call(NETWORK_CODES, code) ? NETWORK_CODES[code] : undefined;
}

// Statuses a gateway or an overloaded Command Center gives: the request may have been carried out.
const MAYBE_ACTED_STATUSES = new Set([502, 503, 504]);

/** Whether Commvault may have carried out a request that failed this way. */
export function mayHaveActed(failure: CommvaultFailure): boolean {
	if (failure.kind === 'http') return MAYBE_ACTED_STATUSES.has(failure.status);
	if (failure.kind === 'auth') return false;
	return networkCodeNature(failure.code)?.mayHaveActed === true;
}

/** A failure that may pass on its own: a 429, a gateway's 5xx, or a retryable network code. */
export function isTransient(failure: CommvaultFailure): boolean {
	if (failure.kind === 'http') return failure.status === 429 || MAYBE_ACTED_STATUSES.has(failure.status);
	if (failure.kind === 'auth') return failure.transient;
	return networkCodeNature(failure.code)?.retryable === true;
}

/**
 * Whether a failed request may be sent again. A 429 or a connection that was never made did not reach
 * Commvault's logic, so any request may be retried; a 5xx from a gateway, a reset or a timeout may come
 * after Commvault acted, so only requests that are safe to repeat are retried then. A failed login sent
 * nothing else; it may be repeated when it failed for a passing reason.
 */
export function isRetryable(failure: CommvaultFailure, idempotent: boolean): boolean {
	if (!isTransient(failure)) return false;
	return idempotent || !mayHaveActed(failure);
}

/** The longest wait the node accepts from Retry-After before it gives the item up instead. */
export const MAX_RETRY_WAIT_MS = 120_000;

/** A response header, whatever its case. */
export function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined || headers[key] === undefined || headers[key] === null ? undefined : String(headers[key]);
}

function retryAfterMs(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The wait Commvault asked for with Retry-After or X-RateLimit-Reset, in ms. */
export function requestedWaitMs(headers: IDataObject | undefined): number | undefined {
	const retryAfter = retryAfterMs(headerValue(headers, 'retry-after'));
	if (retryAfter !== undefined) return retryAfter;
	const reset = Number(headerValue(headers, 'x-ratelimit-reset') ?? NaN);
	if (Number.isFinite(reset) && reset >= 0) {
		// Large values are an epoch time in seconds, small ones a number of seconds to wait.
		return reset > 1e9 ? Math.max(0, reset * 1000 - Date.now()) : reset * 1000;
	}
	// Commvault Cloud says to wait for the rate-limit period when it throttles.
	const period = Number(headerValue(headers, 'x-ratelimit-period') ?? NaN);
	if (Number.isFinite(period) && period >= 0) return period * 1000;
	return undefined;
}

/**
 * A login or token check that failed. n8n's credential test shows only an error's message, so the
 * message says what to do as well; `summary` is the short form the node shows above the description.
 * It carries no request data, so nothing secret can leak through it; only the HTTP status or network
 * code of a failure that may pass, so that the transport can retry it (a login is safe to repeat).
 * n8n may wrap it, so extractFailure recognises it by its `commvaultAuthFailure` marker.
 */
export class CommvaultAuthError extends UserError {
	readonly commvaultAuthFailure = true;

	readonly summary: string;

	/** Set for a failure that may pass on its own (429, 5xx, a dropped or refused connection, a timeout). */
	readonly transient?: { status?: number; networkCode?: string };

	/** Commvault itself refused these credentials (wrong password or token, locked account). */
	readonly refused: boolean;

	/** Set when the access token expired and can be renewed: the fingerprint of the token that failed. */
	readonly renewal?: string;

	constructor(
		summary: string,
		description: string,
		{
			transient,
			refused = false,
			renewal,
		}: { transient?: { status?: number; networkCode?: string }; refused?: boolean; renewal?: string } = {},
	) {
		super(`${summary}. ${description}`, { description });
		this.summary = summary;
		this.refused = refused;
		if (transient) this.transient = transient;
		if (renewal) this.renewal = renewal;
	}
}

const SSRF_ERRORS = new Map<unknown, SsrfBlock['kind']>([
	['SsrfBlockedIpError', 'ip'],
	['SsrfBlockedHostnameError', 'hostname'],
]);

function hostOf(url: string | undefined): { host?: string; hostname?: string } {
	try {
		const parsed = new URL(String(url));
		return { host: parsed.host, hostname: parsed.hostname.replace(/^\[|\]$/g, '') };
	} catch {
		return {};
	}
}

/**
 * n8n 2.x (@n8n/backend-network) throws SsrfBlockedIpError / SsrfBlockedHostnameError before it
 * opens a connection, and marks them not retryable. They are recognised by name: the node may only
 * import n8n-workflow. The IP error often names only the address, so the Base URL's host comes from `url`.
 */
function ssrfFailure(candidates: IDataObject[], url: string | undefined): NetworkFailure | undefined {
	const blocked = candidates.find((c) => SSRF_ERRORS.has(c.name));
	const kind = SSRF_ERRORS.get(blocked?.name);
	if (!blocked || !kind) return undefined;
	const explanation = [blocked.message, blocked.description]
		.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
		.map((part) => part.trim().replace(/\.?$/, '.'))
		.join(' ');
	const { host, hostname } = hostOf(url);
	const ssrf: SsrfBlock = { kind, explanation };
	if (host) ssrf.host = host;
	const named = hostname ?? (typeof blocked.hostname === 'string' ? blocked.hostname : undefined);
	if (named) ssrf.hostname = named;
	return { kind: 'network', code: SSRF_BLOCKED, ssrf };
}

function authFailure(candidates: IDataObject[]): AuthFailure | undefined {
	const auth = candidates.find((c) => c.commvaultAuthFailure === true);
	if (!auth) return undefined;
	const failure: AuthFailure = {
		kind: 'auth',
		message: String(auth.summary ?? auth.message),
		transient: Boolean(auth.transient),
	};
	if (typeof auth.description === 'string') failure.description = auth.description;
	if (typeof auth.renewal === 'string') failure.renewal = auth.renewal;
	return failure;
}

function httpFailure(candidates: IDataObject[]): HttpFailure | undefined {
	for (const candidate of candidates) {
		const response = candidate.response as IDataObject | undefined;
		if (response && typeof response === 'object' && typeof response.status === 'number') {
			return {
				kind: 'http',
				status: response.status,
				body: response.data,
				headers: response.headers as IDataObject | undefined,
				code: candidate.code as string | undefined,
			};
		}
	}
	return undefined;
}

/**
 * Reads what failed out of whatever n8n's request helpers threw (AxiosError, possibly wrapped in
 * NodeApiError); `url` is the request's URL, for failures whose error does not name the host.
 * The node's own errors never come here: their `httpCode` may be Commvault's code (`Commvault error 3`),
 * not a status; they carry the status in `errorResponse.httpStatus`.
 */
export function extractFailure(error: unknown, url?: string): CommvaultFailure {
	const outer = (error ?? {}) as IDataObject & { cause?: unknown };
	const candidates = [outer, outer.cause as IDataObject | undefined].filter(Boolean) as IDataObject[];
	const known = authFailure(candidates) ?? ssrfFailure(candidates, url) ?? httpFailure(candidates);
	if (known) return known;
	const withCode = candidates.find((c) => typeof c.code === 'string' && /^[A-Z_]+$/.test(c.code as string));
	if (withCode) return { kind: 'network', code: withCode.code as string };
	const httpCode = Number(outer.httpCode);
	return Number.isInteger(httpCode) && httpCode >= 100 ? { kind: 'http', status: httpCode } : { kind: 'network' };
}
