#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run release`: the release steps, without touching the hand-written CHANGELOG.md.
 *
 * In GitHub Actions (.github/workflows/publish.yml, on a pushed version tag) it runs `n8n-node release`,
 * which there only lints, builds and publishes with npm provenance.
 *
 * On a maintainer's machine, `n8n-node release` would run release-it with `npx auto-changelog -p`
 * after the version bump, which rewrites CHANGELOG.md from the git log. This script does the same
 * release without that step:
 *
 *   0. (by hand, before) move CHANGELOG.md's *Unreleased* entries under `## [<version>] - <date>`
 *      and commit that;
 *   1. checks: on main, clean working tree, an upstream branch, the tag is new, the version is above
 *      package.json's and CHANGELOG.md has its `## [<version>]` heading;
 *   2. `npm run lint` and `npm run build` (as `n8n-node release` does first; --skip-checks leaves them
 *      to the publish workflow, which runs the checks of .ci/run on the tag before it publishes);
 *   3. `npm version <version> --no-git-tag-version` (package.json and package-lock.json only);
 *   4. a commit "Release <version>" of those two files, and the annotated tag `<version>`;
 *   5. `git push` and `git push origin <version>`: the tag starts publish.yml.
 *
 * Usage: npm run release -- <version | patch | minor | major> [--dry-run] [--skip-checks]
 * --dry-run runs the checks of step 1 and prints the rest without doing it.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const USAGE = 'Usage: npm run release -- <version | patch | minor | major> [--dry-run] [--skip-checks]';

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
const output = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The version to release: an exact x.y.z above `current`, or the next patch, minor or major.
 * @param {string} requested
 * @param {string} current
 */
function nextVersion(requested, current) {
	const [major, minor, patch] = current.split('.').map(Number);
	if (requested === 'patch') return `${major}.${minor}.${patch + 1}`;
	if (requested === 'minor') return `${major}.${minor + 1}.0`;
	if (requested === 'major') return `${major + 1}.0.0`;
	if (!/^\d+\.\d+\.\d+$/.test(requested)) throw new Error(`Not a version: ${requested}\n${USAGE}`);
	const above = requested.split('.').map(Number).reduce((order, part, i) => order || Math.sign(part - [major, minor, patch][i]), 0) > 0;
	if (!above) throw new Error(`${requested} is not above package.json's version ${current}.`);
	return requested;
}

/**
 * Step 1: why this release cannot go ahead, or nothing.
 * @param {string} root
 * @param {string} version
 * @returns {string[]}
 */
function refusals(root, version) {
	const problems = [];
	const branch = output('git', ['rev-parse', '--abbrev-ref', 'HEAD'], root);
	if (branch !== 'main') problems.push(`Release from main, not ${branch}.`);
	if (output('git', ['status', '--porcelain'], root)) problems.push('The working tree has uncommitted changes (git status).');
	try {
		output('git', ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}'], root);
	} catch {
		problems.push('The branch has no upstream to push to (git push -u origin main).');
	}
	if (output('git', ['tag', '--list', version], root)) problems.push(`The tag ${version} exists already.`);
	const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
	if (!changelog.split('\n').some((line) => line.startsWith(`## [${version}]`))) {
		problems.push(`CHANGELOG.md has no "## [${version}] - <date>" heading: move the Unreleased entries under it and commit that first.`);
	}
	return problems;
}

/**
 * Steps 2 to 5, as commands in order.
 * @param {string} version
 * @param {boolean} skipChecks
 * @returns {Array<[string, string[]]>}
 */
function releaseCommands(version, skipChecks) {
	return [
		...(skipChecks ? [] : /** @type {Array<[string, string[]]>} */ ([['npm', ['run', 'lint']], ['npm', ['run', 'build']]])),
		['npm', ['version', version, '--no-git-tag-version']],
		['git', ['commit', '-m', `Release ${version}`, '--', 'package.json', 'package-lock.json']],
		['git', ['tag', '-a', version, '-m', `Release ${version}`]],
		['git', ['push']],
		['git', ['push', 'origin', version]],
	];
}

/**
 * @param {string[]} argv
 * @param {string} root
 */
function releaseLocally(argv, root) {
	const flags = new Set(argv.filter((arg) => arg.startsWith('--')));
	const [requested] = argv.filter((arg) => !arg.startsWith('--'));
	const unknown = [...flags].filter((flag) => !['--dry-run', '--skip-checks'].includes(flag));
	if (!requested || unknown.length) throw new Error(`${unknown.length ? `Unknown option ${unknown.join(' ')}\n` : ''}${USAGE}`);
	const current = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
	const version = nextVersion(requested, current);
	const problems = refusals(root, version);
	if (problems.length) throw new Error(`Not releasing ${version}:\n- ${problems.join('\n- ')}`);
	const dryRun = flags.has('--dry-run');
	console.log(`${dryRun ? 'Would release' : 'Releasing'} ${version} (package.json has ${current}); CHANGELOG.md stays as written.`);
	for (const [command, args] of releaseCommands(version, flags.has('--skip-checks'))) {
		console.log(`$ ${command} ${args.join(' ')}`);
		if (!dryRun) execFileSync(command, args, { cwd: root, stdio: 'inherit' });
	}
	if (!dryRun) console.log(`Pushed the tag ${version}: the Publish workflow (publish.yml) checks it and publishes it to npm.`);
}

function main() {
	const root = process.cwd();
	if (process.env.GITHUB_ACTIONS) {
		execFileSync('npx', ['n8n-node', 'release'], { cwd: root, stdio: 'inherit' });
		return;
	}
	try {
		releaseLocally(process.argv.slice(2), root);
	} catch (error) {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	}
}

main();
