/**
 * The load suite (`npm run test:load`, a step of .ci/run): 1,000-user batches through n8n-core's engine
 * against the simulator. Kept out of `npm test` so that the README's test command stays quick; it has
 * the same transform and set-up.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/load'],
	testMatch: ['**/*.load.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFiles: ['<rootDir>/test/support/setup-env.js'],
	// 1,000 users with hung requests take minutes on a busy 2-core machine; nothing asserts how long.
	testTimeout: 600_000,
	maxWorkers: 1,
};
