// @ts-check
'use strict';

/**
 * The user-shaped section of bench/results.md (bench/user-shaped.js), between its markers; the rest
 * of the file is left as it is.
 */

const fs = require('node:fs');
const path = require('node:path');

const { median, fixed, medianWithSpread, table } = require('./stats');

const RESULTS_MD = path.join(__dirname, '..', 'results.md');
const START = '<!-- bench:user-shaped:start -->';
const END = '<!-- bench:user-shaped:end -->';

const SHAPES = { cold: 'Set → Split Out → node', 'runner-ready': 'Code → Set → Split Out → node', warm: 'Set → Split Out → node, after a 100-user warm-up copy' };
const NODES = { commvault: '**Commvault** Offboard', benchAuthRequest: 'minimal `httpRequestWithAuthentication`' };

/**
 * @param {any[]} results
 * @param {(r: any) => boolean} pick
 */
function pick(results, pick) {
	return results.filter((r) => pick(r) && Number.isFinite(r.msPerUser));
}

/** The runs that count: a run under the CPU profiler (`--profile`) is slower, and only read for its profile. @param {any} saved */
function measuredRuns(saved) {
	return saved.results.filter((/** @type {any} */ r) => !r.profile);
}

/** @param {any} saved */
function rowsTable(saved) {
	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const r of measuredRuns(saved)) {
		const key = [r.repo, r.shape, r.kind, r.count].join('|');
		groups.set(key, [...(groups.get(key) ?? []), r]);
	}
	const order = (/** @type {any} */ r) => [r.count, Object.keys(SHAPES).indexOf(r.shape), Object.keys(NODES).indexOf(r.kind), r.repo].join('|');
	const sorted = [...groups.values()].sort((a, b) => order(a[0]).localeCompare(order(b[0]), 'en', { numeric: true }));
	const rows = sorted.map((runs) => {
		const [r] = runs;
		const ms = runs.map((x) => x.msPerUser);
		const perRequest = median(ms) / median(runs.map((x) => x.requestsPerUser));
		const flagged = runs.some((x) => x.problems.length) ? ' ⚠' : '';
		return [`${r.repo} (${r.commit})`, SHAPES[/** @type {keyof SHAPES} */ (r.shape)], NODES[/** @type {keyof NODES} */ (r.kind)], r.count, `${medianWithSpread(ms)}${flagged}`, fixed(median(runs.map((x) => x.requestsPerUser))), fixed(perRequest), fixed(median(runs.map((x) => x.connectionsPerUser))), fixed(median(runs.map((x) => x.peakRssMb)), 0)];
	});
	return table(['Package', 'Workflow', 'Node', 'users', 'ms per user', 'requests per user', 'ms per request', 'TCP connections per user', 'peak RSS of `n8n execute` (MB)'], rows);
}

/** The issue 29 targets, per checkout. @param {any} saved */
function targetsTable(saved) {
	const repos = [...new Set(saved.results.map((/** @type {any} */ r) => r.repo))];
	const rows = repos.flatMap((repo) => {
		const of = (/** @type {string} */ kind, /** @type {number} */ count) => pick(measuredRuns(saved), (r) => r.repo === repo && r.shape === 'cold' && r.kind === kind && r.count === count);
		return [300, 2000].map((count) => {
			const commvault = of('commvault', count);
			const minimal = of('benchAuthRequest', count);
			const perUser = median(commvault.map((r) => r.msPerUser));
			const budget = median(minimal.map((r) => r.msPerUser / r.requestsPerUser)) * median(commvault.map((r) => r.requestsPerUser));
			const ratio = perUser / budget;
			const fourMs = count === 2000 ? `${fixed(perUser)} ms per user: ${perUser <= 4 ? 'met' : 'missed'}` : '–';
			return [`${repo} (${commvault[0]?.commit ?? '?'})`, count, fixed(perUser), fixed(budget), `${fixed(ratio)}× (${ratio <= 1.5 ? 'met' : 'missed'})`, fourMs];
		});
	});
	return table(['Package', 'users', 'Commvault ms per user', 'minimal ms per request × Commvault requests per user', 'ratio (target ≤ 1.5×)', '2,000 users ≤ 4 ms per user'], rows);
}

/**
 * CPU milliseconds per user that 1,700 more users cost (cold runs of 2,000 minus 300 users): start-up,
 * the task runners and the Set and Split Out nodes cancel out, and CPU time is less sensitive than wall
 * time to other processes on the machine.
 * @param {any} saved
 */
function cpuTable(saved) {
	const runs = measuredRuns(saved).filter((/** @type {any} */ r) => r.shape === 'cold' && Number.isFinite(r.cpuSeconds));
	const keys = [...new Set(runs.map((/** @type {any} */ r) => `${r.repo}|${r.kind}`))];
	const rows = keys.map((key) => {
		const [repo, kind] = key.split('|');
		const cpu = (/** @type {number} */ count) => median(runs.filter((/** @type {any} */ r) => r.repo === repo && r.kind === kind && r.count === count).map((/** @type {any} */ r) => r.cpuSeconds));
		const perUser = ((cpu(2000) - cpu(300)) * 1000) / 1700;
		const requests = median(runs.filter((/** @type {any} */ r) => r.repo === repo && r.kind === kind).map((/** @type {any} */ r) => r.requestsPerUser));
		return [repo, NODES[/** @type {keyof NODES} */ (kind)], fixed(cpu(300), 1), fixed(cpu(2000), 1), fixed(perUser), fixed(perUser / requests)];
	});
	return rows.length > 0 ? table(['Package', 'Node', 'CPU s, 300 users', 'CPU s, 2,000 users', 'CPU ms per user', 'CPU ms per request'], rows) : '';
}

/** @param {any} saved */
function section(saved) {
	return [
		START,
		'### 6. A user-shaped workflow: Set → Split Out → node, one `n8n execute` per run',
		'',
		`Measured by \`npm run bench:user-shaped\` (bench/user-shaped.js) on ${saved.date}, in ${Math.round(saved.minutes)} minutes, ${saved.runs} run(s) per row, median (min–max). Machine: ${saved.cpus}; load average ${saved.loadStart} at the start, ${saved.loadEnd} at the end. Node ${saved.node}, n8n ${saved.n8n}. Every run is a fresh \`n8n execute --id\` of its own workflow; the figure is the measured node's \`executionTime\` ÷ users. Each run is checked against the simulator's records (every user offboarded once; ⚠ where not).`,
		'',
		rowsTable(saved),
		'',
		targetsTable(saved),
		'',
		...(cpuTable(saved) ? [cpuTable(saved), ''] : []),
		`${saved.results.some((/** @type {any} */ r) => r.profile) ? 'The first cold Commvault run of each package ran under the CPU profiler and is left out of the figures. ' : ''}"cold" is the workflow of issue 29 as a user runs it. "runner-ready" adds one Code node in front, which waits until n8n's JavaScript task runner is up (section 1 feeds its items from a Code node); "warm" runs the node on 100 other users first in the same process (section 1 has such a warm-up copy). See [docs/performance.md](../docs/performance.md) for the profile.`,
		END,
	].join('\n');
}

/** Writes the section into bench/results.md (appended the first time). @param {any} saved */
function userShapedReport(saved) {
	const current = fs.readFileSync(RESULTS_MD, 'utf8');
	const start = current.indexOf(START);
	const end = current.indexOf(END);
	const next = start >= 0 && end > start ? `${current.slice(0, start)}${section(saved)}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${section(saved)}\n`;
	fs.writeFileSync(RESULTS_MD, next);
}

module.exports = { userShapedReport };
