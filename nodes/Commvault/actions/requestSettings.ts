import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MAX_CONCURRENCY } from '../descriptions/requestOptions.description';
import type { RequestSettings } from '../transport/retry';
import { DEFAULT_SETTINGS } from '../transport/retry';

/** The node's Request Options, as the transport and the item loop use them. */
export function readRequestSettings(this: IExecuteFunctions): { settings: RequestSettings; maxConcurrency: number } {
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

