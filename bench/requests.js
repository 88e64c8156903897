// @ts-check
'use strict';

/**
 * `npm run bench:requests` (node bench/requests.js): requests on the wire per leaver (issue 25). The
 * Commvault node runs in n8n-core's engine (test/harness, compiled into bench/.build by
 * tsconfig.bench.json) against the simulator in this process; the simulator's own record of the
 * requests is counted. Counts, not timings: the figures are the same on any machine. Writes its
 * section of bench/results.md between its own markers; the rest of the file stays.
 *
 *   node bench/requests.js [--leavers 500] [--before <results-requests.json of an older commit>] [--report-only]
 */

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { createCommvaultSimulator, DEFAULTS } = require('../simulator');
const { harness } = require('./lib/engine');
const { table } = require('./lib/stats');

const REPO_ROOT = path.resolve(__dirname, '..');
const RESULTS_MD = path.join(__dirname, 'results.md');
const RESULTS_JSON = path.join(__dirname, 'tmp', 'results-requests.json');
const MARKER_START = '<!-- bench:requests:start -->';
const MARKER_END = '<!-- bench:requests:end -->';
/** The target of issue 25 for a by-name batch with Protected Users: requests per leaver, plus a constant. */
const TARGET_PER_LEAVER = 1.05;
/** The simulator's hand-written users (simulator/seed-data.js), listed beside the generated ones. */
const SEED_USERS = require('../simulator/seed-data').DEFAULT_USERS.length;

/** @param {string} flag @param {number} fallback */
function numberOption(flag, fallback) {
	const at = process.argv.indexOf(flag);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/**
 * The configurations measured: issue 25's table, on a batch of `leavers` generated users, with
 * Protected Users naming users outside the batch by name, email and ID (so every leaver is offboarded).
 * @type {Array<{ key: string, label: string, options?: Record<string, unknown>, credential?: Record<string, unknown>, byEmail?: boolean }>}
 */
const CONFIGURATIONS = [
	{ key: 'byName', label: 'By name, Protected Users (names, emails, IDs)', credential: { protectedUsers: 'backup.admin\nkfrost@example.com\n1251' } },
	{ key: 'byEmail', label: 'By email, Protected Users (names, emails, IDs)', byEmail: true, credential: { protectedUsers: 'backup.admin\nkfrost@example.com\n1251' } },
	{ key: 'groups', label: 'By name, Protected User Groups', credential: { protectedUserGroups: 'master' } },
	{ key: 'groupsAlso', label: 'Protected User Groups + Also → Remove From User Groups', options: { alsoDo: ['removeFromUserGroups'] }, credential: { protectedUserGroups: 'master' } },
	{ key: 'dryRun', label: 'Dry Run', options: { dryRun: true } },
];

const userName = (/** @type {number} */ n) => `user${String(n).padStart(5, '0')}`;

/** Compiles the harness, the node and the credential for the engine (what `npm run bench` does first). */
function compile() {
	const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
	execFileSync(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.bench.json')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/**
 * One execution of one configuration on a fresh simulator: the requests it sent, by method and endpoint.
 * @param {typeof CONFIGURATIONS[number]} config
 * @param {number} leavers
 */
async function measure(config, leavers) {
	const sim = createCommvaultSimulator({ host: '127.0.0.1', port: 0, generatedUsers: leavers });
	await sim.start();
	try {
		const names = Array.from({ length: leavers }, (_, i) => userName(i + 1));
		const result = await harness().runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'offboard',
				user: { __rl: true, mode: config.byEmail ? 'email' : 'name', value: '={{ $json.login }}' },
				options: { maxUsersPerRun: 1_000_000, ...(config.options ?? {}) },
			},
			items: names.map((name) => ({ json: { login: config.byEmail ? `${name}@example.com` : name } })),
			credentials: { baseUrl: sim.baseUrl('/commandcenter/api'), authMethod: 'accessToken', accessToken: DEFAULTS.accessToken, ...(config.credential ?? {}) },
		});
		const failed = result.output.filter((item) => !['offboarded', 'wouldOffboard'].includes(String(item.json.status))).length;
		/** @type {Record<string, number>} */
		const byEndpoint = {};
		for (const request of sim.requests) byEndpoint[`${request.method} ${request.endpoint}`] = (byEndpoint[`${request.method} ${request.endpoint}`] ?? 0) + 1;
		return { key: config.key, label: config.label, leavers, total: sim.requests.length, byEndpoint, failed: failed + (result.error ? leavers : 0) };
	} finally {
		await sim.stop();
	}
}

/** Requests that are the execution's, not a leaver's: the token check and the reads of the user list. */
const constantOf = (/** @type {Record<string, number>} */ byEndpoint) => (byEndpoint['GET v2/whoami'] ?? 0) + (byEndpoint['GET user'] ?? 0) + (byEndpoint['GET v4/laptop'] ?? 0);

/** @param {any} saved */
function section(saved) {
	const before = (/** @type {string} */ key) => saved.before?.rows.find((/** @type {any} */ row) => row.key === key);
	const rows = saved.rows.map((/** @type {any} */ row) => {
		const constant = constantOf(row.byEndpoint);
		const perLeaver = (row.total - constant) / row.leavers;
		const was = before(row.key);
		const parts = Object.entries(row.byEndpoint)
			.map(([endpoint, count]) => `${endpoint} ×${count}`)
			.join(', ');
		const cells = [row.label, String(row.total), (row.total / row.leavers).toFixed(3), `${perLeaver.toFixed(3)} + ${constant}`, parts, row.failed ? `${row.failed} ⚠` : '0'];
		return saved.before ? [...cells, was ? `${was.total} (${(was.total / was.leavers).toFixed(3)})` : 'n/a'] : cells;
	});
	const byName = saved.rows.find((/** @type {any} */ row) => row.key === 'byName');
	const met = byName && (byName.total - constantOf(byName.byEndpoint)) / byName.leavers <= TARGET_PER_LEAVER;
	return [
		MARKER_START,
		`### 7. Requests on the wire per leaver: ${saved.leavers} leavers in one execution`,
		'',
		table(
			['Configuration', 'requests', 'per leaver', 'per leaver + per execution', 'on the wire', 'items not done', ...(saved.before ? [`before, at ${saved.before.commit} (per leaver)`] : [])],
			rows,
		),
		'',
		`Counted by \`node bench/requests.js\` on ${saved.date} at ${saved.commit}: the Commvault node in n8n-core's engine (test/harness) against the simulator (${saved.leavers} generated users and the ${SEED_USERS} of the seed, ${saved.leavers + SEED_USERS} in all), an access-token credential with a fresh store, default request options, User → Offboard of all ${saved.leavers} in one execution. "per execution": the token check (\`GET v2/WhoAmI\`, whose answer also names the credential's own user), the reads of the user list (\`GET /User?level=10&start=&limit=1000\`: ${saved.leavers + SEED_USERS} users fit on one page) and the laptop list. Target (issue 25): by name with Protected Users ≤ ${TARGET_PER_LEAVER} per leaver plus a constant: ${met ? 'met' : 'missed'}.`,
		'',
		'Why Protected User Groups costs one more request per leaver: group membership is read from the user itself, `GET /User/{id}?level=40` (`associatedUserGroups`, and `associatedExternalUserGroups` for AD groups), once per user and shared with Also → Remove From User Groups and the Dry Run. Listing a group\'s members instead rests on no documented call that covers AD groups (their members are kept in the directory), and `GET /V4/user?userGroupId=` is documented as a parameter without saying whether it includes nested or external membership, so the guard does not rest on it. Dry Run also reads each leaver\'s sessions and access tokens (its report lists them); the laptop list is read once per execution. With Also → Remove From User Groups, the user is read at level 40 once more after the change (`GET /User/{id}?level=40`), to confirm that the groups are gone: Commvault answers that change with an empty success, and the node reports it done only when the read-back shows it (issue 24).',
		MARKER_END,
	].join('\n');
}

/** @param {string} markdown */
function writeSection(markdown) {
	const current = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
	const start = current.indexOf(MARKER_START);
	const end = current.indexOf(MARKER_END);
	const next = start >= 0 && end > start ? `${current.slice(0, start)}${markdown}${current.slice(end + MARKER_END.length)}` : `${current.trimEnd()}\n\n${markdown}\n`;
	fs.writeFileSync(RESULTS_MD, next);
}

async function main() {
	if (process.argv.includes('--report-only')) {
		writeSection(section(JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'))));
		return;
	}
	const leavers = numberOption('--leavers', 500);
	process.env.N8N_USER_FOLDER ??= path.join(__dirname, 'tmp', 'engine-home');
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	compile();
	const rows = [];
	for (const config of CONFIGURATIONS) {
		const row = await measure(config, leavers);
		process.stdout.write(`${row.label}: ${row.total} requests (${JSON.stringify(row.byEndpoint)})\n`);
		rows.push(row);
	}
	const commit = execFileSync('git', ['describe', '--always', '--dirty'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
	const beforeAt = process.argv.indexOf('--before');
	const before = beforeAt > 0 ? JSON.parse(fs.readFileSync(process.argv[beforeAt + 1], 'utf8')) : undefined;
	const saved = { date: new Date().toISOString().slice(0, 10), commit, leavers, rows, before };
	fs.mkdirSync(path.dirname(RESULTS_JSON), { recursive: true });
	fs.writeFileSync(RESULTS_JSON, JSON.stringify(saved, null, 2));
	writeSection(section(saved));
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
