// @ts-check
'use strict';

/**
 * The package as n8n would get it, for the package tests (TS tests may not import node:* modules
 * or spawn processes, so that lives here).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/**
 * Builds the package and lists the files `npm publish` would upload (`npm pack --dry-run`).
 * @returns {string[]}
 */
function buildAndListTarball() {
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
	const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' }));
	return /** @type {Array<{ path: string }>} */ (info.files).map((f) => f.path);
}

/**
 * A file of the repository, by its path from the top, as text.
 * @param {string} relativePath
 */
function repoFile(relativePath) {
	return fs.readFileSync(path.join(root, relativePath), 'utf8');
}

/** The example workflows that ship in `examples/`, as paths from the top of the repository. */
function exampleWorkflowFiles() {
	return fs
		.readdirSync(path.join(root, 'examples'))
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => `examples/${name}`);
}

module.exports = { buildAndListTarball, repoFile, exampleWorkflowFiles };
