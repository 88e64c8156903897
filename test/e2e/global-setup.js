// @ts-check
'use strict';

// Jest globalSetup for jest.e2e.config.js: n8n install (cached), build, npm pack, template n8n home.
module.exports = async () => {
	await require('./support/e2e').globalSetup();
};
