// @ts-check
'use strict';

/**
 * One in-process measurement in its own process, so every variant starts from the same clean
 * state and its peak RSS is its own. bench/run.js starts it as
 *
 *   node bench/worker.js '<json spec>'
 *
 * and reads the last line, `BENCH_RESULT <json>`. The simulator runs in another process
 * (started by run.js); this process only sends requests to it.
 *
 * Kinds:
 *   bare            axios loop, one keep-alive agent (the floor)
 *   bare-no-keepalive  the same loop with a new connection per request
 *   engine-commvault   the Commvault node in n8n-core's WorkflowExecute (test/harness/engine.ts)
 *   engine-auth     minimal node calling httpRequestWithAuthentication per item, same engine
 *   engine-plain    minimal node calling httpRequest per item, same engine
 *   idle            loads what engine-commvault loads, runs nothing (memory baseline)
 *
 * `runs` lists the user ranges: each run offboards users first..first+count-1 (user00001…), in
 * order; the first `warmup` runs are warm-ups and are reported separately.
 */

const http = require('node:http');
const path = require('node:path');

/**
 * @typedef {object} WorkerSpec
 * @property {string} kind
 * @property {string} baseUrl            the credential's Base URL (…/commandcenter/api)
 * @property {string} [accessToken]
 * @property {{ username: string, password: string }} [account]  password mode instead of the token
 * @property {Array<{ first: number, count: number }>} runs
 * @property {number} [warmup]           how many of `runs` are warm-ups (default 0)
 * @property {number} [maxConcurrency]   the Commvault node's "Max Concurrent Requests"
 * @property {boolean} [reuseStore]      keep the credential store (session token) across runs
 * @property {string} [simulatorUrl]     if set, each run reports the simulator's counters for it
 */

/**
 * The simulator's counters (control API: never recorded, never faulted).
 * @param {string | undefined} simulatorUrl
 * @returns {Promise<{ logins: number, offboards: number, requests: number } | undefined>}
 */
async function simulatorCounters(simulatorUrl) {
	if (!simulatorUrl) return undefined;
	const response = await fetch(`${simulatorUrl}/__simulator/stats`, { signal: AbortSignal.timeout(10_000) });
	const stats = /** @type {any} */ (await response.json());
	return { logins: stats.logins, offboards: stats.byEndpoint['user/offboard'] ?? 0, requests: stats.requests };
}

/**
 * Runs `measure` and adds what the simulator counted meanwhile (`logins`, `offboardRequests`).
 * @template {object} T
 * @param {WorkerSpec} spec
 * @param {() => Promise<T>} measure
 */
async function counted(spec, measure) {
	const before = await simulatorCounters(spec.simulatorUrl);
	const result = await measure();
	const after = await simulatorCounters(spec.simulatorUrl);
	if (!before || !after) return result;
	return {
		...result,
		logins: after.logins - before.logins,
		offboardRequests: after.offboards - before.offboards,
		requests: after.requests - before.requests,
	};
}

/** @param {number} n */
function userName(n) {
	return `user${String(n).padStart(5, '0')}`;
}

/** @param {{ first: number, count: number }} range */
function usersOf(range) {
	return Array.from({ length: range.count }, (_, i) => userName(range.first + i));
}

/**
 * @param {WorkerSpec} spec
 * @param {boolean} keepAlive
 */
async function bareLoop(spec, keepAlive) {
	const axios = require('axios');
	const agent = new http.Agent({ keepAlive, maxSockets: 1 });
	const client = axios.create({
		httpAgent: agent,
		headers: { Accept: 'application/json', Authtoken: `QSDK ${spec.accessToken}` },
		timeout: 60_000,
	});
	const url = `${spec.baseUrl.replace(/\/+$/, '')}/User/Offboard`;
	const results = [];
	for (const range of spec.runs) {
		const users = usersOf(range);
		const result = await counted(spec, async () => {
			let failures = 0;
			const started = performance.now();
			for (const name of users) {
				const response = await client.post(url, { userName: name });
				if (response.status !== 200 || response.data?.errorCode !== 0) failures++;
			}
			const ms = performance.now() - started;
			return { items: users.length, timeMs: ms, wallMs: ms, outputItems: users.length - failures, failures };
		});
		results.push(result);
	}
	agent.destroy();
	return results;
}

/**
 * @param {WorkerSpec} spec
 * @returns {import('n8n-workflow').ICredentialDataDecryptedObject}
 */
function credentials(spec) {
	if (spec.account) {
		return { baseUrl: spec.baseUrl, authMethod: 'password', username: spec.account.username, password: spec.account.password, domain: '' };
	}
	return { baseUrl: spec.baseUrl, authMethod: 'accessToken', accessToken: String(spec.accessToken) };
}

/** @param {WorkerSpec} spec */
async function engineRuns(spec) {
	const engine = require('./lib/engine');
	const results = [];
	/** @type {any} */
	let store;
	for (const range of spec.runs) {
		const items = usersOf(range).map((name) => ({ json: { userName: name } }));
		const result = await counted(spec, async () => {
			/** @type {import('./lib/engine').EngineRun} */
			let run;
			if (spec.kind === 'engine-commvault') {
				const requestOptions = spec.maxConcurrency ? { maxConcurrency: spec.maxConcurrency } : {};
				run = await engine.runCommvault({
					parameters: {
						resource: 'user',
						operation: 'offboard',
						user: { __rl: true, mode: 'name', value: '={{ $json.userName }}' },
						requestOptions,
					},
					items,
					credentials: store ? undefined : credentials(spec),
					store,
				});
			} else {
				const minimal = require('./lib/minimal-nodes');
				const nodeType = spec.kind === 'engine-auth' ? new minimal.BenchAuthRequest() : new minimal.BenchPlainRequest();
				run = await engine.runNode({
					nodeType,
					typeName: `CUSTOM.${nodeType.description.name}`,
					parameters: { userName: '={{ $json.userName }}' },
					items,
					credentials: credentials(spec),
				});
			}
			if (spec.reuseStore) store = run.store;
			const failures = run.output.filter((item) => item.json?.errorCode !== 0).length + run.errorOutput.length;
			return {
				items: items.length,
				timeMs: run.executionTimeMs,
				wallMs: run.wallMs,
				outputItems: run.output.length,
				failures,
				error: run.error,
				preAuthenticationCalls: run.store?.preAuthenticationCalls,
			};
		});
		results.push(result);
	}
	return results;
}

/** @param {WorkerSpec} spec */
async function main(spec) {
	// n8n-core writes an instance config (encryption key) under N8N_USER_FOLDER when it loads.
	process.env.N8N_USER_FOLDER ??= path.join(__dirname, 'tmp', 'engine-home');
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	/** @type {object[]} */
	let runs = [];
	switch (spec.kind) {
		case 'bare':
			runs = await bareLoop(spec, true);
			break;
		case 'bare-no-keepalive':
			runs = await bareLoop(spec, false);
			break;
		case 'engine-commvault':
		case 'engine-auth':
		case 'engine-plain':
			runs = await engineRuns(spec);
			break;
		case 'idle':
			require('./lib/engine').harness();
			require('n8n-core');
			break;
		default:
			throw new Error(`unknown kind ${spec.kind}`);
	}
	const usage = process.resourceUsage();
	const warmup = spec.warmup ?? 0;
	return {
		kind: spec.kind,
		warmups: runs.slice(0, warmup),
		runs: runs.slice(warmup),
		maxRssKb: usage.maxRSS,
		heapUsedAfterMb: process.memoryUsage().heapUsed / 1024 / 1024,
		node: process.version,
	};
}

if (require.main === module) {
	const spec = /** @type {WorkerSpec} */ (JSON.parse(process.argv[2] ?? '{}'));
	main(spec).then(
		(result) => {
			process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
			// Sockets n8n's helpers leave open must not keep the process alive.
			process.exit(0);
		},
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(1);
		},
	);
}

module.exports = { userName };
