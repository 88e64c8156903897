// @ts-check
'use strict';

/**
 * Turns n8n's SSRF protection on for the engine tests, the way an n8n administrator does: the
 * environment variables n8n 2.41 reads (@n8n/config `SsrfProtectionConfig`), then a fresh DI
 * container, so that n8n-core's `OutboundHttp` and `SsrfProtectionService` are built again from them.
 * The .ts tests cannot touch `process` (n8n's lint), hence this file.
 */

const path = require('node:path');

// n8n-core brings its own copy of @n8n/di (and of @n8n/config and @n8n/backend-network): use that one.
const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const { Container } = require(require.resolve('@n8n/di', { paths: [coreDir] }));

const VARIABLES = ['N8N_SSRF_PROTECTION_ENABLED', 'N8N_SSRF_ALLOWED_HOSTNAMES', 'N8N_SSRF_ALLOWED_IP_RANGES', 'N8N_SSRF_BLOCKED_HOSTNAMES'];

/**
 * @param {{ allowedHostnames?: string, allowedIpRanges?: string, blockedHostnames?: string }} [settings]
 */
function enableSsrfProtection(settings = {}) {
	disableSsrfProtection();
	process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
	if (settings.allowedHostnames) process.env.N8N_SSRF_ALLOWED_HOSTNAMES = settings.allowedHostnames;
	if (settings.allowedIpRanges) process.env.N8N_SSRF_ALLOWED_IP_RANGES = settings.allowedIpRanges;
	if (settings.blockedHostnames) process.env.N8N_SSRF_BLOCKED_HOSTNAMES = settings.blockedHostnames;
	Container.reset();
}

/** Back to n8n's default (protection off). */
function disableSsrfProtection() {
	for (const name of VARIABLES) delete process.env[name];
	Container.reset();
}

module.exports = { enableSsrfProtection, disableSsrfProtection };
