import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

import { NO_USER, itemUserOf } from '../output/outcome';
import { bindRequestState } from '../transport/retry';
import { asNodeError, errorItem, stoppingError } from './errorItems';
import type { CommvaultType } from './node.type';
import { readRequestSettings } from './requestSettings';
import { runEachItem } from './runEachItem';
import * as laptop from './laptop/Laptop.resource';
import * as user from './user/User.resource';
import * as virtualMachine from './virtualMachine/VirtualMachine.resource';

/** What an operation file exports; its resource index re-exports it under the operation's value. */
export interface CommvaultOperation {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Operations that change users: the error that refuses the whole run before any item is sent. */
	checkBatch?(this: IExecuteFunctions, itemCount: number): ExecutionBaseError | undefined;
}

/** The resource indexes: each exports its operations under the values of its Operation options. */
const resources: Record<CommvaultType['resource'], object> = { laptop, user, virtualMachine };

function isOperation(candidate: unknown): candidate is CommvaultOperation {
	return typeof (candidate as Partial<CommvaultOperation> | undefined)?.execute === 'function';
}

/** The operation the node is set to, looked up in its resource index. */
function chosenOperation(this: IExecuteFunctions): CommvaultOperation {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const index = Object.prototype.hasOwnProperty.call(resources, resource) ? resources[resource as CommvaultType['resource']] : {};
	const handler = Object.prototype.hasOwnProperty.call(index, operation) ? (index as Record<string, unknown>)[operation] : undefined;
	if (!isOperation(handler)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	return handler;
}

/**
 * The output items of a successful input item. One whose change was sent again after a failure
 * Commvault may have acted on (e.g. a connection that dropped after Commvault carried out the
 * offboard) says so in `details.repeated`.
 */
function outputItems(data: IDataObject | IDataObject[], itemIndex: number, repeated: boolean): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({
		json: repeated ? { ...json, details: { ...((json.details as IDataObject | undefined) ?? {}), repeated: true } } : json,
		pairedItem: { item: itemIndex },
	}));
}

/**
 * Runs the chosen operation once per input item, up to "Max Concurrent Requests" items at a time.
 * This is the only place that decides what a failed item becomes and that links output to input
 * (`pairedItem`), so every operation behaves the same way. Output keeps the input order.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const handler = chosenOperation.call(this);
	const settings = readRequestSettings.call(this);
	const state = bindRequestState(this, settings);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const batchRefusal = handler.checkBatch?.call(this, items.length);
	if (batchRefusal) {
		// A node error under continue-on-fail would make n8n pass the input on as if the node had
		// succeeded, so there every item fails with the same refusal instead. Nothing is sent either way.
		if (!continueOnFail) throw batchRefusal;
		return [items.map((_, itemIndex) => errorItem(batchRefusal, itemIndex, toErrorOutput, NO_USER))];
	}
	const results: INodeExecutionData[][] = new Array(items.length);
	let firstFailure: { itemIndex: number; error: ExecutionBaseError } | undefined;
	await runEachItem(items, settings.maxConcurrency, async (_item, itemIndex) => {
		try {
			const data = await handler.execute.call(this, itemIndex);
			results[itemIndex] = outputItems(data, itemIndex, state.wasRepeated(itemIndex));
			return 'next';
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (continueOnFail) {
				results[itemIndex] = [errorItem(nodeError, itemIndex, toErrorOutput, itemUserOf(this, itemIndex))];
				return 'next';
			}
			// Items already in flight finish; no new one starts. The first failing item is reported.
			if (firstFailure === undefined || itemIndex < firstFailure.itemIndex) firstFailure = { itemIndex, error: nodeError };
			return 'stop';
		}
	});
	if (firstFailure) throw stoppingError(firstFailure, results.flatMap((result, index) => (result ? [index] : [])));
	return [results.flat()];
}
