import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MAX_CONCURRENCY } from '../descriptions/requestOptions.description';
import type { RequestSettings } from '../state/requestState';
import { DEFAULT_SETTINGS } from '../transport/retry';

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The node's Request Options, as the transport and the item loop use them (times in milliseconds). */
export function readRequestSettings(this: IExecuteFunctions): RequestSettings {
	const options = this.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const count = (value: unknown, fallback: number) => (finite(value) ? Math.max(1, Math.floor(value)) : fallback);
	// The panel shows seconds (a non-developer's unit); the transport counts milliseconds.
	const ms = (seconds: unknown, fallback: number, min: number) =>
		finite(seconds) ? Math.max(min, Math.round(seconds * 1000)) : fallback;
	return {
		maxAttempts: count(options.maxAttempts, DEFAULT_SETTINGS.maxAttempts),
		retryDelayMs: ms(options.retryDelay, DEFAULT_SETTINGS.retryDelayMs, 0),
		timeoutMs: ms(options.timeout, DEFAULT_SETTINGS.timeoutMs, 1000),
		maxConcurrency: count(options.maxConcurrency, DEFAULT_MAX_CONCURRENCY),
	};
}
