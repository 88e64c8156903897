#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run dev`: our package running in a real n8n, ready to click through.
 *
 *   1. builds the package and packs it (npm pack), as it would be published;
 *   2. starts the Commvault simulator (unless a real Command Center is given);
 *   3. installs the pinned n8n into the cache on first use (7-8 minutes, once), then reuses it;
 *   4. installs the tarball into n8n's nodes folder like a community package (node types
 *      n8n-nodes-commvault.*);
 *   5. imports the credential "Commvault (simulator)" and the example workflows (fixed ids, so
 *      re-running updates them instead of duplicating them), with the webhook examples' sender
 *      checks: a BambooHR private key and a ServiceNow basic-auth password, made at random once and
 *      kept in .dev/webhook-secrets.json;
 *   6. starts n8n, sets up the owner account, publishes the due run and the two webhook examples,
 *      creates the leaver ledger (scripts/dev-ledger.js) and prints the editor URL, the login,
 *      where to see the ledger and ready-to-paste curl commands.
 * Ctrl-C stops n8n and the simulator (their whole process groups) and exits.
 *
 * Options (flags win over environment variables):
 *   --commvault-url URL      COMMVAULT_BASE_URL       a real Command Center's API root instead of the simulator
 *   --access-token TOKEN     COMMVAULT_ACCESS_TOKEN   authenticate with an access token, or
 *   --username NAME          COMMVAULT_USERNAME       … with a user name and
 *   --password PASSWORD      COMMVAULT_PASSWORD       … password
 *   --domain DOMAIN          COMMVAULT_DOMAIN         … of an AD/LDAP domain user
 *   --ignore-ssl             COMMVAULT_IGNORE_SSL=1   accept a self-signed certificate
 *   --port N                 N8N_DEV_PORT             n8n's port (default 5678, or a free one if taken)
 *   --simulator-port N       SIMULATOR_PORT           the simulator's port (default 8765, or a free one)
 *   --simulator-auth MODE    accessToken (default) | password: how the simulator credential logs in
 *   --fresh                                           start from an empty n8n home (.dev/n8n)
 *   --no-publish                                      import the webhook examples but do not publish them
 *   --verbose                                         show n8n's and the simulator's output
 */

const fs = require('node:fs');
const path = require('node:path');

const n8n = require('./n8n');
const { DEMO_EXAMPLES, demoGuideLines } = require('./demo-guide');
const leaverLedger = require('./dev-ledger');

const DEV_DIR = path.join(n8n.REPO_ROOT, '.dev');
const USER_FOLDER = path.join(DEV_DIR, 'n8n');
const EXAMPLES_DIR = path.join(n8n.REPO_ROOT, 'examples');
const SECRETS_FILE = path.join(DEV_DIR, 'webhook-secrets.json');
const EXAMPLES = {
	hr: { id: 'cvExampleHrOffb1', file: 'hr-offboarding-webhook.json', webhook: 'commvault/hr-offboarding', payload: 'bamboohr-employees-terminated.json' },
	ticket: { id: 'cvExampleTicket1', file: 'ticket-offboarding-servicenow.json', webhook: 'commvault/servicenow-offboarding', payload: 'servicenow-ritm-offboard.json' },
	dueRun: { id: leaverLedger.DUE_RUN.id, file: path.basename(leaverLedger.DUE_RUN.file) },
};

const USAGE = `Usage: npm run dev -- [options]

  Runs the package in a real n8n ${n8n.N8N_VERSION} with the Commvault simulator and the example workflows.

  --commvault-url URL     (COMMVAULT_BASE_URL)      use a real Command Center, e.g. https://cc.example.com/commandcenter/api
  --access-token TOKEN    (COMMVAULT_ACCESS_TOKEN)  its access token, or
  --username NAME         (COMMVAULT_USERNAME)      a user name and
  --password PASSWORD     (COMMVAULT_PASSWORD)      password,
  --domain DOMAIN         (COMMVAULT_DOMAIN)        and domain for AD/LDAP users
  --ignore-ssl            (COMMVAULT_IGNORE_SSL=1)  accept a self-signed certificate
  --port N                (N8N_DEV_PORT)            n8n's port (default 5678)
  --simulator-port N      (SIMULATOR_PORT)          the simulator's port (default 8765)
  --simulator-auth MODE   accessToken | password    how the simulator credential authenticates
  --fresh                                           start from an empty n8n home (${path.relative(n8n.REPO_ROOT, USER_FOLDER)})
  --no-publish                                      do not publish the webhook examples
  --verbose                                         show n8n's and the simulator's output
  --help`;

/**
 * @param {string[]} argv
 * @returns {Record<string, string | boolean>}
 */
function parseArgs(argv) {
	const booleans = new Set(['ignore-ssl', 'fresh', 'no-publish', 'verbose', 'help']);
	const valued = new Set(['commvault-url', 'access-token', 'username', 'password', 'domain', 'port', 'simulator-port', 'simulator-auth']);
	/** @type {Record<string, string | boolean>} */
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match) throw new Error(`Unexpected argument: ${arg}`);
		const [, name, inline] = match;
		if (booleans.has(name)) {
			flags[name] = inline === undefined ? true : !/^(0|false|no)$/i.test(inline);
		} else if (valued.has(name)) {
			const value = inline ?? argv[++i];
			if (value === undefined) throw new Error(`--${name} needs a value`);
			flags[name] = value;
		} else {
			throw new Error(`Unknown option --${name}`);
		}
	}
	return flags;
}

/** @param {string | undefined} value */
const truthy = (value) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

/**
 * @param {Record<string, string | boolean>} flags
 * @param {string} flag
 * @param {string} envName
 * @returns {string | undefined}
 */
function option(flags, flag, envName) {
	const value = flags[flag];
	if (typeof value === 'string') return value;
	const fromEnv = process.env[envName];
	return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/**
 * The Commvault connection: the simulator's, or a real Command Center's from flags/environment.
 * @param {Record<string, string | boolean>} flags
 */
function commvaultTarget(flags) {
	const baseUrl = option(flags, 'commvault-url', 'COMMVAULT_BASE_URL');
	if (!baseUrl) return undefined;
	const accessToken = option(flags, 'access-token', 'COMMVAULT_ACCESS_TOKEN');
	const username = option(flags, 'username', 'COMMVAULT_USERNAME');
	const password = option(flags, 'password', 'COMMVAULT_PASSWORD');
	const domain = option(flags, 'domain', 'COMMVAULT_DOMAIN');
	const ignoreSsl = flags['ignore-ssl'] === true || truthy(process.env.COMMVAULT_IGNORE_SSL);
	if (!accessToken && !(username && password)) {
		throw new Error(
			'A real Command Center needs an access token (--access-token / COMMVAULT_ACCESS_TOKEN) or a user name and password (--username/--password, COMMVAULT_USERNAME/COMMVAULT_PASSWORD).',
		);
	}
	let host = baseUrl;
	try {
		host = new URL(baseUrl).host;
	} catch {
		throw new Error(`--commvault-url / COMMVAULT_BASE_URL is not a URL: ${baseUrl}`);
	}
	return n8n.commvaultCredential({
		name: `Commvault (${host})`,
		baseUrl,
		authMethod: accessToken ? 'accessToken' : 'password',
		accessToken,
		username,
		password,
		domain,
		allowUnauthorizedCerts: ignoreSsl,
	});
}

/**
 * `preferred` if nothing listens there, else a free port (with a note).
 * @param {number} preferred
 * @param {string} what
 * @param {(message: string) => void} say
 */
async function pickPort(preferred, what, say) {
	if (!(await n8n.portInUse(preferred))) return preferred;
	const port = await n8n.freePort();
	say(`Port ${preferred} is taken; ${what} uses ${port} instead.`);
	return port;
}

/**
 * The webhook examples' secrets: the ones of an earlier run, or new ones (kept for the next run).
 * @returns {Required<import('./n8n/webhook-auth').WebhookSecrets>}
 */
function webhookSecrets() {
	const kept = fs.existsSync(SECRETS_FILE) ? JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8')) : undefined;
	// Secrets kept before the forms had a login get one.
	const secrets = kept ? { ...n8n.newFormsLogin(), ...kept } : n8n.newWebhookSecrets();
	if (JSON.stringify(secrets) !== JSON.stringify(kept)) fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
	return secrets;
}

/** @param {number} started */
const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/**
 * What a dev run has set up so far, shared by its steps.
 * @typedef {object} DevRun
 * @property {Record<string, string | boolean>} flags
 * @property {(message: string) => void} say
 * @property {boolean} verbose
 * @property {number} startedAt
 * @property {boolean} stopping
 * @property {ReturnType<typeof n8n.commvaultCredential> | undefined} realTarget  a real Command Center, from the options
 * @property {string} [tarball]
 * @property {ReturnType<typeof n8n.commvaultCredential>} [credential]
 * @property {import('./n8n/simulator').SimulatorProcess} [simulator]
 * @property {import('./n8n/instance').N8nInstance} [instance]
 * @property {import('./n8n/webhook-auth').WebhookSecrets} [secrets]
 * @property {Awaited<ReturnType<typeof leaverLedger.beforeStart>>} [ledger]  the due run and its approval emails
 * @property {string[]} [ledgerLines]  the banner's lines about the leaver ledger
 */

/** @param {DevRun} run */
async function buildAndPack(run) {
	run.say('Building the package (npm run build)…');
	const t = Date.now();
	await n8n.buildPackage();
	run.tarball = await n8n.packPackage({ destDir: path.join(DEV_DIR, 'pack') });
	run.say(`Built and packed ${path.relative(n8n.REPO_ROOT, run.tarball)} (${seconds(t)}).`);
}

/**
 * The credential: the real Command Center's, or the simulator's (started here).
 * @param {DevRun} run
 */
async function connectCommvault(run) {
	if (run.realTarget) {
		const credential = (run.credential = run.realTarget);
		run.say(`Using the Command Center at ${credential.data.baseUrl} (${credential.data.authMethod === 'accessToken' ? 'access token' : `user ${credential.data.username}`}).`);
		return;
	}
	const { flags, say } = run;
	const simPort = await pickPort(Number(option(flags, 'simulator-port', 'SIMULATOR_PORT') ?? 8765), 'the simulator', say);
	const simulator = (run.simulator = await n8n.startSimulator({
		port: simPort,
		logFile: path.join(DEV_DIR, 'simulator.log'),
		onLine: run.verbose ? (line) => console.log(`[simulator] ${line}`) : undefined,
	}));
	run.credential = n8n.commvaultCredential({
		baseUrl: simulator.baseUrl,
		authMethod: flags['simulator-auth'] === 'password' ? 'password' : 'accessToken',
		accessToken: simulator.accessToken,
		username: simulator.account.username,
		password: simulator.account.password,
	});
	say(`Commvault simulator running on ${simulator.url} (log: ${path.relative(n8n.REPO_ROOT, path.join(DEV_DIR, 'simulator.log'))}).`);
}

/**
 * n8n (installed into the cache on first use) with the packed package in its nodes folder.
 * @param {DevRun} run
 */
async function installN8nWithPackage(run) {
	const instance = (run.instance = await n8n.createInstance({
		userFolder: USER_FOLDER,
		fresh: run.flags.fresh === true,
		port: await pickPort(Number(option(run.flags, 'port', 'N8N_DEV_PORT') ?? 5678), 'n8n', run.say),
		log: run.say,
	}));
	run.say(`n8n ${instance.install.version} ready in ${instance.install.dir}`);
	if (run.stopping) return;
	await instance.installPackage(/** @type {string} */ (run.tarball));
	run.say(`Installed the package into ${path.relative(n8n.REPO_ROOT, n8n.installedPackageDir(USER_FOLDER))} (as n8n installs community packages).`);
}

/** @param {DevRun} run */
async function importCredentialAndExamples(run) {
	const instance = /** @type {import('./n8n/instance').N8nInstance} */ (run.instance);
	const credential = /** @type {ReturnType<typeof n8n.commvaultCredential>} */ (run.credential);
	const t = Date.now();
	const secrets = webhookSecrets();
	run.secrets = secrets;
	await instance.importCredentials([credential, n8n.formsCredential(secrets)]);
	await instance.importWithWebhookAuth([EXAMPLES.hr, EXAMPLES.ticket].map((example) => path.join(EXAMPLES_DIR, example.file)), run.secrets);
	await instance.importWorkflows(DEMO_EXAMPLES.filter((example) => !example.webhook && !example.importedByLedger).map((example) => path.join(EXAMPLES_DIR, example.file)));
	run.ledger = await leaverLedger.beforeStart(instance, run.say);
	run.say(`Imported the credential "${credential.name}", the webhook examples' secrets and ${DEMO_EXAMPLES.length} example workflows with n8n's CLI (${seconds(t)}).`);
}

/**
 * Starts n8n and publishes the webhook examples; a run stops when n8n or the simulator exits on its own.
 * @param {DevRun} run
 */
async function startN8n(run) {
	const instance = /** @type {import('./n8n/instance').N8nInstance} */ (run.instance);
	run.say('Starting n8n…');
	await instance.start({
		// The webhook examples start the due run, so n8n wants it published first.
		activate: run.flags['no-publish'] ? [] : [...(run.ledger?.publishFirst ?? []), EXAMPLES.hr.id, EXAMPLES.ticket.id],
		onLine: run.verbose ? (line) => console.log(`[n8n] ${line}`) : undefined,
	});
	if (run.stopping) return;
	const server = /** @type {import('./n8n/server').N8nServer} */ (instance.server);
	server.process.exited.then((info) => {
		if (!run.stopping) void stopAll(run, `n8n exited on its own (${JSON.stringify(info)}); see ${instance.logFile}`, 1);
	});
	run.simulator?.process.exited.then((info) => {
		if (!run.stopping) void stopAll(run, `The simulator exited on its own (${JSON.stringify(info)})`, 1);
	});
}

/**
 * Creates the leaver ledger (kept when it exists) and keeps the banner's lines about it.
 * @param {DevRun} run
 */
async function createLeaverLedger(run) {
	run.ledgerLines = await leaverLedger.afterStart(/** @type {import('./n8n/instance').N8nInstance} */ (run.instance));
}

/**
 * The editor URL, the login and how to call the examples.
 * @param {DevRun} run
 */
function printWelcome(run) {
	const { flags, realTarget, simulator } = run;
	const instance = /** @type {import('./n8n/instance').N8nInstance} */ (run.instance);
	const credential = /** @type {ReturnType<typeof n8n.commvaultCredential>} */ (run.credential);
	const editor = /** @type {import('./n8n/server').N8nServer} */ (instance.server).editorUrl;
	const lines = [
		'',
		'════════════════════════════════════════════════════════════════════════',
		` n8n ${instance.install.version} with n8n-nodes-commvault is running (ready in ${seconds(run.startedAt)})`,
		'',
		` Editor:    ${editor}`,
		` Log in:    ${instance.owner.email}  /  ${instance.owner.password}`,
		'',
		// The Base URL exactly as a credential needs it (…/commandcenter/api): the simulator, like a
		// real Command Center, answers 404 on its bare host.
		` Commvault: ${realTarget ? `${credential.data.baseUrl}  (a REAL Command Center)` : `the simulator, user admin / admin-password, access token ${simulator?.accessToken}`}`,
		` Base URL:  ${credential.data.baseUrl}  (paste this into a new Commvault API credential)`,
		` Credential "${credential.name}" (${credential.data.authMethod === 'accessToken' ? 'access token' : 'username and password'})`,
		'',
		...exampleLines(editor, !flags['no-publish'], /** @type {import('./n8n/webhook-auth').WebhookSecrets} */ (run.secrets), simulator?.url),
		'',
		...(run.ledgerLines ?? []),
		'',
		` n8n home:  ${path.relative(n8n.REPO_ROOT, USER_FOLDER)}  (log: ${path.relative(n8n.REPO_ROOT, instance.logFile)})`,
		' Press Ctrl-C to stop n8n and the simulator.',
		'════════════════════════════════════════════════════════════════════════',
	];
	if (realTarget && !flags['no-publish']) {
		lines.splice(lines.length - 2, 0, ' CAUTION: the published due run offboards REAL users of that Command Center for the due rows of the ledger.');
	}
	console.log(lines.join('\n'));
}

/**
 * The examples, the simulator's users and how to call the webhooks (scripts/demo-guide.js).
 * @param {string} editor
 * @param {boolean} published  false with --no-publish
 * @param {import('./n8n/webhook-auth').WebhookSecrets} secrets
 * @param {string} [simulatorUrl]  absent with a real Command Center
 */
function exampleLines(editor, published, secrets, simulatorUrl) {
	const hook = (/** @type {string} */ p) => `${editor}/webhook/${p}`;
	const payload = (/** @type {string} */ f) => path.relative(process.cwd(), path.join(EXAMPLES_DIR, 'payloads', f)) || f;
	return demoGuideLines({
		editor,
		hook: (example) => hook(example.webhook === 'bamboohr' ? EXAMPLES.hr.webhook : EXAMPLES.ticket.webhook),
		payload,
		senderChecksFile: path.relative(n8n.REPO_ROOT, SECRETS_FILE),
		serviceNowUser: secrets.serviceNowUser,
		formsUser: secrets.formsUser ?? 'forms',
		published,
		simulatorUrl,
	});
}

/**
 * The set-up, in order; a run stops between steps when interrupted. A new step is one more line here.
 * @type {Array<(run: DevRun) => Promise<void> | void>}
 */
const SETUP_STEPS = [buildAndPack, connectCommvault, installN8nWithPackage, importCredentialAndExamples, startN8n, createLeaverLedger, printWelcome];

/**
 * Stops n8n, the simulator and any other child process, then exits.
 * @param {DevRun} run
 * @param {string} reason
 * @param {number} exitCode
 */
async function stopAll(run, reason, exitCode) {
	if (run.stopping) return;
	run.stopping = true;
	run.say(`${reason}: stopping…`);
	const t = Date.now();
	if (run.instance?.server) {
		const info = await run.instance.stop();
		run.say(`n8n stopped (${info?.signal ?? `exit ${info?.code}`}, ${seconds(t)}).`);
	}
	if (run.simulator) {
		await run.simulator.stop();
		run.say('Simulator stopped.');
	}
	for (const proc of n8n.liveProcesses()) await proc.stop({ graceMs: 3000 });
	run.say('Everything stopped. Bye.');
	process.exit(exitCode);
}

/**
 * Ctrl-C (or SIGTERM, SIGHUP) stops everything; a second one kills it.
 * @param {DevRun} run
 */
function stopOnSignals(run) {
	let interrupts = 0;
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		process.on(signal, () => {
			interrupts++;
			if (interrupts > 1) {
				run.say('Second interrupt: killing everything now.');
				for (const proc of n8n.liveProcesses()) proc.killGroup('SIGKILL');
				process.exit(130);
			}
			void stopAll(run, signal, 0);
		});
	}
}

/**
 * The options; exits with the usage on a bad one, and on a Node.js older than n8n needs.
 * @returns {Record<string, string | boolean>}
 */
function readFlags() {
	/** @type {Record<string, string | boolean>} */
	let flags = {};
	try {
		flags = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
		process.exit(2);
	}
	if (flags.help) return flags;
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24) {
		console.error(
			`n8n ${n8n.N8N_VERSION} needs Node.js 24 or newer; this is ${process.version}.\n` +
				'Use Node 24 (nvm use 24), or in this repository run: source scripts/node24.sh && npm run dev',
		);
		process.exit(1);
	}
	return flags;
}

async function main() {
	const flags = readFlags();
	if (flags.help) {
		console.log(USAGE);
		return;
	}
	/** @type {DevRun} */
	const run = {
		flags,
		say: (message) => console.log(`[dev] ${message}`),
		verbose: flags.verbose === true,
		startedAt: Date.now(),
		stopping: false,
		realTarget: undefined,
	};
	stopOnSignals(run);
	run.realTarget = commvaultTarget(flags);
	fs.mkdirSync(DEV_DIR, { recursive: true });
	for (const step of SETUP_STEPS) {
		await step(run);
		if (run.stopping) return;
	}
}

main().catch(async (error) => {
	console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
	for (const proc of n8n.liveProcesses()) await proc.stop({ graceMs: 5000 });
	process.exit(1);
});
