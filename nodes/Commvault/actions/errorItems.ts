import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

import { ERROR_DETAIL_KEYS, shownItem } from '../failures/errors';
import { BATCH_LIMIT, LAPTOP_NOT_FOUND, LAPTOP_OWNERS_UNKNOWN, PROTECTED_ACCOUNT, RATE_LIMITED, TOKEN_CREDENTIAL, USER_NOT_FOUND } from '../failures/reasons';
import type { FailureStatus } from '../output/outcome';
import type { ItemUser } from '../state/stores';

/*
 * What a failed item becomes: an error item (continue on fail), or the error that stops the node.
 */

export function asNodeError(node: INode, error: unknown, itemIndex: number): ExecutionBaseError {
	if (error instanceof ExecutionBaseError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** HTTP statuses at which Commvault answered but did not refuse this request for what it asked. */
const NOT_A_REFUSAL = new Set([401, 429]);

/** Why the item failed, as its `status` says it (see output/outcome.ts). */
export function failureStatus(error: ExecutionBaseError): FailureStatus {
	const response = error.errorResponse ?? {};
	if (response.steps !== undefined) return 'partlyDone';
	if (response.reason === USER_NOT_FOUND || response.reason === LAPTOP_NOT_FOUND) return 'notFound';
	if (response.reason === RATE_LIMITED) return 'notSent';
	if ([PROTECTED_ACCOUNT, BATCH_LIMIT, LAPTOP_OWNERS_UNKNOWN, TOKEN_CREDENTIAL].includes(String(response.reason))) return 'refused';
	const status = Number(response.httpStatus ?? 200);
	if (response.commvaultErrorCode !== undefined && status < 500 && !NOT_A_REFUSAL.has(status)) return 'refused';
	return 'failed';
}

/**
 * The item that stands for a failed input item: the common fields of every item (output/outcome.ts),
 * then n8n's `error` and `details`, then Commvault's reply under `raw` when it sent one. With
 * "Continue (using error output)", n8n sends an item to the error output when the item carries
 * `error`, whatever else its `json` holds. That `error` is not enumerable: n8n copies the routed
 * item with a spread, which leaves it behind, so n8n 2.41 and later do not replace `json` (and its
 * `details`) with the bare message, and no error object is stored with the execution.
 */
export function errorItem(error: ExecutionBaseError, itemIndex: number, toErrorOutput: boolean, user: ItemUser): INodeExecutionData {
	const details: IDataObject = { itemIndex };
	if (error.description) details.description = error.description;
	const response = error.errorResponse;
	if (response) {
		for (const key of ERROR_DETAIL_KEYS) {
			if (response[key] !== undefined) details[key] = response[key];
		}
	}
	const json: IDataObject = { status: failureStatus(error), userId: user.id, userName: user.name, message: error.message };
	if (response?.commvaultErrorCode !== undefined) json.commvaultErrorCode = response.commvaultErrorCode;
	json.error = error.message;
	json.details = details;
	if (response?.raw !== undefined) json.raw = response.raw;
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (toErrorOutput) Object.defineProperty(item, 'error', { value: error, enumerable: false });
	return item;
}

/** "1–20, 22, 24": items as short ranges, numbered from 1 as n8n shows them, for an error description. */
function describeIndices(itemIndices: number[]): string {
	const indices = itemIndices.map(shownItem);
	const ranges: string[] = [];
	for (let i = 0; i < indices.length; i++) {
		let end = i;
		while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
		ranges.push(end > i ? `${indices[i]}–${indices[end]}` : `${indices[i]}`);
		i = end;
	}
	return ranges.length > 20 ? `${ranges.slice(0, 20).join(', ')} and more` : ranges.join(', ');
}

/**
 * The error that stops the node. Its output is lost with it, so it says which items Commvault had
 * already carried out: with several requests in flight, that can include items after the failed one.
 */
export function stoppingError(failure: { itemIndex: number; error: ExecutionBaseError }, done: number[]): ExecutionBaseError {
	if (done.length > 0) {
		const before = failure.error.description ? `${failure.error.description} ` : '';
		failure.error.description = `${before}Before the node stopped, it had already carried out ${done.length === 1 ? 'item' : 'items'} ${describeIndices(done)}.`;
	}
	return failure.error;
}

