import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The circuit breaker for operations that change users: like Microsoft Entra Connect's deletion
 * threshold, a run that would change more users than this sends nothing. An HR export that lists
 * everyone as terminated, or an expression that matches every row, is more likely than a layoff
 * of that size.
 */
export const DEFAULT_MAX_USERS_PER_RUN = 500;

/** The `reason` in the details of a run refused for holding more users than Max Users per Run. */
export const BATCH_LIMIT = 'batchLimit';

export const maxUsersPerRunOption: INodeProperties = {
	displayName: 'Max Users per Run',
	name: 'maxUsersPerRun',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_MAX_USERS_PER_RUN,
	description:
		'Safety limit. When one run of this node gets more users to change than this, it changes none of them and stops with an error. Raise it for a batch you have checked.',
};

/** The operations' Options collection, where the limit lives next to the operation's own options. */
export function optionsWithBatchLimit(options: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...options, maxUsersPerRunOption].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

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
