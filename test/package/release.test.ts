import { repoFile } from '../support/package-files';
import { createReleaseSandbox } from '../support/release-sandbox';

// `npm run release` must keep the hand-written CHANGELOG.md (n8n-node release's local path would
// regenerate it with auto-changelog). The release steps run for real in a throwaway repository with a
// bare repository as its upstream; lint and build are skipped there (they change no tracked file).

const CURRENT = JSON.parse(repoFile('package.json')).version as string;
const [major, minor, patch] = CURRENT.split('.').map(Number);
const NEXT = `${major}.${minor}.${patch + 1}`;

/** The maintainer's step before a release: the version's heading under Unreleased. */
const withNextHeading = (changelog: string) => changelog.replace('## [Unreleased]\n', `## [Unreleased]\n\n## [${NEXT}] - 2026-12-06\n`);

describe('npm run release', () => {
	it('runs scripts/release.js, which leaves n8n-node release to GitHub Actions', () => {
		expect(JSON.parse(repoFile('package.json')).scripts.release).toBe('node scripts/release.js');
		expect(repoFile('.github/workflows/publish.yml')).toMatch(/^\s+npm run release$/m);
	});

	it('bumps, commits, tags and pushes, and leaves CHANGELOG.md byte-identical', () => {
		const sandbox = createReleaseSandbox(withNextHeading);
		try {
			const before = sandbox.read('CHANGELOG.md');
			const run = sandbox.release('patch', '--skip-checks');
			expect(run).toMatchObject({ status: 0 });
			expect(sandbox.read('CHANGELOG.md').equals(before)).toBe(true);
			expect(JSON.parse(sandbox.read('package.json').toString('utf8')).version).toBe(NEXT);
			expect(JSON.parse(sandbox.read('package-lock.json').toString('utf8')).version).toBe(NEXT);
			expect(sandbox.git('show', '--name-only', '--format=%s', 'HEAD').split('\n')).toEqual([`Release ${NEXT}`, '', 'package-lock.json', 'package.json']);
			expect(sandbox.remoteGit('tag', '--list')).toBe(NEXT);
			expect(sandbox.remoteGit('rev-parse', 'main')).toBe(sandbox.git('rev-parse', 'HEAD'));
			expect(sandbox.git('status', '--porcelain')).toBe('');
		} finally {
			sandbox.remove();
		}
	});

	it('with --dry-run changes nothing: CHANGELOG.md, package.json, commits and tags as they were', () => {
		const sandbox = createReleaseSandbox(withNextHeading);
		try {
			const changelog = sandbox.read('CHANGELOG.md');
			const pkg = sandbox.read('package.json');
			const head = sandbox.git('rev-parse', 'HEAD');
			const run = sandbox.release(NEXT, '--dry-run');
			expect(run.status).toBe(0);
			expect(run.output).toContain(`$ git tag -a ${NEXT}`);
			expect(run.output).toContain('$ npm run lint');
			expect(sandbox.read('CHANGELOG.md').equals(changelog)).toBe(true);
			expect(sandbox.read('package.json').equals(pkg)).toBe(true);
			expect(sandbox.git('rev-parse', 'HEAD')).toBe(head);
			expect(sandbox.git('tag', '--list')).toBe('');
		} finally {
			sandbox.remove();
		}
	});

	it("refuses a version CHANGELOG.md has no heading for, and one not above package.json's", () => {
		const sandbox = createReleaseSandbox();
		try {
			const head = sandbox.git('rev-parse', 'HEAD');
			const noHeading = sandbox.release(NEXT, '--skip-checks');
			expect(noHeading.status).toBe(1);
			expect(noHeading.output).toContain(`CHANGELOG.md has no "## [${NEXT}] - <date>" heading`);
			const notAbove = sandbox.release(CURRENT, '--skip-checks');
			expect(notAbove.status).toBe(1);
			expect(notAbove.output).toContain(`${CURRENT} is not above package.json's version ${CURRENT}`);
			expect(sandbox.git('rev-parse', 'HEAD')).toBe(head);
			expect(sandbox.remoteGit('tag', '--list')).toBe('');
		} finally {
			sandbox.remove();
		}
	});
});
