// @ts-check
'use strict';

/**
 * Runs n8n's own community-package scanner (@n8n/scan-community-package, `analyzePackage`) on
 * what n8n's verification looks at, without the registry and provenance steps it cannot do
 * locally:
 *   1. the source tree (package.json, nodes/, credentials/), as the scanner lints the attested source;
 *   2. the unpacked `npm pack` tarball (its compiled .js and package.json), as the scanner lints
 *      the published package.
 * It also fails when the tarball holds anything but dist/, README.md, LICENSE and package.json,
 * and on any `eslint-disable` comment in scanned files: the scanner ignores inline config, so such
 * a comment would hide nothing from it and only make the local lint disagree with verification.
 *
 * Usage: node scripts/scan-package.js   (run `npm run build` first; `npm run scan` does both)
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';
const { tarballProblems } = require('./package-contents');

/** @param {string} dir @param {(file: string) => boolean} keep @returns {string[]} */
function walk(dir, keep, base = dir) {
	/** @type {string[]} */
	const files = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) files.push(...walk(full, keep, base));
		else if (keep(full)) files.push(path.relative(base, full));
	}
	return files;
}

/** @param {string} dir @param {string[]} files @returns {string[]} */
function eslintDisableComments(dir, files) {
	return files.flatMap((file) =>
		fs
			.readFileSync(path.join(dir, file), 'utf8')
			.split('\n')
			.map((line, i) => (/eslint-disable/.test(line) ? `${file}:${i + 1}: ${line.trim()}` : ''))
			.filter(Boolean),
	);
}

/** @param {string} dir */
function packTarball(dir) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
	const [info] = JSON.parse(output);
	const unpacked = path.join(dir, 'package');
	execFileSync('tar', ['-xzf', path.join(dir, info.filename), '-C', dir]);
	return { tarball: path.join(dir, info.filename), unpacked, files: /** @type {{path: string}[]} */ (info.files).map((f) => f.path) };
}

async function main() {
	if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	// The scanner ships no type declarations; this is the shape of the two exports used here.
	/** @type {{ analyzePackage: (dir: string, patterns: string[]) => Promise<{ passed: boolean, message?: string, details?: string }>, SOURCE_FILE_PATTERNS: string[] }} */
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(SCANNER);
	const problems = [];

	console.log('scan: source tree (package.json, nodes/, credentials/)');
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	console.log(`  ${source.passed ? 'passed' : `FAILED: ${source.message}`}`);
	if (!source.passed) problems.push(`source: ${source.message}\n${source.details ?? ''}`);

	const sourceFiles = ['nodes', 'credentials'].flatMap((dir) =>
		walk(path.join(root, dir), (f) => /\.(ts|js|json)$/.test(f), root),
	);
	const sourceDisables = eslintDisableComments(root, sourceFiles);
	console.log(`  eslint-disable comments in scanned sources: ${sourceDisables.length}`);
	if (sourceDisables.length) problems.push(`eslint-disable comments the scanner ignores:\n${sourceDisables.join('\n')}`);

	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-commvault-scan-'));
	try {
		const { tarball, unpacked, files } = packTarball(scratch);
		console.log(`scan: npm pack tarball ${path.basename(tarball)} (${files.length} files)`);
		const { unexpected, missing } = tarballProblems(files);
		console.log(`  unexpected files: ${unexpected.length}, missing files: ${missing.length}`);
		if (unexpected.length) problems.push(`the tarball ships files it should not:\n${unexpected.join('\n')}`);
		if (missing.length) problems.push(`the tarball lacks:\n${missing.join('\n')}`);

		const dist = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
		console.log(`  ${dist.passed ? 'passed' : `FAILED: ${dist.message}`}`);
		if (!dist.passed) problems.push(`tarball: ${dist.message}\n${dist.details ?? ''}`);

		const distDisables = eslintDisableComments(unpacked, walk(unpacked, (f) => f.endsWith('.js'), unpacked));
		console.log(`  eslint-disable comments in shipped .js: ${distDisables.length}`);
		if (distDisables.length) problems.push(`eslint-disable comments in the tarball:\n${distDisables.join('\n')}`);
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}

	if (problems.length) {
		console.error(`\nscan: ${problems.length} problem(s)\n\n${problems.join('\n\n')}`);
		process.exit(1);
	}
	console.log('\nscan: zero issues');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
