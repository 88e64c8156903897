import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CommvaultFailure } from './failure';
import { MAX_RETRY_WAIT_MS, networkCodeOf } from './failure';
import { RATE_LIMITED, USER_NOT_FOUND, USER_REFUSED } from './reasons';
import { rawReplyOf } from './redaction';
import { NEXT_STEP, explainFailure } from './wording';

/*
 * The node's errors: every failure an item reports is a NodeApiError or NodeOperationError built here
 * or by the guards, naming the item and what it acted on, with the wording of ./wording.ts.
 */

/**
 * An item's number as n8n's panel shows it (from 1), for texts. `details.itemIndex` and the error's
 * `context.itemIndex` stay 0-based: they are n8n's `$itemIndex`, which expressions use.
 */
export function shownItem(itemIndex: number): number {
	return itemIndex + 1;
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
