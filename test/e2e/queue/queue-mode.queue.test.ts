/**
 * n8n's queue mode with our package: a main that takes the HR example's production webhook and two
 * `n8n worker` processes that run the executions, on Redis and PostgreSQL. Real HTTP calls to the
 * main, the simulator's record of what reached Commvault, the executions stored in PostgreSQL and
 * each worker's own log. Figures go to the log ([e2e:queue] …) and <run folder>/queue-report.json.
 */
import {
	HR,
	HR_PASSWORD,
	ROTATING,
	WORKER_CONCURRENCY,
	WORKER_LOCK_ENV,
	countPerWorker,
	fireWebhooks,
	isOffboardedReply,
	killWorkerMidRun,
	postLedgerLeavers,
	packagesPerProcess,
	report,
	startQueueCluster,
	storedExecutions,
	userRange,
	waitUntilSettled,
	workerAttribution,
} from './support/queue';
import { ledgerRows, waitForRows } from '../support/ledger';
import { generatedUserName } from '../../support/simulator';

type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;
type CallResult = Awaited<ReturnType<typeof fireWebhooks>>['results'][number];

const WORKERS = ['worker-1', 'worker-2'];
const EXPIRE_EVERY = 50;

const usersOf = (results: CallResult[]) => results.map((r) => r.user).sort();
const ones = (users: string[]) => Object.fromEntries(users.map((user) => [user, 1]));

describe('queue mode: main + 2 workers on Redis and PostgreSQL', () => {
	let ctx: Cluster;

	beforeAll(async () => {
		ctx = await startQueueCluster();
	});

	afterAll(async () => {
		await ctx?.stop();
	});

	test('every process has our package, installed from the packed tarball in its own nodes folder', () => {
		const folders = packagesPerProcess(ctx.cluster);
		expect(folders.map((f) => f.name)).toEqual(['main', ...WORKERS]);
		for (const folder of folders) {
			expect(folder.packages).toContain('n8n-nodes-commvault');
			// n8n's installer strips peer dependencies: no second n8n-workflow next to n8n's own.
			expect(folder.packages).not.toContain('n8n-workflow');
		}
		expect(new Set(folders.map((f) => f.userFolder)).size).toBe(3);
		expect(ctx.cluster.workers.every((w) => w.process.running)).toBe(true);
	});

	test('200 HR webhooks: the executions are spread over both workers and every user is offboarded exactly once', async () => {
		await ctx.sim.reset();
		const users = userRange(1, 200);

		const fired = await fireWebhooks(ctx.hrUrl, users, { concurrency: 20 });

		expect(fired.results.filter((r) => !isOffboardedReply(r))).toEqual([]);
		await waitUntilSettled(ctx.cluster, HR.id, users.length);
		const executions = await storedExecutions(ctx.cluster, HR.id);
		expect(executions).toHaveLength(users.length);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
		expect(executions.map((e) => e.user).sort()).toEqual(users);

		const stats = await ctx.sim.stats();
		expect(stats.offboardsByUser).toEqual(ones(users));
		expect(stats.offboardFailuresByUser).toEqual({});

		const attribution = workerAttribution(ctx.cluster);
		expect(attribution.claimedTwice).toEqual([]);
		expect(attribution.unclaimed).toEqual([]);
		const perWorker = countPerWorker(attribution.byExecution, executions.map((e) => e.id), WORKERS);
		expect(Object.keys(perWorker).sort()).toEqual(WORKERS);
		// Both workers took a real share (each runs WORKER_CONCURRENCY at once; 20 calls in flight).
		for (const worker of WORKERS) expect(perWorker[worker]).toBeGreaterThanOrEqual(20);

		report('200 webhooks (access token)', {
			calls: users.length,
			wallMs: fired.ms,
			replies200: fired.results.filter((r) => r.status === 200).length,
			executionsPerWorker: perWorker,
			workerConcurrency: WORKER_CONCURRENCY,
			offboardCalls: stats.byEndpoint['user/offboard'],
			usersOffboardedOnce: Object.values(stats.offboardsByUser).filter((n) => n === 1).length,
			maxInFlightAtCommvault: stats.maxInFlight,
			workerIdsInMainLog: attribution.mainWorkerIds,
		});
	});

	test('password credential, session token expiring mid-run: both workers recover and log in again only as needed', async () => {
		await ctx.sim.reset();
		await ctx.sim.setFaults({ expireTokensAfterRequests: EXPIRE_EVERY });
		const users = userRange(201, 200);

		const fired = await fireWebhooks(ctx.hrPasswordUrl, users, { concurrency: 20 });

		expect(fired.results.filter((r) => !isOffboardedReply(r))).toEqual([]);
		await waitUntilSettled(ctx.cluster, HR_PASSWORD.id, users.length);
		const executions = await storedExecutions(ctx.cluster, HR_PASSWORD.id);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
		expect(executions.map((e) => e.user).sort()).toEqual(users);

		const stats = await ctx.sim.stats();
		expect(stats.offboardsByUser).toEqual(ones(users));
		const requests = await ctx.sim.requests();
		const offboards = requests.filter((r) => r.endpoint === 'user/offboard');
		const rejected = offboards.filter((r) => r.status === 401);
		const authorized = requests.filter((r) => r.endpoint !== 'login' && r.status !== 401).length;
		// Every EXPIRE_EVERY authorized requests all sessions die; those followed by more requests
		// need a new session. The floor is one login per session lifetime for the whole cluster; the
		// ceiling allows each worker one login per lifetime (their in-process sharing does not cross
		// processes), twice over for the moments when one worker reads the other's just-dead token
		// from the database.
		const expiries = Math.floor(authorized / EXPIRE_EVERY);
		const sessionsNeeded = 1 + Math.floor((authorized - 1) / EXPIRE_EVERY);
		expect(expiries).toBeGreaterThanOrEqual(3);
		expect(rejected.length).toBeGreaterThan(0);
		expect(stats.loginFailures).toBe(0);
		expect(stats.logins).toBeGreaterThanOrEqual(sessionsNeeded);
		expect(stats.logins).toBeLessThanOrEqual(2 * WORKERS.length * sessionsNeeded);
		// Each rejected request was sent again after a login and went through (no offboard lost or doubled).
		expect(offboards.filter((r) => r.status === 200)).toHaveLength(users.length);

		// Both workers met an expired session and recovered: map each user whose offboard got a 401
		// to its execution and that execution to the worker that ran it.
		const attribution = workerAttribution(ctx.cluster);
		const executionOf = new Map(executions.map((e) => [e.user, e.id]));
		// The offboard names the user by ID: generated user n has ID 100000 + n (simulator/README.md).
		const recovered = [...new Set(rejected.map((r) => generatedUserName(Number(r.body?.userId) - 100000)))];
		const recoveredPerWorker = countPerWorker(
			attribution.byExecution,
			recovered.map((user) => executionOf.get(user) ?? 'none'),
			WORKERS,
		);
		for (const worker of WORKERS) expect(recoveredPerWorker[worker]).toBeGreaterThan(0);
		const perWorker = countPerWorker(attribution.byExecution, executions.map((e) => e.id), WORKERS);
		for (const worker of WORKERS) expect(perWorker[worker]).toBeGreaterThan(0);

		report('200 webhooks (password, token expiring mid-run)', {
			calls: users.length,
			wallMs: fired.ms,
			expireTokensAfterRequests: EXPIRE_EVERY,
			authorizedRequests: authorized,
			sessionExpiries: expiries,
			sessionsNeeded,
			loginCalls: stats.logins,
			loginBound: 2 * WORKERS.length * sessionsNeeded,
			offboardsRejected401: rejected.length,
			executionsPerWorker: perWorker,
			executionsThatRecoveredFrom401PerWorker: recoveredPerWorker,
		});
	});

	test('access + refresh token expiring every few dozen requests: both workers renew, the chain survives the run', async () => {
		await ctx.sim.reset();
		const users = userRange(1, 200);

		const fired = await fireWebhooks(ctx.hrRotatingUrl, users, { concurrency: 20 });

		await waitUntilSettled(ctx.cluster, ROTATING.id, users.length);
		const executions = await storedExecutions(ctx.cluster, ROTATING.id);
		const stats = await ctx.sim.stats();
		const requests = await ctx.sim.requests();
		const rejected = requests.filter((r) => r.status === 401 && r.endpoint !== 'v4/accesstoken/renew');
		const attribution = workerAttribution(ctx.cluster);
		const figures = {
			calls: users.length,
			wallMs: fired.ms,
			expireEveryRequests: ROTATING.expireEvery,
			accessTokenExpiries: stats.accessTokenExpiries,
			renewals: stats.accessTokenRenewals,
			renewalFailures: stats.accessTokenRenewalFailures,
			chainInvalidations: stats.chainInvalidations,
			requestsRejected401: rejected.length,
			executionsFailed: executions.filter((e) => e.status !== 'success').length,
			executionsPerWorker: countPerWorker(attribution.byExecution, executions.map((e) => e.id), WORKERS),
		};
		report('200 webhooks (access + refresh token, expiring every 40 requests)', figures);

		expect(fired.results.filter((r) => !isOffboardedReply(r))).toEqual([]);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
		expect(stats.offboardsByUser).toEqual(ones(users));
		expect(stats.chainInvalidations).toBe(0);
		expect(stats.accessTokenRenewalFailures).toBe(0);
		expect(stats.accessTokenExpiries).toBeGreaterThanOrEqual(5);
		expect(stats.accessTokenRenewals).toBe(stats.accessTokenExpiries);
		for (const worker of WORKERS) expect(figures.executionsPerWorker[worker]).toBeGreaterThan(0);
	});

	test('SIGKILL of a worker mid-run: every accepted webhook call is accounted for, none vanishes', async () => {
		await ctx.sim.reset();
		// Slower Commvault answers keep executions in flight long enough to be caught by the kill.
		await ctx.sim.setFaults({ latencyMs: 400 });
		const before = new Set((await storedExecutions(ctx.cluster, HR.id)).map((e) => e.id));
		const users = userRange(1, 60);
		const [victim, survivor] = ctx.cluster.workers;

		// More calls in flight than the workers take at once: the rest waits in the queue.
		const firing = fireWebhooks(ctx.hrUrl, users, { concurrency: 20, timeoutMs: 300_000 });
		const kill = await killWorkerMidRun(ctx.cluster, victim, { minStarted: 3, minInFlight: 2 });
		const fired = await firing;
		const repliesDoneAt = Date.now();
		const stalled = await kill.stalled;

		expect(kill.exit.signal).toBe('SIGKILL');
		expect(survivor.process.running).toBe(true);
		await waitUntilSettled(ctx.cluster, HR.id, before.size + users.length, { timeoutMs: 300_000 });
		const executions = (await storedExecutions(ctx.cluster, HR.id)).filter((e) => !before.has(e.id));
		const stats = await ctx.sim.stats();
		const attribution = workerAttribution(ctx.cluster);

		const ok = fired.results.filter(isOffboardedReply);
		const notOk = fired.results.filter((r) => !isOffboardedReply(r));
		const succeeded = executions.filter((e) => e.status === 'success');
		const failed = executions.filter((e) => e.status !== 'success');

		// Every accepted call became exactly one stored execution, and all of them ended.
		expect(executions).toHaveLength(users.length);
		// The calls answered "offboarded" are exactly the successful executions, one each.
		expect(succeeded.map((e) => e.user).sort()).toEqual(usersOf(ok));
		// The others were visibly failed: n8n answered them with an error, never silence or a fake success…
		expect(notOk.map((r) => [r.status, r.body])).toEqual(notOk.map(() => [500, { message: 'Error in workflow' }]));
		// …and each has a failed execution in the database, with the reason, from the killed worker's jobs.
		expect(failed).toHaveLength(notOk.length);
		for (const execution of failed) {
			expect(execution.status).toBe('error');
			expect(execution.error).toMatch(/failed to be processed too many times/);
			expect(attribution.byExecution.get(execution.id)).toBeUndefined();
		}
		// Exactly the jobs the dead worker held were lost, and the queue failed each of them (n8n sets
		// Bull's maxStalledCount to 0: a job whose worker died is not run again).
		expect(failed.map((e) => e.id).sort()).toEqual(kill.held.map((j) => j.executionId).sort());
		expect(kill.held.length).toBeGreaterThanOrEqual(kill.inFlight.length);
		expect(kill.held.length).toBeLessThanOrEqual(WORKER_CONCURRENCY);
		expect(Object.values(stalled).map((j) => [j.outcome, j.failedReason])).toEqual(
			kill.held.map(() => ['failed', 'job stalled more than allowable limit']),
		);
		// Commvault: every success offboarded once; a failed one at most once (the kill may come
		// after the offboard call and before n8n recorded it); nobody else.
		for (const user of usersOf(ok)) expect(stats.offboardsByUser[user]).toBe(1);
		for (const user of usersOf(notOk)) expect(stats.offboardsByUser[user] ?? 0).toBeLessThanOrEqual(1);
		expect(Object.keys(stats.offboardsByUser).every((user) => users.includes(user))).toBe(true);
		// What Commvault saw at once is bounded by workers × worker concurrency × the node's Max
		// Concurrent Requests (1 by default), not by the number of webhook calls in flight.
		expect(stats.maxInFlight).toBeLessThanOrEqual(WORKERS.length * WORKER_CONCURRENCY * 1);
		// The survivor took over the rest of the queue.
		const survivorShare = succeeded.filter((e) => attribution.byExecution.get(e.id) === survivor.name).length;
		expect(survivorShare).toBeGreaterThan(0);

		// The remedy for a failed call is to send it again: the offboard is safe to repeat.
		const retried = await fireWebhooks(ctx.hrUrl, usersOf(notOk), { concurrency: 5 });
		expect(retried.results.filter((r) => !isOffboardedReply(r))).toEqual([]);
		const after = await ctx.sim.stats();
		for (const user of users) expect(after.offboardsByUser[user]).toBeGreaterThanOrEqual(1);

		report('SIGKILL of worker-1 mid-run', {
			calls: users.length,
			commvaultLatencyMs: 400,
			webhookCallsInFlight: 20,
			maxInFlightAtCommvault: stats.maxInFlight,
			killedAfterMs: kill.at - (repliesDoneAt - fired.ms),
			victimStartedThisRun: kill.started.length,
			victimInFlightPerItsLog: kill.inFlight,
			replies: { offboarded: ok.length, other: notOk.map((r) => ({ user: r.user, status: r.status, body: r.body, ms: r.ms })) },
			executions: { success: succeeded.length, failed: failed.map((e) => ({ id: e.id, status: e.status, error: e.error })) },
			bullJobsHeldByVictim: kill.held,
			jobsTakenButNotYetLockedByVictim: kill.takenNotLocked,
			stalledJobs: stalled,
			lastReplyAfterKillMs: repliesDoneAt - kill.at,
			workerLockSettings: WORKER_LOCK_ENV,
			successPerWorker: countPerWorker(attribution.byExecution, succeeded.map((e) => e.id), WORKERS),
			failedUsersWhoseOffboardHadReachedCommvault: usersOf(notOk).filter((u) => (stats.offboardsByUser[u] ?? 0) > 0),
			resentFailedCalls: retried.results.map((r) => ({ user: r.user, status: r.status })),
		});
	});

	test('the leaver ledger: 20 leavers due at once, each event starting its own due run on one of the workers: each is offboarded exactly once', async () => {
		await ctx.sim.reset();
		const users = userRange(381, 20);
		const replies = await postLedgerLeavers(ctx.ledgerUrl, users);
		expect(replies.map((r) => [r.status, r.body?.due])).toEqual(Array(20).fill([200, 1]));

		type Row = { leaverKey: string; state?: string; attempts?: number };
		const mine = (rows: Row[]) => rows.filter((r) => users.some((u) => r.leaverKey === `bamboohr:${80000 + Number(u.slice(4))}`));
		await waitForRows(ctx.client, ctx.table, (rows) => mine(rows).length === 20 && mine(rows).every((r) => r.state === 'offboarded'), 300_000);
		const rows = mine(await ledgerRows(ctx.client, ctx.table));
		expect(rows.map((r) => r.attempts)).toEqual(Array(20).fill(1));

		const stats = await ctx.sim.stats();
		expect(stats.offboardsByUser).toEqual(ones(users));
		report('leaver ledger (20 concurrent due runs)', { leavers: users.length, offboardCalls: stats.byEndpoint['user/offboard'] });
	});
});
