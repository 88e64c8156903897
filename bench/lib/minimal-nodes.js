// @ts-check
'use strict';

/**
 * Two minimal nodes that send the same POST {base}/User/Offboard per item as the Commvault node,
 * with nothing else: no retries, no validation, no error mapping. They split the cost of one item
 * into "n8n's request helper" and "n8n's authentication path", so the overhead table can say
 * where the time goes. They run in the in-process engine (bench/lib/engine.js) and, loaded from
 * n8n's custom extensions folder (`CUSTOM.benchAuthRequest`, `CUSTOM.benchPlainRequest`), in the
 * real n8n. Plain objects only: no imports, so the same file loads in both.
 *
 * The credential (commvaultApi) is read once per execution, for its base URL and token; the
 * Commvault node reads it once per request, which is part of what the table compares.
 *
 * A third node, BenchBareLoop, is the floor measured inside n8n itself: its execute() is the bare
 * axios loop of bench/worker.js (one keep-alive agent, user names read straight from the items),
 * so it runs in the same process, at the same time and under the same load as the nodes it is
 * compared with, and uses none of n8n's helpers.
 */

/** @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions */
/** @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData */

/**
 * @param {string} name
 * @param {string} displayName
 * @param {string} description
 * @param {object[]} [properties]
 */
function describe(
	name,
	displayName,
	description,
	properties = [{ displayName: 'User Name', name: 'userName', type: 'string', default: '' }],
) {
	return {
		displayName,
		name,
		group: ['output'],
		version: 1,
		description,
		defaults: { name: displayName },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'commvaultApi', required: true }],
		properties,
	};
}

/** @param {unknown} baseUrl */
function offboardUrl(baseUrl) {
	return `${String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '')}/User/Offboard`;
}

/**
 * `this.helpers.httpRequestWithAuthentication('commvaultApi', …)` per item: n8n fetches and
 * decrypts the credential, runs its preAuthentication check and applies `authenticate`.
 */
class BenchAuthRequest {
	constructor() {
		this.description = describe(
			'benchAuthRequest',
			'Bench: httpRequestWithAuthentication',
			'Benchmark only: POST /User/Offboard per item through httpRequestWithAuthentication',
		);
	}

	/** @this {IExecuteFunctions} */
	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('commvaultApi');
		const url = offboardUrl(credentials.baseUrl);
		/** @type {INodeExecutionData[]} */
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const userName = /** @type {string} */ (this.getNodeParameter('userName', i));
			const response = await this.helpers.httpRequestWithAuthentication.call(this, 'commvaultApi', {
				method: 'POST',
				url,
				headers: { Accept: 'application/json' },
				body: { userName },
				json: true,
			});
			out.push({ json: response, pairedItem: { item: i } });
		}
		return [out];
	}
}

/**
 * `this.helpers.httpRequest(…)` per item with the Authtoken header set by the node itself: n8n's
 * request helper without the credential round trip.
 */
class BenchPlainRequest {
	constructor() {
		this.description = describe(
			'benchPlainRequest',
			'Bench: httpRequest',
			'Benchmark only: POST /User/Offboard per item through httpRequest, Authtoken header set by the node',
		);
	}

	/** @this {IExecuteFunctions} */
	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('commvaultApi');
		const url = offboardUrl(credentials.baseUrl);
		const token = String(credentials.accessToken ?? '');
		const authtoken = token.startsWith('QSDK ') ? token : `QSDK ${token}`;
		/** @type {INodeExecutionData[]} */
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const userName = /** @type {string} */ (this.getNodeParameter('userName', i));
			const response = await this.helpers.httpRequest({
				method: 'POST',
				url,
				headers: { Accept: 'application/json', Authtoken: authtoken },
				body: { userName },
				json: true,
			});
			out.push({ json: response, pairedItem: { item: i } });
		}
		return [out];
	}
}

/**
 * The bare axios loop as a node: one keep-alive agent per execution, the user name read from the
 * item field named in "User Field" (no expression), nothing of n8n's request path.
 */
class BenchBareLoop {
	constructor() {
		this.description = describe(
			'benchBareLoop',
			'Bench: bare axios loop',
			"Benchmark only: POST /User/Offboard per item with axios and a keep-alive agent, outside n8n's helpers",
			[{ displayName: 'User Field', name: 'userField', type: 'string', default: 'userName' }],
		);
	}

	/** @this {IExecuteFunctions} */
	async execute() {
		const http = require('node:http');
		const axios = require('axios');
		const items = this.getInputData();
		const field = String(this.getNodeParameter('userField', 0));
		const credentials = await this.getCredentials('commvaultApi');
		const token = String(credentials.accessToken ?? '');
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const client = axios.create({
			httpAgent: agent,
			headers: { Accept: 'application/json', Authtoken: token.startsWith('QSDK ') ? token : `QSDK ${token}` },
			timeout: 60_000,
		});
		const url = offboardUrl(credentials.baseUrl);
		/** @type {INodeExecutionData[]} */
		const out = [];
		try {
			for (let i = 0; i < items.length; i++) {
				const response = await client.post(url, { userName: items[i].json[field] });
				out.push({ json: response.data, pairedItem: { item: i } });
			}
		} finally {
			agent.destroy();
		}
		return [out];
	}
}

module.exports = { BenchAuthRequest, BenchPlainRequest, BenchBareLoop };
