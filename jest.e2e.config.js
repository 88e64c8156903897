/**
 * End-to-end suites (`npm run test:e2e`): a real n8n (the pinned release, installed into the
 * cache on first use), our package installed from its npm-packed tarball, the Commvault
 * simulator as a separate process. No mocks. See test/e2e/README.md.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	// One n8n at a time: the suites start servers, CLI processes and a browser; 2 cores here.
	maxWorkers: 1,
	// A first run installs n8n (7-8 minutes) in the global set-up (no timeout applies there). Tests and
	// hooks take seconds to a minute, several times that on a busy 2-core machine.
	testTimeout: 300_000,
	slowTestThreshold: 60,
	verbose: true,
};
