import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_CONCURRENCY } from '../descriptions/requestOptions.description';
import type { RequestSettings } from '../transport/retry';
import { DEFAULT_SETTINGS, bindRequestState } from '../transport/retry';
import type { CommvaultType } from './node.type';
import * as user from './user/User.resource';

export interface CommvaultOperation {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Operations that change users: the error that refuses the whole run before any item is sent. */
	checkBatch?(this: IExecuteFunctions, itemCount: number): ExecutionBaseError | undefined;
}

type OperationsOf<R extends CommvaultType['resource']> = Extract<CommvaultType, { resource: R }>['operation'];

// Typed by node.type.ts, so an operation missing here or there does not compile.
const operations: { [R in CommvaultType['resource']]: Record<OperationsOf<R>, CommvaultOperation> } = {
	user: {
		delete: user.delete,
		disable: user.disable,
		enable: user.enable,
		get: user.get,
		getAll: user.getAll,
		offboard: user.offboard,
	},
};

function asNodeError(node: INode, error: unknown, itemIndex: number): ExecutionBaseError {
	if (error instanceof ExecutionBaseError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * The item that stands for a failed input item. With "Continue (using error output)", n8n 2.36 and
 * later send an item to the error output when its `json` holds only `error` and `details`; earlier
 * releases only when the item carries `error`. That `error` is not enumerable: n8n copies the routed
 * item with a spread, which leaves it behind, so n8n 2.41 and later do not replace `json` (and its
 * `details`) with the bare message, and no error object is stored with the execution.
 */
function errorItem(error: ExecutionBaseError, itemIndex: number, toErrorOutput: boolean): INodeExecutionData {
	const details: IDataObject = { itemIndex };
	if (error.description) details.description = error.description;
	const response = error.errorResponse;
	if (response) {
		for (const key of ['subject', 'httpStatus', 'commvaultErrorCode', 'networkCode', 'attempts', 'reason', 'retryAfter']) {
			if (response[key] !== undefined) details[key] = response[key];
		}
	}
	const item: INodeExecutionData = { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
	if (toErrorOutput) Object.defineProperty(item, 'error', { value: error, enumerable: false });
	return item;
}

function readRequestSettings(this: IExecuteFunctions): { settings: RequestSettings; maxConcurrency: number } {
	const options = this.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number, min: number) =>
		typeof value === 'number' && Number.isFinite(value) ? Math.max(min, Math.floor(value)) : fallback;
	return {
		settings: {
			maxAttempts: number(options.maxAttempts, DEFAULT_SETTINGS.maxAttempts, 1),
			retryDelayMs: number(options.retryDelayMs, DEFAULT_SETTINGS.retryDelayMs, 0),
			timeoutMs: number(options.timeoutMs, DEFAULT_SETTINGS.timeoutMs, 1),
		},
		maxConcurrency: number(options.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 1),
	};
}

/**
 * A successful item whose change was sent again after a failure Commvault may have acted on (e.g. a
 * connection that dropped after Commvault carried out the offboard): `details.repeated` says so.
 */
function withRepeated(json: IDataObject): IDataObject {
	return { ...json, details: { ...((json.details as IDataObject | undefined) ?? {}), repeated: true } };
}

/** "0–19, 21, 23": item indices as short ranges, for an error description. */
function describeIndices(indices: number[]): string {
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
function stoppingError(failure: { itemIndex: number; error: ExecutionBaseError }, done: number[]): ExecutionBaseError {
	if (done.length > 0) {
		const before = failure.error.description ? `${failure.error.description} ` : '';
		failure.error.description = `${before}Before the node stopped, it had already carried out items ${describeIndices(done)}.`;
	}
	return failure.error;
}

/**
 * Runs the chosen operation once per input item, up to "Max Concurrent Requests" items at a time.
 * This is the only place that decides what a failed item becomes and that links output to input
 * (`pairedItem`), so every operation behaves the same way. Output keeps the input order.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as CommvaultType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = (operations[resource] as Record<string, CommvaultOperation> | undefined)?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}

	const { settings, maxConcurrency } = readRequestSettings.call(this);
	const state = bindRequestState(this, settings);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const batchRefusal = handler.checkBatch?.call(this, items.length);
	if (batchRefusal) {
		// A node error under continue-on-fail would make n8n pass the input on as if the node had
		// succeeded, so there every item fails with the same refusal instead. Nothing is sent either way.
		if (!continueOnFail) throw batchRefusal;
		return [items.map((_, itemIndex) => errorItem(batchRefusal, itemIndex, toErrorOutput))];
	}
	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	let firstFailure: { itemIndex: number; error: ExecutionBaseError } | undefined;
	const stopped = () => firstFailure !== undefined;

	const runItems = async () => {
		while (!stopped() && next < items.length) {
			const itemIndex = next++;
			try {
				const data = await handler.execute.call(this, itemIndex);
				const repeated = state.wasRepeated(itemIndex);
				results[itemIndex] = (Array.isArray(data) ? data : [data]).map((json) => ({
					json: repeated ? withRepeated(json) : json,
					pairedItem: { item: itemIndex },
				}));
			} catch (error) {
				const nodeError = asNodeError(this.getNode(), error, itemIndex);
				if (continueOnFail) {
					results[itemIndex] = [errorItem(nodeError, itemIndex, toErrorOutput)];
				} else if (firstFailure === undefined || itemIndex < firstFailure.itemIndex) {
					// Items already in flight finish; no new one starts. The first failing item is reported.
					firstFailure = { itemIndex, error: nodeError };
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(maxConcurrency, items.length) }, runItems));
	if (firstFailure) {
		const done = results.flatMap((result, index) => (result ? [index] : []));
		throw stoppingError(firstFailure, done);
	}
	return [results.flat()];
}
