#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Installs a pinned n8n into the cache folder once and reuses it afterwards.
 *
 *   node scripts/n8n/install.js [--version 2.41.1]     (prints the folder when done)
 *
 * What works on these machines (see ../shared/reference/running-n8n-here.md): under Node 24,
 * `npm install --ignore-scripts n8n@<version>` (an install script of a Kafka client downloads zlib
 * from the internet and fails), then `npm rebuild sqlite3` (compiles SQLite, about 4 minutes).
 * A marker file is written only after both succeeded; a folder without it is finished on the next
 * run (npm install is idempotent). A folder installed by hand before this script existed is
 * recognised by its n8n version and built sqlite3 binding, and gets the marker then.
 */

const fs = require('node:fs');
const path = require('node:path');

const { N8N_VERSION, n8nBin, n8nInstallDir } = require('./paths');
const { runToCompletion } = require('./process');

const MARKER = '.n8n-nodes-commvault-install-complete';

/**
 * @param {string} dir
 * @param {string} version
 */
function installedVersion(dir, version) {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		return pkg.version === version;
	} catch {
		return false;
	}
}

/** @param {string} dir */
function sqliteBindingBuilt(dir) {
	return fs.existsSync(path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'));
}

/**
 * @param {string} dir
 * @param {string} version
 */
function isComplete(dir, version) {
	const marker = path.join(dir, MARKER);
	if (fs.existsSync(marker)) {
		try {
			return JSON.parse(fs.readFileSync(marker, 'utf8')).version === version;
		} catch {
			return false;
		}
	}
	return false;
}

/**
 * @param {string} dir
 * @param {string} version
 * @param {string} how
 */
function writeMarker(dir, version, how) {
	const marker = path.join(dir, MARKER);
	const content = { version, node: process.version, completedAt: new Date().toISOString(), how };
	fs.writeFileSync(`${marker}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
	fs.renameSync(`${marker}.tmp`, marker);
}

/**
 * The environment for npm: Node 24 first on PATH (npm's shebang runs `node` from PATH), and the
 * caller's npm settings (registry, nodedir for native addons) passed through.
 */
function npmEnv() {
	const nodeBinDir = path.dirname(process.execPath);
	return {
		...process.env,
		PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
	};
}

/**
 * npm `overrides` the install folder needs for some n8n releases, and why. They go into that
 * folder's own package.json (never into the repository's): they change only the test's n8n.
 * @param {string} version
 * @returns {Record<string, string>}
 */
function installOverrides(version) {
	const [major, minor] = version.split('.').map(Number);
	if (major < 2 || (major === 2 && minor < 32)) {
		// n8n 1.x and n8n-nodes-base before 2.32 depend on `xlsx` as a tarball URL on cdn.sheetjs.com
		// (https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz), which not every network reaches (these
		// machines do not: npm fails with ENOTFOUND). From 2.32 on, n8n-nodes-base uses `@e965/xlsx` from
		// the registry. 0.18.5 is the last `xlsx` on the npm registry; only the spreadsheet nodes
		// (Spreadsheet File, Extract From File, Convert to File) use it, and the end-to-end suite uses none.
		return { xlsx: '0.18.5' };
	}
	return {};
}

/**
 * Writes (or completes) the install folder's package.json: a private root with the overrides
 * this n8n release needs (see installOverrides).
 * @param {string} dir
 * @param {string} version
 * @param {(message: string) => void} log
 */
function writeInstallPackageJson(dir, version, log) {
	const pkgJson = path.join(dir, 'package.json');
	/** @type {Record<string, any>} */
	let pkg = { name: 'n8n-runtime', private: true };
	if (fs.existsSync(pkgJson)) pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
	const overrides = installOverrides(version);
	if (Object.keys(overrides).length > 0) {
		pkg.overrides = { ...(pkg.overrides ?? {}), ...overrides };
		log(`npm overrides in ${pkgJson}: ${JSON.stringify(overrides)}`);
	}
	fs.writeFileSync(pkgJson, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** @param {number} ms */
function minutes(ms) {
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Runs one npm step, printing a heartbeat every 30 s (with the number of packages npm fetched so
 * far, when its log level shows them) so a long install never looks stuck.
 * @param {{ label: string, doing: string, args: string[], cwd: string, logFile: string, log: (message: string) => void }} step
 */
async function runNpmStep(step) {
	const { label, doing, args, cwd, logFile, log } = step;
	const started = Date.now();
	let fetched = 0;
	log(`${label}: npm ${args.join(' ')}  (log: ${logFile})`);
	const heartbeat = setInterval(() => {
		const count = fetched ? `, ${fetched} packages fetched` : '';
		log(`  … still ${doing} (${minutes(Date.now() - started)} so far${count})`);
	}, 30_000);
	try {
		const result = await runToCompletion({
			name: 'npm',
			command: 'npm',
			args,
			cwd,
			env: npmEnv(),
			logFile,
			onLine: (line) => {
				if (/^npm http (fetch|cache)/.test(line)) fetched++;
			},
		});
		if (result.code !== 0) {
			throw new Error(
				`npm ${args.join(' ')} failed (exit ${result.code ?? result.signal}) in ${cwd}.\n` +
					`Last output:\n${result.output.split('\n').slice(-30).join('\n')}\nFull log: ${logFile}`,
			);
		}
		log(`  done in ${minutes(result.durationMs)}`);
	} finally {
		clearInterval(heartbeat);
	}
}

/**
 * @typedef {object} N8nInstall
 * @property {string} dir        the install folder
 * @property {string} bin        n8n's CLI script (run it with process.execPath)
 * @property {string} version
 */

/**
 * Returns the cached n8n install of `version`, installing it first when needed.
 * @param {{ version?: string, log?: (message: string) => void, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<N8nInstall>}
 */
async function ensureN8n(options = {}) {
	const version = options.version ?? N8N_VERSION;
	const log = options.log ?? ((message) => console.log(message));
	const dir = n8nInstallDir(version, options.env);
	const result = { dir, bin: n8nBin(dir), version };

	if (isComplete(dir, version)) return result;
	if (installedVersion(dir, version) && sqliteBindingBuilt(dir)) {
		writeMarker(dir, version, 'found a finished install without a marker');
		return result;
	}

	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24) {
		throw new Error(`n8n ${version} needs Node.js 24 or newer; this is ${process.version}. Run \`source scripts/node24.sh\` first.`);
	}

	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'install.log');
	const started = Date.now();
	log(`Installing n8n ${version} into ${dir} (first run only; about 7-8 minutes on 2 cores).`);
	writeInstallPackageJson(dir, version, log);
	if (!installedVersion(dir, version)) {
		await runNpmStep({
			label: 'Downloading n8n and its dependencies (about 3 GB)',
			doing: 'downloading',
			args: ['install', '--ignore-scripts', '--save-exact', '--no-audit', '--no-fund', '--loglevel=http', `n8n@${version}`],
			cwd: dir,
			logFile,
			log,
		});
	}
	await runNpmStep({
		label: 'Compiling the SQLite driver for this Node.js (about 4 minutes)',
		doing: 'compiling SQLite',
		args: ['rebuild', 'sqlite3'],
		cwd: dir,
		logFile,
		log,
	});
	if (!installedVersion(dir, version) || !sqliteBindingBuilt(dir)) {
		throw new Error(`The n8n install in ${dir} looks incomplete after npm finished; see ${logFile}`);
	}
	writeMarker(dir, version, 'installed by scripts/n8n/install.js');
	log(`n8n ${version} installed in ${minutes(Date.now() - started)}.`);
	return result;
}

module.exports = { ensureN8n, installOverrides, MARKER };

if (require.main === module) {
	const args = process.argv.slice(2);
	const at = args.indexOf('--version');
	const version = at >= 0 ? args[at + 1] : undefined;
	ensureN8n({ version }).then(
		(install) => console.log(install.dir),
		(error) => {
			console.error(error instanceof Error ? error.message : String(error));
			process.exit(1);
		},
	);
}
