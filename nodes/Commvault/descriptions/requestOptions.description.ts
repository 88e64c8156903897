import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MAX_CONCURRENCY = 1;

/**
 * How the node sends its requests; the same for every operation. Defaults match DEFAULT_SETTINGS
 * (transport/retry.ts, in milliseconds); the panel speaks seconds, converted in actions/requestSettings.ts.
 * The tooltips are for people who build workflows, not for developers: no HTTP codes.
 */
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
				"How many times to try a request that failed for a passing reason (Commvault busy or asking to slow down, a connection that failed or took too long), the first try included. 1 turns retries off. Prefer this to n8n's Settings > Retry On Fail: it repeats only the failed request, only when that is safe, and waits as long as Commvault asks, while Retry On Fail runs the whole node again for every item.",
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: 1,
			description:
				'How many requests go to Commvault at the same time: items, and the pages of the user list a large batch reads first. The output keeps the order of the input. Raise it for large batches if your Command Center can take it; when Commvault asks to slow down, every request waits.',
		},
		{
			displayName: 'Retry Delay (Seconds)',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1,
			description:
				'How long to wait before the first retry; each further retry waits about twice as long. When Commvault says how long to wait, its time is used instead.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long to wait for Commvault to answer one request',
		},
	],
};
