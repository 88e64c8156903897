// @ts-check
'use strict';

/**
 * The in-process engine view: nodes run inside n8n-core's real WorkflowExecute, in this process.
 *
 * - The Commvault node runs through the test harness itself (`runCommvaultNode`,
 *   test/harness/engine.ts), compiled by `tsc -p tsconfig.bench.json` into bench/.build/.
 * - The minimal nodes (minimal-nodes.js) run through the same harness (`runNodeInEngine`): the same
 *   workflow, WorkflowExecute, credential store and CommvaultApi credential type, another node type.
 */

const path = require('node:path');

const BUILD_DIR = path.join(__dirname, '..', '.build');

/** @returns {typeof import('../../test/harness/engine')} */
function harness() {
	try {
		return require(path.join(BUILD_DIR, 'test', 'harness', 'engine.js'));
	} catch (error) {
		throw new Error(
			`bench/.build is missing or stale (${error instanceof Error ? error.message : String(error)}): run \`npm run bench\`, which compiles it with tsconfig.bench.json`,
		);
	}
}

/**
 * @typedef {object} EngineRun
 * @property {number} executionTimeMs   the node's executionTime in the run data (what n8n reports)
 * @property {number} wallMs            processRunExecutionData, start to finish
 * @property {any[]} output             regular output items
 * @property {any[]} errorOutput
 * @property {string | undefined} error the error that stopped the workflow
 * @property {any} store                the credential store (preAuthenticationCalls, stored token)
 */

/**
 * @param {() => Promise<import('../../test/harness/engine').RunResult>} run
 * @returns {Promise<EngineRun>}
 */
async function measured(run) {
	const started = performance.now();
	const result = await run();
	const wallMs = performance.now() - started;
	const nodeRun = result.run.data.resultData.runData[harness().NODE_NAME]?.[0];
	return {
		executionTimeMs: nodeRun?.executionTime ?? Number.NaN,
		wallMs,
		output: result.output,
		errorOutput: result.errorOutput,
		error: result.error?.message,
		store: result.store,
	};
}

/**
 * Runs the Commvault node with the harness.
 * @param {import('../../test/harness/engine').RunOptions} options
 * @returns {Promise<EngineRun>}
 */
async function runCommvault(options) {
	return await measured(() => harness().runCommvaultNode(options));
}

/**
 * Runs one node of another type the way the harness runs the Commvault node.
 * @param {{ nodeType: any, typeName: string, parameters: Record<string, unknown>, items: any[], credentials: Record<string, unknown>, store?: any }} options
 * @returns {Promise<EngineRun>}
 */
async function runNode(options) {
	const { nodeType, typeName, ...rest } = options;
	return await measured(() => harness().runNodeInEngine(nodeType, typeName, /** @type {any} */ (rest)));
}

module.exports = { runCommvault, runNode, harness, BUILD_DIR };
