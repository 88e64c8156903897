// @ts-check
'use strict';

// Jest globalTeardown for jest.e2e-queue.config.js: stops the Redis and PostgreSQL this run
// started (reused ones keep running), stray processes, and removes the run folder (E2E_KEEP=1 keeps it).
module.exports = async () => {
	await require('./support/queue').globalTeardown();
};
