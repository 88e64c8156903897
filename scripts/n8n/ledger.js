// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * The leaver ledger: the n8n Data Table the example workflows keep the leaver process in
 * (docs/leaver-ledger.md). A community node cannot reach Data Tables (n8n admits only its own
 * Data Table nodes to them), so the workflows read and write it with the Data Table node, and
 * `npm run dev` and the e2e suites create it here through the REST API the editor uses
 * (`/rest/projects/:projectId/data-tables`, n8n 2.41.1 dist/modules/data-table/data-table.controller.js).
 */

/** The table's name. The example workflows find it by this name (Data Table node, "By Name"). */
const LEDGER_TABLE = 'Commvault leaver ledger';

/**
 * The columns, in the order the editor shows them. n8n adds `id`, `createdAt` and `updatedAt`.
 * What each one holds: docs/leaver-ledger.md.
 * @type {ReadonlyArray<{ name: string, type: 'string' | 'number' | 'boolean' | 'date' }>}
 */
const LEDGER_COLUMNS = Object.freeze([
	{ name: 'leaverKey', type: 'string' },
	{ name: 'source', type: 'string' },
	{ name: 'sourceEventId', type: 'string' },
	{ name: 'employeeId', type: 'string' },
	{ name: 'employeeName', type: 'string' },
	{ name: 'commvaultUser', type: 'string' },
	{ name: 'effectiveDate', type: 'string' },
	{ name: 'immediate', type: 'boolean' },
	{ name: 'state', type: 'string' },
	{ name: 'open', type: 'boolean' },
	{ name: 'attempts', type: 'number' },
	{ name: 'nextAttemptAt', type: 'string' },
	{ name: 'approvedBy', type: 'string' },
	{ name: 'approvedAt', type: 'string' },
	{ name: 'resultStatus', type: 'string' },
	{ name: 'resultMessage', type: 'string' },
	{ name: 'commvaultErrorCode', type: 'number' },
	{ name: 'changedAt', type: 'string' },
	{ name: 'requests', type: 'string' },
	{ name: 'before', type: 'string' },
	{ name: 'verification', type: 'string' },
	{ name: 'recordedAt', type: 'string' },
	// Written by the Undo example (examples/undo-offboarding.json) when it restores the row's `before`.
	{ name: 'restoreRequestedBy', type: 'string' },
	{ name: 'restoreRequestedAt', type: 'string' },
	{ name: 'restoreStatus', type: 'string' },
	{ name: 'restoreMessage', type: 'string' },
	{ name: 'restoredAt', type: 'string' },
	{ name: 'restoreRequests', type: 'string' },
	{ name: 'restoreParts', type: 'string' },
]);

/**
 * @typedef {object} LedgerTable
 * @property {string} id
 * @property {string} projectId
 * @property {string} name
 */

/**
 * The owner's personal project, where the CLI imports workflows and the ledger belongs.
 * @param {import('./rest').N8nClient} client  logged in
 * @returns {Promise<string>}
 */
async function personalProjectId(client) {
	const project = await client.request('GET', '/projects/personal');
	return String(project.id);
}

/**
 * Finds the ledger in the owner's personal project, or creates it with its columns. A ledger made
 * before a release added columns (e.g. the Undo example's `restore…` columns) gets the missing ones,
 * empty in its existing rows, so that the workflows that write them find them.
 * @param {import('./rest').N8nClient} client  logged in
 * @returns {Promise<LedgerTable & { created: boolean, addedColumns: string[] }>}
 */
async function ensureLedgerTable(client) {
	const projectId = await personalProjectId(client);
	const base = `/projects/${encodeURIComponent(projectId)}/data-tables`;
	const listed = await client.request('GET', base, { query: { take: '100' } });
	const existing = (listed?.data ?? listed ?? []).find((/** @type {any} */ t) => t.name === LEDGER_TABLE);
	if (existing) {
		const table = { id: String(existing.id), projectId, name: LEDGER_TABLE };
		return { ...table, created: false, addedColumns: await addMissingColumns(client, table) };
	}
	const created = await client.request('POST', base, { body: { name: LEDGER_TABLE, columns: LEDGER_COLUMNS } });
	return { id: String(created.id), projectId, name: LEDGER_TABLE, created: true, addedColumns: [] };
}

/** @param {LedgerTable} table */
const columnsPath = (table) => `/projects/${encodeURIComponent(table.projectId)}/data-tables/${encodeURIComponent(table.id)}/columns`;

/**
 * Adds the columns of LEDGER_COLUMNS that an existing ledger lacks (`POST …/columns`, as the editor's
 * "Add column" does); returns their names.
 * @param {import('./rest').N8nClient} client
 * @param {LedgerTable} table
 * @returns {Promise<string[]>}
 */
async function addMissingColumns(client, table) {
	const listed = await client.request('GET', columnsPath(table));
	const have = new Set((listed?.data ?? listed ?? []).map((/** @type {{ name: string }} */ c) => c.name));
	const missing = LEDGER_COLUMNS.filter((column) => !have.has(column.name));
	for (const column of missing) await client.request('POST', columnsPath(table), { body: { name: column.name, type: column.type } });
	return missing.map((column) => column.name);
}

/** @param {LedgerTable} table */
const rowsPath = (table) => `/projects/${encodeURIComponent(table.projectId)}/data-tables/${encodeURIComponent(table.id)}/rows`;

/**
 * Every row of the ledger, oldest first (what the editor's table view shows).
 * @param {import('./rest').N8nClient} client
 * @param {LedgerTable} table
 * @returns {Promise<any[]>}
 */
async function ledgerRows(client, table) {
	/** @type {any[]} */
	const rows = [];
	for (;;) {
		// n8n caps a page below what is asked for (2.0.0 returns at most 50 rows), so page on what came back.
		const page = await client.request('GET', rowsPath(table), { query: { take: '100', skip: String(rows.length), sortBy: 'id:asc' } });
		const data = page?.data ?? [];
		rows.push(...data);
		const total = page?.count;
		if (data.length === 0 || (typeof total === 'number' && rows.length >= total)) return rows;
	}
}

/**
 * Changes rows as the editor does when a cell is edited (`PATCH …/rows`).
 * @param {import('./rest').N8nClient} client
 * @param {LedgerTable} table
 * @param {Array<{ columnName: string, condition: string, value: unknown }>} filters  all must match
 * @param {Record<string, unknown>} data
 */
async function updateLedgerRows(client, table, filters, data) {
	return await client.request('PATCH', rowsPath(table), { body: { filter: { type: 'and', filters }, data, returnData: true } });
}

/**
 * Workflows that find the ledger "By Name", rewritten to find it by its ID, for n8n releases whose
 * Data Table node has no "By Name" mode (2.0.0 has only "From List" and "ID").
 * @param {any} workflow
 * @param {LedgerTable} table
 * @returns {any}
 */
function withLedgerId(workflow, table) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		const locator = node.parameters?.dataTableId;
		if (node.type === 'n8n-nodes-base.dataTable' && locator?.mode === 'name' && locator.value === LEDGER_TABLE) {
			node.parameters.dataTableId = { __rl: true, mode: 'id', value: table.id };
		}
	}
	return copy;
}

/**
 * Whether this n8n's Data Table node can find a table "By Name" (2.41.1 can; 2.0.0 has only
 * "From List" and "ID"): read from the installed n8n-nodes-base, which is what runs the workflows.
 * @param {string} n8nDir  the n8n install (N8nInstall.dir)
 */
function dataTableFindsByName(n8nDir) {
	const fields = path.join(n8nDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'DataTable', 'common', 'fields.js');
	return fs.existsSync(fields) && fs.readFileSync(fields, 'utf8').includes("displayName: 'By Name'");
}

module.exports = { dataTableFindsByName, LEDGER_TABLE, LEDGER_COLUMNS, ensureLedgerTable, ledgerRows, updateLedgerRows, withLedgerId, personalProjectId };
