// @ts-check
'use strict';

/**
 * n8n in queue mode (scaling mode): one main process that receives webhooks and puts executions on
 * a Redis (Bull) queue, and `n8n worker` processes that take them off the queue and run them, all
 * sharing one PostgreSQL database and one encryption key. Redis and PostgreSQL come from
 * scripts/ensure-queue-services.sh (Debian's packages on loopback).
 *
 * Decisions:
 *   - every process has its OWN N8N_USER_FOLDER (a copy of one folder with our package installed
 *     from the packed tarball), like separate containers: nothing is shared through the file
 *     system, only through PostgreSQL and Redis. Each copy's `.n8n/config` is removed so the
 *     N8N_ENCRYPTION_KEY passed to all of them is the only key (n8n refuses a config file whose
 *     key differs from the variable);
 *   - a fresh database and fresh Redis key prefixes (QUEUE_BULL_PREFIX, N8N_REDIS_KEY_PREFIX) per
 *     cluster, so runs never see each other's jobs or pub/sub messages even on a reused Redis;
 *   - JSON logs (N8N_LOG_FORMAT=json): the main logs `Execution <id> (job <n>) finished` with the
 *     worker's id in its metadata, and each worker logs `Worker started/finished execution <id>`
 *     in its own log file. That is where "which worker ran what" is recorded; n8n 2.41.1 stores no
 *     worker id in the execution row.
 *
 * n8n 2.41.1 facts this relies on (dist/scaling/*.js, dist/commands/worker.js):
 *   - Bull queue settings come from QUEUE_WORKER_LOCK_DURATION (default 60 s), QUEUE_WORKER_LOCK_RENEW_TIME
 *     (10 s) and QUEUE_WORKER_STALLED_INTERVAL (30 s), but n8n forces `maxStalledCount: 0`: a job whose
 *     worker died is NOT retried; the next stalled-job check of a live worker fails it ("job stalled more
 *     than allowable limit") and the main records the execution as failed (MaxStalledCountError);
 *   - a "Respond to Webhook" node on a worker sends its response to the main as a Bull job progress
 *     message (`respond-to-webhook`), and the main answers the waiting HTTP request;
 *   - `n8n worker --concurrency=N` (or N8N_CONCURRENCY_PRODUCTION_LIMIT) is how many executions one worker
 *     runs at once; n8n warns below 5;
 *   - QUEUE_HEALTH_CHECK_ACTIVE=true makes the worker serve /healthz and /healthz/readiness on
 *     QUEUE_HEALTH_CHECK_PORT (default 5678, the main's port: always set it).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { n8nEnv, freePort } = require('./env');
const { createInstance } = require('./instance');
const { installedPackageDir } = require('./package');
const { REPO_ROOT } = require('./paths');
const { statusOf } = require('./server');
const { spawnManaged, runToCompletion } = require('./process');

const SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts', 'ensure-queue-services.sh');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} QueueServices
 * @property {{ host: string, port: number, status: 'started' | 'reused' }} redis
 * @property {{ host: string, port: number, user: string, password: string, status: 'started' | 'reused' }} postgres
 * @property {string} stateDir
 */

/**
 * Runs scripts/ensure-queue-services.sh with `args`.
 * @param {string[]} args
 * @param {{ timeoutMs?: number }} [options]
 */
async function servicesScript(args, options = {}) {
	const result = await runToCompletion({
		name: 'ensure-queue-services',
		command: 'bash',
		args: [SERVICES_SCRIPT, ...args],
		env: process.env,
		cwd: REPO_ROOT,
		timeoutMs: options.timeoutMs ?? 15 * 60_000,
	});
	if (result.code !== 0) {
		throw new Error(`scripts/ensure-queue-services.sh ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${result.output.slice(-4000)}`);
	}
	return result;
}

/**
 * Installs (apt, when missing) and starts Redis and PostgreSQL on loopback, or reuses the ones
 * already running from the script's state folder.
 * @returns {Promise<QueueServices>}
 */
async function ensureQueueServices() {
	const { stdout } = await servicesScript(['start']);
	/** @type {Record<string, string>} */
	const values = {};
	for (const line of stdout.split('\n')) {
		const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
		if (match) values[match[1]] = match[2];
	}
	for (const key of ['REDIS_HOST', 'REDIS_PORT', 'PG_HOST', 'PG_PORT', 'PG_USER', 'PG_PASSWORD']) {
		if (!values[key]) throw new Error(`ensure-queue-services.sh start printed no ${key}:\n${stdout}`);
	}
	return {
		redis: { host: values.REDIS_HOST, port: Number(values.REDIS_PORT), status: /** @type {any} */ (values.REDIS_STATUS) },
		postgres: {
			host: values.PG_HOST,
			port: Number(values.PG_PORT),
			user: values.PG_USER,
			password: values.PG_PASSWORD,
			status: /** @type {any} */ (values.PG_STATUS),
		},
		stateDir: values.STATE_DIR,
	};
}

/**
 * Stops the services that `ensureQueueServices` reported as `started` (reused ones keep running).
 * @param {QueueServices} services
 */
async function stopQueueServices(services) {
	if (services.redis.status === 'started') await servicesScript(['stop', 'redis']);
	if (services.postgres.status === 'started') await servicesScript(['stop', 'postgres']);
}

/** @param {string} name */
async function createDatabase(name) {
	await servicesScript(['createdb', name]);
}

/** @param {string} name */
async function dropDatabase(name) {
	await servicesScript(['dropdb', name]);
}

/**
 * The environment every process of one queue-mode cluster shares (main and workers alike).
 * @param {{ services: QueueServices, database: string, encryptionKey: string, prefix: string }} options
 * @returns {Record<string, string>}
 */
function queueModeEnv(options) {
	const { services } = options;
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: services.redis.host,
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		QUEUE_BULL_PREFIX: `bull-${options.prefix}`,
		N8N_REDIS_KEY_PREFIX: `n8n-${options.prefix}`,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.postgres.host,
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_DATABASE: options.database,
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_PASSWORD: services.postgres.password,
		N8N_ENCRYPTION_KEY: options.encryptionKey,
		// Manual executions too go to the workers (the main then runs nothing itself); n8n warns without it.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_FORMAT: 'json',
	};
}

/**
 * One JSON log line of n8n (N8N_LOG_FORMAT=json), or undefined for anything else.
 * @param {string} line
 * @returns {{ level?: string, message?: string, metadata?: Record<string, any>, timestamp?: string } | undefined}
 */
function parseLogLine(line) {
	const start = line.indexOf('{');
	if (start < 0) return undefined;
	try {
		const value = JSON.parse(line.slice(start));
		return value && typeof value === 'object' && typeof value.message === 'string' ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * @param {string} file
 * @returns {Array<NonNullable<ReturnType<typeof parseLogLine>>>}
 */
function readJsonLog(file) {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.map(parseLogLine)
		.filter((entry) => entry !== undefined);
}

/**
 * What a worker's log says it did: executions started and finished (ids as strings), in order.
 * @param {string} logFile
 */
function workerLogExecutions(logFile) {
	/** @type {string[]} */
	const started = [];
	/** @type {string[]} */
	const finished = [];
	for (const entry of readJsonLog(logFile)) {
		const message = /** @type {string} */ (entry.message);
		const s = /^Worker started execution (\d+)/.exec(message);
		if (s) started.push(s[1]);
		const f = /^Worker finished execution (\d+)/.exec(message);
		if (f) finished.push(f[1]);
	}
	return { started, finished };
}

/**
 * What the main's log says about finished jobs: execution id → the worker id (hostId) that
 * reported it, and whether it succeeded.
 * @param {string} logFile
 * @returns {Map<string, { workerId: string, success: boolean }>}
 */
function mainLogFinishedJobs(logFile) {
	/** @type {Map<string, { workerId: string, success: boolean }>} */
	const result = new Map();
	for (const entry of readJsonLog(logFile)) {
		const match = /^Execution (\d+) \(job \d+\) finished/.exec(/** @type {string} */ (entry.message));
		if (match) result.set(match[1], { workerId: String(entry.metadata?.workerId ?? ''), success: entry.metadata?.success === true });
	}
	return result;
}

/**
 * @typedef {object} WorkerProcess
 * @property {string} name
 * @property {string} userFolder
 * @property {string} logFile
 * @property {number} healthPort
 * @property {import('./process').ManagedProcess} process
 */

/**
 * @typedef {object} QueueClusterOptions
 * @property {string} baseDir            folders `main/`, `worker-1/`, … are made here
 * @property {string} templateFolder     an N8N_USER_FOLDER with our package installed in .n8n/nodes
 * @property {QueueServices} services
 * @property {number} [concurrency]      `n8n worker --concurrency` (default 5)
 * @property {Record<string, string>} [env]        more variables for every process
 * @property {Record<string, string>} [workerEnv]  more variables for the workers only
 * @property {(message: string) => void} [log]
 */

class QueueCluster {
	/**
	 * @param {QueueClusterOptions} options
	 * @param {import('./instance').N8nInstance} main
	 * @param {Record<string, string>} sharedEnv
	 * @param {string} database
	 * @param {string} prefix   this cluster's Redis key prefixes are `bull-<prefix>` and `n8n-<prefix>`
	 */
	constructor(options, main, sharedEnv, database, prefix) {
		/** @private */
		this.options = options;
		this.main = main;
		this.sharedEnv = sharedEnv;
		this.database = database;
		this.prefix = prefix;
		/** The Bull queue's Redis keys start with this (`<prefix>:active`, `<prefix>:<jobId>:lock`, …). */
		this.bullQueueKey = `bull-${prefix}:jobs`;
		/** @type {WorkerProcess[]} */
		this.workers = [];
		/** @private */
		this.log = options.log ?? (() => {});
	}

	/**
	 * Starts `n8n worker --concurrency=N` in a folder of its own and waits for /healthz/readiness
	 * (database connected and migrated, Redis connected, queue consumer set up).
	 * @param {string} name   e.g. `worker-1`
	 * @param {{ timeoutMs?: number }} [options]
	 * @returns {Promise<WorkerProcess>}
	 */
	async startWorker(name, options = {}) {
		const started = Date.now();
		const userFolder = prepareUserFolder(this.options.templateFolder, path.join(this.options.baseDir, name));
		const healthPort = await freePort();
		const env = n8nEnv({
			userFolder,
			brokerPort: await freePort(),
			extra: {
				...this.sharedEnv,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				...(this.options.workerEnv ?? {}),
			},
		});
		const logFile = path.join(this.options.baseDir, `${name}.log`);
		fs.rmSync(logFile, { force: true });
		const concurrency = this.options.concurrency ?? 5;
		const proc = spawnManaged({
			name: `n8n ${name}`,
			command: process.execPath,
			args: [this.main.install.bin, 'worker', `--concurrency=${concurrency}`],
			env,
			cwd: userFolder,
			logFile,
		});
		/** @type {WorkerProcess} */
		const worker = { name, userFolder, logFile, healthPort, process: proc };
		this.workers.push(worker);
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		while (Date.now() < deadline) {
			if (!proc.running) throw new Error(`${name} exited during start-up (${JSON.stringify(proc.exitInfo)}):\n${proc.tail(60)}`);
			if ((await statusOf(`http://127.0.0.1:${healthPort}/healthz/readiness`)) === 200) {
				this.log(`${name} ready (pid ${proc.pid}, concurrency ${concurrency}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
				return worker;
			}
			await sleep(250);
		}
		throw new Error(`${name} was not ready within ${(options.timeoutMs ?? 120_000) / 1000} s:\n${proc.tail(60)}`);
	}

	/**
	 * Kills a worker at once (SIGKILL to its process group: the worker and its task runner), the
	 * way a crashed container or an OOM kill ends it: no graceful shutdown, no job hand-back.
	 * @param {WorkerProcess} worker
	 */
	async killWorker(worker) {
		worker.process.killGroup('SIGKILL');
		return await worker.process.exited;
	}

	/** Executions per worker, from each worker's own log. */
	workerExecutions() {
		return this.workers.map((worker) => ({ name: worker.name, ...workerLogExecutions(worker.logFile) }));
	}

	/** Execution id → worker id, from the main's log (`Execution … finished`, metadata.workerId). */
	mainFinishedJobs() {
		return mainLogFinishedJobs(this.main.logFile);
	}

	/**
	 * Runs one SQL statement on the cluster's database (as the n8n role), with the `pg` driver of
	 * the n8n install. The database is where the truth about executions is: n8n's executions list
	 * orders by start time but pages by id, so with concurrent workers a page boundary can skip rows.
	 * @param {string} sql
	 * @param {unknown[]} [params]
	 * @returns {Promise<any[]>}
	 */
	async query(sql, params = []) {
		const { Client } = requireFromN8n(this.main.install.dir, 'pg');
		const client = new Client({
			host: this.sharedEnv.DB_POSTGRESDB_HOST,
			port: Number(this.sharedEnv.DB_POSTGRESDB_PORT),
			database: this.database,
			user: this.sharedEnv.DB_POSTGRESDB_USER,
			password: this.sharedEnv.DB_POSTGRESDB_PASSWORD,
		});
		await client.connect();
		try {
			return (await client.query(sql, params)).rows;
		} finally {
			await client.end();
		}
	}

	/**
	 * A Redis client (ioredis from the n8n install) on the cluster's Redis; the caller quits it.
	 * @returns {any}
	 */
	redis() {
		const Redis = requireFromN8n(this.main.install.dir, 'ioredis');
		return new Redis({
			host: this.sharedEnv.QUEUE_BULL_REDIS_HOST,
			port: Number(this.sharedEnv.QUEUE_BULL_REDIS_PORT),
			lazyConnect: false,
			maxRetriesPerRequest: 2,
		});
	}

	/**
	 * Stops the workers, then the main (SIGTERM, graceful), then drops the database and deletes
	 * the cluster's Redis keys (E2E_KEEP=1 keeps both).
	 */
	async stop() {
		await Promise.all(this.workers.map(async (worker) => await worker.process.stop({ signal: 'SIGTERM', graceMs: 20_000 })));
		await this.main.stop();
		if (process.env.E2E_KEEP === '1') return;
		await dropDatabase(this.database);
		const redis = this.redis();
		try {
			for (const pattern of [`bull-${this.prefix}:*`, `n8n-${this.prefix}:*`]) {
				let cursor = '0';
				do {
					const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
					if (keys.length) await redis.del(...keys);
					cursor = next;
				} while (cursor !== '0');
			}
		} finally {
			redis.disconnect();
		}
	}
}

/**
 * A module of the n8n install (its `pg`, `ioredis`, …), so the repository needs no copy of its own.
 * @param {string} installDir
 * @param {string} name
 * @returns {any}
 */
function requireFromN8n(installDir, name) {
	return require(require.resolve(name, { paths: [path.join(installDir, 'node_modules', 'n8n')] }));
}


/**
 * A copy of the template user folder for one process: our package in .n8n/nodes, no config file
 * (the key comes from N8N_ENCRYPTION_KEY) and no SQLite database (the data is in PostgreSQL).
 * @param {string} templateFolder
 * @param {string} userFolder
 */
function prepareUserFolder(templateFolder, userFolder) {
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.cpSync(templateFolder, userFolder, { recursive: true });
	const n8nDir = path.join(userFolder, '.n8n');
	for (const entry of fs.existsSync(n8nDir) ? fs.readdirSync(n8nDir) : []) {
		if (entry === 'config' || entry.startsWith('database.sqlite')) fs.rmSync(path.join(n8nDir, entry), { force: true });
	}
	if (!fs.existsSync(path.join(installedPackageDir(userFolder), 'package.json'))) {
		throw new Error(`${templateFolder} has no n8n-nodes-commvault in .n8n/nodes: install the packed tarball there first`);
	}
	return userFolder;
}

/**
 * Makes a queue-mode cluster: a fresh database, the main's user folder (not started yet: import
 * credentials and workflows with `cluster.main`, then `cluster.main.start()`), workers added with
 * `startWorker`. The main's webhooks are on `cluster.main.port`.
 * @param {QueueClusterOptions} options
 */
async function createQueueCluster(options) {
	const id = `${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
	const database = `n8n_queue_${id}`;
	await createDatabase(database);
	const sharedEnv = {
		...queueModeEnv({
			services: options.services,
			database,
			encryptionKey: crypto.randomBytes(24).toString('base64url'),
			prefix: id,
		}),
		...(options.env ?? {}),
	};
	fs.mkdirSync(options.baseDir, { recursive: true });
	const mainFolder = prepareUserFolder(options.templateFolder, path.join(options.baseDir, 'main'));
	const main = await createInstance({ userFolder: mainFolder, env: sharedEnv, log: options.log });
	main.logFile = path.join(options.baseDir, 'main.log');
	fs.rmSync(main.logFile, { force: true });
	return new QueueCluster(options, main, sharedEnv, database, id);
}

module.exports = {
	SERVICES_SCRIPT,
	ensureQueueServices,
	stopQueueServices,
	createDatabase,
	dropDatabase,
	queueModeEnv,
	parseLogLine,
	workerLogExecutions,
	mainLogFinishedJobs,
	createQueueCluster,
	requireFromN8n,
	QueueCluster,
};
