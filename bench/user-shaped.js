#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run bench:user-shaped`: what a user's workflow pays per leaver (issue 29), in the real n8n.
 *
 *   node bench/user-shaped.js [--runs 2] [--repo DIR=LABEL …] [--profile] [--cold-only] [--quick] [--json FILE] [--no-write] [--report-only]
 *
 * Each row is the node fed as a user feeds it (bench/lib/user-shaped.js: Manual Trigger → Set → Split
 * Out → node), one fresh `n8n execute --id` per run, for the Commvault node (Offboard, access token,
 * default options, Max Concurrent Requests 1) and the minimal `httpRequestWithAuthentication` node,
 * 300 and 2,000 users. `--repo DIR=LABEL` (repeatable) measures the package built from another
 * checkout as well, e.g. a worktree at an older commit, in the same runs (interleaved, one simulator).
 * Figures: the measured node's `executionTime` ÷ users, the requests and TCP connections the simulator
 * saw per user, and the peak RSS and CPU seconds of the `n8n execute` process (GNU time). `--profile` also writes a
 * CPU profile of the first cold Commvault run of each checkout (bench/tmp/profiles/), which
 * bench/profile-summary.js turns into a table. Writes bench/tmp/user-shaped.json and the section
 * between the `bench:user-shaped` markers of bench/results.md. Timings never become assertions.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../scripts/n8n');
const sim = require('./lib/simulator');
const { latestExecution } = require('./lib/executions');
const { benchCredentials } = require('./lib/workflows');
const { userShapedWorkflow, MEASURED } = require('./lib/user-shaped');
const { userShapedReport } = require('./lib/user-shaped-report');

const REPO_ROOT = path.resolve(__dirname, '..');
const TMP_DIR = path.join(__dirname, 'tmp');
const RESULTS_JSON = path.join(TMP_DIR, 'user-shaped.json');
const PROFILE_DIR = path.join(TMP_DIR, 'profiles');

/** The runs of one round: [shape, node, users]. */
const MATRIX = /** @type {const} */ ([
	['cold', 'commvault', 300],
	['cold', 'benchAuthRequest', 300],
	['runner-ready', 'commvault', 300],
	['runner-ready', 'benchAuthRequest', 300],
	['warm', 'commvault', 300],
	['cold', 'commvault', 2000],
	['cold', 'benchAuthRequest', 2000],
]);

/** @param {string} message */
const log = (message) => process.stdout.write(`[user-shaped] ${message}\n`);

function parseOptions() {
	const args = process.argv.slice(2);
	const runs = Number(args[args.indexOf('--runs') + 1]);
	/** @type {Array<{ dir: string, label: string }>} */
	const repos = [{ dir: REPO_ROOT, label: 'this checkout' }];
	args.forEach((arg, i) => {
		if (arg !== '--repo') return;
		const [dir, label] = String(args[i + 1]).split('=');
		repos.push({ dir: path.resolve(dir), label: label ?? path.basename(dir) });
	});
	// --quick: tiny sizes, to check that the benchmark itself works (the report says so).
	const scale = args.includes('--quick') ? 0.1 : 1;
	// --cold-only: the cold rows alone (300 and 2,000 users, both nodes), e.g. for a before/after pair.
	const coldOnly = args.includes('--cold-only');
	const json = args.includes('--json') ? path.resolve(args[args.indexOf('--json') + 1]) : RESULTS_JSON;
	return { runs: args.includes('--runs') && runs >= 1 ? runs : 2, repos, profile: args.includes('--profile'), write: !args.includes('--no-write'), scale, coldOnly, json };
}

/**
 * A user folder with the package built from `repo.dir`, the minimal nodes and the credentials.
 * @param {{ dir: string, label: string }} repo
 * @param {any} simulator
 * @param {number} index
 */
async function prepareInstance(repo, simulator, index) {
	log(`Building and packing ${repo.dir} (${repo.label})`);
	await n8n.buildPackage({ repoRoot: repo.dir });
	const tarball = await n8n.packPackage({ destDir: path.join(TMP_DIR, `user-shaped-pack-${index}`), repoRoot: repo.dir });
	const instance = await n8n.createInstance({ userFolder: path.join(TMP_DIR, `user-shaped-n8n-${index}`), fresh: true });
	await instance.installPackage(tarball);
	const customDir = path.join(instance.n8nFolder, 'custom');
	fs.mkdirSync(customDir, { recursive: true });
	const minimal = path.join(__dirname, 'lib', 'minimal-nodes.js');
	fs.writeFileSync(path.join(customDir, 'BenchAuthRequest.node.js'), `module.exports = require(${JSON.stringify(minimal)});\n`);
	await instance.importCredentials(benchCredentials(simulator));
	return { repo, instance, commit: gitCommit(repo.dir) };
}

/** @param {string} dir */
function gitCommit(dir) {
	return require('node:child_process').execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']).toString().trim();
}

/**
 * `n8n execute --id` under GNU time (peak RSS), optionally with a CPU profile.
 * @param {any} instance
 * @param {string} id
 * @param {boolean} profile
 */
async function execute(instance, id, profile) {
	const ctx = await instance.cliContext();
	const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
	const timed = fs.existsSync('/usr/bin/time');
	const command = timed ? '/usr/bin/time' : process.execPath;
	const args = [...(timed ? ['-f', 'PEAK_RSS_KB %M CPU_S %U %S', process.execPath] : []), ...nodeArgs, ctx.bin, 'execute', `--id=${id}`];
	const result = await n8n.runToCompletion({ name: 'n8n execute', command, args, env: ctx.env, cwd: instance.userFolder, timeoutMs: 3_600_000 });
	const rss = /PEAK_RSS_KB (\d+) CPU_S ([\d.]+) ([\d.]+)/.exec(result.output);
	// CPU seconds of the process and the children it waited for (the task runners): less sensitive to
	// a busy machine than wall time, and start-up included.
	const cpuSeconds = rss ? Number(rss[2]) + Number(rss[3]) : Number.NaN;
	return { peakRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, cpuSeconds, output: result.output };
}

/**
 * One run: import, execute, read back the run and the simulator's records, check every user.
 * @param {any} ctx
 * @param {any} target  from prepareInstance
 * @param {{ shape: any, kind: any, count: number, round: number, profile: boolean }} run
 */
async function measureOne(ctx, target, run) {
	const id = `us${String(ctx.sequence++).padStart(14, '0')}`;
	const { workflow, users } = userShapedWorkflow({ id, shape: run.shape, kind: run.kind, first: ctx.nextUser, count: run.count });
	const measured = { first: ctx.nextUser, count: run.count };
	ctx.nextUser += users;
	await target.instance.importWorkflows([workflow]);
	await sim.prepare(ctx.simulator.url, {}, {});
	const { peakRssMb, cpuSeconds, output } = await execute(target.instance, id, run.profile);
	const stored = await latestExecution({ installDir: target.instance.install.dir, userFolder: target.instance.userFolder, workflowId: id });
	const nodeRun = stored?.data?.resultData?.runData?.[MEASURED]?.[0];
	const check = await sim.check(ctx.simulator.url, [measured], { total: false });
	const stats = await sim.control(ctx.simulator.url, 'GET', '/stats');
	const out = nodeRun?.data?.main?.[0] ?? [];
	const done = out.filter((/** @type {any} */ item) => item.json?.status === 'offboarded' || item.json?.errorCode === 0).length;
	const requests = Object.values(/** @type {Record<string, number>} */ (stats.byEndpoint)).reduce((a, b) => a + b, 0);
	const problems = [...check.problems];
	if (stored?.status !== 'success' || done !== run.count) problems.push(`${stored?.status}: ${done} of ${run.count} users done ${output.slice(-300)}`);
	return {
		...run,
		repo: target.repo.label,
		commit: target.commit,
		msPerUser: nodeRun ? nodeRun.executionTime / run.count : Number.NaN,
		requestsPerUser: requests / users,
		byEndpoint: stats.byEndpoint,
		connectionsPerUser: check.ranges[0].connections / run.count,
		peakRssMb,
		cpuSeconds,
		load: os.loadavg()[0],
		problems,
	};
}

async function main() {
	const options = parseOptions();
	if (process.argv.includes('--report-only')) return userShapedReport(JSON.parse(fs.readFileSync(options.json, 'utf8')));
	if (Number(process.versions.node.split('.')[0]) < 24) throw new Error('Node.js 24 is needed: run `source scripts/node24.sh` first');
	fs.mkdirSync(PROFILE_DIR, { recursive: true });
	const matrix = MATRIX.filter(([shape]) => !options.coldOnly || shape === 'cold').map(([shape, kind, count]) => /** @type {const} */ ([shape, kind, Math.round(count * options.scale)]));
	const perRound = matrix.reduce((n, [shape, , count]) => n + count + (shape === 'warm' ? 100 : 0), 0);
	const users = perRound * options.runs * options.repos.length + 100;
	const started = Date.now();
	const loadStart = os.loadavg().map((v) => v.toFixed(1)).join(' ');
	log(`Node ${process.version}, ${os.cpus().length} cores, load ${loadStart}; simulator with ${users} users`);
	const simulator = await n8n.startSimulator({ port: await n8n.freePort(), args: ['--generated-users', String(users), '--quiet'], logFile: path.join(TMP_DIR, 'user-shaped-simulator.log') });
	const ctx = { simulator, nextUser: 1, sequence: 1 };
	const results = [];
	try {
		const targets = [];
		for (const [index, repo] of options.repos.entries()) targets.push(await prepareInstance(repo, simulator, index));
		for (let round = 1; round <= options.runs; round++) {
			for (const [i, [shape, kind, count]] of matrix.entries()) {
				// Checkouts alternate within a row and swap order every round, so load drift spreads over them.
				for (const target of round % 2 ? targets : [...targets].reverse()) {
					const profile = options.profile && round === 1 && i === 0;
					const result = await measureOne(ctx, target, { shape, kind, count, round, profile });
					log(`round ${round} ${target.repo.label} ${shape} ${kind} ${count}: ${result.msPerUser.toFixed(2)} ms/user, ${result.requestsPerUser.toFixed(2)} requests/user, ${result.peakRssMb.toFixed(0)} MB${result.problems.length ? ` ⚠ ${result.problems.join('; ')}` : ''}`);
					results.push(result);
				}
			}
		}
	} finally {
		await simulator.stop();
	}
	const saved = { date: new Date().toISOString().slice(0, 10), minutes: (Date.now() - started) / 60000, loadStart, loadEnd: os.loadavg().map((v) => v.toFixed(1)).join(' '), cpus: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores`, node: process.version, n8n: n8n.N8N_VERSION, runs: options.runs, quick: options.scale !== 1, results };
	fs.writeFileSync(options.json, `${JSON.stringify(saved, null, 2)}\n`);
	if (options.write) userShapedReport(saved);
	log(`Done in ${saved.minutes.toFixed(1)} min; raw figures in ${path.relative(REPO_ROOT, options.json)}`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
