// @ts-check
'use strict';

/**
 * The workflows the benchmark imports into the real n8n and runs with `n8n execute --id`.
 *
 * One workflow per section holds every variant of it (a node type with its settings), each as
 * several copies of the node: one warm-up copy, then one copy per measured run.
 *
 *   Start → Users (Code) ┬→ [Limit W →] copy 1 → Stats 1 → Reset 1
 *                        ├→ copy 2 → Stats 2 → Reset 2
 *                        └→ …
 *
 * - With executionOrder v1 the branches run one after another, top to bottom, in one n8n process.
 *   The copies are interleaved: all warm-ups first, then round 1 (every variant once), round 2, …,
 *   each round in a rotated order, so drift and load from elsewhere on the machine spread evenly
 *   over the variants instead of landing on one of them.
 * - Every copy offboards its own block of users (item i carries `u<j>` = the user for copy j), so
 *   nothing is offboarded twice and the simulator's records say which copy sent what.
 * - After each copy, "Stats j" reads the simulator's counters (the most requests it had in flight
 *   at once, logins, requests per endpoint) and "Reset j" clears them for the next copy. These
 *   calls go to the simulator's control API, which is never counted, recorded or delayed.
 * - Only each copy's own `executionTime` from the printed run data counts, so n8n's start-up, the
 *   Code node that makes the items and the Stats/Reset nodes are not in the figures.
 */

const { EXAMPLE_CREDENTIAL } = require('../../scripts/n8n');
const { generatedUserName } = require('../../simulator/seed-data');

const HEADER_CREDENTIAL = Object.freeze({ id: 'benchHeaderAuth01', name: 'Commvault Authtoken (Header Auth)' });
const PASSWORD_CREDENTIAL = Object.freeze({ id: 'benchPassword0001', name: 'Commvault (simulator, password)' });

/**
 * @typedef {object} Variant
 * @property {string} key            short id, also used in node names
 * @property {string} label
 * @property {'commvault' | 'httpRequest' | 'benchAuthRequest' | 'benchPlainRequest' | 'benchBareLoop'} node
 * @property {number} [maxConcurrency]                       Commvault node
 * @property {{ batchSize: number, batchInterval: number }} [batching]  HTTP Request node
 * @property {'accessToken' | 'password'} [auth]             Commvault node credential (default token)
 */

/**
 * @typedef {object} Copy
 * @property {string} variant        Variant.key
 * @property {number} round          0 = warm-up
 * @property {string} node           the copy's node name
 * @property {string} statsNode      the node that read the simulator's counters after it
 * @property {number} first          first user number of its block (user00001 = 1)
 * @property {number} count          items it gets
 */

/**
 * The Commvault node doing User → Offboard by name with default options but Max Users per Run, as
 * every benchmark measures it.
 * @param {{ value: string, maxUsersPerRun: number, requestOptions: Record<string, unknown>, credential: { id: string, name: string } }} settings
 */
function commvaultOffboardNode({ value, maxUsersPerRun, requestOptions, credential }) {
	return {
		type: 'n8n-nodes-commvault.commvault',
		typeVersion: 1,
		parameters: {
			resource: 'user',
			operation: 'offboard',
			user: { __rl: true, mode: 'name', value },
			options: { maxUsersPerRun },
			requestOptions,
		},
		credentials: { commvaultApi: { id: credential.id, name: credential.name } },
	};
}

/**
 * The measured node reading its user from `field`.
 * @param {Variant} variant
 * @param {string} baseUrl
 * @param {string} field
 */
function measuredNode(variant, baseUrl, field) {
	const value = `={{ $json.${field} }}`;
	switch (variant.node) {
		case 'commvault':
			return commvaultOffboardNode({
				value,
				// Bench batches are far above the default Max Users per Run (500).
				maxUsersPerRun: 1_000_000,
				requestOptions: variant.maxConcurrency ? { maxConcurrency: variant.maxConcurrency } : {},
				credential: variant.auth === 'password' ? PASSWORD_CREDENTIAL : EXAMPLE_CREDENTIAL,
			});
		case 'httpRequest':
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `${baseUrl.replace(/\/+$/, '')}/User/Offboard`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ userName: $json.${field} }) }}`,
					options: variant.batching ? { batching: { batch: { ...variant.batching } } } : {},
				},
				credentials: { httpHeaderAuth: { ...HEADER_CREDENTIAL } },
			};
		case 'benchAuthRequest':
		case 'benchPlainRequest':
			return {
				type: `CUSTOM.${variant.node}`,
				typeVersion: 1,
				parameters: { userName: value },
				credentials: { commvaultApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name } },
			};
		case 'benchBareLoop':
			return {
				type: 'CUSTOM.benchBareLoop',
				typeVersion: 1,
				parameters: { userField: field },
				credentials: { commvaultApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name } },
			};
		default:
			throw new Error(`unknown node ${variant.node}`);
	}
}

/**
 * An HTTP Request node that calls the simulator's control API once.
 * @param {string} method
 * @param {string} url
 */
function controlNode(method, url) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		executeOnce: true,
		parameters: { method, url, options: {} },
	};
}

/**
 * The copies in the order they run: every warm-up first, then each round in a rotated order.
 * @param {Variant[]} variants
 * @param {number} warmupItems
 * @param {number} runs
 * @returns {Array<{ variant: Variant, round: number }>}
 */
function runOrder(variants, warmupItems, runs) {
	/** @type {Array<{ variant: Variant, round: number }>} */
	const order = [];
	if (warmupItems > 0) for (const variant of variants) order.push({ variant, round: 0 });
	for (let round = 1; round <= runs; round++) {
		const shift = (round - 1) % variants.length;
		for (const variant of [...variants.slice(shift), ...variants.slice(0, shift)]) order.push({ variant, round });
	}
	return order;
}

/**
 * The Code node that makes the items: item i carries, for copy j, the user first_j + i (user00001 = 1),
 * named as the simulator names its generated users.
 * @param {string} id
 * @param {number} items
 * @param {Copy[]} copies
 */
function usersNode(id, items, copies) {
	const jsCode = [
		`const N = ${items};`,
		`const firsts = ${JSON.stringify(copies.map((c) => c.first))};`,
		`const name = ${generatedUserName.toString()};`,
		'return Array.from({ length: N }, (_, i) => {',
		'  const json = {};',
		'  firsts.forEach((first, j) => { json[`u${j}`] = name(first + i); });',
		'  return { json };',
		'});',
	].join('\n');
	return { id: `${id}-users`, name: 'Users', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode } };
}

/**
 * @param {{ id: string, name: string, variants: Variant[], baseUrl: string, simulatorUrl: string, items: number, warmupItems: number, runs: number }} options
 * @returns {{ workflow: object, copies: Copy[], users: number }}  users: the highest user number offboarded
 */
function buildSectionWorkflow(options) {
	const { items, warmupItems } = options;
	/** @type {any[]} */
	const nodes = [
		{ id: `${options.id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	/** @type {Record<string, any>} */
	const connections = {};
	/** @param {any} node @param {string} from */
	const add = (node, from) => {
		nodes.push(node);
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: node.name, type: 'main', index: 0 });
	};

	/** @type {Copy[]} */
	const copies = [];
	let nextUser = 1;
	runOrder(options.variants, warmupItems, options.runs).forEach(({ variant, round }, j) => {
		const count = round === 0 ? warmupItems : items;
		const node = `${variant.key} ${round === 0 ? 'warm-up' : `run ${round}`}`;
		const statsNode = `Stats ${j + 1}`;
		const y = (j + 1) * 160;
		let from = 'Users';
		if (round === 0) {
			const limit = { id: `${options.id}-limit${j}`, name: `Warm-up items ${j + 1}`, type: 'n8n-nodes-base.limit', typeVersion: 1, position: [440, y], parameters: { maxItems: warmupItems } };
			add(limit, from);
			from = limit.name;
		}
		add({ id: `${options.id}-copy${j}`, name: node, position: [660, y], ...measuredNode(variant, options.baseUrl, `u${j}`) }, from);
		add({ id: `${options.id}-stats${j}`, name: statsNode, position: [880, y], ...controlNode('GET', `${options.simulatorUrl}/__simulator/stats`) }, node);
		add({ id: `${options.id}-reset${j}`, name: `Reset ${j + 1}`, position: [1100, y], ...controlNode('POST', `${options.simulatorUrl}/__simulator/reset-stats`) }, statsNode);
		copies.push({ variant: variant.key, round, node, statsNode, first: nextUser, count });
		nextUser += count;
	});
	add(usersNode(options.id, items, copies), 'Start');

	const workflow = { id: options.id, name: options.name, nodes, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {} };
	return { workflow, copies, users: nextUser - 1 };
}

/**
 * `n8n import:credentials` entries: the Commvault access token (the example credential's id), a
 * Header Auth credential with the same token for the HTTP Request node, and a password credential.
 * @param {{ baseUrl: string, accessToken: string, account: { username: string, password: string } }} sim
 */
function benchCredentials(sim) {
	const { commvaultCredential } = require('../../scripts/n8n');
	return [
		commvaultCredential({ baseUrl: sim.baseUrl, authMethod: 'accessToken', accessToken: sim.accessToken }),
		commvaultCredential({
			...PASSWORD_CREDENTIAL,
			baseUrl: sim.baseUrl,
			authMethod: 'password',
			username: sim.account.username,
			password: sim.account.password,
		}),
		{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authtoken', value: `QSDK ${sim.accessToken}` } },
	];
}

module.exports = { buildSectionWorkflow, benchCredentials, commvaultOffboardNode, HEADER_CREDENTIAL, PASSWORD_CREDENTIAL };
