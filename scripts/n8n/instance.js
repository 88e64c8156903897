// @ts-check
'use strict';

/**
 * One isolated n8n: its own N8N_USER_FOLDER, our package installed from the packed tarball into
 * its nodes folder, credentials and workflows imported with the CLI, and `n8n start` on a port
 * of its own with the owner set up and chosen workflows published. `npm run dev` and the
 * end-to-end tests both build on this.
 */

const fs = require('node:fs');
const path = require('node:path');

const cli = require('./cli');
const { n8nEnv, freePort } = require('./env');
const { ensureN8n } = require('./install');
const { installTarball } = require('./package');
const { spawnManaged } = require('./process');
const { DEFAULT_OWNER, N8nClient } = require('./rest');
const { startN8n } = require('./server');
const { webhookCredentials, forN8nVersion } = require('./webhook-auth');

/**
 * @typedef {object} InstanceOptions
 * @property {string} userFolder            N8N_USER_FOLDER (created if missing)
 * @property {boolean} [fresh]              delete the folder first
 * @property {number} [port]                n8n's HTTP port (default: a free one)
 * @property {string} [version]             n8n version (default: the pinned one)
 * @property {Record<string, string>} [env] more n8n environment variables
 * @property {(message: string) => void} [log]
 */

class N8nInstance {
	/**
	 * @param {import('./install').N8nInstall} install
	 * @param {string} userFolder
	 * @param {number} port
	 * @param {Record<string, string>} extraEnv
	 * @param {(message: string) => void} log
	 */
	constructor(install, userFolder, port, extraEnv, log) {
		this.install = install;
		this.userFolder = userFolder;
		this.port = port;
		/** @private */
		this.extraEnv = extraEnv;
		/** @private */
		this.log = log;
		/** @type {import('./server').N8nServer | undefined} */
		this.server = undefined;
		/** @type {N8nClient | undefined} */
		this.client = undefined;
		this.owner = DEFAULT_OWNER;
		/** n8n's own files: database.sqlite, config (encryption key), nodes/ */
		this.n8nFolder = path.join(userFolder, '.n8n');
		this.logFile = path.join(userFolder, 'n8n.log');
	}

	/**
	 * The environment of a CLI command or of the server. Each call picks a fresh task-runner
	 * broker port, so a CLI command can run while the server is up.
	 * @param {{ port?: number }} [options]
	 */
	async env(options = {}) {
		return n8nEnv({
			userFolder: this.userFolder,
			port: options.port ?? this.port,
			brokerPort: await freePort(),
			version: this.install.version,
			extra: this.extraEnv,
		});
	}

	/** @returns {Promise<import('./cli').N8nContext>} */
	async cliContext() {
		return { bin: this.install.bin, env: await this.env() };
	}

	/**
	 * Installs our packed package into `<userFolder>/.n8n/nodes` (as n8n's installer does).
	 * @param {string} tarball
	 */
	async installPackage(tarball) {
		return await installTarball({ userFolder: this.userFolder, tarball });
	}

	/** @param {object[]} credentials */
	async importCredentials(credentials) {
		return await cli.importCredentials(await this.cliContext(), credentials);
	}

	/** @param {Array<object | string>} workflows  objects or JSON file paths */
	async importWorkflows(workflows) {
		return await cli.importWorkflows(await this.cliContext(), workflows);
	}

	/**
	 * Workflows that use the webhook examples' sender checks, with the credentials those checks read,
	 * in the form this n8n release takes (see webhook-auth.js).
	 * @param {Array<object | string>} workflows  objects or JSON file paths
	 * @param {import('./webhook-auth').WebhookSecrets} secrets
	 */
	async importWithWebhookAuth(workflows, secrets) {
		const version = this.install.version;
		await this.importCredentials(webhookCredentials(secrets, version));
		const read = (/** @type {object | string} */ w) => (typeof w === 'string' ? JSON.parse(fs.readFileSync(w, 'utf8')) : w);
		return await this.importWorkflows(workflows.map((w) => forN8nVersion(read(w), secrets, version)));
	}

	/** @param {string} id */
	async execute(id) {
		return await cli.executeWorkflow(await this.cliContext(), id);
	}

	/** @param {string[]} args */
	async runCli(args) {
		return await cli.runN8n(await this.cliContext(), args);
	}

	/**
	 * Starts `n8n start`, sets up the owner (first start) or logs in, and publishes `activate`.
	 * @param {{ activate?: string[], onLine?: (line: string) => void }} [options]
	 */
	async start(options = {}) {
		if (this.server) throw new Error('n8n is already running');
		const started = Date.now();
		this.server = await startN8n({
			bin: this.install.bin,
			env: await this.env(),
			logFile: this.logFile,
			onLine: options.onLine,
		});
		this.log(`n8n is up on ${this.server.editorUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		this.client = new N8nClient(this.server.baseUrl);
		const { created } = await this.client.ensureOwner(this.owner);
		this.log(created ? `Owner account set up: ${this.owner.email}` : `Logged in as ${this.owner.email}`);
		for (const id of options.activate ?? []) {
			await this.client.activateWorkflow(id);
			this.log(`Published workflow ${id}`);
		}
		return { server: this.server, client: this.client };
	}

	/**
	 * Starts another long-running n8n command on this user folder (e.g. `['worker']` or
	 * `['webhook']` for queue mode, with the queue settings passed in `createInstance({ env })`).
	 * The caller stops it (`await proc.stop()`).
	 * @param {string[]} args
	 * @param {{ port?: number, env?: Record<string, string>, onLine?: (line: string) => void, logFile?: string }} [options]
	 */
	async spawnCommand(args, options = {}) {
		const env = { ...(await this.env({ port: options.port })), ...(options.env ?? {}) };
		return spawnManaged({
			name: `n8n ${args[0]}`,
			command: process.execPath,
			args: [this.install.bin, ...args],
			env,
			cwd: this.userFolder,
			logFile: options.logFile ?? path.join(this.userFolder, `n8n-${args[0]}.log`),
			onLine: options.onLine,
		});
	}

	/** Stops the server (if running); the user folder stays. */
	async stop() {
		const server = this.server;
		this.server = undefined;
		this.client = undefined;
		if (server) return await server.stop();
		return undefined;
	}

	/**
	 * Production webhook URL of a path, e.g. `commvault/hr-offboarding`.
	 * @param {string} webhookPath
	 */
	webhookUrl(webhookPath) {
		return `http://127.0.0.1:${this.port}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}
}

/**
 * Makes (or reuses) an isolated n8n user folder, making sure the pinned n8n is installed.
 * @param {InstanceOptions} options
 * @returns {Promise<N8nInstance>}
 */
async function createInstance(options) {
	const log = options.log ?? (() => {});
	const install = await ensureN8n({ version: options.version, log });
	if (options.fresh) fs.rmSync(options.userFolder, { recursive: true, force: true });
	fs.mkdirSync(options.userFolder, { recursive: true });
	const port = options.port ?? (await freePort());
	return new N8nInstance(install, path.resolve(options.userFolder), port, options.env ?? {}, log);
}

module.exports = { createInstance, N8nInstance };
