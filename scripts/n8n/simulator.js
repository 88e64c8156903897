// @ts-check
'use strict';

/**
 * The Commvault simulator (simulator/cli.js) as a child process, with the client of its control API
 * (`/__simulator/…`: the request log, stats, reset, faults and token expiry).
 */

const path = require('node:path');

const { SimulatorControl } = require('../../simulator/control-client');
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

/** The simulator process, with the control API's client (simulator/control-client.js). */
class SimulatorProcess extends SimulatorControl {
	/**
	 * @param {import('./process').ManagedProcess} proc
	 * @param {string} url
	 */
	constructor(proc, url) {
		super(url);
		this.process = proc;
		/** The Base URL a Commvault credential uses. */
		this.baseUrl = `${url}/commandcenter/api`;
		const defaults = simulatorDefaults();
		this.accessToken = defaults.accessToken;
		this.account = { username: defaults.account.username, password: defaults.account.password };
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
