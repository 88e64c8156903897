// @ts-check
'use strict';

/**
 * Reads an execution back from the n8n user folder's SQLite database. `n8n execute --rawOutput`
 * also prints the run, but at 10+ MB of output a log line can land in the middle of the JSON; the
 * stored execution is the same run data, and reading it does not depend on what got printed.
 */

const path = require('node:path');

const { parseFlatted } = require('../../scripts/n8n');

/**
 * The newest stored execution of `workflowId`: its status and its run data (IRunExecutionData).
 * @param {{ installDir: string, userFolder: string, workflowId: string }} options
 * @returns {Promise<{ id: number, status: string, data: any } | undefined>}
 */
async function latestExecution(options) {
	const sqlite3 = require(path.join(options.installDir, 'node_modules', 'sqlite3'));
	const file = path.join(options.userFolder, '.n8n', 'database.sqlite');
	const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
	try {
		/** @type {any} */
		const row = await new Promise((resolve, reject) =>
			db.get(
				`SELECT e.id AS id, e.status AS status, d.data AS data
				 FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
				 WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1`,
				[options.workflowId],
				(/** @type {Error | null} */ error, /** @type {any} */ value) => (error ? reject(error) : resolve(value)),
			),
		);
		if (!row) return undefined;
		return { id: row.id, status: row.status, data: parseFlatted(options.installDir, row.data) };
	} finally {
		await new Promise((resolve) => db.close(() => resolve(undefined)));
	}
}

module.exports = { latestExecution };
