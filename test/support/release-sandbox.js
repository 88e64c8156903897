// @ts-check
'use strict';

/**
 * A throwaway repository to run the release steps (scripts/release.js) in for real: a git repository
 * on `main` holding this package's package.json, package-lock.json, CHANGELOG.md and release script,
 * pushed to a bare repository as its upstream. Nothing reaches this repository or any server. (TS
 * tests may not spawn processes or touch files, so that lives here.)
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const COPIED = ['package.json', 'package-lock.json', 'CHANGELOG.md', 'scripts/release.js'];

/**
 * Only what git and npm need: no GITHUB_ACTIONS (the script would publish), no npm or git settings
 * of the machine's user, a fixed author.
 * @param {string} home
 */
function sandboxEnv(home) {
	return {
		PATH: process.env.PATH,
		HOME: home,
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_AUTHOR_NAME: 'Release Test',
		GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
		GIT_COMMITTER_NAME: 'Release Test',
		GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

/**
 * Creates the sandbox. `changelogEdit` is the maintainer's manual step 0 (e.g. adding the version's
 * heading); it is committed before the release runs.
 * @param {(changelog: string) => string} [changelogEdit]
 */
function createReleaseSandbox(changelogEdit = (text) => text) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-sandbox-'));
	const work = path.join(dir, 'work');
	const remote = path.join(dir, 'remote.git');
	const env = sandboxEnv(dir);
	/** @param {string} cwd @param {string[]} args */
	const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
	fs.mkdirSync(path.join(work, 'scripts'), { recursive: true });
	for (const file of COPIED) fs.copyFileSync(path.join(root, file), path.join(work, file));
	const changelogPath = path.join(work, 'CHANGELOG.md');
	fs.writeFileSync(changelogPath, changelogEdit(fs.readFileSync(changelogPath, 'utf8')));
	git(dir, 'init', '--bare', '--quiet', '-b', 'main', remote);
	git(work, 'init', '--quiet', '-b', 'main');
	git(work, 'add', '.');
	git(work, 'commit', '--quiet', '-m', 'Before the release');
	git(work, 'remote', 'add', 'origin', remote);
	git(work, 'push', '--quiet', '-u', 'origin', 'main');
	return {
		/** The sandbox's copy of a file, as bytes. @param {string} file */
		read: (file) => fs.readFileSync(path.join(work, file)),
		/** @param {string[]} args */
		git: (...args) => git(work, ...args),
		/** @param {string[]} args */
		remoteGit: (...args) => git(remote, ...args),
		/** Runs `node scripts/release.js <args>` in the sandbox. @param {string[]} args */
		release: (...args) => {
			const run = spawnSync(process.execPath, ['scripts/release.js', ...args], { cwd: work, env, encoding: 'utf8' });
			return { status: run.status, output: `${run.stdout}${run.stderr}` };
		},
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}

module.exports = { createReleaseSandbox };
