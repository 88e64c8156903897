// @ts-check
'use strict';

/**
 * The Commvault simulator (simulator/cli.js) as a child process, plus a small client for its
 * control API (`/__simulator/…`): the request log, stats, reset and token expiry.
 */

const path = require('node:path');

const { REPO_ROOT } = require('./paths');
const { spawnManaged } = require('./process');

/**
 * @typedef {object} SimulatorOptions
 * @property {number} port
 * @property {string[]} [args]           more simulator/cli.js flags, e.g. ['--token-ttl-seconds', '5']
 * @property {string} [logFile]
 * @property {(line: string) => void} [onLine]
 * @property {number} [timeoutMs]
 */

class SimulatorProcess {
	/**
	 * @param {import('./process').ManagedProcess} proc
	 * @param {string} url
	 */
	constructor(proc, url) {
		this.process = proc;
		/** e.g. http://127.0.0.1:8765 */
		this.url = url;
		/** The Base URL a Commvault credential uses. */
		this.baseUrl = `${url}/commandcenter/api`;
		const defaults = simulatorDefaults();
		this.accessToken = defaults.accessToken;
		this.account = { username: defaults.account.username, password: defaults.account.password };
	}

	/**
	 * @param {string} method
	 * @param {string} sub      e.g. `/requests?endpoint=user/offboard`
	 * @param {unknown} [body]  sent as JSON
	 * @returns {Promise<any>}
	 */
	async control(method, sub, body) {
		const init = body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
		const response = await fetch(`${this.url}/__simulator${sub}`, { method, ...init, signal: AbortSignal.timeout(10_000) });
		const reply = await response.json();
		if (!response.ok) throw new Error(`simulator ${method} ${sub} → HTTP ${response.status}: ${JSON.stringify(reply)}`);
		return reply;
	}

	/**
	 * Recorded requests (newest last), optionally only for some endpoint keys such as
	 * `user/offboard` or `login`.
	 * @param {{ endpoint?: string, since?: number, headers?: boolean }} [filter]
	 * @returns {Promise<any[]>}
	 */
	async requests(filter = {}) {
		const query = new URLSearchParams();
		if (filter.endpoint) query.set('endpoint', filter.endpoint);
		if (filter.since) query.set('since', String(filter.since));
		if (filter.headers) query.set('headers', '1');
		const body = await this.control('GET', `/requests${query.size ? `?${query}` : ''}`);
		return body.requests;
	}

	async stats() {
		return await this.control('GET', '/stats');
	}

	/** Back to the seed data; forgets requests, sessions and events. */
	async reset() {
		return await this.control('POST', '/reset');
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

	/** @param {string} user  a user name or id */
	async userState(user) {
		return await this.control('GET', `/state?user=${encodeURIComponent(user)}`);
	}

	async stop() {
		return await this.process.stop({ signal: 'SIGTERM', graceMs: 5000 });
	}
}

/**
 * The simulator's built-in demo account and access token (simulator/index.js DEFAULTS).
 * @returns {{ accessToken: string, account: { username: string, password: string } }}
 */
function simulatorDefaults() {
	return require(path.join(REPO_ROOT, 'simulator', 'index.js')).DEFAULTS;
}

/**
 * Starts `node simulator/cli.js --port <port> …` and waits for its `SIMULATOR_READY <url>` line.
 * @param {SimulatorOptions} options
 * @returns {Promise<SimulatorProcess>}
 */
async function startSimulator(options) {
	/** @type {(url: string) => void} */
	let announce = () => {};
	const ready = new Promise((resolve) => {
		announce = resolve;
	});
	const proc = spawnManaged({
		name: 'simulator',
		command: process.execPath,
		args: [path.join(REPO_ROOT, 'simulator', 'cli.js'), '--port', String(options.port), ...(options.args ?? [])],
		env: { PATH: process.env.PATH, HOME: process.env.HOME },
		cwd: REPO_ROOT,
		logFile: options.logFile,
		onLine: (line) => {
			const match = /^SIMULATOR_READY (\S+)/.exec(line);
			if (match) announce(match[1]);
			options.onLine?.(line);
		},
	});
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const failed = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`The simulator did not start within ${(options.timeoutMs ?? 15_000) / 1000} s:\n${proc.tail()}`)), options.timeoutMs ?? 15_000);
		proc.exited.then((info) => reject(new Error(`The simulator exited during start-up (${JSON.stringify(info)}):\n${proc.tail()}`)));
	});
	// Settles later too (when the simulator stops); only the race below cares.
	failed.catch(() => {});
	try {
		const url = /** @type {string} */ (await Promise.race([ready, failed]));
		return new SimulatorProcess(proc, url);
	} catch (error) {
		await proc.stop({ graceMs: 2000 });
		throw error;
	} finally {
		clearTimeout(timer);
	}
}

module.exports = { startSimulator, SimulatorProcess, simulatorDefaults };
