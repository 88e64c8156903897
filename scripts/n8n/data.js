// @ts-check
'use strict';

/**
 * Stored execution data: decoding what n8n keeps (run data serialised with `flatted`), and
 * scanning everything an n8n user folder holds on disk for secrets.
 */

const fs = require('node:fs');
const path = require('node:path');

/**
 * Decodes n8n's stored run data (a `flatted` string, as returned by `GET /rest/executions/:id`
 * in `data` and stored in the execution_data table). Uses the `flatted` module of the n8n install.
 * @param {string} installDir   the n8n install folder (ensureN8n().dir)
 * @param {string} text
 * @returns {any}
 */
function parseFlatted(installDir, text) {
	const flatted = require(require.resolve('flatted', { paths: [path.join(installDir, 'node_modules', 'n8n')] }));
	return flatted.parse(text);
}

/**
 * @typedef {object} SecretHit
 * @property {string} file        path relative to the scanned folder
 * @property {string} label       which secret
 * @property {number} offset      byte offset of the first occurrence
 */

/**
 * Searches every file under `folder` (the SQLite database and its -wal/-shm files included, as
 * raw bytes) for each secret, in UTF-8 and UTF-16LE. Returns where each one was found.
 * @param {string} folder
 * @param {Record<string, string>} secrets   label → secret value (empty values are skipped)
 * @param {{ skip?: (relativePath: string) => boolean }} [options]
 * @returns {{ hits: SecretHit[], filesScanned: string[], bytesScanned: number }}
 */
function scanForSecrets(folder, secrets, options = {}) {
	const needles = Object.entries(secrets)
		.filter(([, value]) => typeof value === 'string' && value.length >= 4)
		.flatMap(([label, value]) => [
			{ label, bytes: Buffer.from(value, 'utf8') },
			{ label: `${label} (UTF-16)`, bytes: Buffer.from(value, 'utf16le') },
		]);
	/** @type {SecretHit[]} */
	const hits = [];
	/** @type {string[]} */
	const filesScanned = [];
	let bytesScanned = 0;
	/** @param {string} dir */
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			const relative = path.relative(folder, full);
			if (options.skip?.(relative)) continue;
			if (entry.isDirectory()) {
				walk(full);
				continue;
			}
			if (!entry.isFile()) continue;
			const content = fs.readFileSync(full);
			filesScanned.push(relative);
			bytesScanned += content.length;
			for (const needle of needles) {
				const offset = content.indexOf(needle.bytes);
				if (offset >= 0) hits.push({ file: relative, label: needle.label, offset });
			}
		}
	};
	walk(folder);
	return { hits, filesScanned, bytesScanned };
}

module.exports = { parseFlatted, scanForSecrets };
