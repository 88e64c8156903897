import type { INodeProperties } from 'n8n-workflow';

/**
 * The circuit breaker for operations that change users: like Microsoft Entra Connect's deletion
 * threshold, a run that would change more users than this sends nothing. An HR export that lists
 * everyone as terminated, or an expression that matches every row, is more likely than a layoff
 * of that size.
 */
export const DEFAULT_MAX_USERS_PER_RUN = 500;

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
