// @ts-check
'use strict';

/**
 * What `npm run dev` tells a newcomer about the demo, in one place: the example workflows it imports
 * (every file in examples/, in this order), what each changes in the simulator and whether it ends red
 * on purpose, and the simulator's users. The banner prints it; README.md and docs/demo.md show the same
 * lists, and test/package/demo-docs.test.ts checks that they agree with each other and with examples/.
 */

/**
 * @typedef {object} DemoExample
 * @property {string} file      in examples/
 * @property {string} id        its fixed workflow id
 * @property {string} title     as the banner names it
 * @property {string} run       how to run it in the demo
 * @property {string} changes   what a run changes in the simulator
 * @property {string} [endsRed] why a run ends red on purpose (absent: it ends green)
 * @property {'bamboohr' | 'servicenow'} [webhook]  a webhook the demo publishes, and how its caller proves who it is
 * @property {boolean} [importedByLedger]  imported (and published) by the leaver ledger's set-up (scripts/dev-ledger.js)
 * @property {boolean} [form]  started from a form that asks for the forms' login (FORMS_CREDENTIAL in scripts/n8n/webhook-auth.js)
 */

/** @type {DemoExample[]} */
const DEMO_EXAMPLES = [
	{
		file: 'start-here-dry-run.json',
		id: 'cvExampleStart01',
		title: 'Start here: preview an offboarding (Dry Run)',
		run: 'open it and click "Execute workflow"',
		changes: 'nothing: Dry Run sends only reads',
	},
	{
		file: 'hr-offboarding-webhook.json',
		id: 'cvExampleHrOffb1',
		title: 'HR leavers into the ledger (BambooHR webhook)',
		run: 'published; send the signed sample below',
		changes: 'writes leaver rows into the ledger (a Data Table); Commvault only through the due run',
		endsRed: 'when it refuses a request (not signed, no employees list) or an employee (no user or date), after answering',
		webhook: 'bamboohr',
	},
	{
		file: 'ticket-offboarding-servicenow.json',
		id: 'cvExampleTicket1',
		title: 'ServiceNow leavers into the ledger',
		run: 'published; send the sample below with basic authentication',
		changes: 'writes a leaver row into the ledger (a Data Table)',
		endsRed: 'when it refuses a request item (no number, user or date), after answering 422',
		webhook: 'servicenow',
	},
	{
		file: 'workday-leavers-report.json',
		id: 'cvExampleWorkday',
		title: 'Workday leavers into the ledger (daily report)',
		run: 'open it and click "Execute workflow" (sample: jdoe today, acme\\asmith in 14 days)',
		changes: 'writes leaver rows into the ledger (a Data Table); Commvault only through the due run',
		endsRed: 'when an open row is no longer in the report, or a line is refused',
	},
	{
		file: 'offboard-due-leavers.json',
		id: 'cvExampleDueRun1',
		title: 'Offboard due leavers (hourly; the ledger)',
		run: 'published; open it and click "Execute workflow" to run it now',
		changes: 'offboards the due leavers in Commvault and writes each result back',
		endsRed: 'when a due leaver fails (e.g. legal.hold), after writing the results',
		importedByLedger: true,
	},
	{
		file: 'undo-offboarding.json',
		id: 'cvExampleUndo001',
		title: 'Undo an offboarding (Restore from the leaver ledger)',
		run: 'offboard jdoe through the ledger first; then open it and click "Execute workflow"',
		changes: "restores the newest offboarded ledger row of the leaver from its snapshot (after a Dry Run) and marks it restored",
		endsRed: 'when nothing was undone: no offboarded row for the leaver, no snapshot, or Restore failed',
		form: true,
	},
	{
		file: 'weekly-reconciliation.json',
		id: 'cvExampleRecon01',
		title: 'Weekly reconciliation of leavers (User → Check)',
		run: 'open it and click "Execute workflow"',
		changes: 'nothing: Check only reads',
		endsRed: 'when a leaver still holds something',
	},
	{
		file: 'laptop-handover.json',
		id: 'cvExampleLaptop1',
		title: 'Laptop hand-over (form, approval, retire or hand over)',
		run: 'open it and click "Execute workflow"; fill in the form',
		changes: 'retires a laptop or changes its owner, once approved',
		form: true,
	},
	{
		file: 'ai-helpdesk-mcp.json',
		id: 'cvExampleMcpHelp',
		title: 'AI helpdesk tools over MCP',
		run: 'not published: it needs a bearer-token credential (docs/ai-assistant.md)',
		changes: 'its Offboard tool offboards; its preview changes nothing',
	},
	{
		file: 'ai-agent-offboarding-review.json',
		id: 'cvExampleAgentRv',
		title: 'AI helpdesk agent: Offboard after human review',
		run: 'not published: it needs an OpenAI-compatible model, an SMTP server and a chat password (docs/ai-assistant.md)',
		changes: 'its Offboard tool offboards once the approver clicks Offboard in the email; its preview changes nothing',
	},
];

/**
 * The simulator's users as a newcomer meets them (simulator/README.md, "Default data", has every field).
 * @type {Array<{ name: string, shows: string }>}
 */
const SIMULATOR_USERS = [
	{ name: 'jdoe', shows: 'a leaver with everything: 2 subclients, 2 VM clients, 2 sessions, 2 access tokens, a laptop' },
	{ name: 'acme\\asmith', shows: 'a company (AD) user; found by email asmith@acme.example.com; its groups cannot be changed' },
	{ name: 'legal.hold', shows: 'Commvault refuses the offboard (error 3, legal hold); a Dry Run cannot see that' },
	{ name: 'rlee', shows: 'owns nothing: an offboard finds nothing to remove' },
	{ name: 'mroe', shows: 'already disabled' },
	{ name: 'kfrost', shows: 'locked account' },
	{ name: 'admin', shows: 'the built-in administrator: the node refuses to change it' },
	{ name: 'ghost', shows: 'no such user: "not found"' },
];

/**
 * The banner's part about the examples and the simulator's users.
 * @param {{ editor: string, hook: (example: DemoExample) => string, payload: (file: string) => string,
 *           senderChecksFile: string, serviceNowUser: string, formsUser: string, published: boolean, simulatorUrl?: string }} at
 * @returns {string[]}
 */
function demoGuideLines(at) {
	const lines = [
		' After login n8n opens its Assistant page: the house icon (Overview) in the left bar lists the',
		` example workflows (or open ${at.editor}/home/workflows). Start with "Start here". Marked * change data:`,
	];
	for (const example of DEMO_EXAMPLES) {
		const run = example.webhook && !at.published ? 'imported, not published (--no-publish)' : example.run;
		lines.push(`  ${example.changes.startsWith('nothing') ? ' ' : '*'} ${example.title}: ${run}`);
		if (example.endsRed) lines.push(`      ends red on purpose: ${example.endsRed}`);
		if (example.webhook === 'bamboohr') {
			lines.push(`      node scripts/sign-bamboohr.js --dev ${at.hook(example)} \\`, `        ${at.payload('bamboohr-employees-terminated.json')}`);
		}
		if (example.form) {
			lines.push(`      its form asks for a login: ${at.formsUser} / $(node -p "require('./${at.senderChecksFile}').formsPassword")`);
		}
		if (example.webhook === 'servicenow') {
			lines.push(
				`      curl -sS -X POST ${at.hook(example)} \\`,
				`        -u "${at.serviceNowUser}:$(node -p "require('./${at.senderChecksFile}').serviceNowPassword")" \\`,
				`        -H 'Content-Type: application/json' --data @${at.payload('servicenow-ritm-offboard.json')}`,
			);
		}
	}
	if (!at.simulatorUrl) return lines;
	lines.push('', ' Simulator users to try (the data starts afresh with every npm run dev):');
	for (const user of SIMULATOR_USERS) lines.push(`   ${user.name.padEnd(12)} ${user.shows}`);
	lines.push(` Put the data back without restarting: curl -sS -X POST ${at.simulatorUrl}/__simulator/reset`);
	return lines;
}

module.exports = { DEMO_EXAMPLES, SIMULATOR_USERS, demoGuideLines };
