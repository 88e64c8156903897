import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readRequestSettings } from '../../../../nodes/Commvault/actions/requestSettings';
import { requestOptions } from '../../../../nodes/Commvault/descriptions/requestOptions.description';
import { DEFAULT_SETTINGS } from '../../../../nodes/Commvault/transport/retry';

const read = (options: IDataObject) =>
	readRequestSettings.call({ getNodeParameter: () => options } as unknown as IExecuteFunctions);

describe('readRequestSettings', () => {
	it("turns the panel's seconds into the transport's milliseconds", () => {
		expect(read({ maxAttempts: 5, maxConcurrency: 4, retryDelay: 2.5, timeout: 30 })).toEqual({
			maxAttempts: 5,
			retryDelayMs: 2_500,
			timeoutMs: 30_000,
			maxConcurrency: 4,
		});
		expect(read({ retryDelay: 0.001 }).retryDelayMs).toBe(1);
	});

	// The panel's defaults (in seconds) are the transport's (in milliseconds).
	it("uses the defaults for options not set, and the panel's defaults are the same", () => {
		expect(read({})).toEqual({ maxAttempts: 3, retryDelayMs: 1_000, timeoutMs: 60_000, maxConcurrency: 1 });
		expect(read({})).toEqual(DEFAULT_SETTINGS);
		const defaults = Object.fromEntries((requestOptions.options ?? []).map((o) => [(o as { name: string }).name, (o as { default: unknown }).default]));
		expect(read(defaults as IDataObject)).toEqual(read({}));
	});

	it('keeps values within their bounds', () => {
		expect(read({ maxAttempts: 0, maxConcurrency: 0, retryDelay: -1, timeout: 0 })).toEqual({
			maxAttempts: 1,
			retryDelayMs: 0,
			timeoutMs: 1_000,
			maxConcurrency: 1,
		});
	});
});

describe('Request Options in the panel', () => {
	it('speak seconds and no HTTP codes, and say when to use n8n\'s Retry On Fail instead', () => {
		const options = (requestOptions.options ?? []) as Array<{ displayName: string; description?: string }>;
		expect(options.map((o) => o.displayName)).toEqual(['Max Attempts', 'Max Concurrent Requests', 'Retry Delay (Seconds)', 'Timeout (Seconds)']);
		for (const { description = '' } of options) expect(description).not.toMatch(/HTTP|\b\d{3}\b|Retry-After|\bms\b/i);
		expect(options[0].description).toMatch(/Retry On Fail/);
	});
});
