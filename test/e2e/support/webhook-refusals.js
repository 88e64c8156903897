// @ts-check
'use strict';

/**
 * What the webhook-refusals suite needs around the ledger's n8n: the newest finished execution of a
 * workflow with its decoded run data, and where a string sits in stored run data.
 */

const fs = require('node:fs');
const path = require('node:path');

const n8n = require('../../../scripts/n8n');
const { FINISHED, waitForStatus } = require('./ledger');
const { WEBHOOK_SECRETS, postRaw } = require('./e2e');

/**
 * How many executions of a workflow n8n lists, finished or not.
 * @param {import('../../../scripts/n8n/rest').N8nClient} client
 * @param {string} workflowId
 */
async function executionCount(client, workflowId) {
	return (await client.listExecutions({ workflowId })).length;
}

/**
 * Waits until the workflow has `count` finished executions and returns the newest one as stored:
 * its status and its decoded run data (`GET /rest/executions/:id`, the flatted data n8n keeps).
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @param {string} workflowId
 * @param {number} count
 */
async function newestFinishedRun(instance, workflowId, count) {
	const client = /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client);
	const [newest] = (await waitForStatus(client, workflowId, count, FINISHED)).filter((e) => FINISHED.includes(e.status));
	return await storedRun(instance, String(newest.id));
}

/**
 * One execution as n8n stores it: its status, the stored (flatted) run data and that data decoded.
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @param {string} id
 */
async function storedRun(instance, id) {
	const client = /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client);
	const stored = await client.getExecution(id);
	const raw = typeof stored.data === 'string' ? stored.data : JSON.stringify(stored.data);
	return { id, status: String(stored.status), raw, run: n8n.parseFlatted(instance.install.dir, raw) };
}

/**
 * Whether this n8n keeps the BambooHR private key in the workflow: before 2.10 the Crypto node has no
 * credential, so the key is a node parameter, stored with the workflow and with each execution's copy of it.
 */
function bambooHrKeyIsNodeParameter() {
	return !n8n.hasCryptoCredential(n8n.N8N_VERSION);
}

/**
 * The error message a red execution stored (the node that stopped it), or undefined.
 * @param {any} run  decoded run data (IRunExecutionData)
 * @returns {string | undefined}
 */
function storedErrorMessage(run) {
	return run?.resultData?.error?.message;
}

/**
 * Every path in a decoded value at which a string contains `needle`, e.g.
 * `resultData.runData.Webhook.0.data.main.0.0.json.headers.authorization`. Follows each object once
 * (decoded flatted data may share objects).
 * @param {unknown} value
 * @param {string} needle
 * @returns {string[]}
 */
function pathsContaining(value, needle) {
	/** @type {string[]} */
	const found = [];
	const seen = new Set();
	/** @param {unknown} node @param {string[]} path */
	const visit = (node, path) => {
		if (typeof node === 'string') {
			if (node.includes(needle)) found.push(path.join('.'));
			return;
		}
		if (node === null || typeof node !== 'object' || seen.has(node)) return;
		seen.add(node);
		for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
	};
	visit(value, []);
	return found;
}

/**
 * The status n8n's Webhook node answers to basic auth with a wrong password. n8n 2.0.0 answers 403
 * (n8n-nodes-base 2.0.0 `dist/nodes/Webhook/utils.js` L146-148), n8n 2.41.1 401 "Authentication data is
 * wrong!" (2.41.1 `utils.js` L251-255); releases in between are told apart by that message in the
 * installed Webhook node, as the harness tells other release differences apart (support/mcp.js).
 * @param {string} n8nDir  the n8n install folder
 */
function wrongBasicAuthStatus(n8nDir) {
	const utils = path.join(n8nDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Webhook', 'utils.js');
	return fs.readFileSync(utils, 'utf8').includes("WebhookAuthorizationError(401, 'Authentication data is wrong!')") ? 401 : 403;
}

/**
 * ServiceNow's basic auth with the right user and a wrong password, as an Authorization header value.
 * @param {string} user
 */
function wrongBasicAuth(user) {
	return `Basic ${Buffer.from(`${user}:not-the-password`, 'utf8').toString('base64')}`;
}

/**
 * POSTs bytes as they are to the BambooHR example, signed with the private key as BambooHR signs.
 * @param {string} url
 * @param {string} rawBody
 */
async function postSignedRawBambooHr(url, rawBody) {
	return await postRaw(url, rawBody, n8n.signBambooHr(rawBody, WEBHOOK_SECRETS.bambooHrKey));
}

module.exports = { executionCount, newestFinishedRun, storedRun, storedErrorMessage, pathsContaining, bambooHrKeyIsNodeParameter, wrongBasicAuth, wrongBasicAuthStatus, postSignedRawBambooHr };
