import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CommvaultFailure, NetworkExplanation, SsrfBlock } from './failure';
import { MAX_RETRY_WAIT_MS, networkCodeNature, networkCodeOf, requestedWaitMs } from './failure';
import { RATE_LIMITED, USER_NOT_FOUND, USER_REFUSED } from './reasons';

export interface CommvaultBodyError {
	errorCode?: number | string;
	message: string;
}

export interface FailureExplanation {
	message: string;
	description: string;
	/**
	 * What n8n's error panel shows under "Error code" (NodeApiError's `httpCode`, printed as text):
	 * Commvault's own code (`Commvault error 3`) when its reply carries one, else the HTTP status.
	 */
	httpCode?: string;
	/** The HTTP status the answer came with, e.g. 200 for a refusal inside a success (`details.httpStatus`). */
	httpStatus?: number;
	errorCode?: number | string;
}

/**
 * The "Error code" of a Commvault refusal. A refusal often arrives inside an HTTP 200, so the status
 * says nothing; Commvault's code is the one to look up or quote to its support. It is text, which
 * NodeApiError keeps as it is: only an all-digit 4xx/5xx code is swapped for a generic message, and
 * only when no message is given (n8n-workflow `NodeApiError.setDefaultStatusCodeMessage`).
 */
export function commvaultErrorCode(errorCode: number | string): string {
	return `Commvault error ${errorCode}`;
}

/**
 * An item's number as n8n's panel shows it (from 1), for texts. `details.itemIndex` and the error's
 * `context.itemIndex` stay 0-based: they are n8n's `$itemIndex`, which expressions use.
 */
export function shownItem(itemIndex: number): number {
	return itemIndex + 1;
}

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

/** Commvault's JSON reply to a failed request, for the item's `raw`, with any secret it repeats redacted. */
function rawReplyOf(failure: CommvaultFailure): JsonObject | undefined {
	if (failure.kind !== 'http' || !failure.body || typeof failure.body !== 'object' || Array.isArray(failure.body)) return undefined;
	try {
		return JSON.parse(withoutSecrets(JSON.stringify(failure.body))) as JsonObject;
	} catch {
		// A redaction inside an escaped string can break the JSON: then the reply is left out.
		return undefined;
	}
}

/** Explains a failed request: Commvault's own words as the message, what to do as the description. */
export function explainFailure(failure: CommvaultFailure): FailureExplanation {
	const explanation = explainQuoted(failure);
	explanation.message = withoutSecrets(explanation.message);
	return explanation;
}

function explainQuoted(failure: CommvaultFailure): FailureExplanation {
	if (failure.kind === 'auth') return { message: failure.message, description: failure.description ?? '' };
	if (failure.kind === 'network') return explainNetwork(failure.code, failure.ssrf);
	return explainAnswer(failure.status, failure.body, failure.headers);
}

/**
 * An HTTP answer: Commvault's own error, an HTML page, or the bare status. With Commvault's own error
 * code in the body, that code is the error's code whatever the status (HTTP 200, 400, 500…); the
 * status stays in `details.httpStatus`.
 */
function explainAnswer(status: number, body: unknown, headers: IDataObject | undefined): FailureExplanation {
	const httpCode = String(status);
	const bodyError = findCommvaultBodyError(body);
	if (bodyError) {
		const { errorCode, message } = bodyError;
		return {
			message,
			description: nextStep({ status, errorCode, message, headers }) ?? NEXT_STEP.refused,
			httpCode: errorCode === undefined ? httpCode : commvaultErrorCode(errorCode),
			httpStatus: status,
			errorCode,
		};
	}
	const hint = nextStep({ status, message: '', headers });
	if (isHtml(body)) return { ...explainHtml(status, body, hint), httpStatus: status };
	const text = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
	return {
		message: `Commvault returned HTTP ${status}${text}`,
		description: hint ?? 'Commvault did not accept the request.',
		httpCode,
		httpStatus: status,
	};
}

function explainHtml(status: number, body: string, hint: string | undefined): FailureExplanation {
	const title = htmlTitle(body);
	const pageIs = title ? `an HTML page ("${title}")` : 'an HTML page';
	return {
		message: `Commvault answered with ${pageIs} instead of JSON (HTTP ${status})`,
		description:
			status >= 500
				? `A web server or proxy in front of Commvault failed. ${hint ?? ''}`.trim()
				: `The Base URL probably points at a web page rather than the REST API. Use ${BASE_URL_FORMS}.`,
		httpCode: String(status),
	};
}

const UNREACHABLE_DESCRIPTION = "Check the Base URL's host name and port, and that the Command Center is reachable from the n8n host.";

/** The wording for each kind of network failure in failures/failure.ts's table. */
const NETWORK_WORDING: Record<Exclude<NetworkExplanation, 'ssrf'>, { message: string; description: string }> = {
	refused: { message: 'Cannot reach Commvault: connection refused', description: UNREACHABLE_DESCRIPTION },
	notFound: { message: 'Cannot reach Commvault: host name not found', description: UNREACHABLE_DESCRIPTION },
	unreachable: { message: 'Cannot reach Commvault: host unreachable', description: UNREACHABLE_DESCRIPTION },
	connectTimeout: { message: 'Cannot reach Commvault: the connection attempt timed out', description: UNREACHABLE_DESCRIPTION },
	tls: {
		message: "Commvault's TLS certificate is not trusted",
		description:
			'Install the issuing CA on the n8n host, or turn on "Ignore SSL Issues (Insecure)" in the Commvault credential for a self-signed certificate. If the server only speaks HTTP, use an http:// Base URL.',
	},
	timeout: {
		message: 'Commvault did not answer in time',
		description: "The request timed out. The Command Center may be overloaded; raise the node's timeout or retry later.",
	},
	dropped: {
		message: 'The connection to Commvault was closed before it answered',
		description: 'A proxy or the Command Center may be restarting; retry later.',
	},
};

function explainNetwork(code: string | undefined, ssrf: SsrfBlock | undefined): FailureExplanation {
	if (ssrf) return explainSsrfBlock(ssrf);
	const explanation = networkCodeNature(code)?.explanation;
	if (explanation && explanation !== 'ssrf') return { ...NETWORK_WORDING[explanation] };
	return { message: 'The request to Commvault failed', description: 'No reply was received from Commvault.' };
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

/** What a refusal says, as the table of next steps reads it. */
interface Refusal {
	status: number;
	errorCode?: number | string;
	/** Commvault's message; empty when the answer had none. */
	message: string;
	headers?: IDataObject;
}

const RUN_AGAIN = 'then run this item again';

/** The next steps, worded once: the table below picks one per refusal, and the look-ups reuse them. */
export const NEXT_STEP = {
	legalHold: `A legal hold keeps data this user owns, so Commvault did not go ahead. Ask your Commvault administrator (or legal team) whether the hold still applies; when it has been released in Command Center, run this item again.`,
	locked: `The Commvault account is locked. Ask your Commvault administrator to unlock it in Command Center (Manage > Security > Users), or wait until the lock ends, ${RUN_AGAIN}.`,
	askForRole: `Ask your Commvault administrator for a role with user management permissions on this user (or an access token whose scope includes this endpoint), ${RUN_AGAIN}.`,
	notFound: `Commvault did not find what the request names. Check the user (and any new owner) in Command Center (Manage > Security > Users) and the value mapped into the node's field, ${RUN_AGAIN}.`,
	userNotFound: `Commvault has no such user, or the account behind the credential cannot see it. Check the user in Command Center (Manage > Security > Users) and the value mapped into the User field (name, ID or email, exactly as Commvault shows it), ${RUN_AGAIN}.`,
	refused: `Commvault refused the request; its message above says why. Check the user in Command Center (Manage > Security > Users), or ask your Commvault administrator, ${RUN_AGAIN}.`,
} as const;

/**
 * What to do about a refusal: the first row that matches. Commvault documents few error codes, so
 * most situations are recognised by its message.
 */
const NEXT_STEPS: Array<{ when: (refusal: Refusal) => boolean; says: (refusal: Refusal) => string }> = [
	// No documented code: the simulator's errorCode 3 for a leaver under legal hold is invented
	// (simulator/seed-data.js), so only Commvault's message decides.
	{ when: ({ message }) => /legal hold/i.test(message), says: () => NEXT_STEP.legalHold },
	{ when: ({ message }) => /account is locked|account locked|locked out/i.test(message), says: () => NEXT_STEP.locked },
	{
		when: ({ status }) => status === 401,
		says: () =>
			'Commvault rejected the credential (HTTP 401) although n8n checked or renewed it. The access token may lack the scope for this endpoint, or the account was disabled; check the Commvault credential.',
	},
	// cvpysdk special-cases errorCode 5 with "Access denied" as a permission failure.
	{
		when: ({ status, errorCode, message }) => status === 403 || (Number(errorCode) === 5 && /access denied/i.test(message)),
		says: () => `The Commvault account behind this credential is not allowed to do this. ${NEXT_STEP.askForRole}`,
	},
	{
		when: ({ status }) => status === 429,
		says: ({ headers }) =>
			`Commvault is rate-limiting requests (HTTP 429).${retryAfterText(headers)} Wait a while, ${RUN_AGAIN}. For a large batch, lower Max Concurrent Requests, spread the run over time, or ask your Commvault administrator about the API rate limiter policy.`,
	},
	{ when: ({ status, message }) => status < 500 && /does not exist|not found|no such/i.test(message), says: () => NEXT_STEP.notFound },
	{
		when: ({ status }) => status === 404,
		says: () => `Commvault did not find this endpoint or object (HTTP 404). Check that the Base URL is one of ${BASE_URL_FORMS}.`,
	},
	{
		when: ({ status }) => status >= 500,
		says: ({ status, headers }) =>
			`Commvault's web server failed (HTTP ${status}).${retryAfterText(headers)} The Command Center may be restarting or overloaded; retry later, and check its WebServer logs if this persists.`,
	},
	{
		when: ({ status }) => status >= 400,
		says: ({ status }) => `Commvault did not accept the request (HTTP ${status}). Check the node's parameters, ${RUN_AGAIN}.`,
	},
];

function nextStep(refusal: Refusal): string | undefined {
	return NEXT_STEPS.find((row) => row.when(refusal))?.says(refusal);
}

/** The keys of an error's details that an error item carries (besides its description and item index). */
export const ERROR_DETAIL_KEYS = ['subject', 'httpStatus', 'commvaultErrorCode', 'networkCode', 'attempts', 'reason', 'retryAfter', 'steps'] as const;

export interface ErrorContext {
	itemIndex?: number;
	/** What the request acted on, e.g. `user "jdoe"`, so the error names it. */
	subject?: string;
	/** How many times the request was sent. */
	attempts?: number;
	/** A last sentence for the description. */
	note?: string;
}

/** "Failed for item 3, user "jdoe". " — how every error description starts, so it names the item (from 1, as n8n shows it). */
function failedFor(context: ErrorContext): string {
	const where = [context.itemIndex === undefined ? undefined : `item ${shownItem(context.itemIndex)}`, context.subject]
		.filter(Boolean)
		.join(', ');
	return where ? `Failed for ${where}. ` : '';
}

export function commvaultApiError(node: INode, failure: CommvaultFailure, context: ErrorContext = {}): NodeApiError {
	const explanation = explainFailure(failure);
	const networkCode = networkCodeOf(failure);
	const tries = context.attempts && context.attempts > 1 ? ` Gave up after ${context.attempts} attempts.` : '';
	const note = context.note ? ` ${context.note}` : '';
	const description = `${failedFor(context)}${explanation.description}${networkCode ? ` (${networkCode})` : ''}${tries}${note}`;
	const details: JsonObject = { message: explanation.message };
	if (explanation.httpStatus !== undefined) details.httpStatus = explanation.httpStatus;
	if (explanation.errorCode !== undefined) details.commvaultErrorCode = explanation.errorCode;
	if (networkCode) details.networkCode = networkCode;
	const raw = rawReplyOf(failure);
	if (raw) details.raw = raw;
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

/** "User "jdoe" not found in Commvault": how every "not found" reads, for users, new owners, user groups and laptops. */
export function notFoundMessage(subject: string): string {
	return `${subject.charAt(0).toUpperCase()}${subject.slice(1)} not found in Commvault`;
}

/** Commvault's own words, kept in the description when the message is the node's. */
function commvaultSaid(commvault: NodeApiError | undefined): string {
	if (!commvault) return '';
	const code = commvault.errorResponse?.commvaultErrorCode;
	return ` Commvault said: "${commvault.message}"${code === undefined ? '' : ` (error ${String(code)})`}.`;
}

/**
 * The one "not found" error: `<Subject> not found in Commvault`, the item and subject first in the
 * description, then what to do, then Commvault's own words and code when Commvault said so itself.
 */
export function notFoundError(
	node: INode,
	context: ErrorContext & { subject: string },
	nextStepText: string,
	{ reason, commvault }: { reason?: string; commvault?: NodeApiError } = {},
): NodeApiError {
	const message = notFoundMessage(context.subject);
	const details: JsonObject = { ...(commvault?.errorResponse ?? {}), message, subject: context.subject };
	if (reason) details.reason = reason;
	const error = new NodeApiError(node, details, {
		message,
		description: `${failedFor(context)}${nextStepText}${commvaultSaid(commvault)}`,
		httpCode: commvault?.httpCode ?? undefined,
		itemIndex: context.itemIndex,
	});
	error.message = message;
	return error;
}

/**
 * The one "user not found" error (`details.reason: 'userNotFound'`). When Commvault said so itself,
 * e.g. Offboard's errorCode 2, its message and code are kept in the description and details.
 */
export function userNotFoundError(node: INode, context: ErrorContext, commvault?: NodeApiError): NodeApiError {
	const subject = context.subject ?? 'the user';
	return notFoundError(node, { ...context, subject }, NEXT_STEP.userNotFound, { reason: USER_NOT_FOUND, commvault });
}

export function isUserNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.errorResponse?.reason === USER_NOT_FOUND;
}

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
		description: `${failedFor(context)}Commvault refused to read this user (error code ${String(commvault.errorResponse?.commvaultErrorCode ?? 2)}), although the user exists: its user list shows it. The account behind the credential probably lacks permission on this user; its message above says why. The user was not changed. ${NEXT_STEP.askForRole}`,
		httpCode: commvault.httpCode ?? undefined,
		itemIndex: context.itemIndex,
	});
	error.message = message;
	return error;
}

/**
 * A failure the node itself finds, before or after talking to Commvault (a refusal to act, a change whose
 * read-back disagrees, a reply it cannot read): "Item N: …" with the description, `details.reason` for a
 * workflow to branch on, and `details.subject`.
 */
export function nodeFailure(
	node: INode,
	context: ErrorContext & { itemIndex: number; subject: string },
	{ message, description, reason }: { message: string; description: string; reason: string },
): NodeOperationError {
	const error = new NodeOperationError(node, `Item ${shownItem(context.itemIndex)}: ${message}`, {
		itemIndex: context.itemIndex,
		description: `${failedFor(context)}${description}`,
	});
	error.errorResponse = { reason, subject: context.subject };
	return error;
}
