// @ts-check
'use strict';

/**
 * HTTP(S) agents for tests (TS tests may not import node:* modules, so they live here).
 */
const http = require('node:http');
const https = require('node:https');

/**
 * An https agent that accepts the simulator's self-signed TEST-ONLY certificate without
 * verification (what the node's "Ignore SSL issues" does).
 * @param {{ keepAlive?: boolean }} [options]
 * @returns {https.Agent}
 */
function createInsecureHttpsAgent(options = {}) {
	return new https.Agent({ rejectUnauthorized: false, keepAlive: options.keepAlive ?? false });
}

/**
 * An https agent that verifies the server against the given CA certificate (PEM).
 * @param {string} ca
 * @param {{ keepAlive?: boolean }} [options]
 * @returns {https.Agent}
 */
function createVerifyingHttpsAgent(ca, options = {}) {
	return new https.Agent({ ca, keepAlive: options.keepAlive ?? false });
}

/**
 * A plain http agent (keep-alive on by default).
 * @param {{ keepAlive?: boolean, maxSockets?: number }} [options]
 * @returns {http.Agent}
 */
function createHttpAgent(options = {}) {
	return new http.Agent({ keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? Infinity });
}

/**
 * Destroys an agent's pooled sockets.
 * @param {http.Agent | https.Agent} agent
 */
function destroyAgent(agent) {
	agent.destroy();
}

module.exports = { createInsecureHttpsAgent, createVerifyingHttpsAgent, createHttpAgent, destroyAgent };
