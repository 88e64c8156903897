// @ts-check
'use strict';

/**
 * The Workday report example (examples/workday-leavers-report.json) in the ledger suite's n8n. The
 * example starts from a Schedule Trigger and a Manual Trigger and reads a sample report from a Set node;
 * its e2e copy has the schedule off and a webhook that runs it with the report the test posts (the test's
 * stand-in for the HTTP Request a user puts in place of the sample). Everything after the report is the
 * example's own.
 */

const path = require('node:path');

const n8n = require('../../../scripts/n8n');
const e2e = require('./e2e');
const { FINISHED, executionsOf, waitForStatus } = require('./ledger');

const WORKDAY = Object.freeze({
	id: 'cvExampleWorkday',
	file: path.join(n8n.REPO_ROOT, 'examples', 'workday-leavers-report.json'),
	report: 'Leavers (Workday report)',
	webhook: 'e2e/workday-report',
});

/** The example with its daily schedule off and a webhook whose body is the report. */
function workdayForE2e() {
	const workflow = e2e.readJson(WORKDAY.file);
	for (const node of workflow.nodes) if (node.type === 'n8n-nodes-base.scheduleTrigger') node.disabled = true;
	const report = workflow.nodes.find((/** @type {any} */ node) => node.name === WORKDAY.report);
	if (!report) throw new Error(`${WORKDAY.file} has no node "${WORKDAY.report}"`);
	report.parameters.jsonOutput = '={{ JSON.stringify($json.body) }}';
	const trigger = 'e2e: run the report';
	workflow.nodes.push({
		parameters: { httpMethod: 'POST', path: WORKDAY.webhook, responseMode: 'onReceived', options: {} },
		id: '0b6f4f0e-7a41-5d1e-9c2a-3e5f7a9b1c20',
		name: trigger,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 400],
		webhookId: '5d2c8e71-4f3a-5b9c-8e1d-7a6b5c4d3e2f',
	});
	workflow.connections[trigger] = { main: [[{ node: WORKDAY.report, type: 'main', index: 0 }]] };
	return workflow;
}

/**
 * One line of the report, with the fields the example's sample has.
 * @param {{ id: string, user: string, date: string }} leaver
 */
function reportLine(leaver) {
	return {
		Employee_ID: leaver.id,
		Worker: `${leaver.user} Leaver`,
		Work_Email: `${leaver.user}@example.com`,
		Commvault_User: leaver.user,
		Termination_Date: leaver.date,
		Supervisory_Organization: 'Finance',
	};
}

/**
 * Runs the Workday example with a report of these lines and waits until it has finished.
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @param {object[]} lines
 * @returns {Promise<{ status: string, run: any }>}  the execution's status and its decoded run data
 */
async function runWorkdayReport(instance, lines) {
	const client = /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client);
	const finished = (await executionsOf(client, WORKDAY.id)).filter((e) => FINISHED.includes(e.status)).length;
	const reply = await e2e.postJson(instance.webhookUrl(WORKDAY.webhook), { Report_Entry: lines });
	if (reply.status !== 200) throw new Error(`The Workday report's e2e webhook answered ${reply.status}: ${reply.text}`);
	const [newest] = (await waitForStatus(client, WORKDAY.id, finished + 1, FINISHED)).filter((e) => FINISHED.includes(e.status));
	const execution = await client.getExecution(String(newest.id));
	const raw = typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data);
	return { status: execution.status, run: n8n.parseFlatted(instance.install.dir, raw) };
}

module.exports = { WORKDAY, workdayForE2e, reportLine, runWorkdayReport };
