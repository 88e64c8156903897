import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { MAX_RETRY_WAIT_MS, requestedWaitMs } from '../transport/retry';

/** What went wrong with one Commvault request, stripped of everything that could hold a secret. */
export interface CommvaultFailure {
	status?: number;
	code?: string;
	body?: unknown;
	headers?: IDataObject;
	/** A login or token check that failed inside the credential, already explained. */
	authMessage?: string;
	authDescription?: string;
	/** The login failed for a reason that may pass (the request itself was not sent). */
	authTransient?: boolean;
	/** n8n's SSRF protection refused to send the request (code `SSRF_BLOCKED`); see ssrfFailure. */
	ssrf?: SsrfBlock;
	/** The access token expired and may be renewed: the fingerprint of the token that failed. */
	authRenewal?: string;
}

/** What n8n's SsrfBlockedIpError or SsrfBlockedHostnameError said, and the Base URL's host. */
export interface SsrfBlock {
	kind: 'ip' | 'hostname';
	/** n8n's own explanation (its message and description). */
	explanation: string;
	/** The host of the URL the node asked for, e.g. `commandcenter.corp.local:443`. */
	host?: string;
	hostname?: string;
}

export interface CommvaultBodyError {
	errorCode?: number | string;
	message: string;
}

export interface FailureExplanation {
	message: string;
	description: string;
	httpCode?: string;
	errorCode?: number | string;
}

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_UNTRUSTED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'EPROTO',
	'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

const BASE_URL_FORMS =
	'https://host/commandcenter/api, https://host/webconsole/api or http://host:81/SearchSvc/CVWebService.svc';

function isNonZero(code: unknown): boolean {
	if (code === undefined || code === null || code === '') return false;
	return Number(code) !== 0 || Number.isNaN(Number(code));
}

function firstText(entry: IDataObject, keys: string[]): string | undefined {
	for (const key of keys) {
		const value = entry[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

const MESSAGE_KEYS = ['errorMessage', 'errorString', 'errLogMessage', 'message'];

/**
 * Commvault often answers HTTP 200 and reports failure in the body, in one of four shapes:
 * `{errorCode}`, `{response: [{errorCode}]}`, `{error: {errorCode}}` and `{errList: [...]}`.
 */
export function findCommvaultBodyError(body: unknown): CommvaultBodyError | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const data = body as IDataObject;

	if (isNonZero(data.errorCode)) {
		const errorCode = data.errorCode as number | string;
		return { errorCode, message: firstText(data, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
	}

	const responses = Array.isArray(data.response)
		? (data.response as IDataObject[])
		: data.response && typeof data.response === 'object'
			? [data.response as IDataObject]
			: [];
	const failed = responses.find((entry) => entry && isNonZero(entry.errorCode));
	if (failed) {
		const errorCode = failed.errorCode as number | string;
		return { errorCode, message: firstText(failed, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
	}

	const nested = data.error;
	if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
		const error = nested as IDataObject;
		if (isNonZero(error.errorCode)) {
			const errorCode = error.errorCode as number | string;
			return { errorCode, message: firstText(error, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
		}
	}

	if (Array.isArray(data.errList) && data.errList.length > 0) {
		const entry = (data.errList as IDataObject[]).find((e) => e && typeof e === 'object') ?? {};
		return {
			errorCode: entry.errorCode as number | string | undefined,
			message: firstText(entry, MESSAGE_KEYS) ?? 'Commvault reported an error',
		};
	}
	return undefined;
}

export function isHtml(body: unknown): body is string {
	return typeof body === 'string' && /^\s*(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)/i.test(body);
}

function htmlTitle(html: string): string | undefined {
	const match = /<title[^>]*>([^<]*)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
	const text = match?.[1]?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	return text ? text.slice(0, 200) : undefined;
}

/** The network code of a request n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) did not send. */
export const SSRF_BLOCKED = 'SSRF_BLOCKED';

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
function ssrfFailure(candidates: IDataObject[], url: string | undefined): CommvaultFailure | undefined {
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
	return { code: SSRF_BLOCKED, ssrf };
}

/**
 * Reads what failed out of whatever n8n's request helpers threw (AxiosError, possibly wrapped in
 * NodeApiError); `url` is the request's URL, for failures whose error does not name the host.
 */
export function extractFailure(error: unknown, url?: string): CommvaultFailure {
	const outer = (error ?? {}) as IDataObject & { cause?: unknown };
	const candidates = [outer, outer.cause as IDataObject | undefined].filter(Boolean) as IDataObject[];

	const auth = candidates.find((c) => c.commvaultAuthFailure === true);
	if (auth) {
		const failure: CommvaultFailure = {
			authMessage: String(auth.summary ?? auth.message),
			authDescription: auth.description as string | undefined,
		};
		if (auth.transient) failure.authTransient = true;
		if (typeof auth.renewal === 'string') failure.authRenewal = auth.renewal;
		return failure;
	}
	const ssrf = ssrfFailure(candidates, url);
	if (ssrf) return ssrf;
	for (const candidate of candidates) {
		const response = candidate.response as IDataObject | undefined;
		if (response && typeof response === 'object' && typeof response.status === 'number') {
			return {
				status: response.status,
				body: response.data,
				headers: response.headers as IDataObject | undefined,
				code: candidate.code as string | undefined,
			};
		}
	}
	const withCode = candidates.find((c) => typeof c.code === 'string' && /^[A-Z_]+$/.test(c.code as string));
	if (withCode) return { code: withCode.code as string };
	const httpCode = Number(outer.httpCode);
	return Number.isInteger(httpCode) && httpCode >= 100 ? { status: httpCode } : {};
}

function retryAfterText(headers: IDataObject | undefined): string {
	const waitMs = requestedWaitMs(headers);
	return waitMs === undefined ? '' : ` Commvault asked to wait ${Math.ceil(waitMs / 1000)} second(s).`;
}

// A proxy's or web server's error page may repeat the request: the Authtoken header (`QSDK …`) or
// a password field. What the node quotes from a reply passes through this first.
const TOKEN_IN_TEXT = /\b(QSDK|SAML|Bearer)\s+(?!\[redacted\])[^\s"',;<>]+/gi;
const SECRET_FIELD_IN_TEXT =
	/\b(authtoken|authorization|password)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:QSDK|SAML|Bearer) \[redacted\])[^\s"',;<>]+/gi;

export function withoutSecrets(text: string): string {
	return text
		.replace(TOKEN_IN_TEXT, (_match, kind: string) => `${kind} [redacted]`)
		.replace(SECRET_FIELD_IN_TEXT, (_match, name: string, separator: string) => `${name}${separator}[redacted]`);
}

/** Explains a failed request: Commvault's own words as the message, what to do as the description. */
export function explainFailure(failure: CommvaultFailure): FailureExplanation {
	const explanation = explainQuoted(failure);
	explanation.message = withoutSecrets(explanation.message);
	return explanation;
}

function explainQuoted(failure: CommvaultFailure): FailureExplanation {
	const { status, code, body, headers } = failure;
	const httpCode = status === undefined ? undefined : String(status);

	if (failure.authMessage) {
		return { message: failure.authMessage, description: failure.authDescription ?? '' };
	}

	const bodyError = findCommvaultBodyError(body);
	const hint = status === undefined ? undefined : statusHint(status, headers);
	if (bodyError) {
		return {
			message: bodyError.message,
			description: hint ?? 'Commvault refused the request. Its message above says why.',
			httpCode,
			errorCode: bodyError.errorCode,
		};
	}

	if (isHtml(body)) {
		const title = htmlTitle(body);
		const pageIs = title ? `an HTML page ("${title}")` : 'an HTML page';
		return {
			message: `Commvault answered with ${pageIs} instead of JSON${httpCode ? ` (HTTP ${httpCode})` : ''}`,
			description:
				status !== undefined && status >= 500
					? `A web server or proxy in front of Commvault failed. ${hint ?? ''}`.trim()
					: `The Base URL probably points at a web page rather than the REST API. Use ${BASE_URL_FORMS}.`,
			httpCode,
		};
	}

	if (status !== undefined) {
		const text = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
		return {
			message: `Commvault returned HTTP ${status}${text}`,
			description: hint ?? 'Commvault did not accept the request.',
			httpCode,
		};
	}

	if (failure.ssrf) return explainSsrfBlock(failure.ssrf);
	if (code && TLS_CODES.has(code)) {
		return {
			message: "Commvault's TLS certificate is not trusted",
			description:
				'Install the issuing CA on the n8n host, or turn on "Ignore SSL Issues (Insecure)" in the Commvault credential for a self-signed certificate. If the server only speaks HTTP, use an http:// Base URL.',
		};
	}
	if (code && UNREACHABLE_CODES.has(code)) {
		return {
			message: `Cannot reach Commvault: ${code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host name not found' : 'host unreachable'}`,
			description:
				"Check the Base URL's host name and port, and that the Command Center is reachable from the n8n host.",
		};
	}
	if (code && TIMEOUT_CODES.has(code)) {
		return {
			message: 'Commvault did not answer in time',
			description: "The request timed out. The Command Center may be overloaded; raise the node's timeout or retry later.",
		};
	}
	if (code && DROPPED_CODES.has(code)) {
		return {
			message: 'The connection to Commvault was closed before it answered',
			description: 'A proxy or the Command Center may be restarting; retry later.',
		};
	}
	return {
		message: 'The request to Commvault failed',
		description: 'No reply was received from Commvault.',
	};
}

/** What the n8n administrator sets so that n8n lets requests to this host through. */
function ssrfAllowHint({ kind, hostname }: SsrfBlock): string {
	if (!hostname) {
		return 'The n8n administrator can allow the Command Center with N8N_SSRF_ALLOWED_HOSTNAMES (its host name) or N8N_SSRF_ALLOWED_IP_RANGES (its address range).';
	}
	const ipv6 = hostname.includes(':');
	if (ipv6 || /^\d+(\.\d+){3}$/.test(hostname)) {
		const range = ipv6 ? `${hostname}/128` : `${hostname}/32`;
		return `The Base URL is an IP address, so the n8n administrator allows it with N8N_SSRF_ALLOWED_IP_RANGES (e.g. N8N_SSRF_ALLOWED_IP_RANGES=${range}).`;
	}
	const hostnameRule =
		kind === 'hostname'
			? `remove ${hostname} from N8N_SSRF_BLOCKED_HOSTNAMES, or add it to N8N_SSRF_ALLOWED_HOSTNAMES (which wins)`
			: `add ${hostname} to N8N_SSRF_ALLOWED_HOSTNAMES (e.g. N8N_SSRF_ALLOWED_HOSTNAMES=${hostname}), or its address range to N8N_SSRF_ALLOWED_IP_RANGES`;
	return `To let n8n reach the Command Center, the n8n administrator must ${hostnameRule}.`;
}

function explainSsrfBlock(ssrf: SsrfBlock): FailureExplanation {
	const where = ssrf.host ?? ssrf.hostname;
	return {
		message: `n8n's SSRF protection blocked the request to Commvault${where ? ` at ${where}` : ''}`,
		description: `n8n did not send it. n8n says: "${ssrf.explanation}" ${ssrfAllowHint(ssrf)}`,
	};
}

function statusHint(status: number, headers: IDataObject | undefined): string | undefined {
	if (status === 401) {
		return 'Commvault rejected the credential (HTTP 401) although n8n checked or renewed it. The access token may lack the scope for this endpoint, or the account was disabled; check the Commvault credential.';
	}
	if (status === 403) {
		return 'The Commvault account behind this credential is not allowed to do this (HTTP 403). Give it a role with user management permissions, or use an access token whose scope includes this endpoint.';
	}
	if (status === 404) {
		return `Commvault did not find this endpoint or object (HTTP 404). Check that the Base URL is one of ${BASE_URL_FORMS}.`;
	}
	if (status === 429) {
		return `Commvault is rate-limiting requests (HTTP 429).${retryAfterText(headers)} Lower the node's concurrency, spread the run over time, or ask your Commvault administrator about the API rate limiter policy.`;
	}
	if (status >= 500) {
		return `Commvault's web server failed (HTTP ${status}).${retryAfterText(headers)} The Command Center may be restarting or overloaded; retry later, and check its WebServer logs if this persists.`;
	}
	if (status >= 400) return `Commvault did not accept the request (HTTP ${status}). Check the node's parameters.`;
	return undefined;
}

export interface ErrorContext {
	itemIndex?: number;
	/** What the request acted on, e.g. `user "jdoe"`, so the error names it. */
	subject?: string;
	/** How many times the request was sent. */
	attempts?: number;
	/** A last sentence for the description. */
	note?: string;
}

/** "Failed for item 3, user "jdoe". " — how every error description starts, so it names the item. */
function failedFor(context: ErrorContext): string {
	const where = [context.itemIndex === undefined ? undefined : `item ${context.itemIndex}`, context.subject]
		.filter(Boolean)
		.join(', ');
	return where ? `Failed for ${where}. ` : '';
}

export function commvaultApiError(node: INode, failure: CommvaultFailure, context: ErrorContext = {}): NodeApiError {
	const explanation = explainFailure(failure);
	const networkCode = failure.status === undefined ? failure.code : undefined;
	const tries = context.attempts && context.attempts > 1 ? ` Gave up after ${context.attempts} attempts.` : '';
	const note = context.note ? ` ${context.note}` : '';
	const description = `${failedFor(context)}${explanation.description}${networkCode ? ` (${networkCode})` : ''}${tries}${note}`;
	const details: JsonObject = { message: explanation.message };
	if (explanation.httpCode) details.httpStatus = Number(explanation.httpCode);
	if (explanation.errorCode !== undefined) details.commvaultErrorCode = explanation.errorCode;
	if (networkCode) details.networkCode = networkCode;
	if (context.subject) details.subject = context.subject;
	if (context.attempts && context.attempts > 1) details.attempts = context.attempts;

	const error = new NodeApiError(node, details, {
		message: explanation.message,
		description,
		httpCode: explanation.httpCode,
		itemIndex: context.itemIndex,
	});
	// NodeApiError swaps messages that mention e.g. "ECONNRESET" for generic text; Commvault's own words must stay.
	error.message = explanation.message;
	return error;
}

/** The `reason` of an item that was not sent because Commvault's rate limit holds longer than the node waits. */
export const RATE_LIMITED = 'rateLimited';

/**
 * An item the node did not send (or that Commvault refused with 429, which it did not carry out)
 * because Commvault asked to wait longer than the node waits, e.g. Commvault Cloud's hourly budgets.
 * It says when to send it again; `details.retryAfter` holds that time for a workflow to use.
 */
export function notSentError(node: INode, failure: CommvaultFailure, context: ErrorContext, retryAt: number): NodeApiError {
	const after = new Date(Math.ceil(retryAt / 1000) * 1000).toISOString();
	const error = commvaultApiError(node, failure, {
		...context,
		note: `Not sent to Commvault, so nothing was changed: Commvault asked to wait longer than the node waits (${MAX_RETRY_WAIT_MS / 1000} s). Run this item again after ${after}.`,
	});
	error.message = `Not sent: Commvault's rate limit holds until ${after}`;
	error.errorResponse = { ...error.errorResponse, message: error.message, reason: RATE_LIMITED, retryAfter: after };
	return error;
}

/**
 * The `reason` every "user not found" failure carries in its details, whichever operation or look-up
 * produced it, so a workflow can branch on it (`{{ $json.details.reason === 'userNotFound' }}`).
 */
export const USER_NOT_FOUND = 'userNotFound';

const USER_NOT_FOUND_HINT =
	'User not found: Commvault has no such user, or the account behind the credential cannot see it. Check the value mapped into the User field (name, ID or email, exactly as Commvault shows it).';

/**
 * The one "user not found" error. Keeps Commvault's own message (and error code) when Commvault said
 * so itself, e.g. Offboard's errorCode 2; otherwise says which user was not found.
 */
export function userNotFoundError(node: INode, context: ErrorContext, commvault?: NodeApiError): NodeApiError {
	const subject = context.subject ?? 'the user';
	const message = commvault?.message ?? `${subject.charAt(0).toUpperCase()}${subject.slice(1)} not found in Commvault`;
	const details: JsonObject = { ...(commvault?.errorResponse ?? {}), message, reason: USER_NOT_FOUND };
	if (context.subject) details.subject = context.subject;

	const error = new NodeApiError(node, details, {
		message,
		description: `${failedFor(context)}${USER_NOT_FOUND_HINT}`,
		httpCode: commvault?.httpCode ?? undefined,
		itemIndex: context.itemIndex,
	});
	error.message = message;
	return error;
}

export function isUserNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.errorResponse?.reason === USER_NOT_FOUND;
}

/** The `reason` of a refusal to read a user that exists (errorCode 2 on `GET /User/{id}` for a listed user). */
export const USER_REFUSED = 'userRefused';

/**
 * Commvault refused to read a user that its user list shows, with its generic failure code 2: this is
 * not a missing user. Commvault's own message and error code are kept; the description says what is
 * most likely wrong.
 */
export function userRefusedError(node: INode, context: ErrorContext, commvault: NodeApiError): NodeApiError {
	const message = commvault.message;
	const details: JsonObject = { ...(commvault.errorResponse ?? {}), message, reason: USER_REFUSED };
	if (context.subject) details.subject = context.subject;
	const error = new NodeApiError(node, details, {
		message,
		description: `${failedFor(context)}Commvault refused to read this user (error code ${String(commvault.errorResponse?.commvaultErrorCode ?? 2)}), although the user exists: its user list shows it. The account behind the credential probably lacks permission on this user; its message above says why. The user was not changed.`,
		httpCode: commvault.httpCode ?? undefined,
		itemIndex: context.itemIndex,
	});
	error.message = message;
	return error;
}
