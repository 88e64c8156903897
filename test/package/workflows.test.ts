import { repoFile } from '../support/package-files';

// The commands of a shell script or of a workflow's `run:` steps that check the package.
const commandsOf = (lines: string[]) => lines.map((l) => l.trim()).filter((l) => /^(npm |scripts\/)/.test(l));

describe('GitHub workflows', () => {
	it('ci.yml runs the same commands as .ci/run, in the same order', () => {
		const ciRun = commandsOf(repoFile('.ci/run').split('\n'));
		const ciYml = commandsOf(
			repoFile('.github/workflows/ci.yml')
				.split('\n')
				.filter((l) => /^\s+run: /.test(l))
				.map((l) => l.replace(/^\s+run: /, '')),
		);
		expect(ciRun).toContain('npm test');
		expect(ciRun).toContain('npm run test:e2e:queue');
		expect(ciYml).toEqual(ciRun);
	});

	it('publish.yml publishes with provenance only after ci.yml passed on the tagged commit', () => {
		const publish = repoFile('.github/workflows/publish.yml');
		expect(publish).toMatch(/^on:\n {2}push:\n {4}tags:/m);
		expect(publish).toMatch(/^ {2}ci:\n(.*\n)*? {4}uses: \.\/\.github\/workflows\/ci\.yml$/m);
		expect(publish).toMatch(/^ {2}publish:\n(.*\n)*? {4}needs: ci$/m);
		expect(publish).toMatch(/id-token: write/);
		expect(publish).toMatch(/npm run release/);
		expect(repoFile('.github/workflows/ci.yml')).toMatch(/^ {2}workflow_call:/m);
	});
});
