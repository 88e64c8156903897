#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Runs the Commvault simulator as a standalone process (demo, end-to-end tests, benchmarks).
 *
 *   node simulator/cli.js [--port 8765] [--host 127.0.0.1] [--https] [--seed 1]
 *                         [--token-ttl-seconds 1800] [--generated-users 0]
 *                         [--latency-ms N] [--latency-jitter-ms N]
 *                         [--rate-429 P] [--retry-after-seconds N] [--rate-503 P] [--rate-html-502 P]
 *                         [--rate-reset P] [--rate-reset-after-processing P] [--rate-hang P] [--hang-ms N]
 *                         [--expire-tokens-after N] [--rate-limit-rps N] [--rate-limit-burst N]
 *                         [--fault-endpoints user/offboard,v2/whoami] [--fault-seed N]
 *                         [--rotating-access-token T --rotating-refresh-token R]
 *                         [--access-token-lifetime-requests N] [--access-token-lifetime-seconds N]
 *                         [--saas] [--writes-per-hour N] [--reads-per-hour N]
 *                         [--no-v2-whoami] [--no-record] [--quiet]
 *
 * Prints the base URLs, the demo login and access token, then a machine-readable line
 * `SIMULATOR_READY <url>`, and runs until SIGINT / SIGTERM.
 */

const { createCommvaultSimulator, DEFAULTS } = require('./index');
const seedData = require('./seed-data');

const USAGE = `Usage: node simulator/cli.js [options]

  --port N                        listen port (default ${DEFAULTS.port}; 0 = ephemeral)
  --host H                        listen address (default 127.0.0.1)
  --https                         serve TLS with the TEST-ONLY self-signed cert (simulator/certs)
  --seed N                        PRNG seed (default ${DEFAULTS.seed})
  --token-ttl-seconds N           session token idle timeout (default 1800, as Commvault)
  --generated-users N             extra users user00001… (default 0)
  --latency-ms N                  fixed latency added to every faultable request
  --latency-jitter-ms N           + random [0, N) ms
  --rate-429 P                    probability of 429 + Retry-After
  --retry-after-seconds N         Retry-After of injected 429s (default 1)
  --rate-503 P                    probability of 503
  --rate-html-502 P               probability of an HTML 502 (proxy page)
  --rate-reset P                  probability of a connection reset before processing
  --rate-reset-after-processing P probability of processing, then resetting the connection
  --rate-hang P                   probability of never answering
  --hang-ms N                     hung requests are dropped after N ms (default 60000)
  --expire-tokens-after N         invalidate all session tokens every N authorized requests
  --rate-limit-rps N              token-bucket rate limit (requests per second) → 429
  --rate-limit-burst N            bucket size (default = rps)
  --fault-endpoints a,b           restrict faults to these endpoint keys (default: all but login)
  --fault-seed N                  seed of the fault PRNG (default: --seed)
  --no-v2-whoami                  answer GET v2/WhoAmI with 404, like a Command Center without the v2 API
  --rotating-access-token T       one more access token, with a refresh token (it expires and is renewed)
  --rotating-refresh-token R      its refresh token
  --access-token-lifetime-requests N  tokens with a refresh token answer N authorized requests, then 401
  --access-token-lifetime-seconds N   … or expire N seconds after they were issued
  --saas                          Commvault Cloud: Login answers data.authToken, API takes only Bearer
  --writes-per-hour N             per-tenant hourly write budget → 429 (Commvault Cloud: 100)
  --reads-per-hour N              per-tenant hourly read budget → 429 (Commvault Cloud: 1000)
  --no-record                     do not keep request records (long benchmarks)
  --quiet                         only print the SIMULATOR_READY line
  --help                          this text`;

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
	/** @type {Record<string, string | boolean>} */
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
		const eq = arg.indexOf('=');
		if (eq > 0) {
			flags[arg.slice(2, eq)] = arg.slice(eq + 1);
			continue;
		}
		const name = arg.slice(2);
		if (['https', 'quiet', 'help', 'no-record', 'no-v2-whoami', 'saas'].includes(name)) {
			flags[name] = true;
			continue;
		}
		const value = argv[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`Missing value for --${name}`);
		flags[name] = value;
		i++;
	}
	return flags;
}

/**
 * @param {Record<string, string | boolean>} flags
 * @param {string} name
 * @returns {number | undefined}
 */
function num(flags, name) {
	const v = flags[name];
	if (v === undefined || typeof v === 'boolean') return undefined;
	const n = Number(v);
	if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got ${v}`);
	return n;
}

/**
 * Access tokens that expire and renew, Commvault Cloud mode and budgets, from the flags.
 * @param {Record<string, string | boolean>} flags
 */
function tokenOptions(flags) {
	/** @type {import('./index').SimulatorOptions} */
	const options = {};
	const token = flags['rotating-access-token'];
	const refreshToken = flags['rotating-refresh-token'];
	if (typeof token === 'string' && typeof refreshToken === 'string') {
		options.accessTokens = [...seedData.DEFAULT_ACCESS_TOKENS, { token, refreshToken }];
	}
	const requests = num(flags, 'access-token-lifetime-requests');
	const seconds = num(flags, 'access-token-lifetime-seconds');
	if (requests !== undefined || seconds !== undefined) {
		options.accessTokenLifetime = { requests, ms: seconds === undefined ? undefined : seconds * 1000 };
	}
	if (flags.saas === true) options.saas = true;
	const writesPerHour = num(flags, 'writes-per-hour');
	const readsPerHour = num(flags, 'reads-per-hour');
	if (writesPerHour !== undefined || readsPerHour !== undefined) options.rateBudget = { writesPerHour, readsPerHour };
	return options;
}

/**
 * The command line's flags; exits with the usage on an unknown or malformed one.
 * @returns {Record<string, string | boolean>}
 */
function readFlags() {
	/** @type {Record<string, string | boolean>} */
	let flags = {};
	try {
		flags = parseArgs(process.argv.slice(2));
	} catch (err) {
		console.error(err instanceof Error ? err.message : String(err));
		console.error(USAGE);
		process.exit(2);
	}
	const known = new Set(['port', 'host', 'https', 'seed', 'token-ttl-seconds', 'generated-users', 'latency-ms', 'latency-jitter-ms', 'rate-429',
		'retry-after-seconds', 'rate-503', 'rate-html-502', 'rate-reset', 'rate-reset-after-processing', 'rate-hang', 'hang-ms',
		'expire-tokens-after', 'rate-limit-rps', 'rate-limit-burst', 'fault-endpoints', 'fault-seed', 'no-v2-whoami', 'no-record', 'quiet', 'help',
		'rotating-access-token', 'rotating-refresh-token', 'access-token-lifetime-requests', 'access-token-lifetime-seconds', 'saas',
		'writes-per-hour', 'reads-per-hour']);
	for (const name of Object.keys(flags)) {
		if (!known.has(name)) {
			console.error(`Unknown option --${name}\n${USAGE}`);
			process.exit(2);
		}
	}
	return flags;
}

/**
 * The injected faults, from the flags.
 * @param {Record<string, string | boolean>} flags
 */
function faultOptions(flags) {
	/** @type {import('./types').SimFaults} */
	const faults = {
		latencyMs: num(flags, 'latency-ms'),
		latencyJitterMs: num(flags, 'latency-jitter-ms'),
		rate429: num(flags, 'rate-429'),
		retryAfterSeconds: num(flags, 'retry-after-seconds'),
		rate503: num(flags, 'rate-503'),
		rateHtml502: num(flags, 'rate-html-502'),
		rateReset: num(flags, 'rate-reset'),
		rateResetAfterProcessing: num(flags, 'rate-reset-after-processing'),
		rateHang: num(flags, 'rate-hang'),
		hangMs: num(flags, 'hang-ms'),
		expireTokensAfterRequests: num(flags, 'expire-tokens-after'),
		seed: num(flags, 'fault-seed'),
	};
	const rps = num(flags, 'rate-limit-rps');
	if (rps) faults.rateLimit = { requestsPerSecond: rps, burst: num(flags, 'rate-limit-burst') };
	if (typeof flags['fault-endpoints'] === 'string') faults.endpoints = flags['fault-endpoints'].split(',').map((s) => s.trim()).filter(Boolean);
	return faults;
}

/**
 * What the simulator serves and how to reach it, printed on start.
 * @param {import('./index').CommvaultSimulator} sim
 */
function printBanner(sim) {
	const active = Object.entries(sim.faults).filter(([k]) => k !== 'seed');
	console.log(`Commvault Command Center simulator listening on ${sim.url}${sim.url.startsWith('https') ? '  (self-signed TEST-ONLY certificate: enable "Ignore SSL issues")' : ''}

Base URLs (use any):
  ${sim.baseUrl('/commandcenter/api')}
  ${sim.baseUrl('/webconsole/api')}
  ${sim.baseUrl('/SearchSvc/CVWebService.svc')}

Demo login:    username "${DEFAULTS.account.username}"  password "${DEFAULTS.account.password}"
               (others: jdoe/jdoe-password, acme\\asmith/asmith-password, mroe/mroe-password = disabled, kfrost/kfrost-password = locked)
Access token:  ${DEFAULTS.accessToken}   (Authtoken: QSDK ${DEFAULTS.accessToken}  or  Authorization: Bearer ${DEFAULTS.accessToken})
Users:         ${sim.state.users.length} (${sim.state.users.slice(0, 8).map((u) => u.userName).join(', ')}${sim.state.users.length > 8 ? ', …' : ''})
Faults:        ${active.length ? JSON.stringify(Object.fromEntries(active)) : 'none'}
Control API:   ${sim.url}/__simulator/{health,requests,stats,state,reset,faults,expire-tokens,queue-response}

Ctrl+C to stop.`);
}

async function main() {
	const flags = readFlags();
	if (flags.help) {
		console.log(USAGE);
		return;
	}
	const ttlSeconds = num(flags, 'token-ttl-seconds');
	const sim = createCommvaultSimulator({
		host: typeof flags.host === 'string' ? flags.host : '127.0.0.1',
		port: num(flags, 'port') ?? DEFAULTS.port,
		https: flags.https === true,
		seed: num(flags, 'seed') ?? DEFAULTS.seed,
		tokenTtlMs: ttlSeconds !== undefined ? ttlSeconds * 1000 : undefined,
		generatedUsers: num(flags, 'generated-users') ?? 0,
		recordRequests: !flags['no-record'],
		v2WhoAmI: !flags['no-v2-whoami'],
		faults: faultOptions(flags),
		...tokenOptions(flags),
	});
	try {
		await sim.start();
	} catch (err) {
		console.error(`Could not start the simulator: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(1);
	}
	if (!flags.quiet) printBanner(sim);
	console.log(`SIMULATOR_READY ${sim.url}`);
	let stopping = false;
	/** @param {string} signal */
	const shutdown = (signal) => {
		if (stopping) return;
		stopping = true;
		if (!flags.quiet) console.log(`\n${signal} received, stopping…`);
		sim.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
