// @ts-check
'use strict';

/**
 * The workflows of `npm run bench:user-shaped` (bench/user-shaped.js): the node fed the way a user's
 * workflow feeds it (issue 29), each run as its own `n8n execute --id`:
 *
 *   cold          Manual Trigger → Set (raw JSON: a list of user names) → Split Out → node
 *   runner-ready  Manual Trigger → Code (passes its item on) → Set → Split Out → node
 *   warm          … → Split Out ┬→ Limit 100 → node (warm-up)
 *                               └→ node (measured)
 *
 * "cold" is what a user's `n8n execute` pays. "runner-ready" differs by one Code node in front, which
 * waits for n8n's JavaScript task runner to be up: section 1 of bench/results.md feeds its items from a
 * Code node, so its nodes never run while that runner starts. "warm" runs the node once on 100 other
 * users first, as section 1's warm-up copy does, in the same process.
 */

const { EXAMPLE_CREDENTIAL } = require('../../scripts/n8n');
const { commvaultOffboardNode } = require('./workflows');

/** @typedef {'cold' | 'runner-ready' | 'warm'} Shape */
/** @typedef {'commvault' | 'benchAuthRequest'} NodeKind */

const WARMUP_ITEMS = 100;
const MEASURED = 'Measured';

/** @param {number} n */
const userName = (n) => `user${String(n).padStart(5, '0')}`;

/**
 * The measured node, reading its user from `$json.userName`.
 * @param {NodeKind} kind
 */
function measuredNode(kind) {
	const credentials = { commvaultApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name } };
	if (kind === 'benchAuthRequest') {
		return { type: 'CUSTOM.benchAuthRequest', typeVersion: 1, parameters: { userName: '={{ $json.userName }}' }, credentials };
	}
	return commvaultOffboardNode({
		value: '={{ $json.userName }}',
		// Default options, but for the 2,000-user run, which is above the default Max Users per Run (500).
		maxUsersPerRun: 100_000,
		requestOptions: { maxConcurrency: 1 },
		credential: EXAMPLE_CREDENTIAL,
	});
}

/**
 * @param {string} name
 * @param {string} type
 * @param {number} x
 * @param {Record<string, unknown>} parameters
 */
const plainNode = (name, type, x, parameters, typeVersion = 1) => ({ id: name, name, type, typeVersion, position: [x, 0], parameters });

/**
 * One workflow: `count` measured users from `first` on (and, for "warm", 100 more after them).
 * @param {{ id: string, shape: Shape, kind: NodeKind, first: number, count: number }} options
 * @returns {{ workflow: object, users: number }}  users: how many users it offboards in all
 */
function userShapedWorkflow({ id, shape, kind, first, count }) {
	const total = count + (shape === 'warm' ? WARMUP_ITEMS : 0);
	// The measured users first; for "warm", the warm-up's 100 users after them (Limit: last 100 items).
	const names = Array.from({ length: total }, (_, i) => userName(first + i));
	const nodes = [plainNode('Start', 'n8n-nodes-base.manualTrigger', 0, {})];
	const chain = ['Start'];
	if (shape === 'runner-ready') {
		nodes.push(plainNode('Code', 'n8n-nodes-base.code', 200, { jsCode: 'return $input.all();' }, 2));
		chain.push('Code');
	}
	nodes.push(plainNode('Users', 'n8n-nodes-base.set', 400, { mode: 'raw', jsonOutput: JSON.stringify({ userName: names }), options: {} }, 3.4));
	nodes.push(plainNode('Split Out', 'n8n-nodes-base.splitOut', 600, { fieldToSplitOut: 'userName', options: {} }));
	chain.push('Users', 'Split Out');
	/** @type {Record<string, { main: Array<Array<{ node: string, type: string, index: number }>> }>} */
	const connections = {};
	const link = (/** @type {string} */ from, /** @type {string} */ to) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	for (let i = 1; i < chain.length; i++) link(chain[i - 1], chain[i]);
	if (shape === 'warm') warmUpBranch(nodes, link, kind, count);
	nodes.push({ id: MEASURED, name: MEASURED, position: [1000, 0], ...measuredNode(kind) });
	link(shape === 'warm' ? 'Measured users' : 'Split Out', MEASURED);
	const workflow = { id, name: `bench user-shaped: ${shape}, ${kind}, ${count}`, nodes, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {} };
	return { workflow, users: total };
}

/**
 * The warm-up branch (first in execution order: it is connected first) and the filter that gives the
 * measured node the other users.
 * @param {any[]} nodes
 * @param {(from: string, to: string) => void} link
 * @param {NodeKind} kind
 * @param {number} count
 */
function warmUpBranch(nodes, link, kind, count) {
	nodes.push(plainNode('Warm-up users', 'n8n-nodes-base.limit', 800, { maxItems: WARMUP_ITEMS, keep: 'lastItems' }));
	nodes.push({ id: 'Warm-up', name: 'Warm-up', position: [1000, 200], ...measuredNode(kind) });
	nodes.push(plainNode('Measured users', 'n8n-nodes-base.limit', 800, { maxItems: count }));
	link('Split Out', 'Warm-up users');
	link('Warm-up users', 'Warm-up');
	link('Split Out', 'Measured users');
}

module.exports = { userShapedWorkflow, MEASURED, WARMUP_ITEMS, userName };
