// @ts-check
'use strict';

/**
 * Commvault Cloud's per-tenant API budgets: "100 writes per hour and 1,000 reads per hour" by
 * default, answered with HTTP 429 and `X-RateLimit-Period` (https://documentation.commvault.com/saas/rest_api.html).
 * A fixed window per tenant and kind, starting with the first request counted in it. Which methods
 * count as writes, and the exact header values, are not documented: every method but GET is a write,
 * Retry-After is the time left in the window, X-RateLimit-Period its length (both in seconds).
 */
class RateBudget {
	/**
	 * @param {{ writesPerHour?: number, readsPerHour?: number, periodMs?: number }} options
	 */
	constructor(options) {
		/** @private */
		this.limits = { write: options.writesPerHour ?? 100, read: options.readsPerHour ?? 1000 };
		/** @private */
		this.periodMs = options.periodMs ?? 3_600_000;
		/** @private @type {Map<string, { start: number, used: number }>} */
		this.windows = new Map();
		this.limited = 0;
	}

	reset() {
		this.windows.clear();
		this.limited = 0;
	}

	/**
	 * Counts a request of a tenant against its budget.
	 * @param {string} tenant
	 * @param {string} method
	 * @returns {{ limited: false } | { limited: true, headers: Record<string, string> }}
	 */
	take(tenant, method) {
		const kind = method === 'GET' ? 'read' : 'write';
		const key = `${tenant}\u0000${kind}`;
		const now = Date.now();
		let window = this.windows.get(key);
		if (!window || now - window.start >= this.periodMs) {
			window = { start: now, used: 0 };
			this.windows.set(key, window);
		}
		const limit = this.limits[kind];
		if (window.used < limit) {
			window.used++;
			return { limited: false };
		}
		this.limited++;
		const left = Math.max(1, Math.ceil((window.start + this.periodMs - now) / 1000));
		return {
			limited: true,
			headers: {
				'Retry-After': String(left),
				'X-RateLimit-Limit': String(limit),
				'X-RateLimit-Remaining': '0',
				'X-RateLimit-Period': String(Math.ceil(this.periodMs / 1000)),
			},
		};
	}
}

module.exports = { RateBudget };
