/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// End-to-end suites run a real n8n and have their own config (jest.e2e.config.js); the 1,000-user
	// load tests have theirs too (jest.load.config.js, `npm run test:load`).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/load/'],
	// Type checking is a separate step (`npm run typecheck`); jest only transpiles, which keeps runs fast.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFiles: ['<rootDir>/test/support/setup-env.js'],
	testTimeout: 30000,
};
