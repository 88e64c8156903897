// @ts-check
'use strict';

// Jest globalSetup for jest.e2e-queue.config.js: the e2e set-up (n8n, build, npm pack, template),
// then Redis and PostgreSQL (installed from Debian's packages when missing, started or reused).
module.exports = async () => {
	await require('./support/queue').globalSetup();
};
