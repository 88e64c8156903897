// @ts-check
'use strict';

/**
 * The one client of the simulator's control API (`/__simulator/…`, simulator/index.js `controlRoutes`)
 * for code that runs the simulator as another process: `npm run dev` and the e2e suites
 * (scripts/n8n/simulator.js), the benchmark (bench/) and the queue-mode suite. Node's fetch only.
 */
class SimulatorControl {
	/**
	 * @param {string} url  the simulator's root URL, e.g. http://127.0.0.1:8765
	 * @param {{ timeoutMs?: number }} [options]  per call (default 10 s; a reset of many thousand users takes longer)
	 */
	constructor(url, options = {}) {
		/** e.g. http://127.0.0.1:8765 */
		this.url = url;
		/** @private */
		this.timeoutMs = options.timeoutMs ?? 10_000;
	}

	/**
	 * One control call; throws on an HTTP error with the simulator's reply.
	 * @param {string} method
	 * @param {string} sub      e.g. `/requests?endpoint=user/offboard`
	 * @param {unknown} [body]  sent as JSON
	 * @returns {Promise<any>}
	 */
	async control(method, sub, body) {
		const init = body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
		const response = await fetch(`${this.url}/__simulator${sub}`, { method, ...init, signal: AbortSignal.timeout(this.timeoutMs) });
		const reply = await response.json();
		if (!response.ok) throw new Error(`simulator ${method} ${sub} → HTTP ${response.status}: ${JSON.stringify(reply)}`);
		return reply;
	}

	/**
	 * Recorded requests (newest last), optionally only for some endpoint keys such as
	 * `user/offboard` or `login`, after a sequence number, or the last `limit`.
	 * @param {{ endpoint?: string, since?: number, limit?: number, headers?: boolean }} [filter]
	 * @returns {Promise<any[]>}
	 */
	async requests(filter = {}) {
		const query = new URLSearchParams();
		if (filter.endpoint) query.set('endpoint', filter.endpoint);
		if (filter.since) query.set('since', String(filter.since));
		if (filter.limit) query.set('limit', String(filter.limit));
		if (filter.headers) query.set('headers', '1');
		const body = await this.control('GET', `/requests${query.size ? `?${query}` : ''}`);
		return body.requests;
	}

	async clearRequests() {
		return await this.control('POST', '/clear-requests');
	}

	async stats() {
		return await this.control('GET', '/stats');
	}

	/** Zeroes the counters of `stats()`; the state stays. */
	async resetStats() {
		return await this.control('POST', '/reset-stats');
	}

	/** Back to the seed data; forgets requests, sessions and events. */
	async reset() {
		return await this.control('POST', '/reset');
	}

	/**
	 * Replaces the injected faults (simulator/README.md), e.g. `{ latencyMs: 50 }`; `{}` turns them off.
	 * @param {Record<string, unknown>} faults
	 */
	async setFaults(faults) {
		return await this.control('POST', '/faults', faults);
	}

	/**
	 * Commvault Cloud's per-tenant budgets on (`{ writesPerHour, readsPerHour }`) or off (`{}`).
	 * @param {{ writesPerHour?: number, readsPerHour?: number }} budget
	 */
	async setRateBudget(budget) {
		return await this.control('POST', '/rate-budget', budget);
	}

	/** A new budget period for every tenant, as if the hour had passed. */
	async resetRateBudgets() {
		return await this.control('POST', '/reset-rate-budgets');
	}

	/** Every session token issued so far stops working (as after Commvault's idle timeout). */
	async expireTokens() {
		return await this.control('POST', '/expire-tokens');
	}

	/**
	 * Forces the next responses of an endpoint (simulator/README.md, `queueResponse`), e.g.
	 * `{ endpoint: 'user/offboard', status: 429, headers: { 'Retry-After': '600' } }`.
	 * @param {{ endpoint: string, method?: string, status?: number, body?: unknown, headers?: Record<string, string>, times?: number }} spec
	 */
	async queueResponse(spec) {
		return await this.control('POST', '/queue-response', spec);
	}

	/** @param {string} user  a user name or id */
	async userState(user) {
		return await this.control('GET', `/state?user=${encodeURIComponent(user)}`);
	}
}

module.exports = { SimulatorControl };
