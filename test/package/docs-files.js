// @ts-check
'use strict';

/**
 * The documentation files the docs test reads (TS tests may not import node:* modules, so the
 * listing lives here).
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/** Markdown under `docs/`, recursively, as paths from the top of the repository. */
function docsMarkdown() {
	/** @type {string[]} */
	const found = [];
	const walk = (/** @type {string} */ dir) => {
		for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
			const relative = path.posix.join(dir, entry.name);
			if (entry.isDirectory()) walk(relative);
			else if (entry.name.endsWith('.md')) found.push(relative);
		}
	};
	walk('docs');
	return found.sort();
}

/**
 * Whether a path from the top of the repository exists (a file or a folder).
 * @param {string} relativePath
 */
function repoPathExists(relativePath) {
	return fs.existsSync(path.join(root, relativePath));
}

/** The example workflows: the `.json` files directly in `examples/` (not its payloads), by file name. */
function exampleWorkflows() {
	return fs
		.readdirSync(path.join(root, 'examples'), { withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
		.map((entry) => entry.name)
		.sort();
}

module.exports = { docsMarkdown, exampleWorkflows, repoPathExists };
