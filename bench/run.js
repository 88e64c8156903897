#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run bench`: the benchmark of issue 5. Writes bench/results.md (raw figures in
 * bench/tmp/results.json) and quotes the tables in README.md where it
 * has the `<!-- bench:results:start -->` … `<!-- bench:results:end -->` markers.
 *
 *   node bench/run.js [--runs 3] [--quick] [--no-n8n] [--engine-concurrency] [--only slow-server]
 *
 * Everything runs on this machine against one simulator process, in one go:
 *   1. compiles the engine harness, the node and the credential (tsconfig.bench.json → bench/.build);
 *   2. starts the simulator (simulator/cli.js) with enough generated users;
 *   3. real n8n: the pinned n8n (installed on first use by scripts/n8n), our packed package, the
 *      HTTP Request node and two minimal nodes; one workflow per section (bench/lib/workflows.js),
 *      run with `n8n execute --id`;
 *   4. in-process engine: child processes (bench/worker.js) run a bare axios loop and the nodes in
 *      n8n-core's WorkflowExecute;
 *   5. logins and peak memory;
 *   6. the report, with the targets of issue 5 marked met or missed.
 * Variants are interleaved (round 1 runs every variant once, then round 2, …) so that load from
 * elsewhere on the machine spreads over all of them. After every variant the simulator's own
 * records must show each of its users offboarded exactly once, or the report flags it.
 * Timings never become assertions: this is not part of `npm test`.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../scripts/n8n');
const sim = require('./lib/simulator');
const { latestExecution } = require('./lib/executions');
const { buildSectionWorkflow, benchCredentials } = require('./lib/workflows');
const { median, fixed, medianWithSpread, ratio, table } = require('./lib/stats');

const REPO_ROOT = path.resolve(__dirname, '..');
const BENCH_DIR = __dirname;
const TMP_DIR = path.join(BENCH_DIR, 'tmp');
const BUILD_DIR = path.join(BENCH_DIR, '.build');
const RESULTS_MD = path.join(BENCH_DIR, 'results.md');
const RESULTS_JSON = path.join(TMP_DIR, 'results.json');

/** Issue 5's sizes (ITEMS can be lowered with --items to try the benchmark itself). */
let ITEMS = 1000;
const LATENCY_MS = 20;
const CONCURRENCY = [1, 4, 8, 16];
const LOGIN_ITEMS = [1, 100, 1000];
let MEMORY_ITEMS = 10_000;
const MEMORY_BASELINE_ITEMS = 10;

/** Issue 5's targets. */
const TARGET_OVERHEAD = 1.15;
const TARGET_IDEAL_AT_8 = 1.2;
/** Issue 25's targets: section 5 against its ideal, section 2 against the HTTP Request node, section 4's memory. */
const TARGET_SLOW_IDEAL = 1.1;
const TARGET_VERSUS_HTTP_AT = [4, 8, 16];
const TARGET_MEMORY = 1.25;

/** Issue 16's row: a realistic Command Center answers in about 250 ms; Max Concurrent Requests 8. */
const SLOW_LATENCY_MS = 250;
const SLOW_CONCURRENCY = 8;
/** The simulator's hand-written users (simulator/seed-data.js), listed beside the generated ones. */
const SEED_USERS = require('../simulator/seed-data').DEFAULT_USERS.length;
/**
 * What Offboard sends for a by-name batch (issue 25): `POST /User/Offboard` per user and, per
 * execution, the user list read in pages of 1,000 (`GET /User?level=10`) for the look-ups that let
 * a protected account be refused before anything changes. bench/requests.js counts it on the wire.
 */
const OFFBOARD_REQUESTS = 'one request per user (`POST /User/Offboard`) and, per execution, the user list read once in pages of 1,000 (`GET /User?level=10&start=&limit=`) for the look-ups that let a protected account be refused before anything changes (section 7 counts them)';
const SLOW_MARKER_START = '<!-- bench:slow-server:start -->';
const SLOW_MARKER_END = '<!-- bench:slow-server:end -->';
const SLOW_RESULTS_JSON = path.join(TMP_DIR, 'results-slow-server.json');

// ------------------------------------------------------------------ options and logging

function parseOptions() {
	const args = process.argv.slice(2);
	const has = (/** @type {string} */ flag) => args.includes(flag);
	const value = (/** @type {string} */ flag) => {
		const at = args.indexOf(flag);
		return at >= 0 ? args[at + 1] : undefined;
	};
	if (has('--help')) {
		console.log(
			[
				'node bench/run.js [--runs N] [--quick] [--no-n8n] [--engine-concurrency]',
				'  --runs N              measured runs per variant (default 3; env BENCH_RUNS)',
				'  --quick               1 run, 50-item warm-up: a smoke test of the benchmark itself',
				'  --no-n8n              in-process engine only (no real n8n)',
				'  --engine-concurrency  also run the concurrency sweep in the in-process engine',
				"  --items N             items per run instead of 1,000 (to try the benchmark itself; not the issues' figures)",
				'  --only slow-server    only section 5 (250 ms per request, c = 8); rewrites that section of bench/results.md',
				'  --report-only         write bench/results.md again from bench/tmp/results.json, measuring nothing',
			].join('\n'),
		);
		process.exit(0);
	}
	const quick = has('--quick');
	if (value('--items')) {
		ITEMS = Math.max(10, Math.floor(Number(value('--items'))) || 1000);
		MEMORY_ITEMS = 10 * ITEMS;
	}
	const runs = Math.max(1, Math.floor(Number(value('--runs') ?? process.env.BENCH_RUNS ?? (quick ? 1 : 3))) || 1);
	return {
		runs,
		quick,
		warmupItems: Math.min(quick ? 50 : 100, ITEMS),
		n8n: !has('--no-n8n'),
		engineConcurrency: has('--engine-concurrency'),
		only: value('--only'),
	};
}

const started = Date.now();
/** @param {string} message */
function log(message) {
	const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	process.stdout.write(`[bench ${s}s] ${message}\n`);
}

/** @param {unknown} error */
function firstLine(error) {
	return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/**
 * @template T
 * @param {T[]} list
 * @param {number} shift
 */
function rotate(list, shift) {
	const s = shift % list.length;
	return [...list.slice(s), ...list.slice(0, s)];
}

/**
 * Prepares the simulator for a run that offboards blocks of `counts` users, and hands out blocks
 * of users no earlier run has touched; when the generated users run out it resets the simulator
 * to its seed data and starts again at user00001.
 * @param {any} ctx
 * @param {{ latencyMs?: number }} faults
 * @param {number[]} counts
 */
async function prepareRun(ctx, faults, counts) {
	const total = counts.reduce((a, b) => a + b, 0);
	const full = ctx.nextUser + total - 1 > ctx.users;
	if (full) ctx.nextUser = 1;
	await sim.prepare(ctx.simulator.url, faults, { full });
	return counts.map((count) => {
		const range = { first: ctx.nextUser, count };
		ctx.nextUser += count;
		return range;
	});
}

// ------------------------------------------------------------------ measurements

/**
 * @typedef {object} Measurement
 * @property {string} key
 * @property {string} label
 * @property {string} where          'n8n' | 'engine' | 'bare'
 * @property {number[]} timesMs      one per measured run (node executionTime, or the loop's time)
 * @property {number[]} connections  TCP connections the simulator saw, per measured run
 * @property {number} maxInFlight    most requests the simulator had in flight at once
 * @property {string[]} problems     anything that did not add up (⚠ in the report)
 * @property {string} [skipped]      why it did not run
 */

/**
 * @param {{ key: string, label: string }} variant
 * @param {string} where
 * @returns {Measurement}
 */
function newMeasurement(variant, where) {
	return { key: variant.key, label: variant.label, where, timesMs: [], connections: [], maxInFlight: 0, problems: [] };
}

/** @param {Measurement} m */
function summary(m) {
	if (m.skipped) return `not run: ${m.skipped}`;
	const perItem = m.timesMs.map((t) => t / ITEMS);
	return (
		`${fixed(median(perItem))} ms/item (runs: ${perItem.map((v) => fixed(v)).join(', ')}), ` +
		`${median(m.connections)} connection(s) per run, max ${m.maxInFlight} in flight` +
		(m.problems.length ? `; PROBLEMS: ${m.problems.join('; ')}` : '')
	);
}

/**
 * A section that broke off: every variant of it carries the reason.
 * @param {Record<string, Measurement>} m
 * @param {unknown} error
 */
function failSection(m, error) {
	log(`  FAILED: ${firstLine(error)}`);
	for (const measurement of Object.values(m)) measurement.problems.push(firstLine(error));
}

/**
 * Marks the variants without a finished run as skipped and logs each variant's figures.
 * @param {Record<string, Measurement>} m
 */
function closeSection(m) {
	for (const measurement of Object.values(m)) {
		if (measurement.timesMs.length === 0) measurement.skipped ??= measurement.problems[0] ?? 'no run finished';
		log(`  ${measurement.label}: ${summary(measurement)}`);
	}
	return m;
}

// ------------------------------------------------------------------ building

async function compileEngine() {
	log('Compiling test/harness, nodes and credentials for the in-process engine (tsc -p tsconfig.bench.json → bench/.build)');
	fs.rmSync(BUILD_DIR, { recursive: true, force: true });
	const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
	const result = await n8n.runToCompletion({
		name: 'tsc',
		command: process.execPath,
		args: [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.bench.json')],
		cwd: REPO_ROOT,
		env: process.env,
	});
	if (result.code !== 0) throw new Error(`tsc -p tsconfig.bench.json failed:\n${result.output.slice(-4000)}`);
}

// ------------------------------------------------------------------ in-process workers

/**
 * @typedef {object} WorkerStep
 * @property {string} [key]
 * @property {string} kind
 * @property {number} items
 * @property {number} timeMs
 * @property {number} wallMs
 * @property {number} outputItems
 * @property {number} failures
 * @property {string} [error]
 * @property {number} [logins]
 * @property {number} [offboardRequests]
 * @property {number} [maxInFlight]
 */

/**
 * Runs bench/worker.js with `spec` in a fresh process and returns what it reported.
 * @param {Record<string, unknown>} spec
 * @returns {Promise<{ steps: WorkerStep[], maxRssKb: number }>}
 */
async function runWorker(spec) {
	const result = await n8n.runToCompletion({
		name: 'bench worker',
		command: process.execPath,
		args: [path.join(BENCH_DIR, 'worker.js'), JSON.stringify(spec)],
		cwd: REPO_ROOT,
		env: { ...process.env, N8N_USER_FOLDER: path.join(TMP_DIR, 'engine-home') },
		timeoutMs: 1_800_000,
	});
	const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
	if (result.code !== 0 || !line) {
		throw new Error(`bench/worker.js failed (exit ${result.code ?? result.signal}):\n${result.output.slice(-4000)}`);
	}
	return JSON.parse(line.slice('BENCH_RESULT '.length));
}

/**
 * @typedef {{ key: string, label: string, kind: string, where?: string, maxConcurrency?: number }} WorkerVariant
 */

/**
 * In-process variants, all in one child process and interleaved like the n8n workflows: a warm-up
 * of each variant first, then round 1 runs every variant once, round 2 in a rotated order, …
 * @param {any} ctx
 * @param {WorkerVariant[]} variants
 * @param {{ latencyMs?: number }} [faults]
 * @returns {Promise<Record<string, Measurement>>}
 */
async function runWorkerVariants(ctx, variants, faults = {}) {
	const { runs, warmupItems } = ctx.options;
	/** @type {Record<string, Measurement>} */
	const m = Object.fromEntries(variants.map((v) => [v.key, newMeasurement(v, v.where ?? 'engine')]));
	/** @type {Array<{ variant: WorkerVariant, round: number }>} */
	const order = [];
	if (warmupItems > 0) for (const variant of variants) order.push({ variant, round: 0 });
	for (let round = 1; round <= runs; round++) for (const variant of rotate(variants, round - 1)) order.push({ variant, round });
	try {
		const ranges = await prepareRun(
			ctx,
			faults,
			order.map((o) => (o.round === 0 ? warmupItems : ITEMS)),
		);
		log(
			`  one child process, ${order.length} runs (${warmupItems > 0 ? 'a warm-up of each variant, then ' : ''}${runs} interleaved round(s))`,
		);
		const result = await runWorker({
			baseUrl: ctx.simulator.baseUrl,
			accessToken: ctx.simulator.accessToken,
			simulatorUrl: ctx.simulator.url,
			steps: order.map((o, i) => ({ key: o.variant.key, kind: o.variant.kind, maxConcurrency: o.variant.maxConcurrency, ...ranges[i] })),
		});
		const check = await sim.check(ctx.simulator.url, ranges, { total: false });
		order.forEach(({ variant, round }, i) => {
			const measurement = m[variant.key];
			const step = result.steps[i];
			const range = check.ranges[i];
			if (!step) return;
			if (step.error || step.outputItems !== step.items || step.failures) {
				measurement.problems.push(`${step.outputItems} items out, ${step.failures} failed${step.error ? `: ${step.error}` : ''}`);
			}
			if (range && (range.requests !== range.count || range.offboarded !== range.count || range.duplicates)) {
				measurement.problems.push(
					`${range.requests} requests, ${range.offboarded} users offboarded, ${range.duplicates} twice (expected ${range.count})`,
				);
			}
			if (round === 0) return;
			measurement.timesMs.push(step.timeMs);
			measurement.connections.push(range?.connections ?? Number.NaN);
			measurement.maxInFlight = Math.max(measurement.maxInFlight, step.maxInFlight ?? 0);
		});
	} catch (error) {
		failSection(m, error);
	}
	return closeSection(m);
}

// ------------------------------------------------------------------ real n8n

/**
 * Section 2's variants: the Commvault node at each Max Concurrent Requests, the HTTP Request node
 * batching as many, and the HTTP Request node without batching.
 * @returns {Array<import('./lib/workflows').Variant>}
 */
function concurrencyVariants() {
	/** @type {Array<import('./lib/workflows').Variant>} */
	const concurrency = [];
	for (const c of CONCURRENCY) {
		concurrency.push({
			key: `commvault-c${c}`,
			label: `Commvault node, Max Concurrent Requests ${c}`,
			node: 'commvault',
			maxConcurrency: c,
		});
		concurrency.push({
			key: `http-c${c}`,
			label: `HTTP Request node, batching ${c} / ${LATENCY_MS} ms`,
			node: 'httpRequest',
			batching: { batchSize: c, batchInterval: LATENCY_MS },
		});
	}
	concurrency.push({ key: 'http-unbounded', label: 'HTTP Request node, default options (no batching)', node: 'httpRequest' });
	return concurrency;
}

/** The real-n8n variants, per section. */
function n8nSections() {
	/** @type {Array<import('./lib/workflows').Variant>} */
	const overhead = [
		{ key: 'bare', label: "bare axios loop inside n8n (a node that uses none of n8n's helpers)", node: 'benchBareLoop' },
		{ key: 'commvault', label: 'Commvault node', node: 'commvault' },
		{ key: 'http', label: 'HTTP Request node, default options', node: 'httpRequest' },
		{ key: 'auth', label: 'minimal node: httpRequestWithAuthentication', node: 'benchAuthRequest' },
		{ key: 'plain', label: 'minimal node: httpRequest', node: 'benchPlainRequest' },
	];
	const concurrency = concurrencyVariants();
	/** @type {Array<import('./lib/workflows').Variant>} */
	const logins = [
		{
			key: 'password-c8',
			label: 'Commvault node, password credential, Max Concurrent Requests 8',
			node: 'commvault',
			auth: 'password',
			maxConcurrency: 8,
		},
	];
	return {
		overhead: { id: 'benchOverhead001', name: 'bench: overhead', variants: overhead, latencyMs: 0, warmup: true, runs: undefined },
		concurrency: {
			id: 'benchConcurrency',
			name: 'bench: concurrency',
			variants: concurrency,
			latencyMs: LATENCY_MS,
			warmup: true,
			runs: undefined,
		},
		logins: { id: 'benchLoginsPwd01', name: 'bench: logins (password credential)', variants: logins, latencyMs: 0, warmup: false, runs: 1 },
		slow: {
			id: 'benchSlowServer1',
			name: `bench: ${SLOW_LATENCY_MS} ms server`,
			variants: [
				{
					key: `commvault-c${SLOW_CONCURRENCY}-slow`,
					label: `Commvault node, Max Concurrent Requests ${SLOW_CONCURRENCY}, ${SLOW_LATENCY_MS} ms per request`,
					node: 'commvault',
					maxConcurrency: SLOW_CONCURRENCY,
				},
			],
			latencyMs: SLOW_LATENCY_MS,
			warmup: true,
			runs: undefined,
		},
	};
}

/**
 * Installs (or reuses) the pinned n8n, builds and packs the package, and prepares one user folder
 * with our package, the minimal nodes, the credentials and the benchmark's workflows.
 * @param {any} ctx
 */
async function prepareN8n(ctx) {
	log(`Making sure n8n ${n8n.N8N_VERSION} is installed (scripts/n8n; the first install takes 7-8 minutes)`);
	const install = await n8n.ensureN8n({ log: (m) => log(`  ${m}`) });
	log(`  n8n ${install.version} at ${install.dir}`);
	log('Building and packing the package (npm run build, npm pack)');
	await n8n.buildPackage();
	const tarball = await n8n.packPackage({ destDir: path.join(TMP_DIR, 'pack') });
	log(`  ${path.basename(tarball)}`);

	const userFolder = path.join(TMP_DIR, 'n8n');
	log(`Preparing an n8n user folder (${path.relative(REPO_ROOT, userFolder)}): our package, the minimal nodes, credentials, workflows`);
	const instance = await n8n.createInstance({ userFolder, fresh: true });
	await instance.installPackage(tarball);
	// n8n loads `*.node.js` from <n8n folder>/custom as CUSTOM.<name>; the class is named after the file.
	const customDir = path.join(instance.n8nFolder, 'custom');
	fs.mkdirSync(customDir, { recursive: true });
	for (const className of ['BenchAuthRequest', 'BenchPlainRequest', 'BenchBareLoop']) {
		const target = path.join(BENCH_DIR, 'lib', 'minimal-nodes.js');
		fs.writeFileSync(path.join(customDir, `${className}.node.js`), `module.exports = require(${JSON.stringify(target)});\n`);
	}
	await instance.importCredentials(benchCredentials(ctx.simulator));

	/** @type {Record<string, ReturnType<typeof buildSectionWorkflow> & { latencyMs: number }>} */
	const sections = {};
	for (const [key, section] of Object.entries(ctx.sections)) {
		sections[key] = {
			...buildSectionWorkflow({
				id: section.id,
				name: section.name,
				variants: section.variants,
				baseUrl: ctx.simulator.baseUrl,
				simulatorUrl: ctx.simulator.url,
				items: ITEMS,
				warmupItems: section.warmup ? ctx.options.warmupItems : 0,
				runs: section.runs ?? ctx.options.runs,
			}),
			latencyMs: section.latencyMs,
		};
	}
	await instance.importWorkflows(Object.values(sections).map((s) => s.workflow));
	return { instance, sections };
}

/**
 * `n8n execute --id` with a generous timeout (the concurrency section takes minutes), then the run
 * as n8n stored it (bench/lib/executions.js): `{ status, data: { resultData: { runData, error } } }`.
 * @param {any} ctx
 * @param {string} id
 */
async function executeN8n(ctx, id) {
	const where = { installDir: ctx.n8n.instance.install.dir, userFolder: ctx.n8n.instance.userFolder, workflowId: id };
	const before = await latestExecution(where);
	const cliContext = await ctx.n8n.instance.cliContext();
	const result = await n8n.runN8n(cliContext, ['execute', `--id=${id}`, '--rawOutput'], { allowFailure: true, timeoutMs: 3_600_000 });
	const run = await latestExecution(where);
	if (!run || run.id === before?.id) {
		throw new Error(`n8n execute --id=${id} stored no execution (exit ${result.code}):\n${result.output.slice(-4000)}`);
	}
	return { run, durationMs: result.durationMs };
}

/**
 * Runs one section's workflow in the real n8n and turns each measured copy into a run of its
 * variant: the copy's executionTime, the connections the simulator recorded for its users, and
 * the simulator counters its Stats node read.
 * @param {any} ctx
 * @param {string} key   overhead | concurrency
 * @returns {Promise<Record<string, Measurement>>}
 */
async function runN8nSection(ctx, key) {
	const definition = ctx.sections[key];
	/** @type {Record<string, Measurement>} */
	const m = Object.fromEntries(definition.variants.map((/** @type {any} */ v) => [v.key, newMeasurement(v, 'n8n')]));
	if (!ctx.n8n) {
		log(`  skipped: ${ctx.n8nUnavailable}`);
		for (const measurement of Object.values(m)) measurement.skipped = ctx.n8nUnavailable;
		return m;
	}
	const section = ctx.n8n.sections[key];
	try {
		// The workflow's copies offboard fixed blocks from user00001 on.
		await sim.prepare(ctx.simulator.url, { latencyMs: section.latencyMs }, { full: true });
		ctx.nextUser = section.users + 1;
		log(
			`  n8n execute --id=${section.workflow.id} (${section.copies.length} node copies, ${section.copies.reduce((/** @type {number} */ n, /** @type {any} */ c) => n + c.count, 0)} offboards)`,
		);
		const { run, durationMs } = await executeN8n(ctx, section.workflow.id);
		log(`  done in ${(durationMs / 1000).toFixed(0)} s (start-up included; the figures are each node's executionTime)`);
		const check = await sim.check(ctx.simulator.url, section.copies, { total: false });
		const resultData = run.data.resultData;
		if (run.status !== 'success' || resultData.error) {
			const message = `execution ${run.status}: ${resultData.error?.message ?? ''}`;
			for (const measurement of Object.values(m)) measurement.problems.push(message);
		}
		section.copies.forEach((/** @type {import('./lib/workflows').Copy} */ copy, /** @type {number} */ j) => {
			const measurement = m[copy.variant];
			const nodeRun = resultData.runData[copy.node]?.[0];
			const stats = resultData.runData[copy.statsNode]?.[0]?.data?.main?.[0]?.[0]?.json;
			const out = nodeRun?.data?.main?.[0] ?? [];
			// The Commvault node says `status: 'offboarded'`; a bare HTTP request passes on Commvault's `errorCode: 0`.
			const failed = out.filter((/** @type {any} */ item) => item.json?.status !== 'offboarded' && item.json?.errorCode !== 0).length;
			const range = check.ranges[j];
			if (out.length !== copy.count || failed)
				measurement.problems.push(`${copy.node}: ${out.length} items out, ${failed} not offboarded`);
			if (range && (range.requests !== copy.count || range.offboarded !== copy.count || range.duplicates)) {
				measurement.problems.push(
					`${copy.node}: ${range.requests} requests, ${range.offboarded} users offboarded, ${range.duplicates} twice (expected ${copy.count})`,
				);
			}
			if (stats && (stats.byEndpoint?.['user/offboard'] ?? 0) !== copy.count) {
				measurement.problems.push(`${copy.node}: the simulator counted ${stats.byEndpoint?.['user/offboard'] ?? 0} offboards`);
			}
			if (copy.round === 0 || !nodeRun) return;
			measurement.timesMs.push(nodeRun.executionTime);
			measurement.connections.push(range?.connections ?? Number.NaN);
			measurement.maxInFlight = Math.max(measurement.maxInFlight, Number(stats?.maxInFlight ?? 0));
		});
	} catch (error) {
		failSection(m, error);
	}
	return closeSection(m);
}

// ------------------------------------------------------------------ sections

/** @param {any} ctx */
async function overheadSection(ctx) {
	const { runs, warmupItems } = ctx.options;
	log(
		`1. Overhead: ${ITEMS} offboards, sequential, zero added latency; ${runs} measured run(s) per variant after a ${warmupItems}-item warm-up`,
	);
	log(` Real n8n ${n8n.N8N_VERSION}: Commvault node, HTTP Request node, minimal nodes, interleaved in one workflow`);
	const real = await runN8nSection(ctx, 'overhead');
	log(' Bare loop and in-process engine:');
	const local = await runWorkerVariants(ctx, [
		{ key: 'bare', label: 'bare axios loop, keep-alive agent', kind: 'bare', where: 'bare' },
		{ key: 'bare-no-keepalive', label: 'bare axios loop, new connection per request', kind: 'bare-no-keepalive', where: 'bare' },
		{ key: 'engine-commvault', label: 'Commvault node (engine)', kind: 'engine-commvault' },
		{ key: 'engine-auth', label: 'minimal node: httpRequestWithAuthentication (engine)', kind: 'engine-auth' },
		{ key: 'engine-plain', label: 'minimal node: httpRequest (engine)', kind: 'engine-plain' },
	]);
	return { real, local };
}

/** @param {any} ctx */
async function concurrencySection(ctx) {
	log(`2. Concurrency: ${ITEMS} users, ${LATENCY_MS} ms added latency, c = ${CONCURRENCY.join(', ')}`);
	log(` Real n8n ${n8n.N8N_VERSION}: Commvault node and HTTP Request node at each c, interleaved in one workflow`);
	const real = await runN8nSection(ctx, 'concurrency');
	/** @type {Record<string, Measurement>} */
	let local = {};
	if (ctx.options.engineConcurrency) {
		log(' In-process engine:');
		local = await runWorkerVariants(
			ctx,
			CONCURRENCY.map((c) => ({
				key: `engine-commvault-c${c}`,
				label: `Commvault node, c=${c} (engine)`,
				kind: 'engine-commvault',
				maxConcurrency: c,
			})),
			{ latencyMs: LATENCY_MS },
		);
	}
	return { real, local };
}

/**
 * Issue 16's row: 1,000 users against a server that takes 250 ms per request, Max Concurrent
 * Requests 8, in the real n8n and in the in-process engine; wall time against the ideal.
 * @param {any} ctx
 */
async function slowServerSection(ctx) {
	log(`5. A realistic server: ${ITEMS} users, ${SLOW_LATENCY_MS} ms added latency, c = ${SLOW_CONCURRENCY}`);
	log(` Real n8n ${n8n.N8N_VERSION}: Commvault node`);
	const real = await runN8nSection(ctx, 'slow');
	log(' In-process engine:');
	const key = `engine-commvault-c${SLOW_CONCURRENCY}-slow`;
	const label = `Commvault node, c=${SLOW_CONCURRENCY}, ${SLOW_LATENCY_MS} ms (engine)`;
	const local = await runWorkerVariants(ctx, [{ key, label, kind: 'engine-commvault', maxConcurrency: SLOW_CONCURRENCY }], {
		latencyMs: SLOW_LATENCY_MS,
	});
	return { real, local, tenantUsers: ctx.users };
}

/**
 * Section 5 of the report, between its own markers so that `--only slow-server` can replace it.
 * @param {{ real: Record<string, Measurement>, local: Record<string, Measurement>, tenantUsers?: number } | undefined} slow
 */
function slowServerReport(slow, measuredAlone = /** @type {string[]} */ ([])) {
	if (!slow) return [];
	const ideal = (ITEMS * SLOW_LATENCY_MS) / SLOW_CONCURRENCY;
	const ours = slow.real[`commvault-c${SLOW_CONCURRENCY}-slow`];
	const engine = slow.local[`engine-commvault-c${SLOW_CONCURRENCY}-slow`];
	const wall = (/** @type {Measurement | undefined} */ m) => (m && !m.skipped ? median(m.timesMs) : Number.NaN);
	const cell = (/** @type {Measurement | undefined} */ m) =>
		!m ? 'n/a' : m.skipped ? 'not run' : `${medianWithSpread(m.timesMs.map((t) => t / 1000))}${m.problems.length ? ' ⚠' : ''}`;
	const row = (/** @type {string} */ where, /** @type {Measurement | undefined} */ m) => [
		where,
		fixed(ideal / 1000, 2),
		cell(m),
		ratio(wall(m), ideal),
		m && !m.skipped ? String(m.maxInFlight) : 'n/a',
	];
	return [
		SLOW_MARKER_START,
		`### 5. A realistic server: ${ITEMS.toLocaleString('en-US')} users, ${SLOW_LATENCY_MS} ms per request, Max Concurrent Requests ${SLOW_CONCURRENCY}`,
		'',
		table(
			['Where', 'ideal (s)', 'Commvault node (s)', '× ideal', 'max in flight'],
			[row(`n8n ${n8n.N8N_VERSION}`, ours), row('engine', engine)],
		),
		'',
		`ideal = ${ITEMS.toLocaleString('en-US')} × ${SLOW_LATENCY_MS} ms ÷ ${SLOW_CONCURRENCY}: one request per user. The simulator holds every request but the login ${SLOW_LATENCY_MS} ms (\`faults.latencyMs\`) before it answers, about what a real Command Center takes. Offboard sends ${OFFBOARD_REQUESTS}.${tenantNote(slow.tenantUsers)}`,
		...measuredAlone,
		SLOW_MARKER_END,
		'',
	];
}

/**
 * How many users the simulator's tenant holds, and so how many pages of the user list an execution reads.
 * @param {number | undefined} generatedUsers  (runs saved before the figure was kept: no note)
 */
function tenantNote(generatedUsers) {
	if (generatedUsers === undefined) return '';
	const users = generatedUsers + SEED_USERS;
	return ` The tenant holds ${users.toLocaleString('en-US')} users (${generatedUsers.toLocaleString('en-US')} generated and the ${SEED_USERS} of the seed), so the list is ${Math.ceil(users / 1000)} pages; the pages after the first are read Max Concurrent Requests at a time.`;
}

/**
 * @typedef {object} LoginRow
 * @property {string} where
 * @property {number} items
 * @property {number} concurrency
 * @property {string} execution
 * @property {number | string} logins
 * @property {number | string} offboards
 * @property {string} [note]
 */

/** @param {any} ctx */
async function loginsSection(ctx) {
	log('3. Logins: POST /Login calls per execution, username/password credential');
	/** @type {LoginRow[]} */
	const rows = [...(await engineLogins(ctx)), ...(ctx.n8n ? await n8nLogins(ctx) : [])];
	for (const r of rows)
		log(
			`  ${r.where}, ${r.items} item(s), c=${r.concurrency}, ${r.execution}: ${r.logins} login(s), ${r.offboards} offboards${r.note ? ` (${r.note})` : ''}`,
		);
	return rows;
}

/**
 * Logins in the in-process engine: a fresh credential store (no session token) for 1, 100 and
 * 1,000 items; then 1,000 items at concurrency 8, first with a fresh store, then reusing it (the
 * session token n8n saved).
 * @param {any} ctx
 * @returns {Promise<LoginRow[]>}
 */
async function engineLogins(ctx) {
	try {
		const ranges = await prepareRun(ctx, {}, [...LOGIN_ITEMS, ITEMS, ITEMS]);
		/** @type {Array<{ concurrency: number, execution: string, reuseStore?: boolean }>} */
		const plan = [
			...LOGIN_ITEMS.map(() => ({ concurrency: 1, execution: 'first (no saved session)' })),
			{ concurrency: 8, execution: 'first (no saved session)' },
			{ concurrency: 8, execution: 'second (session token saved by the first)', reuseStore: true },
		];
		const result = await runWorker({
			baseUrl: ctx.simulator.baseUrl,
			account: ctx.simulator.account,
			simulatorUrl: ctx.simulator.url,
			steps: plan.map((p, i) => ({ kind: 'engine-commvault', maxConcurrency: p.concurrency, reuseStore: p.reuseStore, ...ranges[i] })),
		});
		return result.steps.map((step, i) => ({
			where: 'engine',
			items: step.items,
			concurrency: plan[i].concurrency,
			execution: plan[i].execution,
			logins: step.logins ?? 'n/a',
			offboards: step.offboardRequests ?? 'n/a',
		}));
	} catch (error) {
		ctx.failures.push(`logins (engine): ${firstLine(error)}`);
		return [];
	}
}

/**
 * Logins in real n8n: two executions of the same workflow, the second with the session token the
 * first saved.
 * @param {any} ctx
 * @returns {Promise<LoginRow[]>}
 */
async function n8nLogins(ctx) {
	/** @type {LoginRow[]} */
	const rows = [];
	try {
		const section = ctx.n8n.sections.logins;
		const copy = section.copies[0];
		// The second execution offboards the same users again (Commvault answers errorCode 0 with
		// nothing left to change): the simulator's sessions must survive in between, so it is
		// reset only before the first; the workflow's Stats/Reset nodes count per execution.
		await sim.prepare(ctx.simulator.url, {}, { full: true });
		ctx.nextUser = section.users + 1;
		for (const execution of ['first (no saved session)', 'second (session token saved by the first)']) {
			const sinceSeq = await lastRequestSeq(ctx);
			const { run } = await executeN8n(ctx, section.workflow.id);
			const stats = run.data.resultData.runData[copy.statsNode]?.[0]?.data?.main?.[0]?.[0]?.json;
			const offboards = stats?.byEndpoint?.['user/offboard'] ?? 'n/a';
			if (run.status !== 'success' || offboards !== copy.count) {
				ctx.failures.push(`logins (n8n, ${execution}): execution ${run.status}, ${offboards} offboard requests (expected ${copy.count})`);
			}
			const note = await loginTimeline(ctx, sinceSeq);
			rows.push({ where: 'n8n', items: copy.count, concurrency: 8, execution, logins: stats?.logins ?? 'n/a', offboards, note });
		}
	} catch (error) {
		ctx.failures.push(`logins (n8n): ${firstLine(error)}`);
	}
	return rows;
}

/**
 * The simulator's newest request sequence number.
 * @param {any} ctx
 */
async function lastRequestSeq(ctx) {
	const requests = await sim.client(ctx.simulator.url).requests({ limit: 1 });
	return requests[0]?.seq ?? 0;
}

/**
 * When the logins of an execution happened, as "after N offboards"; 401 answers counted.
 * @param {any} ctx
 * @param {number} sinceSeq
 */
async function loginTimeline(ctx, sinceSeq) {
	const requests = await sim.client(ctx.simulator.url).requests({ since: sinceSeq });
	let offboards = 0;
	let unauthorized = 0;
	/** @type {string[]} */
	const logins = [];
	for (const r of requests) {
		if (r.endpoint === 'login') logins.push(`login after ${offboards} offboard request(s)${r.status === 200 ? '' : ` (HTTP ${r.status})`}`);
		if (r.endpoint === 'user/offboard') offboards++;
		if (r.status === 401) unauthorized++;
	}
	return [...logins, unauthorized ? `${unauthorized} request(s) answered 401` : ''].filter(Boolean).join('; ');
}

/** @param {any} ctx */
async function memorySection(ctx) {
	log('4. Memory: peak RSS (process.resourceUsage().maxRSS), each in its own process');
	const cases = [
		{ label: 'engine and node loaded, nothing executed', kind: 'load-only', items: 0 },
		{ label: `Commvault node, ${MEMORY_BASELINE_ITEMS} items`, kind: 'engine-commvault', items: MEMORY_BASELINE_ITEMS },
		{ label: `Commvault node, ${MEMORY_ITEMS.toLocaleString('en-US')} items`, kind: 'engine-commvault', items: MEMORY_ITEMS },
		{
			label: `minimal node: httpRequestWithAuthentication, ${MEMORY_ITEMS.toLocaleString('en-US')} items`,
			kind: 'engine-auth',
			items: MEMORY_ITEMS,
		},
		{ label: `bare axios loop, ${MEMORY_ITEMS.toLocaleString('en-US')} requests`, kind: 'bare', items: MEMORY_ITEMS },
	];
	/** @type {Array<{ label: string, kind: string, items: number, maxRssMb: number, timeMs: number, problems: string[] }>} */
	const rows = [];
	for (const c of cases) {
		try {
			const ranges = await prepareRun(ctx, {}, c.items ? [c.items] : []);
			const result = await runWorker({
				baseUrl: ctx.simulator.baseUrl,
				accessToken: ctx.simulator.accessToken,
				loadOnly: c.kind === 'load-only',
				steps: c.items ? [{ kind: c.kind, ...ranges[0] }] : [],
			});
			const problems = c.items ? (await sim.check(ctx.simulator.url, ranges)).problems : [];
			const row = {
				label: c.label,
				kind: c.kind,
				items: c.items,
				maxRssMb: result.maxRssKb / 1024,
				timeMs: result.steps[0]?.timeMs ?? Number.NaN,
				problems,
			};
			rows.push(row);
			log(`  ${c.label}: ${fixed(row.maxRssMb, 0)} MB${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}`);
		} catch (error) {
			ctx.failures.push(`memory, ${c.label}: ${firstLine(error)}`);
		}
	}
	return rows;
}

// ------------------------------------------------------------------ report

function gitDescription() {
	try {
		const { execFileSync } = require('node:child_process');
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
		return dirty ? `${head} (with uncommitted changes in nodes/ or credentials/)` : head;
	} catch {
		return 'unknown';
	}
}

/** @param {string} name */
function pkgVersion(name) {
	try {
		return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
	} catch {
		return 'unknown';
	}
}

// A measurement's figures and table cells; `undefined` is a variant this run did not have.
/** @param {Measurement | undefined} m */
const measured = (m) => m !== undefined && !m.skipped;
/** @param {Measurement | undefined} m */
const perItem = (m) => (m && measured(m) ? median(m.timesMs) / ITEMS : Number.NaN);
/** @param {Measurement | undefined} m */
const wall = (m) => (m && measured(m) ? median(m.timesMs) : Number.NaN);
/** The fastest run: load from elsewhere only ever adds time, so the minimum is the least disturbed figure. @param {Measurement | undefined} m */
const bestPerItem = (m) => (m && measured(m) ? Math.min(...m.timesMs) / ITEMS : Number.NaN);
/** @param {Measurement | undefined} m */
const warn = (m) => (m && measured(m) && m.problems.length ? ' ⚠' : '');
/** @param {Measurement | undefined} m */
const perItemCell = (m) => (!m ? 'n/a' : m.skipped ? 'not run' : `${medianWithSpread(m.timesMs.map((t) => t / ITEMS))}${warn(m)}`);
/** @param {Measurement | undefined} m */
const wallCell = (m) => (!m ? 'n/a' : m.skipped ? 'not run' : `${medianWithSpread(m.timesMs.map((t) => t / 1000))}${warn(m)}`);
/** @param {Measurement | undefined} m */
const conns = (m) => (m && measured(m) ? String(median(m.connections)) : 'n/a');
/** @param {Measurement | undefined} m */
const inflight = (m) => (m && measured(m) ? String(m.maxInFlight) : 'n/a');
/** Section 2's ideal wall time at concurrency c. @param {number} c */
const ideal = (c) => (ITEMS * LATENCY_MS) / c;
const REAL = () => `n8n ${n8n.N8N_VERSION}`;

/**
 * Section 1's table. Each view has its own floor, measured interleaved with the rows it divides.
 * @param {Record<string, Measurement>} o
 */
function overheadTable(o) {
	const real = REAL();
	const bare = perItem(o.bare);
	const bareInN8n = perItem(o['n8n-bare']);
	/** @type {Array<[string, string, Measurement | undefined, number, Measurement | undefined]>} */
	const rows = [
		[real, "bare axios loop inside n8n: a node that uses none of n8n's helpers (**floor** for these rows)", o['n8n-bare'], bareInN8n, o['n8n-bare']],
		[real, '**Commvault node**', o['n8n-commvault'], bareInN8n, o['n8n-bare']],
		[real, 'HTTP Request node (default options)', o['n8n-http'], bareInN8n, o['n8n-bare']],
		[real, 'minimal node: `httpRequestWithAuthentication` per item', o['n8n-auth'], bareInN8n, o['n8n-bare']],
		[real, 'minimal node: `httpRequest` per item', o['n8n-plain'], bareInN8n, o['n8n-bare']],
		['engine process', 'bare axios loop, keep-alive agent (**floor** for these rows)', o.bare, bare, o.bare],
		['engine process', 'bare axios loop, new connection per request', o['bare-no-keepalive'], bare, o.bare],
		['engine', '**Commvault node**', o['engine-commvault'], bare, o.bare],
		['engine', 'minimal node: `httpRequestWithAuthentication` per item', o['engine-auth'], bare, o.bare],
		['engine', 'minimal node: `httpRequest` per item', o['engine-plain'], bare, o.bare],
	];
	return table(
		['Where', 'Variant', 'ms per item', '× floor', '× floor, best runs', 'TCP connections per run', 'max in flight'],
		rows.map(([where, label, m, floor, floorM]) => [
			where,
			label,
			perItemCell(m),
			ratio(perItem(m), floor),
			ratio(bestPerItem(m), bestPerItem(floorM)),
			conns(m),
			inflight(m),
		]),
	);
}

/**
 * Section 2's table: the Commvault node against the HTTP Request node at each concurrency.
 * @param {any} ctx
 * @param {Record<string, Measurement>} cc
 */
function concurrencyTable(ctx, cc) {
	const rows = CONCURRENCY.map((c) => {
		const ours = cc[`n8n-commvault-c${c}`];
		const http = cc[`n8n-http-c${c}`];
		const engine = cc[`engine-commvault-c${c}`];
		const row = [
			String(c),
			fixed(ideal(c) / 1000, 2),
			wallCell(ours),
			ratio(wall(ours), ideal(c)),
			inflight(ours),
			wallCell(http),
			ratio(wall(http), ideal(c)),
			inflight(http),
			ratio(wall(ours), wall(http)),
		];
		if (ctx.options.engineConcurrency) row.push(wallCell(engine), ratio(wall(engine), ideal(c)));
		return row;
	});
	const header = [
		'c',
		'ideal (s)',
		`Commvault node (s)`,
		'× ideal',
		'max in flight',
		`HTTP Request, batch c / ${LATENCY_MS} ms (s)`,
		'× ideal',
		'max in flight',
		'Commvault ÷ HTTP Request',
	];
	if (ctx.options.engineConcurrency) header.push('Commvault node, engine (s)', '× ideal');
	return table(header, rows);
}

/**
 * Issue 25's targets (sections 2, 4 and 5; section 7's request count is bench/requests.js's), then
 * issue 5's, each met or missed.
 * @param {Record<string, Measurement>} o
 * @param {Record<string, Measurement>} cc
 * @param {{ logins: LoginRow[], memory: any[], slow?: { real: Record<string, Measurement>, local: Record<string, Measurement> } }} results
 */
function targetsTable(o, cc, results) {
	const slowIdeal = (ITEMS * SLOW_LATENCY_MS) / SLOW_CONCURRENCY;
	const slowN8n = wall(results.slow?.real[`commvault-c${SLOW_CONCURRENCY}-slow`]) / slowIdeal;
	const slowEngine = wall(results.slow?.local[`engine-commvault-c${SLOW_CONCURRENCY}-slow`]) / slowIdeal;
	const versusHttp = CONCURRENCY.map((c) => ({ c, r: wall(cc[`n8n-commvault-c${c}`]) / wall(cc[`n8n-http-c${c}`]) }));
	const targeted = versusHttp.filter(({ c }) => TARGET_VERSUS_HTTP_AT.includes(c));
	const peak = (/** @type {string} */ kind) => results.memory.find((r) => r.kind === kind && r.items === MEMORY_ITEMS)?.maxRssMb ?? Number.NaN;
	const memoryRatio = peak('engine-commvault') / peak('engine-auth');
	return table(
		['Target', 'Measured', 'Result'],
		[
			[
				`Issue 25, section 5: ≤ ${TARGET_SLOW_IDEAL}× the one-request-per-user ideal, in real n8n and in the engine`,
				`${fixed(slowN8n)}× in real n8n, ${fixed(slowEngine)}× in the engine`,
				verdict(slowN8n <= TARGET_SLOW_IDEAL && slowEngine <= TARGET_SLOW_IDEAL, known(slowN8n, slowEngine)),
			],
			[
				`Issue 25, section 2: Commvault ÷ HTTP Request node ≤ 1.0× at c = ${TARGET_VERSUS_HTTP_AT.join(', ')}`,
				versusHttp.map(({ c, r }) => `c=${c} ${fixed(r)}×`).join(', '),
				verdict(
					targeted.every(({ r }) => r <= 1),
					known(...targeted.map(({ r }) => r)),
				),
			],
			[
				`Issue 25, section 4: peak RSS for ${MEMORY_ITEMS.toLocaleString('en-US')} items ≤ ${TARGET_MEMORY}× the minimal \`httpRequestWithAuthentication\` node`,
				`${fixed(memoryRatio)}× (${fixed(peak('engine-commvault'), 0)} MB ÷ ${fixed(peak('engine-auth'), 0)} MB)`,
				verdict(memoryRatio <= TARGET_MEMORY, known(memoryRatio)),
			],
			['Issue 25: requests on the wire ≤ 1.05 per leaver plus a constant', 'section 7 (`npm run bench:requests`)', 'see section 7'],
			...issue5Rows(o, cc, results.logins),
		],
	);
}

/** @param {boolean} met @param {boolean} measuredAll */
const verdict = (met, measuredAll) => (!measuredAll ? 'not measured' : met ? '**met**' : '**missed**');
/** @param {...number} values */
const known = (...values) => values.length > 0 && values.every((v) => Number.isFinite(v));

/**
 * Issue 5's targets, kept so that the figures stay comparable with earlier runs.
 * @param {Record<string, Measurement>} o
 * @param {Record<string, Measurement>} cc
 * @param {LoginRow[]} logins
 */
function issue5Rows(o, cc, logins) {
	const overheadN8n = perItem(o['n8n-commvault']) / perItem(o['n8n-bare']);
	const overheadN8nBest = bestPerItem(o['n8n-commvault']) / bestPerItem(o['n8n-bare']);
	const overheadEngine = perItem(o['engine-commvault']) / perItem(o.bare);
	const at8 = wall(cc['n8n-commvault-c8']) / ideal(8);
	const firstLogins = logins.filter((r) => r.execution.startsWith('first')).map((r) => r.logins);
	const savedLogins = logins.filter((r) => r.execution.startsWith('second')).map((r) => r.logins);
	return [
		[
			`Issue 5: node overhead ≤ ${TARGET_OVERHEAD}× bare axios`,
			`${fixed(overheadN8n)}× in real n8n (best runs: ${fixed(overheadN8nBest)}×), ${fixed(overheadEngine)}× in the in-process engine; each against the bare loop measured alongside it`,
			verdict(overheadN8n <= TARGET_OVERHEAD, known(overheadN8n)),
		],
		[`Issue 5: within ${TARGET_IDEAL_AT_8}× of ideal at concurrency 8`, `${fixed(at8)}× in real n8n`, verdict(at8 <= TARGET_IDEAL_AT_8, known(at8))],
		[
			'Issue 5: exactly one login per execution',
			`first executions: ${firstLogins.join(', ')}; with a saved session: ${savedLogins.join(', ')}`,
			verdict(firstLogins.every((n) => n === 1) && savedLogins.every((n) => n === 0), firstLogins.length > 0),
		],
	];
}

/**
 * The report's head: what was measured where, and the targets.
 * @param {any} ctx
 * @param {string} targets
 */
function reportHead(ctx, targets) {
	return [
		'# Benchmark results',
		'',
		...(ITEMS === 1000 ? [] : [`**Trial run with --items ${ITEMS}: these are not the issues' figures.**`, '']),
		`Measured by \`npm run bench\` (bench/run.js) on ${ctx.date}, commit ${ctx.commit}, in ${fixed(ctx.minutes, 0)} minutes.`,
		ctx.machine,
		ctx.versions,
		`Method: one simulator process (simulator/cli.js, HTTP on 127.0.0.1). ${ctx.options.runs} measured run(s) of ${ITEMS.toLocaleString('en-US')} items per variant after a ${ctx.options.warmupItems}-item warm-up, variants interleaved; median, (min–max) over the runs. n8n figures are each node's own \`executionTime\`: n8n's start-up and the Code node that makes the items are not in them. Every run is checked against the simulator's records: each user offboarded exactly once (⚠ marks a run where that failed). "max in flight" and "connections" are what the simulator saw.`,
		'',
		'### Targets',
		'',
		targets,
		'',
	];
}

/**
 * Sections 1 (overhead) and 2 (concurrency).
 * @param {any} ctx
 * @param {Record<string, Measurement>} o
 * @param {Record<string, Measurement>} cc
 */
function speedSections(ctx, o, cc) {
	const real = REAL();
	const unbounded = cc['n8n-http-unbounded'];
	return [
		`### 1. Overhead: ${ITEMS.toLocaleString('en-US')} offboards, sequential, zero added latency`,
		'',
		overheadTable(o),
		'',
		`"${real}": one workflow, \`n8n execute --id\`, the variants interleaved. "engine process" and "engine": one bench/worker.js child process, the runs interleaved the same way; "engine" = the node inside n8n-core's WorkflowExecute (test/harness/engine.ts), "engine process" = a plain loop in that same process. Commvault node ÷ HTTP Request node in real n8n: ${ratio(perItem(o['n8n-commvault']), perItem(o['n8n-http']))}; Commvault node in real n8n ÷ the bare loop of the engine process: ${ratio(perItem(o['n8n-commvault']), perItem(o.bare))}. The Commvault node sends ${OFFBOARD_REQUESTS}; every other row sends 1.`,
		'',
		`### 2. Concurrency: ${ITEMS.toLocaleString('en-US')} users, ${LATENCY_MS} ms added latency per request, real n8n`,
		'',
		concurrencyTable(ctx, cc),
		'',
		`ideal = ${ITEMS.toLocaleString('en-US')} × ${LATENCY_MS} ms ÷ c. The HTTP Request node has no concurrency setting: "c" for it is Batching with Items per Batch = c and Batch Interval = ${LATENCY_MS} ms (it starts c requests, sleeps ${LATENCY_MS} ms, starts the next c, and never waits for answers, so more than c can be in flight). With default options (no batching) it took ${wallCell(unbounded)} s, up to ${inflight(unbounded)} requests in flight. The Commvault node sends ${OFFBOARD_REQUESTS}; the HTTP Request node 1, and "ideal" counts 1.`,
		'',
		cpuBoundNote(perItem(o['n8n-commvault']), wall(cc[`n8n-commvault-c${CONCURRENCY[CONCURRENCY.length - 1]}`]) / ITEMS, ideal),
		'',
	];
}

/**
 * Sections 3 (logins) and 4 (memory).
 * @param {LoginRow[]} logins
 * @param {any[]} memory
 */
function loginAndMemorySections(logins, memory) {
	const memoryBaseline = memory.find((r) => r.items === MEMORY_BASELINE_ITEMS);
	return [
		'### 3. Logins: POST /Login calls per execution (username/password credential)',
		'',
		table(
			['Where', 'Items', 'Max Concurrent Requests', 'Execution', '/Login calls', 'offboard requests', 'notes'],
			logins.map((r) => [r.where === 'n8n' ? REAL() : 'engine', r.items, r.concurrency, r.execution, r.logins, r.offboards, r.note ?? '']),
		),
		'',
		`### 4. Memory: peak RSS for ${MEMORY_ITEMS.toLocaleString('en-US')} items`,
		'',
		table(
			['In-process engine, each in its own child process', 'peak RSS (MB)', `above the ${MEMORY_BASELINE_ITEMS}-item run (MB)`, 'time (s)'],
			memory.map((r) => [
				`${r.label}${r.problems.length ? ' ⚠' : ''}`,
				fixed(r.maxRssMb, 0),
				r.items === MEMORY_ITEMS && r.kind?.startsWith('engine-') && memoryBaseline ? fixed(r.maxRssMb - memoryBaseline.maxRssMb, 0) : '',
				r.items ? fixed(r.timeMs / 1000, 1) : '–',
			]),
		),
		'',
		`Peak RSS counts everything the process held at its fullest: n8n's own copy of the ${MEMORY_ITEMS.toLocaleString('en-US')} input and output items in the run data, and garbage not yet collected. The minimal node's row is n8n doing the same requests with no code of ours; the difference between the two rows is what the Commvault node itself adds.`,
		'',
	];
}

/**
 * The run's failures and the measurements whose checks failed (none: no lines).
 * @param {any} ctx
 * @param {Measurement[]} measurements
 */
function problemLines(ctx, measurements) {
	const problems = measurements.filter((m) => m.problems.length);
	if (!ctx.failures.length && !problems.length) return [];
	return [
		'### Problems during this run',
		'',
		...ctx.failures.map((/** @type {string} */ f) => `- ${f}`),
		...problems.map((m) => `- ${m.label} (${m.where}): ${[...new Set(m.problems)].slice(0, 5).join('; ')}`),
		'',
	];
}

/**
 * @param {any} ctx
 * @param {{ overhead: { real: Record<string, Measurement>, local: Record<string, Measurement> }, concurrency: { real: Record<string, Measurement>, local: Record<string, Measurement> }, logins: LoginRow[], memory: any[], slow?: { real: Record<string, Measurement>, local: Record<string, Measurement> } }} results
 */
function report(ctx, results) {
	const o = { ...prefixed('n8n-', results.overhead.real), ...results.overhead.local };
	const cc = { ...prefixed('n8n-', results.concurrency.real), ...results.concurrency.local };
	const slowMeasurements = results.slow ? [...Object.values(results.slow.real), ...Object.values(results.slow.local)] : [];
	return [
		...reportHead(ctx, targetsTable(o, cc, results)),
		...speedSections(ctx, o, cc),
		...loginAndMemorySections(results.logins, results.memory),
		...slowServerReport(results.slow, ctx.slowAlone ? measuredAloneLines(ctx.slowAlone, results.slow, true) : []),
		...problemLines(ctx, [...Object.values(o), ...Object.values(cc), ...slowMeasurements]),
	].join('\n');
}

/**
 * Concurrency hides latency, not the client's own work: n8n runs a node's requests on one event
 * loop, so at high concurrency the wall time tends to the per-item work, not to the ideal.
 * @param {number} sequentialMs  the Commvault node per item at zero latency, sequential, real n8n
 * @param {number} highestMs     the Commvault node per item at the highest c, 20 ms latency
 * @param {(c: number) => number} ideal
 */
function cpuBoundNote(sequentialMs, highestMs, ideal) {
	if (!Number.isFinite(sequentialMs) || !Number.isFinite(highestMs)) return '';
	const top = CONCURRENCY[CONCURRENCY.length - 1];
	const above = CONCURRENCY.filter((c) => ideal(c) < highestMs * ITEMS);
	return (
		`Why the ideal is out of reach here: without added latency and one at a time, the Commvault node needed ${fixed(sequentialMs)} ms per item in real n8n (section 1). ` +
		`Concurrency overlaps the ${LATENCY_MS} ms waits and some of that (database reads, connection set-up), but most of it is JavaScript on n8n's one event loop, which nothing overlaps: ` +
		`at c = ${top}, with the latency well hidden, it still took ${fixed(highestMs)} ms per item` +
		(above.length ? `, which over ${ITEMS.toLocaleString('en-US')} items is more than the ideal for c = ${above.join(', ')}.` : '.')
	);
}

/**
 * @param {string} prefix
 * @param {Record<string, Measurement>} record
 */
function prefixed(prefix, record) {
	return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
}

// ------------------------------------------------------------------ main

/**
 * @typedef {object} SavedRun   what bench/tmp/results.json holds; enough to write the report again
 * @property {any} options
 * @property {number} items
 * @property {number} memoryItems
 * @property {string} machine
 * @property {string} versions
 * @property {string} commit
 * @property {string} date
 * @property {number} minutes
 * @property {string[]} failures
 * @property {any} results
 */

/**
 * @param {string} loadStart
 * @param {string} loadEnd
 */
function machineLine(loadStart, loadEnd) {
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	return `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, ${os.type()} ${os.release()}; load average ${loadStart} at the start, ${loadEnd} at the end.`;
}

function versionsLine() {
	const real = `n8n ${n8n.N8N_VERSION}`;
	return `Versions: Node ${process.version}; ${real} ("${real}" rows: \`n8n execute --id\`); n8n-core ${pkgVersion('n8n-core')} and n8n-workflow ${pkgVersion('n8n-workflow')} ("engine" rows: n8n-core's WorkflowExecute in a plain Node process, test/harness/engine.ts); axios ${pkgVersion('axios')}.`;
}

/** @param {SavedRun} saved */
function writeReport(saved) {
	ITEMS = saved.items;
	MEMORY_ITEMS = saved.memoryItems;
	const markdown = [report(saved, saved.results), ...sectionsOfOtherScripts()].join('\n');
	fs.writeFileSync(RESULTS_MD, `${markdown}\n`);
	log(`Wrote ${path.relative(REPO_ROOT, RESULTS_MD)} (raw figures: ${path.relative(REPO_ROOT, RESULTS_JSON)})`);
	process.stdout.write(`\n${markdown}\n`);
}

/** Sections of results.md that other scripts write between their own markers (bench/user-shaped.js, bench/requests.js). */
const OTHER_SCRIPTS_MARKERS = ['user-shaped', 'requests'];

/** Those sections as results.md holds them now, so that a full run keeps them. */
function sectionsOfOtherScripts() {
	const text = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
	return OTHER_SCRIPTS_MARKERS.flatMap((name) => {
		const start = text.indexOf(`<!-- bench:${name}:start -->`);
		const endMarker = `<!-- bench:${name}:end -->`;
		const end = text.indexOf(endMarker);
		return start >= 0 && end > start ? ['', text.slice(start, end + endMarker.length)] : [];
	});
}

/**
 * `--only slow-server`: section 5 alone, with its own measurement line, replaces the part between
 * its markers in bench/results.md (appended when the markers are not there); the rest stays.
 * @param {any} ctx
 * @param {{ real: Record<string, Measurement>, local: Record<string, Measurement> }} slow
 */
function writeSlowServerOnly(ctx, slow) {
	const load = loadAverage();
	const saved = {
		options: ctx.options,
		items: ITEMS,
		date: new Date().toISOString().slice(0, 10),
		minutes: (Date.now() - started) / 60000,
		machine: machineLine(ctx.loadStart, load),
		commit: gitDescription(),
		slow,
	};
	fs.writeFileSync(SLOW_RESULTS_JSON, `${JSON.stringify(saved, null, 2)}\n`);
	if (!mergeIntoFullRun(saved)) writeSlowServerSection(saved);
}

/**
 * Section 5 measured alone replaces the full run's section 5 in bench/tmp/results.json, and the whole
 * report is written again, so that the targets table judges the newer figures. False without a full run.
 * @param {any} saved  bench/tmp/results-slow-server.json
 */
function mergeIntoFullRun(saved) {
	if (!fs.existsSync(RESULTS_JSON)) return false;
	const full = JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'));
	const { slow, ...alone } = saved;
	full.results.slow = slow;
	full.slowAlone = alone;
	fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(full, null, 2)}\n`);
	writeReport(full);
	return true;
}

/**
 * What section 5 says when it was measured alone: when, where, and any run whose checks failed.
 * @param {{ options: any, date: string, minutes: number, machine: string, commit?: string }} alone
 * @param {{ real: Record<string, Measurement>, local: Record<string, Measurement> }} slow
 * @param {boolean} [judged]  whether the report's targets table judges these figures (a full run's report)
 */
function measuredAloneLines(alone, slow, judged = false) {
	const at = alone.commit ? `, commit ${alone.commit}` : '';
	const how = `Measured alone by \`node bench/run.js --only slow-server\` on ${alone.date}${at}, in ${fixed(alone.minutes, 0)} minutes: ${alone.options.runs} measured run(s) of ${ITEMS.toLocaleString('en-US')} items in each place after a ${alone.options.warmupItems}-item warm-up; median, (min–max). ${alone.machine}${judged ? ' The targets table above judges these figures.' : ''}`;
	const problems = [...Object.values(slow.real), ...Object.values(slow.local)].filter((m) => m.problems.length);
	return ['', how, ...problems.map((m) => `- ⚠ ${m.label}: ${[...new Set(m.problems)].slice(0, 5).join('; ')}`)];
}

/**
 * Replaces section 5 of bench/results.md with what `saved` (bench/tmp/results-slow-server.json) holds.
 * @param {{ options: any, items: number, date: string, minutes: number, machine: string, slow: { real: Record<string, Measurement>, local: Record<string, Measurement> } }} saved
 */
function writeSlowServerSection(saved) {
	ITEMS = saved.items;
	const { slow } = saved;
	const section = slowServerReport(slow, measuredAloneLines(saved, slow));
	const block = section.join('\n').trimEnd();
	const text = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '# Benchmark results\n';
	const start = text.indexOf(SLOW_MARKER_START);
	const end = text.indexOf(SLOW_MARKER_END);
	const updated =
		start >= 0 && end > start
			? `${text.slice(0, start)}${block}${text.slice(end + SLOW_MARKER_END.length)}`
			: `${text.trimEnd()}\n\n${block}\n`;
	fs.writeFileSync(RESULTS_MD, updated);
	log(`Wrote section 5 of ${path.relative(REPO_ROOT, RESULTS_MD)} (raw figures: ${path.relative(REPO_ROOT, SLOW_RESULTS_JSON)})`);
	process.stdout.write(`\n${block}\n`);
}

/** The load average now, as the report prints it. */
function loadAverage() {
	return os
		.loadavg()
		.map((v) => v.toFixed(1))
		.join(' ');
}

/**
 * `--report-only`: writes the report again from the saved figures, measuring nothing.
 * @param {ReturnType<typeof parseOptions>} options
 */
function reportOnly(options) {
	if (options.only === 'slow-server') {
		const saved = JSON.parse(fs.readFileSync(SLOW_RESULTS_JSON, 'utf8'));
		if (!mergeIntoFullRun(saved)) writeSlowServerSection(saved);
	} else {
		writeReport(JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8')));
	}
}

/**
 * Enough generated users for the most any step offboards (each workflow copy has its own block).
 * @param {Record<string, { variants: unknown[], warmup: boolean, runs: number | undefined }>} sections
 * @param {ReturnType<typeof parseOptions>} options
 */
function usersNeeded(sections, options) {
	const sectionUsers = Object.values(sections).map(
		(s) => s.variants.length * ((s.warmup ? options.warmupItems : 0) + (s.runs ?? options.runs) * ITEMS),
	);
	const loginUsers = LOGIN_ITEMS.reduce((a, b) => a + b, 0) + 2 * ITEMS;
	return Math.max(MEMORY_ITEMS, loginUsers, ...sectionUsers);
}

/**
 * Every section, then the figures saved (bench/tmp/results.json) and the report written.
 * @param {any} ctx
 */
async function measureAll(ctx) {
	const results = {
		overhead: await overheadSection(ctx),
		concurrency: await concurrencySection(ctx),
		logins: await loginsSection(ctx),
		memory: await memorySection(ctx),
		slow: await slowServerSection(ctx),
	};
	/** @type {SavedRun} */
	const saved = {
		options: ctx.options,
		items: ITEMS,
		memoryItems: MEMORY_ITEMS,
		machine: machineLine(ctx.loadStart, loadAverage()),
		versions: versionsLine(),
		commit: gitDescription(),
		date: new Date().toISOString().slice(0, 10),
		minutes: (Date.now() - started) / 60000,
		failures: ctx.failures,
		results,
	};
	fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(saved, null, 2)}\n`);
	writeReport(saved);
}

/**
 * The run's shared state, after checking Node, noting the load and compiling the engine harness.
 * @param {ReturnType<typeof parseOptions>} options
 */
async function setUp(options) {
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24) {
		throw new Error(
			`The benchmark needs Node.js 24 (n8n-core 2.41, n8n ${n8n.N8N_VERSION}); this is ${process.version}. Run \`source scripts/node24.sh\` first.`,
		);
	}
	fs.mkdirSync(TMP_DIR, { recursive: true });
	const loadStart = loadAverage();
	log(
		`Node ${process.version}, ${os.cpus().length} cores, load average ${loadStart}; ${options.runs} run(s) per variant${options.n8n ? '' : '; real n8n skipped (--no-n8n)'}`,
	);
	if (os.loadavg()[0] > os.cpus().length)
		log(`  note: the machine is busy (load ${loadStart} on ${os.cpus().length} cores): expect noisier figures`);

	await compileEngine();

	const onlySlow = options.only === 'slow-server';
	if (options.only && !onlySlow) throw new Error(`--only ${options.only}: the only section that runs alone is slow-server`);
	const allSections = n8nSections();
	const sections = onlySlow ? { slow: allSections.slow } : allSections;
	const users = usersNeeded(sections, options);
	return { options, sections, failures: [], n8n: undefined, n8nUnavailable: 'real n8n skipped (--no-n8n)', loadStart, nextUser: 1, users };
}

/**
 * Real n8n with the package and the benchmark's workflows; without it, a failure noted and the
 * engine sections only.
 * @param {any} ctx
 */
async function startN8n(ctx) {
	try {
		ctx.n8n = await prepareN8n(ctx);
	} catch (error) {
		log(`Real n8n is not available: ${firstLine(error)}`);
		ctx.n8nUnavailable = `n8n not available: ${firstLine(error)}`;
		ctx.failures.push(ctx.n8nUnavailable);
	}
}

async function main() {
	const options = parseOptions();
	if (process.argv.includes('--report-only')) {
		reportOnly(options);
		return;
	}
	/** @type {any} */
	const ctx = await setUp(options);
	log(`Starting the simulator (simulator/cli.js, ${ctx.users} generated users)`);
	ctx.simulator = await n8n.startSimulator({
		port: await n8n.freePort(),
		args: ['--generated-users', String(ctx.users), '--quiet'],
		logFile: path.join(TMP_DIR, 'simulator.log'),
	});
	log(`  ${ctx.simulator.url}`);
	try {
		if (options.n8n) await startN8n(ctx);
		if (options.only === 'slow-server') writeSlowServerOnly(ctx, await slowServerSection(ctx));
		else await measureAll(ctx);
	} finally {
		await ctx.simulator.stop();
	}
	if (options.only === 'slow-server') return;
	log(`Done in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
