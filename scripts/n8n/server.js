// @ts-check
'use strict';

/**
 * `n8n start` on a chosen port, waited for until it is fully up, and stopped with its whole
 * process group (the task runner included).
 */

const { spawnManaged } = require('./process');

/**
 * @typedef {object} StartOptions
 * @property {string} bin                 n8n's CLI script
 * @property {NodeJS.ProcessEnv} env      from n8nEnv({ port, … }); must set N8N_PORT
 * @property {string} [logFile]           n8n's output is appended here
 * @property {(line: string) => void} [onLine]
 * @property {number} [timeoutMs]         default 120 s
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class N8nServer {
	/**
	 * @param {import('./process').ManagedProcess} proc
	 * @param {number} port
	 */
	constructor(proc, port) {
		this.process = proc;
		this.port = port;
		this.baseUrl = `http://127.0.0.1:${port}`;
		/** The URL to show people (n8n's own host name). */
		this.editorUrl = `http://localhost:${port}`;
	}

	/**
	 * Stops n8n: SIGTERM to its process group (n8n shuts down gracefully), SIGKILL after `graceMs`.
	 * @param {{ graceMs?: number }} [options]
	 */
	async stop(options = {}) {
		return await this.process.stop({ signal: 'SIGTERM', graceMs: options.graceMs ?? 25_000 });
	}

	/** n8n's recent output, for error messages. */
	tail(lines = 60) {
		return this.process.tail(lines);
	}
}

/**
 * The HTTP status of a GET, or 0 when nothing answers within 2 s (for readiness polling).
 * @param {string} url
 * @returns {Promise<number>}
 */
async function statusOf(url) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}

/**
 * Starts `n8n start` and resolves once `/healthz/readiness` answers 200 and n8n printed
 * "Editor is now accessible" (which comes after active workflows were registered).
 * @param {StartOptions} options
 * @returns {Promise<N8nServer>}
 */
async function startN8n(options) {
	const port = Number(options.env.N8N_PORT);
	if (!port) throw new Error('startN8n: env.N8N_PORT is not set');
	let announced = false;
	const proc = spawnManaged({
		name: 'n8n',
		command: process.execPath,
		args: [options.bin, 'start'],
		env: options.env,
		cwd: options.env.N8N_USER_FOLDER,
		logFile: options.logFile,
		onLine: (line) => {
			if (line.includes('Editor is now accessible')) announced = true;
			options.onLine?.(line);
		},
	});
	const server = new N8nServer(proc, port);
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	while (Date.now() < deadline) {
		if (!proc.running) {
			throw new Error(`n8n exited during start-up (${JSON.stringify(proc.exitInfo)}):\n${proc.tail(80)}`);
		}
		if (announced && (await statusOf(`${server.baseUrl}/healthz/readiness`)) === 200) return server;
		await sleep(250);
	}
	await server.stop({ graceMs: 5000 });
	throw new Error(`n8n did not become ready on port ${port} within ${(options.timeoutMs ?? 120_000) / 1000} s:\n${proc.tail(80)}`);
}

module.exports = { startN8n, N8nServer, statusOf };
