// @ts-check
'use strict';

// Jest globalTeardown for jest.e2e.config.js: stops stray processes, removes the run folder (E2E_KEEP=1 keeps it).
module.exports = async () => {
	await require('./support/e2e').globalTeardown();
};
