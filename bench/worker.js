// @ts-check
'use strict';

/**
 * In-process measurements in a child process of bench/run.js, which starts it as
 *
 *   node bench/worker.js '<json spec>'
 *
 * and reads the last line, `BENCH_RESULT <json>`. The simulator runs in another process; this one
 * only sends requests to it.
 *
 * The spec is a list of steps, run in order in this one process (run.js puts the warm-ups first
 * and interleaves the measured runs, so every variant runs under the same conditions). Each step
 * offboards the users first … first+count-1 (user00001 = 1) with one of:
 *
 *   bare               axios loop, one keep-alive agent (the floor)
 *   bare-no-keepalive  the same loop with a new connection per request
 *   engine-commvault   the Commvault node in n8n-core's WorkflowExecute (test/harness/engine.ts)
 *   engine-auth        minimal node calling httpRequestWithAuthentication per item, same engine
 *   engine-plain       minimal node calling httpRequest per item, same engine
 *
 * With `simulatorUrl`, each step also reports the simulator's counters for it (logins, offboard
 * requests, most requests in flight at once) and clears them for the next step. The process's
 * peak RSS is reported at the end; the memory figures use one step per process for that.
 */

const http = require('node:http');
const path = require('node:path');

const { SimulatorControl } = require('../simulator/control-client');
const { generatedUserName } = require('../simulator/seed-data');

/**
 * @typedef {object} Step
 * @property {string} kind
 * @property {number} first
 * @property {number} count
 * @property {string} [key]              passed through to the result
 * @property {number} [maxConcurrency]   the Commvault node's "Max Concurrent Requests"
 * @property {boolean} [reuseStore]      keep the previous step's credential store (its session token)
 */

/**
 * @typedef {object} WorkerSpec
 * @property {string} baseUrl            the credential's Base URL (…/commandcenter/api)
 * @property {string} [accessToken]
 * @property {{ username: string, password: string }} [account]  password mode instead of the token
 * @property {string} [simulatorUrl]
 * @property {Step[]} steps
 * @property {boolean} [loadOnly]        load the engine and the node, run nothing (memory baseline)
 */

/** @param {{ first: number, count: number }} range */
function usersOf(range) {
	return Array.from({ length: range.count }, (_, i) => generatedUserName(range.first + i));
}

/**
 * The simulator's counters since the last reset, then a reset (control API: never recorded,
 * never faulted, never delayed).
 * @param {string | undefined} simulatorUrl
 */
async function takeCounters(simulatorUrl) {
	if (!simulatorUrl) return {};
	const simulator = new SimulatorControl(simulatorUrl);
	const stats = await simulator.stats();
	await simulator.resetStats();
	return { logins: stats.logins, offboardRequests: stats.byEndpoint['user/offboard'] ?? 0, maxInFlight: stats.maxInFlight };
}

/**
 * @param {WorkerSpec} spec
 * @param {Step} step
 */
async function bareLoop(spec, step) {
	const axios = require('axios');
	const agent = new http.Agent({ keepAlive: step.kind === 'bare', maxSockets: 1 });
	const client = axios.create({
		httpAgent: agent,
		headers: { Accept: 'application/json', Authtoken: `QSDK ${spec.accessToken}` },
		timeout: 60_000,
	});
	const url = `${spec.baseUrl.replace(/\/+$/, '')}/User/Offboard`;
	let failures = 0;
	const started = performance.now();
	try {
		for (const name of usersOf(step)) {
			const response = await client.post(url, { userName: name });
			if (response.status !== 200 || response.data?.errorCode !== 0) failures++;
		}
	} finally {
		agent.destroy();
	}
	const ms = performance.now() - started;
	return { timeMs: ms, wallMs: ms, outputItems: step.count - failures, failures };
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

/**
 * @param {WorkerSpec} spec
 * @param {Step} step
 * @param {any} store   the credential store to reuse, or undefined for a new one
 */
async function engineRun(spec, step, store) {
	const engine = require('./lib/engine');
	const items = usersOf(step).map((name) => ({ json: { userName: name } }));
	/** @type {import('./lib/engine').EngineRun} */
	let run;
	if (step.kind === 'engine-commvault') {
		run = await engine.runCommvault({
			parameters: {
				resource: 'user',
				operation: 'offboard',
				user: { __rl: true, mode: 'name', value: '={{ $json.userName }}' },
				// Bench batches are far above the default Max Users per Run (500).
				options: { maxUsersPerRun: 1_000_000 },
				requestOptions: step.maxConcurrency ? { maxConcurrency: step.maxConcurrency } : {},
			},
			items,
			credentials: store ? undefined : credentials(spec),
			store,
		});
	} else {
		const minimal = require('./lib/minimal-nodes');
		const nodeType = step.kind === 'engine-auth' ? new minimal.BenchAuthRequest() : new minimal.BenchPlainRequest();
		run = await engine.runNode({
			nodeType,
			typeName: `CUSTOM.${nodeType.description.name}`,
			parameters: { userName: '={{ $json.userName }}' },
			items,
			credentials: credentials(spec),
		});
	}
	// The Commvault node says `status: 'offboarded'`; a bare HTTP request passes on Commvault's `errorCode: 0`.
	const failures = run.output.filter((item) => item.json?.status !== 'offboarded' && item.json?.errorCode !== 0).length + run.errorOutput.length;
	return {
		result: { timeMs: run.executionTimeMs, wallMs: run.wallMs, outputItems: run.output.length, failures, error: run.error },
		store: run.store,
	};
}

/** @param {WorkerSpec} spec */
async function main(spec) {
	// n8n-core writes an instance config (encryption key) under N8N_USER_FOLDER when it loads.
	process.env.N8N_USER_FOLDER ??= path.join(__dirname, 'tmp', 'engine-home');
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	if (spec.loadOnly) require('./lib/engine').harness();
	await takeCounters(spec.simulatorUrl);
	const steps = [];
	/** @type {any} */
	let store;
	for (const step of spec.steps) {
		/** @type {Record<string, unknown>} */
		let result;
		if (step.kind === 'bare' || step.kind === 'bare-no-keepalive') {
			result = await bareLoop(spec, step);
		} else if (step.kind.startsWith('engine-')) {
			const run = await engineRun(spec, step, step.reuseStore ? store : undefined);
			store = run.store;
			result = run.result;
		} else {
			throw new Error(`unknown kind ${step.kind}`);
		}
		steps.push({ key: step.key, kind: step.kind, items: step.count, ...result, ...(await takeCounters(spec.simulatorUrl)) });
	}
	return { steps, maxRssKb: process.resourceUsage().maxRSS, node: process.version };
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
