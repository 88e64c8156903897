// @ts-check
'use strict';

/**
 * The in-process engine view: nodes run inside n8n-core's real WorkflowExecute, in this process.
 *
 * - The Commvault node runs through the test harness itself (`runCommvaultNode`,
 *   test/harness/engine.ts), compiled by `tsc -p tsconfig.bench.json` into bench/.build/.
 * - The minimal nodes (minimal-nodes.js) run through `runNode` below, which builds the workflow
 *   exactly as the harness does (same WorkflowExecute, and the harness's own additionalData: the same
 *   TestCredentialsHelper, credential store and CommvaultApi credential type), only with another node type.
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

/** @returns {typeof import('../../test/harness/credentials')} */
function harnessCredentials() {
	return require(path.join(BUILD_DIR, 'test', 'harness', 'credentials.js'));
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
 * Runs the Commvault node with the harness.
 * @param {import('../../test/harness/engine').RunOptions} options
 * @returns {Promise<EngineRun>}
 */
async function runCommvault(options) {
	const { runCommvaultNode, NODE_NAME } = harness();
	const started = performance.now();
	const result = await runCommvaultNode(options);
	const wallMs = performance.now() - started;
	const nodeRun = result.run.data.resultData.runData[NODE_NAME]?.[0];
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
 * Runs one node of another type the way the harness runs the Commvault node.
 * @param {{ nodeType: any, typeName: string, parameters: Record<string, unknown>, items: any[], credentials: Record<string, unknown>, store?: any }} options
 * @returns {Promise<EngineRun>}
 */
async function runNode(options) {
	const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
	const { NodeHelpers, Workflow, createRunExecutionData } = require('n8n-workflow');
	const { CredentialStore } = harnessCredentials();
	const { credentialData, engineAdditionalData } = harness();

	const store = options.store ?? new CredentialStore();
	store.set('commvaultApi', credentialData(/** @type {any} */ (options.credentials)));
	const nodeName = 'Bench';
	/** @type {import('n8n-workflow').INode} */
	const node = {
		id: 'bench-node',
		name: nodeName,
		type: options.typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: /** @type {import('n8n-workflow').INodeParameters} */ (options.parameters),
		credentials: { commvaultApi: { id: '1', name: 'Commvault' } },
	};
	// Cast as the harness does: a workflow that is never stored needs no version fields.
	const workflowData = /** @type {import('n8n-workflow').IWorkflowBase} */ ({
		id: 'bench',
		name: 'bench',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	/** @type {Record<string, any>} */
	const types = { [options.typeName]: options.nodeType };
	const nodeTypes = {
		getByName: (/** @type {string} */ type) => types[type],
		getByNameAndVersion: (/** @type {string} */ type, /** @type {number} */ version) =>
			NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		settings: workflowData.settings,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', /** @type {any} */ (workflowData));
	/** @type {(run: any) => void} */
	let finished = () => {};
	const done = new Promise((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (/** @type {any} */ run) => finished(run));
	const additionalData = { ...engineAdditionalData(store), hooks };
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: /** @type {import('n8n-workflow').INode} */ (workflow.getNode(nodeName)), data: { main: [options.items] }, source: null },
			],
			waitingExecutionSource: null,
		},
	});
	const started = performance.now();
	await new WorkflowExecute(/** @type {any} */ (additionalData), 'manual', runData).processRunExecutionData(workflow);
	const run = /** @type {any} */ (await done);
	const wallMs = performance.now() - started;
	const nodeRun = run.data.resultData.runData[nodeName]?.[0];
	return {
		executionTimeMs: nodeRun?.executionTime ?? Number.NaN,
		wallMs,
		output: nodeRun?.data?.main?.[0] ?? [],
		errorOutput: nodeRun?.data?.main?.[1] ?? [],
		error: run.data.resultData.error?.message,
		store,
	};
}

module.exports = { runCommvault, runNode, harness, BUILD_DIR };
