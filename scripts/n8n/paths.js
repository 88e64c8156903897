// @ts-check
'use strict';

/**
 * Where things live: the repository, the shared cache (pinned n8n, Node 24) and the n8n binary.
 * The cache root is the same one `scripts/node24.sh` uses.
 */

const os = require('node:os');
const path = require('node:path');

/** The n8n release the demo and the end-to-end tests run against unless N8N_VERSION says otherwise. */
const DEFAULT_N8N_VERSION = '2.41.1';

/**
 * The n8n release to use: `N8N_VERSION` from the environment (e.g. `N8N_VERSION=2.0.0 npm run test:e2e`,
 * the compatibility legs of `.ci/run`), else DEFAULT_N8N_VERSION. An exact version only (it names
 * the cache folder `n8n-<version>`), never a range or a tag.
 * @param {NodeJS.ProcessEnv} [env]
 */
function selectedN8nVersion(env = process.env) {
	const wanted = (env.N8N_VERSION ?? '').trim();
	if (wanted === '') return DEFAULT_N8N_VERSION;
	if (!/^\d+\.\d+\.\d+$/.test(wanted)) {
		throw new Error(`N8N_VERSION must be an exact n8n version such as ${DEFAULT_N8N_VERSION}; got "${wanted}"`);
	}
	return wanted;
}

/** The n8n release this process uses (see selectedN8nVersion). */
const N8N_VERSION = selectedN8nVersion();

/** The repository root (this file is scripts/n8n/paths.js). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The npm package name, which is also the prefix of our node types inside n8n. */
const PACKAGE_NAME = 'n8n-nodes-commvault';

/**
 * `${N8N_NODES_COMMVAULT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-commvault}`
 * @param {NodeJS.ProcessEnv} [env]
 */
function cacheRoot(env = process.env) {
	if (env.N8N_NODES_COMMVAULT_CACHE) return path.resolve(env.N8N_NODES_COMMVAULT_CACHE);
	const xdg = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(env.HOME || os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-commvault');
}

/**
 * The folder a pinned n8n is installed into: `<cache>/n8n-<version>`.
 * @param {string} [version]
 * @param {NodeJS.ProcessEnv} [env]
 */
function n8nInstallDir(version = N8N_VERSION, env = process.env) {
	return path.join(cacheRoot(env), `n8n-${version}`);
}

/**
 * The n8n CLI entry point inside an install folder (run it with `node`, not through a shell).
 * @param {string} installDir
 */
function n8nBin(installDir) {
	return path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

module.exports = { N8N_VERSION, DEFAULT_N8N_VERSION, selectedN8nVersion, REPO_ROOT, PACKAGE_NAME, cacheRoot, n8nInstallDir, n8nBin };
