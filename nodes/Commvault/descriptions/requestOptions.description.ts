import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MAX_CONCURRENCY = 1;

/** How the node sends its requests; the same for every operation. Defaults match DEFAULT_SETTINGS. */
export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 3,
			description:
				'How often to try a request that failed for a passing reason, the first try included. A rate limit (HTTP 429) or a connection that could not be made is retried for every request; an HTTP 502, 503 or 504, a dropped connection or a timeout only where repeating the request is safe (not for Delete). Only the failed item is retried. 1 turns retries off.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: 1,
			description:
				'How many items are sent to Commvault at the same time. Output order stays the same. Raise it for large batches if your Command Center allows; on HTTP 429 every request waits.',
		},
		{
			displayName: 'Retry Delay (Ms)',
			name: 'retryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				"Wait before the first retry; it doubles for each further attempt, with jitter. A Retry-After from Commvault takes precedence.",
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60000,
			description: 'How long to wait for Commvault to answer one request',
		},
	],
};
