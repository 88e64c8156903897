import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

import type { CommvaultType } from './node.type';
import * as user from './user/User.resource';

export interface CommvaultOperation {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

const operations: { [R in CommvaultType['resource']]: Record<string, CommvaultOperation> } = {
	user: { offboard: user.offboard },
};

function asNodeError(node: INode, error: unknown, itemIndex: number): ExecutionBaseError {
	if (error instanceof ExecutionBaseError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * The item that stands for a failed input item. n8n sends it to the error output when the node is
 * set to "Continue (using error output)", which requires `json` to hold only `error` and `details`.
 */
function errorItem(error: ExecutionBaseError, itemIndex: number): INodeExecutionData {
	const details: IDataObject = { itemIndex };
	if (error.description) details.description = error.description;
	const response = error.errorResponse;
	if (response) {
		for (const key of ['subject', 'httpStatus', 'commvaultErrorCode', 'networkCode']) {
			if (response[key] !== undefined) details[key] = response[key];
		}
	}
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

/**
 * Runs the chosen operation once per input item. This is the only place that decides what a
 * failed item becomes and that links output to input (`pairedItem`), so every operation behaves
 * the same way.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as CommvaultType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}

	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const data = await handler.execute.call(this, itemIndex);
			results[itemIndex] = (Array.isArray(data) ? data : [data]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!continueOnFail) throw nodeError;
			results[itemIndex] = [errorItem(nodeError, itemIndex)];
		}
	}
	return [results.flat()];
}
