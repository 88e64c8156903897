// @ts-check
'use strict';

/**
 * A clean environment for n8n: nothing from the caller's shell that n8n would read (N8N_*, DB_*,
 * WEBHOOK_URL, EXECUTIONS_*, …) leaks in, only what a process needs to run, plus the settings
 * that make n8n self-contained in one user folder.
 */

const net = require('node:net');
const path = require('node:path');

const { N8N_VERSION } = require('./paths');

/** Variables passed through from the caller: what any process needs, nothing n8n-specific. */
const PASS_THROUGH = ['HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS'];

/**
 * @typedef {object} N8nEnvOptions
 * @property {string} userFolder          N8N_USER_FOLDER; n8n keeps everything in `<userFolder>/.n8n`
 * @property {number} [port]              N8N_PORT (the editor, REST API and webhooks)
 * @property {number} [brokerPort]        N8N_RUNNERS_BROKER_PORT (the task runner broker; default 5679 collides)
 * @property {string} [host]              host name in the URLs n8n prints (default localhost)
 * @property {string} [listenAddress]     N8N_LISTEN_ADDRESS (default 127.0.0.1)
 * @property {string} [version]           the n8n release (for versionDefaults); default: the selected one
 * @property {Record<string, string>} [extra]  more variables, applied last
 */

/**
 * @param {N8nEnvOptions} options
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(options) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const name of PASS_THROUGH) {
		if (process.env[name] !== undefined) env[name] = process.env[name];
	}
	// n8n's bin script and its task runner start `node` from PATH: put the running Node (24) first.
	env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;

	const host = options.host ?? 'localhost';
	Object.assign(env, {
		N8N_USER_FOLDER: options.userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		// Plain http on localhost: a `Secure` cookie would not be sent back by clients that are not browsers.
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: options.listenAddress ?? '127.0.0.1',
		N8N_HOST: host,
		N8N_PROTOCOL: 'http',
		// The SQLite default, spelled out: the tests read `<userFolder>/.n8n/database.sqlite`.
		DB_TYPE: 'sqlite',
		// Keep every execution, successful or not, so the tests can inspect stored data.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		N8N_LOG_LEVEL: 'info',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Task runners (Code node) as child processes of n8n; they stop with it (same process group).
		N8N_RUNNERS_MODE: 'internal',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	});
	if (options.port !== undefined) {
		env.N8N_PORT = String(options.port);
		env.N8N_WEBHOOK_URL = `http://${host}:${options.port}/`;
		env.N8N_EDITOR_BASE_URL = `http://${host}:${options.port}/`;
	}
	if (options.brokerPort !== undefined) env.N8N_RUNNERS_BROKER_PORT = String(options.brokerPort);
	Object.assign(env, versionDefaults(options.version ?? N8N_VERSION));
	Object.assign(env, options.extra ?? {});
	return env;
}

/**
 * Settings that make an older n8n run the way the tested 2.x default does (`extra` still wins).
 * n8n 1.x defaults to its legacy SQLite driver (DB_SQLITE_POOL_SIZE=0: no pool, no write-ahead
 * log); n8n 2.x removed it and defaults to a pool of 3 connections with WAL, which the tests
 * rely on (the secret scan covers `database.sqlite-wal`). 1.x gets 2.x's default.
 * @param {string} version
 * @returns {Record<string, string>}
 */
function versionDefaults(version) {
	const major = Number(version.split('.')[0]);
	if (major < 2) return { DB_SQLITE_POOL_SIZE: '3' };
	return {};
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Whether something accepts connections on 127.0.0.1:`port`.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function portInUse(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

module.exports = { n8nEnv, versionDefaults, freePort, portInUse, PASS_THROUGH };
