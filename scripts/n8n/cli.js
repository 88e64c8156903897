// @ts-check
'use strict';

/**
 * n8n's CLI, headless: import credentials and workflows, publish, and `execute --id` with the run
 * data parsed out of what it prints. Every command runs in its own process with a clean
 * environment (see env.js). A command takes about 5 s (n8n's start-up); the first one on a new
 * user folder also runs the database migrations (about 10 s).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { runToCompletion } = require('./process');

/**
 * @typedef {object} N8nContext
 * @property {string} bin              n8n's CLI script (from ensureN8n)
 * @property {NodeJS.ProcessEnv} env  from n8nEnv()
 */

/**
 * @typedef {object} CommandResult
 * @property {number | null} code
 * @property {string} output       stdout and stderr
 * @property {string} stdout
 * @property {number} durationMs
 */

/**
 * Runs `n8n <args>`; throws with the output when it exits non-zero (unless `allowFailure`).
 * @param {N8nContext} ctx
 * @param {string[]} args
 * @param {{ allowFailure?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<CommandResult>}
 */
async function runN8n(ctx, args, options = {}) {
	const result = await runToCompletion({
		name: `n8n ${args[0]}`,
		command: process.execPath,
		args: [ctx.bin, ...args],
		env: ctx.env,
		cwd: ctx.env.N8N_USER_FOLDER,
		timeoutMs: options.timeoutMs ?? 180_000,
	});
	if (result.code !== 0 && !options.allowFailure) {
		throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${result.output.slice(-6000)}`);
	}
	return { code: result.code, output: result.output, stdout: result.stdout, durationMs: result.durationMs };
}

/**
 * Some n8n commands report failure in their output and still exit 0 (e.g. an import whose
 * `catch` only logs). Treat those lines as failures.
 * @param {CommandResult} result
 * @param {string} what
 * @param {RegExp} success
 */
function assertReported(result, what, success) {
	if (!success.test(result.output) || /An error occurred|Error updating database/.test(result.output)) {
		throw new Error(`${what} did not report success:\n${result.output.slice(-6000)}`);
	}
}

/**
 * Writes `items` to a temporary JSON file in the user folder and returns its path.
 * @param {N8nContext} ctx
 * @param {string} name
 * @param {unknown} items
 */
function writeInput(ctx, name, items) {
	const dir = path.join(/** @type {string} */ (ctx.env.N8N_USER_FOLDER), 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	fs.writeFileSync(file, JSON.stringify(items, null, 2));
	return file;
}

/**
 * `n8n import:credentials --input=<file>`: `credentials` are `{ id, name, type, data }` with
 * plain `data`, which n8n encrypts on import. A fixed `id` makes re-imports update in place.
 * @param {N8nContext} ctx
 * @param {object[]} credentials
 */
async function importCredentials(ctx, credentials) {
	const file = writeInput(ctx, 'credentials.json', credentials);
	try {
		const result = await runN8n(ctx, ['import:credentials', `--input=${file}`]);
		assertReported(result, 'import:credentials', /Successfully imported \d+ credential/);
		return result;
	} finally {
		// The file holds the secrets in clear text.
		fs.rmSync(file, { force: true });
	}
}

/**
 * `n8n import:workflow --input=<file>` for workflow objects or files (a file may hold one
 * workflow or an array). Imported workflows are inactive; publish or activate them afterwards.
 * @param {N8nContext} ctx
 * @param {Array<object | string>} workflows  objects, or paths of JSON files
 */
async function importWorkflows(ctx, workflows) {
	/** @type {object[]} */
	const items = [];
	for (const workflow of workflows) {
		const value = typeof workflow === 'string' ? JSON.parse(fs.readFileSync(workflow, 'utf8')) : workflow;
		items.push(...(Array.isArray(value) ? value : [value]));
	}
	// n8n before 2.3.6 (2.0.x-2.3.2 seen) stores an imported workflow's `versionId` as given, and the
	// column is NOT NULL: a file without one (our examples, like a hand-written workflow) fails with
	// "SQLITE_CONSTRAINT: NOT NULL constraint failed: workflow_entity.versionId". n8n's own exports
	// carry one; later releases (and 1.123.x) replace it with a fresh one on import anyway.
	const withVersions = items.map((item) =>
		item && typeof item === 'object' && !('versionId' in item) ? { ...item, versionId: crypto.randomUUID() } : item,
	);
	const file = writeInput(ctx, 'workflows.json', withVersions);
	const result = await runN8n(ctx, ['import:workflow', `--input=${file}`]);
	assertReported(result, 'import:workflow', /Successfully imported \d+ workflow/);
	return result;
}

/**
 * Finds the run JSON `n8n execute --rawOutput` prints among its log lines: a block from a line
 * `{` to a line `}` that parses and looks like a run (has `data.resultData`). On success it is the
 * last thing printed; on failure n8n logs it ("Execution was NOT successful") and more lines follow.
 * @param {string} stdout
 * @returns {any}
 */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	const starts = [];
	const ends = [];
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] === '{') starts.push(i);
		if (lines[i] === '}') ends.push(i);
	}
	for (const start of starts) {
		for (const end of ends.filter((e) => e > start).reverse()) {
			try {
				const value = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (value && typeof value === 'object' && value.data?.resultData) return value;
			} catch {
				// not a complete JSON block, try a shorter one
			}
		}
	}
	return undefined;
}

/**
 * @typedef {object} ExecuteResult
 * @property {number | null} code     1 when the execution failed (n8n throws), else 0
 * @property {any} run                the printed IRun (data.resultData.runData…), or undefined
 * @property {string} output
 * @property {number} durationMs
 */

/**
 * `n8n execute --id <id> --rawOutput`: runs a workflow that starts with a Manual Trigger (or an
 * Execute Workflow Trigger) and returns the run data it printed. It does not throw on a failed
 * execution: check `run.status` / `run.data.resultData.error` (the exit code alone proves nothing).
 * @param {N8nContext} ctx
 * @param {string} id
 * @returns {Promise<ExecuteResult>}
 */
async function executeWorkflow(ctx, id) {
	const result = await runN8n(ctx, ['execute', `--id=${id}`, '--rawOutput'], { allowFailure: true });
	const run = parseRunOutput(result.stdout);
	if (run && run.status === 'running') {
		// n8n 2.0.x prints the run before its final status is set ("status": "running", whether it
		// succeeded or failed); what it stored is final. Report that one, as later releases print it.
		const stored = await lastStoredCliExecution(ctx, id);
		if (stored) run.status = stored.status;
	}
	return { code: result.code, run, output: result.output, durationMs: result.durationMs };
}

/**
 * The newest execution of `workflowId` that `n8n execute` stored (mode `cli`), read from the user
 * folder's SQLite database with the sqlite3 driver of the n8n install that wrote it.
 * @param {N8nContext} ctx
 * @param {string} workflowId
 * @returns {Promise<{ id: number, status: string } | undefined>}
 */
async function lastStoredCliExecution(ctx, workflowId) {
	const n8nDir = path.resolve(path.dirname(ctx.bin), '..');
	const sqlite3 = require(require.resolve('sqlite3', { paths: [n8nDir] }));
	const file = path.join(/** @type {string} */ (ctx.env.N8N_USER_FOLDER), '.n8n', 'database.sqlite');
	return await new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (/** @type {Error | null} */ openError) => {
			if (openError) return reject(openError);
			db.get(
				"SELECT id, status FROM execution_entity WHERE workflowId = ? AND mode = 'cli' ORDER BY id DESC LIMIT 1",
				[workflowId],
				(/** @type {Error | null} */ error, /** @type {any} */ row) => {
					db.close();
					if (error) reject(error);
					else resolve(row ?? undefined);
				},
			);
		});
	});
}

/**
 * The items a node produced on each of its outputs in the last run of `nodeName`:
 * `outputs[0]` is the main output, `outputs[1]` the error output when "Continue (using error
 * output)" is on. Each item is the `json` part.
 * @param {any} run
 * @param {string} nodeName
 * @returns {any[][]}
 */
function nodeOutputs(run, nodeName) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) return [];
	const main = runs[runs.length - 1]?.data?.main ?? [];
	return main.map((/** @type {any[] | null} */ items) => (items ?? []).map((item) => item.json));
}

module.exports = {
	runN8n,
	importCredentials,
	importWorkflows,
	executeWorkflow,
	parseRunOutput,
	nodeOutputs,
};
