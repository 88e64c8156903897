// @ts-check
'use strict';

/**
 * What the queue-mode suite (queue-mode.queue.test.ts) runs: a main and two workers of the pinned
 * n8n in queue mode (scripts/n8n/queue.js) on Redis and PostgreSQL (scripts/ensure-queue-services.sh),
 * the simulator with generated users, the HR example (access token) and a copy of it on the
 * password credential, and the loads the tests fire at the main's production webhooks. The test
 * file only asserts; everything that spawns, waits or reads files is here (n8n's lint bans that in
 * .ts files).
 *
 * Global set-up (jest.e2e-queue.config.js → global-setup.js): the e2e set-up (n8n install from the
 * cache, build, npm pack, a template user folder with the tarball installed), then Redis and
 * PostgreSQL started (or reused) with scripts/ensure-queue-services.sh; the teardown stops only
 * what this run started.
 */

const fs = require('node:fs');
const path = require('node:path');

const n8n = require('../../../../scripts/n8n');
const queue = require('../../../../scripts/n8n/queue');
const e2e = require('../../support/e2e');
const ledger = require('../../support/ledger');
const { generatedUserName } = require('../../../../simulator/seed-data');

const SERVICES_FILE = 'queue-services.json';

/** Users the simulator generates (user00001…); each load offboards a distinct range of them. */
const GENERATED_USERS = 400;
const WORKER_CONCURRENCY = 5;

/**
 * Bull lock settings for the workers: a dead worker's jobs are noticed after the lock expires
 * (QUEUE_WORKER_LOCK_DURATION) at the next stalled-job check of a live worker
 * (QUEUE_WORKER_STALLED_INTERVAL). n8n's defaults are 60 s / 10 s / 30 s; shorter here so the
 * killed-worker test takes seconds, not a minute and a half.
 */
const WORKER_LOCK_ENV = Object.freeze({
	QUEUE_WORKER_LOCK_DURATION: '15000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
});

/** How long an active job must stay unlocked after a worker's death to count as taken by it. */
const ORPHAN_GRACE_MS = 1000;

/** Failed Bull jobs stay in Redis (n8n removes them at once by default), so the test can see them. */
const KEEP_FAILED_JOBS_ENV = Object.freeze({ N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000' });

/** The HR example, and the same workflow on the password credential. */
const HR = e2e.WORKFLOWS.hr;
const HR_PASSWORD = Object.freeze({
	id: 'cvQueueHrPwd0001',
	webhook: 'commvault/hr-offboarding-password',
});

/**
 * The HR example on an access token with a refresh token, which the simulator expires every
 * ROTATING.expireEvery authorized requests: the pair rotates many times during one run.
 */
const ROTATING = Object.freeze({
	id: 'cvQueueHrRot0001',
	webhook: 'commvault/hr-offboarding-rotating',
	credential: Object.freeze({ id: 'cvQueueRotating1', name: 'Commvault (simulator, access + refresh token)' }),
	accessToken: 'queue-rotating-access-0',
	refreshToken: 'queue-rotating-refresh-0',
	expireEvery: 40,
});

/** The ledger's BambooHR example on its own path (the e2e fixture above keeps commvault/hr-offboarding). */
const LEDGER_HR = Object.freeze({ id: 'cvQueueHrLedger1', webhook: 'commvault/hr-ledger' });

/**
 * A copy of a webhook workflow under its own id, name and webhook path, so that it can be imported
 * beside the original.
 * @param {string} file
 * @param {{ id: string, webhook: string, webhookId: string, label: string }} copy
 */
function webhookWorkflowCopy(file, copy) {
	const workflow = e2e.readJson(file);
	workflow.id = copy.id;
	workflow.name = `${workflow.name} [${copy.label}]`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = copy.webhook;
			node.webhookId = copy.webhookId;
		}
	}
	return workflow;
}

/** The ledger's BambooHR example under LEDGER_HR's id and path. */
function hrLedgerWorkflow() {
	return webhookWorkflowCopy(ledger.LEDGER_WORKFLOWS.hr.file, { ...LEDGER_HR, webhookId: '5e8a1c37-2d4b-4f6a-9b0c-7d1e2f3a4b56', label: 'queue mode' });
}

/**
 * One signed BambooHR event per user, all at once: each employee terminated with the immediate flag,
 * so each event records a due row and starts a due run of its own.
 * @param {string} url
 * @param {string[]} users
 */
async function postLedgerLeavers(url, users) {
	return await Promise.all(
		users.map(async (user) => {
			const employee = ledger.bambooHrEmployee({ id: String(80000 + Number(user.replace(/\D/g, ''))), user, immediate: true });
			return await e2e.postSignedBambooHr(url, { employees: [employee] });
		}),
	);
}

/** @param {string} message */
function log(message) {
	process.stderr.write(`[e2e:queue] ${message}\n`);
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jest globalSetup: the e2e set-up, then Redis and PostgreSQL. */
async function globalSetup() {
	const setup = await e2e.globalSetup();
	const started = Date.now();
	const services = await queue.ensureQueueServices();
	log(
		`Redis ${services.redis.status} on ${services.redis.host}:${services.redis.port}, ` +
			`PostgreSQL ${services.postgres.status} on ${services.postgres.host}:${services.postgres.port} ` +
			`(${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
	fs.writeFileSync(path.join(setup.runDir, SERVICES_FILE), JSON.stringify(services, null, 2));
}

/** Jest globalTeardown: stops the services this run started, then the e2e teardown. */
async function globalTeardown() {
	try {
		const file = path.join(e2e.setup().runDir, SERVICES_FILE);
		if (fs.existsSync(file)) {
			const services = JSON.parse(fs.readFileSync(file, 'utf8'));
			await queue.stopQueueServices(services);
			log(`stopped what this run started (Redis ${services.redis.status}, PostgreSQL ${services.postgres.status})`);
		}
	} finally {
		await e2e.globalTeardown();
	}
}

/** @returns {import('../../../../scripts/n8n/queue').QueueServices} */
function services() {
	return JSON.parse(fs.readFileSync(path.join(e2e.setup().runDir, SERVICES_FILE), 'utf8'));
}

/** The HR example on the password credential: new id, path and webhook id, same nodes. */
function hrPasswordWorkflow() {
	const workflow = webhookWorkflowCopy(HR.file, { ...HR_PASSWORD, webhookId: '7d0c2a8e-4b7f-4f3e-9d61-3c2a9b8e5f10', label: 'password credential' });
	for (const node of workflow.nodes) {
		if (node.credentials?.commvaultApi) node.credentials.commvaultApi = { ...e2e.PASSWORD_CREDENTIAL };
	}
	return workflow;
}

/** The HR example on the rotating access token credential. */
function hrRotatingWorkflow() {
	const workflow = e2e.readJson(HR.file);
	workflow.id = ROTATING.id;
	workflow.name = `${workflow.name} [access + refresh token]`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = ROTATING.webhook;
			node.webhookId = '2f6b9a41-8c3d-4e5f-a7b1-6d4c3e2f1a09';
		}
		if (node.credentials?.commvaultApi) node.credentials.commvaultApi = { ...ROTATING.credential };
	}
	return workflow;
}

/** @param {import('../../../../scripts/n8n/simulator').SimulatorProcess} sim */
function rotatingCredential(sim) {
	return n8n.commvaultCredential({
		...ROTATING.credential,
		baseUrl: sim.baseUrl,
		authMethod: 'accessToken',
		accessToken: ROTATING.accessToken,
		refreshToken: ROTATING.refreshToken,
	});
}

/**
 * The cluster: simulator, main (HR example and its password copy published) and two workers.
 */
async function startQueueCluster() {
	const { runDir, templateFolder } = e2e.setup();
	const sim = await e2e.startSimulator([
		'--generated-users',
		String(GENERATED_USERS),
		'--rotating-access-token',
		ROTATING.accessToken,
		'--rotating-refresh-token',
		ROTATING.refreshToken,
		'--access-token-lifetime-requests',
		String(ROTATING.expireEvery),
	]);
	const cluster = await queue.createQueueCluster({
		baseDir: path.join(runDir, 'queue'),
		templateFolder,
		services: services(),
		concurrency: WORKER_CONCURRENCY,
		env: { ...KEEP_FAILED_JOBS_ENV },
		workerEnv: { ...WORKER_LOCK_ENV },
		log,
	});
	const started = Date.now();
	const smtp = await n8n.startSmtpReceiver();
	await cluster.main.importCredentials([e2e.accessTokenCredential(sim), e2e.passwordCredential(sim), rotatingCredential(sim), smtp.credential()]);
	await cluster.main.importWorkflows([ledger.dueRunWithoutSchedule()]);
	await cluster.main.importWithWebhookAuth([HR.file, hrPasswordWorkflow(), hrRotatingWorkflow(), hrLedgerWorkflow()], e2e.WEBHOOK_SECRETS);
	log(`database ${cluster.database} migrated, credentials and workflows imported (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	await cluster.main.start({ activate: [HR.id, HR_PASSWORD.id, ROTATING.id, ledger.LEDGER_WORKFLOWS.dueRun.id, LEDGER_HR.id] });
	await Promise.all([cluster.startWorker('worker-1'), cluster.startWorker('worker-2')]);
	log(`main and 2 workers up ${((Date.now() - started) / 1000).toFixed(1)} s after the database was created`);
	const client = /** @type {import('../../../../scripts/n8n/rest').N8nClient} */ (cluster.main.client);
	const table = await n8n.ensureLedgerTable(client);

	return {
		sim,
		cluster,
		client,
		table,
		ledgerUrl: cluster.main.webhookUrl(LEDGER_HR.webhook),
		hrUrl: cluster.main.webhookUrl(HR.webhook),
		hrPasswordUrl: cluster.main.webhookUrl(HR_PASSWORD.webhook),
		hrRotatingUrl: cluster.main.webhookUrl(ROTATING.webhook),
		async stop() {
			await cluster.stop();
			await sim.stop();
			await smtp.stop();
		},
	};
}

/**
 * `count` generated user names starting at user number `first` (user00001 is 1).
 * @param {number} first
 * @param {number} count
 */
function userRange(first, count) {
	return Array.from({ length: count }, (_, i) => generatedUserName(first + i));
}

/**
 * A BambooHR "employee changed" webhook body with one terminated employee whose Commvault user is `user`.
 * @param {string} user
 */
function hrPayload(user) {
	const number = Number(user.replace(/\D/g, ''));
	return {
		employees: [
			{
				id: String(90000 + number),
				action: 'Updated',
				changedFields: ['employmentStatus'],
				fields: {
					firstName: 'Generated',
					lastName: user,
					workEmail: `${user}@example.com`,
					employmentStatus: 'Terminated',
					commvaultUsername: user,
				},
			},
		],
	};
}

/**
 * @typedef {object} CallResult
 * @property {string} user
 * @property {number} status      HTTP status, 0 when no answer came (connection error or timeout)
 * @property {any} body
 * @property {string} [error]     why no answer came
 * @property {number} ms
 */

/**
 * POSTs one HR webhook per user, `concurrency` at a time, and records every outcome (never throws).
 * @param {string} url
 * @param {string[]} users
 * @param {{ concurrency?: number, timeoutMs?: number }} [options]
 * @returns {Promise<{ results: CallResult[], ms: number }>}
 */
async function fireWebhooks(url, users, options = {}) {
	const started = Date.now();
	/** @type {CallResult[]} */
	const results = new Array(users.length);
	let next = 0;
	const runOne = async () => {
		while (next < users.length) {
			const index = next++;
			const user = users[index];
			const t0 = Date.now();
			try {
				const rawBody = JSON.stringify(hrPayload(user));
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...n8n.signBambooHr(rawBody, e2e.WEBHOOK_SECRETS.bambooHrKey) },
					body: rawBody,
					signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
				});
				const text = await response.text();
				/** @type {any} */
				let body = text;
				try {
					body = JSON.parse(text);
				} catch {
					// not JSON
				}
				results[index] = { user, status: response.status, body, ms: Date.now() - t0 };
			} catch (error) {
				results[index] = { user, status: 0, body: undefined, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: Date.now() - t0 };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 20, users.length) }, runOne));
	return { results, ms: Date.now() - started };
}

/**
 * Whether a reply is the HR example's summary for `user` offboarded.
 * @param {CallResult} result
 */
function isOffboardedReply(result) {
	const body = result.body;
	return (
		result.status === 200 &&
		body?.offboarded === 1 &&
		body?.failed === 0 &&
		body?.results?.[0]?.commvaultUser === result.user &&
		body?.results?.[0]?.status === 'offboarded'
	);
}

/**
 * @typedef {object} StoredExecution
 * @property {string} id
 * @property {string} status        success, error, crashed, canceled, running, new, waiting…
 * @property {string | undefined} user   the Commvault user of the webhook body
 * @property {string | undefined} error  the run's error message, if any
 * @property {string | undefined} lastNode
 */

/**
 * Every stored execution of a workflow, read from PostgreSQL (execution_entity, and the run data in
 * execution_data decoded with n8n's `flatted`), with the user it was about (from the webhook body)
 * and its error.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {string} workflowId
 * @returns {Promise<StoredExecution[]>}
 */
async function storedExecutions(cluster, workflowId) {
	const rows = await cluster.query(
		`SELECT e.id, e.status, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		 WHERE e."workflowId" = $1 ORDER BY e.id`,
		[workflowId],
	);
	return rows.map((row) => {
		/** @type {any} */
		let run;
		try {
			run = typeof row.data === 'string' ? n8n.parseFlatted(cluster.main.install.dir, row.data) : undefined;
		} catch {
			run = undefined;
		}
		const hook = run?.resultData?.runData?.['BambooHR webhook']?.[0]?.data?.main?.[0]?.[0]?.json;
		return {
			id: String(row.id),
			status: String(row.status),
			user: hook?.body?.employees?.[0]?.fields?.commvaultUsername,
			error: run?.resultData?.error?.message,
			lastNode: run?.resultData?.lastNodeExecuted,
		};
	});
}

/**
 * Executions of a workflow per status, from PostgreSQL.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {string} workflowId
 * @returns {Promise<Record<string, number>>}
 */
async function executionStatusCounts(cluster, workflowId) {
	const rows = await cluster.query('SELECT status, count(*)::int AS n FROM execution_entity WHERE "workflowId" = $1 GROUP BY status', [workflowId]);
	return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
}

/** Statuses of an execution that has not ended yet. */
const UNSETTLED = ['new', 'running', 'waiting', 'unknown'];

/**
 * Waits until the workflow has at least `count` executions in the database and none of them is
 * still new, running or waiting.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {string} workflowId
 * @param {number} count
 * @param {{ timeoutMs?: number }} [options]
 */
async function waitUntilSettled(cluster, workflowId, count, options = {}) {
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	/** @type {Record<string, number>} */
	let counts = {};
	while (Date.now() < deadline) {
		counts = await executionStatusCounts(cluster, workflowId);
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		if (total >= count && UNSETTLED.every((status) => !counts[status])) return counts;
		await sleep(500);
	}
	throw new Error(`${workflowId}: expected ${count} settled executions within ${(options.timeoutMs ?? 120_000) / 1000} s, have ${JSON.stringify(counts)}`);
}

/**
 * Which worker ran each execution, from each worker's own log ("Worker finished execution <id>"),
 * cross-checked with the main's log ("Execution <id> (job <n>) finished", which names the worker
 * by its host id: `worker-<hostname>` in a container, `worker-<random>` elsewhere, so on one host
 * in a container both workers have the same id and only the workers' own logs tell them apart).
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 */
function workerAttribution(cluster) {
	const perWorker = cluster.workerExecutions();
	/** @type {Map<string, string>} */
	const byExecution = new Map();
	/** @type {string[]} */
	const claimedTwice = [];
	for (const worker of perWorker) {
		for (const id of worker.finished) {
			if (byExecution.has(id)) claimedTwice.push(id);
			byExecution.set(id, worker.name);
		}
	}
	const mainJobs = cluster.mainFinishedJobs();
	/** Executions the main saw finish that no worker log claims (should be none). */
	const unclaimed = [...mainJobs.keys()].filter((id) => !byExecution.has(id));
	const mainWorkerIds = [...new Set([...mainJobs.values()].map((job) => job.workerId))];
	return { perWorker, byExecution, claimedTwice, unclaimed, mainWorkerIds, mainFinished: mainJobs };
}

/**
 * Counts `ids` per worker.
 * @param {Map<string, string>} byExecution
 * @param {string[]} ids
 * @param {string[]} workerNames
 */
function countPerWorker(byExecution, ids, workerNames) {
	/** @type {Record<string, number>} */
	const counts = Object.fromEntries(workerNames.map((name) => [name, 0]));
	for (const id of ids) {
		const name = byExecution.get(id);
		counts[name ?? 'unknown'] = (counts[name ?? 'unknown'] ?? 0) + 1;
	}
	return counts;
}

/**
 * Every job in the Bull queue's active list, with the execution it runs and the lock it carries.
 * A worker's jobs all carry its queue's one lock token.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {any} redis
 */
async function activeJobs(cluster, redis) {
	const key = cluster.bullQueueKey;
	const active = /** @type {string[]} */ (await redis.lrange(`${key}:active`, 0, -1));
	return await Promise.all(
		active.map(async (jobId) => {
			const [lock, data] = await Promise.all([redis.get(`${key}:${jobId}:lock`), redis.hget(`${key}:${jobId}`, 'data')]);
			let executionId = '';
			try {
				executionId = String(JSON.parse(data ?? '{}').executionId ?? '');
			} catch {
				// no job data
			}
			return { jobId, executionId, lock: lock ?? '' };
		}),
	);
}

/**
 * The lock tokens of the active jobs whose executions a worker's log says it is running.
 * @param {Array<{ executionId: string, lock: string }>} jobs
 * @param {string[]} runningExecutionIds
 */
function lockTokensOf(jobs, runningExecutionIds) {
	return new Set(jobs.filter((job) => job.lock && runningExecutionIds.includes(job.executionId)).map((job) => job.lock));
}

/**
 * Waits until `worker` has started at least `minStarted` more executions than when called and has
 * at least `minInFlight` started but not finished (polls its log), then SIGKILLs it and notes the
 * Bull jobs it held. `stalled` then follows those jobs in Redis until their lock expired and the
 * queue failed them (or `timeoutMs`), with the times since the kill.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {import('../../../../scripts/n8n/queue').WorkerProcess} worker
 * @param {{ minStarted: number, minInFlight: number, timeoutMs?: number }} when
 */
async function killWorkerMidRun(cluster, worker, when) {
	const deadline = Date.now() + (when.timeoutMs ?? 60_000);
	const baseline = queue.workerLogExecutions(worker.logFile).started.length;
	const redis = cluster.redis();
	try {
		while (Date.now() < deadline) {
			const { started, finished } = queue.workerLogExecutions(worker.logFile);
			const inFlight = started.filter((id) => !finished.includes(id));
			if (started.length - baseline >= when.minStarted && inFlight.length >= when.minInFlight) {
				// The worker's token is learnt while it runs; the jobs it holds are read only once it is dead:
				// until the kill it can still take a job from the queue (its lock outlives it by the lock duration).
				const tokens = lockTokensOf(await activeJobs(cluster, redis), inFlight);
				const exit = await cluster.killWorker(worker);
				const at = Date.now();
				const final = queue.workerLogExecutions(worker.logFile);
				const lost = final.started.filter((id) => !final.finished.includes(id));
				const jobsAtDeath = await activeJobs(cluster, redis);
				for (const token of lockTokensOf(jobsAtDeath, lost)) tokens.add(token);
				// Bull takes a job off an empty queue (BRPOPLPUSH onto the active list) and locks it with a
				// second command: a worker killed in between leaves an active job that no one ever locks.
				// A live worker's lock follows within milliseconds, and the stalled-job check (every 5 s)
				// fails such a job only at its second look, so one second tells the two apart.
				await sleep(ORPHAN_GRACE_MS);
				const lockedSince = new Set((await activeJobs(cluster, redis)).filter((job) => job.lock).map((job) => job.jobId));
				const takenNotLocked = jobsAtDeath.filter((job) => !job.lock && !lockedSince.has(job.jobId));
				const held = [...jobsAtDeath.filter((job) => tokens.has(job.lock)), ...takenNotLocked].map(({ jobId, executionId }) => ({ jobId, executionId }));
				log(
					`SIGKILL ${worker.name} (pid ${worker.process.pid}): its log shows ${final.started.length} started, ` +
						`${final.finished.length} finished, in flight ${lost.join(', ')}; it held Bull jobs ${held.map((j) => `${j.jobId} (execution ${j.executionId})`).join(', ')}` +
						(takenNotLocked.length ? ` (taken off the queue but not yet locked: ${takenNotLocked.map((j) => j.jobId).join(', ')})` : ''),
				);
				const stalled = watchStalledJobs(cluster, held, at, when.timeoutMs ?? 300_000);
				return { exit, at, started: final.started.slice(baseline), finished: final.finished, inFlight: lost, held, takenNotLocked: takenNotLocked.map((j) => j.jobId), stalled };
			}
			await sleep(50);
		}
	} finally {
		redis.disconnect();
	}
	throw new Error(`${worker.name} never had ${when.minInFlight} executions in flight within ${(when.timeoutMs ?? 60_000) / 1000} s`);
}

/**
 * Follows jobs of a dead worker in Redis: when each lock key disappeared and when the job landed in
 * the failed set (n8n sets Bull's maxStalledCount to 0, so a stalled job is failed, not retried),
 * or whether another worker completed it.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 * @param {Array<{ jobId: string, executionId: string }>} jobs
 * @param {number} since
 * @param {number} timeoutMs
 */
async function watchStalledJobs(cluster, jobs, since, timeoutMs) {
	const key = cluster.bullQueueKey;
	const redis = cluster.redis();
	/** @type {Record<string, { executionId: string, lockGoneAfterMs?: number, outcome?: string, outcomeAfterMs?: number, failedReason?: string }>} */
	const seen = Object.fromEntries(jobs.map((job) => [job.jobId, { executionId: job.executionId }]));
	try {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline && Object.values(seen).some((job) => job.outcome === undefined)) {
			for (const [jobId, job] of Object.entries(seen)) {
				if (job.outcome !== undefined) continue;
				if (job.lockGoneAfterMs === undefined && !(await redis.exists(`${key}:${jobId}:lock`))) job.lockGoneAfterMs = Date.now() - since;
				const [failedScore, completedScore, exists] = await Promise.all([
					redis.zscore(`${key}:failed`, jobId),
					redis.zscore(`${key}:completed`, jobId),
					redis.exists(`${key}:${jobId}`),
				]);
				if (failedScore !== null || completedScore !== null || !exists) {
					// n8n removes completed jobs at once (N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=0); the
					// cluster keeps failed ones (KEEP_FAILED_JOBS_ENV) so they can be seen here.
					job.outcome = failedScore !== null ? 'failed' : completedScore !== null ? 'completed' : 'removed';
					job.outcomeAfterMs = Date.now() - since;
					if (failedScore !== null) job.failedReason = (await redis.hget(`${key}:${jobId}`, 'failedReason')) ?? undefined;
				}
			}
			await sleep(250);
		}
	} finally {
		redis.disconnect();
	}
	return seen;
}

/**
 * Prints a figure block for the report (and returns it).
 * @param {string} title
 * @param {Record<string, unknown>} figures
 */
function report(title, figures) {
	log(`${title}\n${JSON.stringify(figures, null, 2)}`);
	const file = path.join(e2e.setup().runDir, 'queue-report.json');
	const all = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
	all[title] = figures;
	fs.writeFileSync(file, JSON.stringify(all, null, 2));
	return figures;
}

/**
 * Every process's user folder has our package (installed from the packed tarball) and no other
 * copy of n8n-workflow.
 * @param {import('../../../../scripts/n8n/queue').QueueCluster} cluster
 */
function packagesPerProcess(cluster) {
	const folders = [{ name: 'main', userFolder: cluster.main.userFolder }, ...cluster.workers.map((w) => ({ name: w.name, userFolder: w.userFolder }))];
	return folders.map(({ name, userFolder }) => ({
		name,
		userFolder,
		packages: n8n.packagesInNodesFolder(userFolder),
		version: JSON.parse(fs.readFileSync(path.join(n8n.installedPackageDir(userFolder), 'package.json'), 'utf8')).version,
	}));
}

module.exports = {
	GENERATED_USERS,
	WORKER_CONCURRENCY,
	WORKER_LOCK_ENV,
	HR,
	HR_PASSWORD,
	ROTATING,
	globalSetup,
	globalTeardown,
	services,
	startQueueCluster,
	userRange,
	hrPayload,
	fireWebhooks,
	isOffboardedReply,
	postLedgerLeavers,
	LEDGER_HR,
	storedExecutions,
	executionStatusCounts,
	waitUntilSettled,
	workerAttribution,
	countPerWorker,
	killWorkerMidRun,
	report,
	packagesPerProcess,
};
