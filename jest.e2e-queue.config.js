/**
 * The queue-mode end-to-end suite (`npm run test:e2e:queue`): the pinned n8n as a main and two
 * `n8n worker` processes in queue mode, on Redis and PostgreSQL from Debian's packages (installed
 * and started by scripts/ensure-queue-services.sh when missing), our package installed from its
 * npm-packed tarball in every process's nodes folder, the simulator as a separate process.
 * See test/e2e/queue/README.md.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e/queue'],
	testMatch: ['**/*.queue.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/e2e/queue/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/queue/global-teardown.js',
	maxWorkers: 1,
	// Start-up of PostgreSQL migrations, a main and two workers takes one to two minutes on 2 cores;
	// each load test a minute or two.
	testTimeout: 600_000,
	slowTestThreshold: 120,
	verbose: true,
};
