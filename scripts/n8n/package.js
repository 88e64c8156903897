// @ts-check
'use strict';

/**
 * Our package inside n8n, exactly where and how a user's installed community package sits.
 *
 * n8n 2.41.1 installs a community package in `CommunityPackagesService.downloadPackage`
 * (dist/modules/community-packages/community-packages.service.js):
 *   1. `npm pack <name>@<version> --quiet` in `<n8nFolder>/nodes`;
 *   2. `tar -xzf <tarball> -C nodes/node_modules/<name> --strip-components=1`;
 *   3. rewrites the package's package.json WITHOUT devDependencies, peerDependencies and
 *      optionalDependencies (so npm never installs a second n8n-workflow next to n8n's own);
 *   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *      --ignore-scripts=true --package-lock=false` inside the package folder (its dependencies);
 *   5. records `"<name>": "<version>"` in `nodes/package.json` (the ledger n8n keeps).
 * At start-up n8n scans `nodes/node_modules` and loads the package with node types
 * `<name>.<node>` (n8n-nodes-commvault.commvault). Steps 2-5 are what `installTarball` does,
 * with our own `npm pack` output instead of the registry's.
 */

const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_NAME, REPO_ROOT } = require('./paths');
const { runToCompletion } = require('./process');

/** The npm install flags n8n 2.41.1 uses for a community package (step 4 above). */
const N8N_COMMUNITY_INSTALL_FLAGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/**
 * @param {string[]} args
 * @param {string} cwd
 * @param {string} what
 */
async function npm(args, cwd, what) {
	const result = await runToCompletion({
		name: 'npm',
		command: 'npm',
		args,
		cwd,
		env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
	});
	if (result.code !== 0) {
		throw new Error(`${what} failed: npm ${args.join(' ')} (exit ${result.code ?? result.signal})\n${result.output.slice(-4000)}`);
	}
	return result.stdout;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
async function run(command, args, cwd) {
	const result = await runToCompletion({ name: command, command, args, cwd, env: process.env });
	if (result.code !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code ?? result.signal})\n${result.output.slice(-4000)}`);
	}
}

/**
 * `npm run build` in the repository (dist/ is what the package ships).
 * @param {{ repoRoot?: string }} [options]
 */
async function buildPackage(options = {}) {
	await npm(['run', 'build', '--silent'], options.repoRoot ?? REPO_ROOT, 'Building the package');
}

/**
 * `npm pack` of the repository into `destDir`; returns the tarball's path. Needs a build (dist/).
 * @param {{ destDir: string, repoRoot?: string }} options
 * @returns {Promise<string>}
 */
async function packPackage(options) {
	const repoRoot = options.repoRoot ?? REPO_ROOT;
	if (!fs.existsSync(path.join(repoRoot, 'dist', 'nodes'))) {
		throw new Error(`${repoRoot}/dist is missing: run \`npm run build\` before packing`);
	}
	fs.mkdirSync(options.destDir, { recursive: true });
	// --ignore-scripts: no prepack/prepare hooks; --json: a parseable file name.
	const stdout = await npm(
		['pack', '--json', '--ignore-scripts', '--pack-destination', options.destDir],
		repoRoot,
		'Packing the package',
	);
	const parsed = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const filename = parsed[0]?.filename;
	if (typeof filename !== 'string') throw new Error(`npm pack printed no file name:\n${stdout}`);
	return path.join(options.destDir, path.basename(filename));
}

/**
 * `<userFolder>/.n8n`, the folder n8n keeps its data in when N8N_USER_FOLDER=userFolder.
 * @param {string} userFolder
 */
function n8nFolder(userFolder) {
	return path.join(userFolder, '.n8n');
}

/**
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-commvault`
 * @param {string} userFolder
 */
function installedPackageDir(userFolder) {
	return path.join(n8nFolder(userFolder), 'nodes', 'node_modules', PACKAGE_NAME);
}

/**
 * The `nodes/package.json` n8n keeps: the ledger of installed community packages.
 * @returns {{ name: string, private: boolean, dependencies: Record<string, string> }}
 */
function emptyLedger() {
	return { name: 'installed-nodes', private: true, dependencies: {} };
}

/**
 * Installs a packed tarball into `<userFolder>/.n8n/nodes` the way n8n's community package
 * installer does (see the top of this file). Replaces an earlier install of the package.
 * @param {{ userFolder: string, tarball: string }} options
 * @returns {Promise<{ packageDir: string, version: string }>}
 */
async function installTarball(options) {
	const nodesDir = path.join(n8nFolder(options.userFolder), 'nodes');
	const packageDir = installedPackageDir(options.userFolder);
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });

	await run('tar', ['-xzf', path.resolve(options.tarball), '-C', packageDir, '--strip-components=1'], nodesDir);

	const packageJsonPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		fs.readFileSync(packageJsonPath, 'utf8'),
	);
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');

	await npm(['install', ...N8N_COMMUNITY_INSTALL_FLAGS], packageDir, `Installing ${PACKAGE_NAME}'s dependencies`);

	const ledgerPath = path.join(nodesDir, 'package.json');
	let ledger = emptyLedger();
	try {
		const existing = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
		if (existing && typeof existing.dependencies === 'object') ledger = existing;
	} catch {
		// no ledger yet: n8n builds the same shape from its database
	}
	ledger.dependencies[PACKAGE_NAME] = packageJson.version;
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, version: packageJson.version };
}

/**
 * Installs a packed tarball the way the README's manual install does for self-hosted n8n without
 * the UI: `cd ~/.n8n/nodes && npm install <package>`, with npm's defaults. Unlike n8n's own
 * installer, npm then also installs the peer dependency n8n-workflow (and what it needs) into
 * the nodes folder, next to n8n's own copy. Replaces whatever the nodes folder held.
 * @param {{ userFolder: string, tarball: string }} options
 */
async function installTarballWithNpm(options) {
	const nodesDir = path.join(n8nFolder(options.userFolder), 'nodes');
	fs.rmSync(nodesDir, { recursive: true, force: true });
	fs.mkdirSync(nodesDir, { recursive: true });
	// n8n keeps a package.json there; without one npm could pick a parent folder's project.
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(emptyLedger(), null, 2));
	await npm(['install', '--no-audit', '--no-fund', path.resolve(options.tarball)], nodesDir, `npm install ${path.basename(options.tarball)} in ${nodesDir}`);
	return { packageDir: installedPackageDir(options.userFolder) };
}

/**
 * Every `package.json` name found under `<userFolder>/.n8n/nodes/node_modules` (nested too), e.g.
 * to prove that n8n-workflow was not installed a second time next to n8n's own copy.
 * @param {string} userFolder
 * @returns {string[]}
 */
function packagesInNodesFolder(userFolder) {
	const root = path.join(n8nFolder(userFolder), 'nodes', 'node_modules');
	/** @type {string[]} */
	const found = [];
	/** @param {string} dir */
	const walk = (dir) => {
		if (!fs.existsSync(dir)) return;
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (!entry.isDirectory() || entry.name === '.bin') continue;
			if (entry.name.startsWith('@')) {
				walk(path.join(dir, entry.name));
				continue;
			}
			const pkgDir = path.join(dir, entry.name);
			const pkgJson = path.join(pkgDir, 'package.json');
			if (fs.existsSync(pkgJson)) found.push(JSON.parse(fs.readFileSync(pkgJson, 'utf8')).name);
			walk(path.join(pkgDir, 'node_modules'));
		}
	};
	walk(root);
	return found;
}

module.exports = {
	N8N_COMMUNITY_INSTALL_FLAGS,
	buildPackage,
	packPackage,
	installTarball,
	installTarballWithNpm,
	installedPackageDir,
	n8nFolder,
	packagesInNodesFolder,
};
