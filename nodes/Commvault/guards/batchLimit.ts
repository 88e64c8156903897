import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_USERS_PER_RUN } from '../descriptions/batchLimit.description';
import { BATCH_LIMIT } from '../failures/reasons';

const optionsOf = (context: IExecuteFunctions, itemIndex: number) =>
	context.getNodeParameter('options', itemIndex, {}) as IDataObject;

/**
 * The error for a run with more users to change than Max Users per Run (read from the first item:
 * the limit is the node's, not an item's), or undefined. Dry-run items change nothing and do not count.
 * @param verb  what the operation does to a user, e.g. "offboard"
 */
export function batchLimitError(this: IExecuteFunctions, itemCount: number, verb: string): NodeOperationError | undefined {
	let changing = 0;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		if (optionsOf(this, itemIndex).dryRun !== true) changing++;
	}
	const configured = itemCount > 0 ? optionsOf(this, 0).maxUsersPerRun : undefined;
	const limit = typeof configured === 'number' && configured >= 1 ? configured : DEFAULT_MAX_USERS_PER_RUN;
	if (changing <= limit) return undefined;
	const error = new NodeOperationError(
		this.getNode(),
		`Stopped before changing anyone: this run would ${verb} ${changing} users, more than Max Users per Run (${limit})`,
		{
			description: `Nothing was sent to Commvault. A batch this large is more often a mistake (an HR export listing everyone as leaving, an expression that matches every row) than a real leaver list. Check the input; if it is right, raise "Max Users per Run" under the node's Options to at least ${changing}, or split the batch.`,
		},
	);
	error.errorResponse = { reason: BATCH_LIMIT };
	return error;
}
