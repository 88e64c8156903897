// @ts-check
'use strict';

/**
 * Commvault's documented payloads (test/fixtures/commvault/*.json), for the contract tests (TS tests
 * may not import node:* modules, so reading them lives here).
 */
const fs = require('node:fs');
const path = require('node:path');

const DIR = path.resolve(__dirname, '../fixtures/commvault');

/**
 * @typedef {object} CommvaultFixture
 * @property {string} name                 file name
 * @property {string} _source
 * @property {boolean} _verbatim
 * @property {string} [_exactKeysOf]
 * @property {number} [status]
 * @property {{ method: string, path: string }} [request]
 * @property {unknown} [requestBody]     the documented request body, when the source gives one
 * @property {unknown} body
 * @property {{ errorCode: number, message: string }} [error]
 */

/** @returns {CommvaultFixture[]} every fixture, by file name */
function commvaultFixtures() {
	return fs
		.readdirSync(DIR)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => ({ name, ...JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')) }));
}

/**
 * @param {string} name
 * @returns {CommvaultFixture}
 */
function commvaultFixture(name) {
	const found = commvaultFixtures().find((f) => f.name === name);
	if (!found) throw new Error(`No fixture ${name} in ${DIR}`);
	return found;
}

module.exports = { commvaultFixtures, commvaultFixture };
