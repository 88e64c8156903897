// @ts-check
'use strict';

/**
 * `npm run dev`'s part for the leaver ledger (docs/leaver-ledger.md): the due-run example, an SMTP
 * receiver on loopback for its approval emails (each one is printed with its two links, as nothing
 * delivers it), and the Data Table *Commvault leaver ledger*, created once n8n is up.
 * dev.js calls `beforeStart` before `n8n start` and `afterStart` after it.
 */

const path = require('node:path');

const n8n = require('./n8n');

const DUE_RUN = Object.freeze({ id: 'cvExampleDueRun1', file: path.join(n8n.REPO_ROOT, 'examples', 'offboard-due-leavers.json') });

/**
 * Imports the due run and the SMTP credential its approval email uses, and starts the receiver.
 * @param {import('./n8n/instance').N8nInstance} instance
 * @param {(message: string) => void} say
 */
async function beforeStart(instance, say) {
	const smtp = await n8n.startSmtpReceiver();
	const printed = new Set();
	const printMail = (/** @type {import('./n8n/smtp').ReceivedMail} */ mail) => {
		if (printed.has(mail)) return;
		printed.add(mail);
		say(`Approval email to ${mail.to.join(', ')}: "${mail.subject}" (the demo's SMTP receiver delivers it nowhere). Answer it here:`);
		for (const button of n8n.mailButtons(mail)) say(`  ${button.label}: ${button.url}`);
	};
	// The receiver wakes its waiters on each message; keep one waiting for the next message for good.
	(async () => {
		for (let count = 1; ; count++) printMail(await smtp.waitForMessage(count, Number.MAX_SAFE_INTEGER));
	})().catch(() => undefined);
	await instance.importCredentials([smtp.credential()]);
	await instance.importWorkflows([DUE_RUN.file]);
	say(`Imported "Offboard due leavers" and the SMTP credential for its approval emails (receiver on 127.0.0.1:${smtp.port}).`);
	return { smtp, publishFirst: [DUE_RUN.id] };
}

/**
 * Creates the ledger (once; an existing one is kept with its rows) and returns the banner's lines.
 * @param {import('./n8n/instance').N8nInstance} instance
 */
async function afterStart(instance) {
	const client = /** @type {import('./n8n/rest').N8nClient} */ (instance.client);
	const table = await n8n.ensureLedgerTable(client);
	const editor = instance.server?.editorUrl ?? '';
	return [
		` Leaver ledger: Data table "${table.name}" ${table.created ? '(created)' : `(kept, with its rows${table.addedColumns.length ? `; added the columns ${table.addedColumns.join(', ')}` : ''})`}:`,
		`   ${editor}/projects/${table.projectId}/datatables/${table.id}  (or Overview → Data tables)`,
		'   The HR, ServiceNow and Workday examples write rows there; "Offboard due leavers" (hourly, or "Execute workflow")',
		'   offboards the due ones, asking for approval by email above 20 (links printed here). "Undo an offboarding"',
		'   restores an offboarded row from its snapshot and marks it restored.',
	];
}

module.exports = { beforeStart, afterStart, DUE_RUN };
