// @ts-check
'use strict';

/**
 * What the published tarball may and must hold: the compiled package (dist/) with the files n8n
 * loads, the README, the licence and package.json; no sources, tests, declarations or source maps.
 * Used by scripts/scan-package.js (CI) and test/package/tarball.test.ts.
 */

const SHIPPED = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^package\.json$/];
const NOT_SHIPPED = [/\.map$/, /\.d\.ts$/, /\.ts$/, /(^|\/)test\//, /\.tsbuildinfo$/];
const REQUIRED = [
	'package.json',
	'README.md',
	'LICENSE',
	'dist/nodes/Commvault/Commvault.node.js',
	'dist/credentials/CommvaultApi.credentials.js',
	'dist/nodes/Commvault/Commvault.node.json',
	'dist/icons/commvault.svg',
	'dist/icons/commvault.dark.svg',
];

/**
 * @param {string[]} files  paths inside the tarball, as `npm pack --json` lists them
 * @returns {{ unexpected: string[], missing: string[] }}
 */
function tarballProblems(files) {
	return {
		unexpected: files.filter((f) => !SHIPPED.some((re) => re.test(f)) || NOT_SHIPPED.some((re) => re.test(f))),
		missing: REQUIRED.filter((f) => !files.includes(f)),
	};
}

module.exports = { REQUIRED, tarballProblems };
