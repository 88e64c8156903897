// @ts-check
'use strict';

/**
 * What the leaver-ledger suite needs around a real n8n: the ledger table, the SMTP receiver for the
 * approval emails, BambooHR and ServiceNow events, and a way to start the due run and wait for it.
 */

const path = require('node:path');

const n8n = require('../../../scripts/n8n');
const e2e = require('./e2e');

const EXAMPLES_DIR = path.join(n8n.REPO_ROOT, 'examples');

/** The ledger's workflows, by id. */
const LEDGER_WORKFLOWS = Object.freeze({
	hr: { id: 'cvExampleHrOffb1', file: path.join(EXAMPLES_DIR, 'hr-offboarding-webhook.json'), webhook: 'commvault/hr-offboarding' },
	ticket: { id: 'cvExampleTicket1', file: path.join(EXAMPLES_DIR, 'ticket-offboarding-servicenow.json'), webhook: 'commvault/servicenow-offboarding' },
	dueRun: { id: 'cvExampleDueRun1', file: path.join(EXAMPLES_DIR, 'offboard-due-leavers.json') },
	runDueNow: { id: 'cvE2eRunDueNow1', file: path.join(__dirname, '..', 'workflows', 'run-due-leavers.json'), webhook: 'e2e/run-due-leavers' },
});

/** The time zone the suite's n8n runs in (n8n's own default, set explicitly): the ledger's dates are in it. */
const TIME_ZONE = 'America/New_York';

/**
 * A calendar date (YYYY-MM-DD) in the suite's time zone, `days` from today.
 * @param {number} days
 */
function dateFromToday(days) {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
	const date = new Date(`${today}T12:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

/**
 * One employee of a BambooHR "employee changed" webhook.
 * @param {{ id: string, user: string, status?: string, terminationDate?: string, timestamp?: string, immediate?: boolean }} employee
 */
function bambooHrEmployee(employee) {
	/** @type {Record<string, unknown>} */
	const fields = {
		firstName: employee.user,
		lastName: 'Leaver',
		workEmail: `${employee.user}@example.com`,
		commvaultUsername: employee.user,
		employmentStatus: employee.status ?? 'Terminated',
		terminationDate: employee.terminationDate ?? '',
	};
	if (employee.immediate) fields.offboardImmediately = 'true';
	return {
		id: employee.id,
		timestamp: employee.timestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
		action: 'Updated',
		changedFields: ['employmentStatus', 'terminationDate'],
		fields,
	};
}

/**
 * An n8n with the ledger: the simulator, the SMTP receiver, the credentials, the entry workflows and
 * the due run imported, n8n started with the webhooks published, and the ledger table created.
 * `workflows` are more workflows that use the ledger (imported the same way, e.g. the Workday report's
 * e2e copy) and `activate` the ids among them to publish; `credentials` are more credentials they need
 * (e.g. the Undo form's login).
 * @param {string} name
 * @param {{ simulatorArgs?: string[], env?: Record<string, string>, workflows?: Array<object | string>, activate?: string[], credentials?: object[] }} [options]
 */
async function startLedgerInstance(name, options = {}) {
	const sim = await e2e.startSimulator(options.simulatorArgs ?? []);
	const smtp = await n8n.startSmtpReceiver();
	const instance = await e2e.newInstance(name, { env: { GENERIC_TIMEZONE: TIME_ZONE, ...(options.env ?? {}) } });
	try {
		await instance.importCredentials([e2e.accessTokenCredential(sim), smtp.credential(), ...(options.credentials ?? [])]);
		// Without "By Name" (n8n 2.0.0), the workflows find the ledger by the ID it gets when created:
		// n8n is started once to create it (as a user would in the editor), then the workflows are imported.
		const byName = n8n.dataTableFindsByName(instance.install.dir);
		/** @type {import('../../../scripts/n8n/ledger').LedgerTable | undefined} */
		let created;
		if (!byName) {
			await instance.start();
			created = await n8n.ensureLedgerTable(/** @type {any} */ (instance.client));
			await instance.stop();
		}
		const adapt = (/** @type {string | object} */ workflow) => {
			const json = typeof workflow === 'string' ? e2e.readJson(workflow) : workflow;
			return created ? n8n.withLedgerId(json, created) : json;
		};
		await instance.importWorkflows([adapt(dueRunWithoutSchedule()), LEDGER_WORKFLOWS.runDueNow.file, ...(options.workflows ?? []).map(adapt)]);
		await instance.importWithWebhookAuth([adapt(LEDGER_WORKFLOWS.hr.file), adapt(LEDGER_WORKFLOWS.ticket.file)], e2e.WEBHOOK_SECRETS);
		// The entry workflows call the due run, so n8n publishes it first.
		const ids = [LEDGER_WORKFLOWS.dueRun.id, LEDGER_WORKFLOWS.hr.id, LEDGER_WORKFLOWS.ticket.id, LEDGER_WORKFLOWS.runDueNow.id, ...(options.activate ?? [])];
		await instance.start({ activate: ids });
		const client = /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client);
		const table = await n8n.ensureLedgerTable(client);
		return { sim, smtp, n8n: instance, table, client };
	} catch (error) {
		await instance.stop();
		await sim.stop();
		await smtp.stop();
		throw error;
	}
}

/**
 * Stops what startLedgerInstance started (n8n, the simulator, the SMTP receiver); a set-up that failed
 * half-way leaves `ledger` undefined.
 * @param {Awaited<ReturnType<typeof startLedgerInstance>> | undefined} ledger
 */
async function stopLedgerInstance(ledger) {
	await ledger?.n8n.stop();
	await ledger?.sim.stop();
	await ledger?.smtp.stop();
}

/**
 * The due-run example with its hourly Schedule Trigger switched off: the suite starts every due run
 * itself, so that none starts at the top of an hour in the middle of a test.
 */
function dueRunWithoutSchedule() {
	const workflow = e2e.readJson(LEDGER_WORKFLOWS.dueRun.file);
	for (const node of workflow.nodes) if (node.type === 'n8n-nodes-base.scheduleTrigger') node.disabled = true;
	return workflow;
}

/**
 * The executions of a workflow n8n stored, newest first, with their status.
 * @param {import('../../../scripts/n8n/rest').N8nClient} client
 * @param {string} workflowId
 */
async function executionsOf(client, workflowId) {
	return await client.listExecutions({ workflowId });
}

/**
 * Waits until a workflow has `count` executions in one of the given statuses.
 * @param {import('../../../scripts/n8n/rest').N8nClient} client
 * @param {string} workflowId
 * @param {number} count
 * @param {string[]} statuses
 */
async function waitForStatus(client, workflowId, count, statuses, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	/** @type {any[]} */
	let executions = [];
	while (Date.now() < deadline) {
		executions = await executionsOf(client, workflowId);
		if (executions.filter((e) => statuses.includes(e.status)).length >= count) return executions;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	throw new Error(`Expected ${count} execution(s) of ${workflowId} in ${statuses.join('/')}, have ${JSON.stringify(executions.map((e) => e.status))}`);
}

/** Statuses of a finished execution. */
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/**
 * Starts the due run (through the e2e webhook that calls it, as an entry workflow does) and waits
 * until it has finished: `finishedBefore` + 1 finished executions.
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 */
async function runDueLeavers(instance) {
	const client = /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client);
	const before = (await executionsOf(client, LEDGER_WORKFLOWS.dueRun.id)).filter((e) => FINISHED.includes(e.status)).length;
	const reply = await e2e.postJson(instance.webhookUrl(LEDGER_WORKFLOWS.runDueNow.webhook), {});
	if (reply.status !== 200) throw new Error(`The due-run webhook answered ${reply.status}: ${reply.text}`);
	const executions = await waitForStatus(client, LEDGER_WORKFLOWS.dueRun.id, before + 1, FINISHED);
	return executions.filter((e) => FINISHED.includes(e.status))[0];
}

/**
 * Waits until the ledger's rows satisfy `done` and returns them.
 * @param {import('../../../scripts/n8n/rest').N8nClient} client
 * @param {import('../../../scripts/n8n/ledger').LedgerTable} table
 * @param {(rows: any[]) => boolean} done
 */
async function waitForRows(client, table, done, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	let rows = await n8n.ledgerRows(client, table);
	while (!done(rows)) {
		if (Date.now() > deadline) throw new Error(`The ledger did not reach the expected rows: ${JSON.stringify(rows)}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
		rows = await n8n.ledgerRows(client, table);
	}
	return rows;
}

/**
 * Waits until n8n lists no execution at all (pruned).
 * @param {import('../../../scripts/n8n/rest').N8nClient} client
 */
async function waitUntilPruned(client, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	let executions = await client.listExecutions();
	while (executions.length > 0) {
		if (Date.now() > deadline) throw new Error(`Executions not pruned: ${JSON.stringify(executions.map((e) => [e.id, e.status]))}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		executions = await client.listExecutions();
	}
}

/**
 * Follows a link of the approval email as a person's browser does. n8n's Send and Wait answers a
 * client it takes for a bot (isbot on the User-Agent, e.g. Node's "node") with an empty page and does
 * not resume, so that link scanners cannot approve (n8n-nodes-base 2.41.1 dist/utils/sendAndWait/utils.js).
 * @param {string} url
 */
async function clickEmailLink(url) {
	const response = await fetch(url, {
		headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' },
		signal: AbortSignal.timeout(60_000),
	});
	return { status: response.status, text: await response.text() };
}

module.exports = {
	stopLedgerInstance,
	LEDGER_WORKFLOWS,
	clickEmailLink,
	waitForRows,
	waitUntilPruned,
	TIME_ZONE,
	FINISHED,
	dateFromToday,
	bambooHrEmployee,
	startLedgerInstance,
	dueRunWithoutSchedule,
	executionsOf,
	waitForStatus,
	runDueLeavers,
	ledgerRows: n8n.ledgerRows,
	updateLedgerRows: n8n.updateLedgerRows,
	mailButtons: n8n.mailButtons,
};
