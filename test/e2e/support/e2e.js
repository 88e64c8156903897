// @ts-check
'use strict';

/**
 * What the end-to-end suites share. The TypeScript test files stay thin (the strict n8n lint
 * bans process, timers and node: imports in .ts files) and call these functions.
 *
 * Global set-up (once per `npm run test:e2e`, see global-setup.js):
 *   - makes sure the pinned n8n is installed (installs it on a fresh machine, 7-8 minutes);
 *   - `npm run build` and `npm pack` of the repository: the suites install that tarball, never dist/;
 *   - a template n8n user folder: the package installed from the tarball into .n8n/nodes, and
 *     the database migrated (about 10 s, done once instead of once per suite).
 * Each suite then copies the template into its own folder, imports what it needs with n8n's CLI
 * and, if it needs a server, starts `n8n start` on a free port.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../../../scripts/n8n');

const SETUP_ENV = 'N8N_NODES_COMMVAULT_E2E_SETUP';
const WORKFLOWS_DIR = path.join(__dirname, '..', 'workflows');
const EXAMPLES_DIR = path.join(n8n.REPO_ROOT, 'examples');

/** The example workflows and the e2e-only ones, by id. */
const WORKFLOWS = Object.freeze({
	// The former webhook examples, which offboard on arrival: the node under real webhooks, in the server,
	// browser and queue-mode suites. The shipped examples write the leaver ledger instead (ledger suite).
	hr: { id: 'cvE2eHrArrival01', file: path.join(WORKFLOWS_DIR, 'hr-offboard-on-arrival.json'), webhook: 'commvault/hr-offboarding' },
	ticket: { id: 'cvE2eTicketArr01', file: path.join(WORKFLOWS_DIR, 'ticket-offboard-on-arrival.json'), webhook: 'commvault/servicenow-offboarding' },
	batch: { id: 'cvE2eBatch000001', file: path.join(WORKFLOWS_DIR, 'batch-offboarding.json') },
	startHere: { id: 'cvExampleStart01', file: path.join(EXAMPLES_DIR, 'start-here-dry-run.json') },
	laptop: { id: 'cvExampleLaptop1', file: path.join(EXAMPLES_DIR, 'laptop-handover.json') },
	manualPassword: { id: 'cvE2eManualPwd01', file: path.join(WORKFLOWS_DIR, 'manual-offboard-password.json') },
	webhookPassword: { id: 'cvE2eHookPwd0001', file: path.join(WORKFLOWS_DIR, 'webhook-offboard-password.json'), webhook: 'e2e/password-offboard' },
	lifecycle: { id: 'cvE2eLifecycle01', file: path.join(WORKFLOWS_DIR, 'user-lifecycle.json') },
	leaver: { id: 'cvE2eLeaver00001', file: path.join(WORKFLOWS_DIR, 'leaver.json') },
	undo: { id: 'cvExampleUndo001', file: path.join(EXAMPLES_DIR, 'undo-offboarding.json') },
	reconciliation: { id: 'cvExampleRecon01', file: path.join(EXAMPLES_DIR, 'weekly-reconciliation.json') },
	legalHold: { id: 'cvE2eLegalHold01', file: path.join(WORKFLOWS_DIR, 'legal-hold.json') },
	addDryRun: { id: 'cvE2eAddDryRun01', file: path.join(WORKFLOWS_DIR, 'offboard-add-dry-run.json') },
	domainLogin: { id: 'cvE2eDomainErin1', file: path.join(WORKFLOWS_DIR, 'domain-login.json') },
});

/** The second credential (username and password) the e2e-only workflows use. */
const PASSWORD_CREDENTIAL = Object.freeze({ id: 'cvE2ePassword001', name: 'Commvault (simulator, password)' });

/**
 * @typedef {object} E2eSetup
 * @property {string} runDir        everything this run writes
 * @property {string} tarball       npm pack output
 * @property {string} templateFolder
 * @property {string} n8nDir        the n8n install
 * @property {number} setupMs
 */

/** @param {string} message */
function log(message) {
	process.stderr.write(`[e2e] ${message}\n`);
}

/**
 * Jest globalSetup: install/reuse n8n, build, pack, make the template user folder.
 * @returns {Promise<E2eSetup>}
 */
async function globalSetup() {
	const started = Date.now();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-commvault-e2e-'));
	log(`run folder ${runDir}`);
	const install = await n8n.ensureN8n({ log });
	log(`n8n ${install.version} at ${install.dir}`);
	await n8n.buildPackage();
	const tarball = await n8n.packPackage({ destDir: path.join(runDir, 'pack') });
	log(`packed ${path.basename(tarball)}`);

	const templateFolder = path.join(runDir, 'template');
	const template = await n8n.createInstance({ userFolder: templateFolder, fresh: true });
	await template.installPackage(tarball);
	// Any command initialises the database; list:workflow changes nothing else.
	await template.runCli(['list:workflow']);
	fs.rmSync(path.join(templateFolder, 'import'), { recursive: true, force: true });

	/** @type {E2eSetup} */
	const setup = { runDir, tarball, templateFolder, n8nDir: install.dir, setupMs: Date.now() - started };
	fs.writeFileSync(path.join(runDir, 'setup.json'), JSON.stringify(setup, null, 2));
	process.env[SETUP_ENV] = path.join(runDir, 'setup.json');
	log(`global set-up done in ${(setup.setupMs / 1000).toFixed(1)} s`);
	return setup;
}

/** Jest globalTeardown: removes the run folder unless E2E_KEEP=1 (or a suite failed to stop). */
async function globalTeardown() {
	for (const proc of n8n.liveProcesses()) await proc.stop({ graceMs: 5000 });
	const file = process.env[SETUP_ENV];
	if (!file || !fs.existsSync(file)) return;
	const setup = /** @type {E2eSetup} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
	if (process.env.E2E_KEEP === '1') {
		log(`kept ${setup.runDir} (E2E_KEEP=1)`);
		return;
	}
	fs.rmSync(setup.runDir, { recursive: true, force: true });
}

/** @returns {E2eSetup} */
function setup() {
	const file = process.env[SETUP_ENV];
	if (!file || !fs.existsSync(file)) {
		throw new Error(`${SETUP_ENV} is not set: run the end-to-end tests with \`npm run test:e2e\` (jest -c jest.e2e.config.js)`);
	}
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * A new isolated n8n for one suite: a copy of the template (package installed, database
 * migrated) in `<runDir>/<name>`, on a free port.
 * @param {string} name
 * @param {{ env?: Record<string, string> }} [options]
 */
async function newInstance(name, options = {}) {
	const { runDir, templateFolder } = setup();
	const userFolder = path.join(runDir, name);
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.cpSync(templateFolder, userFolder, { recursive: true });
	return await n8n.createInstance({ userFolder, env: options.env });
}

/**
 * Starts the simulator on a free port.
 * @param {string[]} [args]   more simulator/cli.js flags
 */
async function startSimulator(args = []) {
	const { runDir } = setup();
	const port = await n8n.freePort();
	return await n8n.startSimulator({ port, args: ['--quiet', ...args], logFile: path.join(runDir, `simulator-${port}.log`) });
}

/**
 * The example credential "Commvault (simulator)" (access token) for this simulator.
 * @param {import('../../../scripts/n8n/simulator').SimulatorProcess} sim
 */
function accessTokenCredential(sim) {
	return n8n.commvaultCredential({ baseUrl: sim.baseUrl, authMethod: 'accessToken', accessToken: sim.accessToken });
}

/**
 * The e2e credential "Commvault (simulator, password)" (username and password).
 * @param {import('../../../scripts/n8n/simulator').SimulatorProcess} sim
 */
function passwordCredential(sim) {
	return n8n.commvaultCredential({
		...PASSWORD_CREDENTIAL,
		baseUrl: sim.baseUrl,
		authMethod: 'password',
		username: sim.account.username,
		password: sim.account.password,
	});
}

/** The credential of a domain login: Username erin, Domain acme, which Commvault names acme\\erin (simulator/README.md). */
const DOMAIN_CREDENTIAL = Object.freeze({ id: 'cvE2eDomainErin1', name: 'Commvault (simulator, domain login acme\\erin)' });

/**
 * The e2e credential of a domain login (`erin`, domain `acme`, the simulator's account of `acme\\erin`).
 * @param {import('../../../scripts/n8n/simulator').SimulatorProcess} sim
 */
function domainCredential(sim) {
	return n8n.commvaultCredential({
		...DOMAIN_CREDENTIAL,
		baseUrl: sim.baseUrl,
		authMethod: 'password',
		username: 'erin',
		domain: 'acme',
		password: 'erin-password',
	});
}

/** n8n's SSRF protection is "Available since 2.12.0" (https://docs.n8n.io/hosting/securing/ssrf-protection/). */
const SSRF_PROTECTION_SINCE = '2.12.0';

/**
 * Whether the n8n release under test (the pinned one, or N8N_VERSION) has SSRF protection.
 * @returns {boolean}
 */
function releaseHasSsrfProtection() {
	const [major, minor, patch] = n8n.N8N_VERSION.split('.').map(Number);
	const [sinceMajor, sinceMinor, sincePatch] = SSRF_PROTECTION_SINCE.split('.').map(Number);
	if (major !== sinceMajor) return major > sinceMajor;
	if (minor !== sinceMinor) return minor > sinceMinor;
	return patch >= sincePatch;
}

/**
 * n8n's SSRF protection (off by default in n8n 2.41; @n8n/config ssrf-protection.config) turned on,
 * with the simulator's address allowed (`N8N_SSRF_ALLOWED_IP_RANGES=<address>/32`) or not. The
 * simulator listens on 127.0.0.1, which n8n blocks by default.
 * @param {import('../../../scripts/n8n/simulator').SimulatorProcess} sim
 * @param {{ allowSimulator: boolean }} options
 * @returns {Record<string, string>}
 */
function ssrfProtection(sim, options) {
	/** @type {Record<string, string>} */
	const env = { N8N_SSRF_PROTECTION_ENABLED: 'true' };
	if (options.allowSimulator) env.N8N_SSRF_ALLOWED_IP_RANGES = `${new URL(sim.url).hostname}/32`;
	return env;
}

/**
 * @param {string} file
 * @returns {any}
 */
function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The path of a shipped example workflow.
 * @param {string} file its name in examples/
 */
function exampleFile(file) {
	return path.join(EXAMPLES_DIR, file);
}

/**
 * A sample payload from examples/payloads.
 * @param {string} name
 */
function payload(name) {
	return readJson(path.join(EXAMPLES_DIR, 'payloads', name));
}

/**
 * POSTs a body as it is and returns the status and the parsed reply.
 * @param {string} url
 * @param {string} rawBody
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number, body: any, text: string }>}
 */
async function postRaw(url, rawBody, headers = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: rawBody,
		signal: AbortSignal.timeout(60_000),
	});
	const text = await response.text();
	/** @type {any} */
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: response.status, body: parsed, text };
}

/**
 * POSTs JSON and returns the status and the parsed reply.
 * @param {string} url
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
async function postJson(url, body, headers = {}) {
	return await postRaw(url, JSON.stringify(body), headers);
}

/**
 * The webhook examples' secrets for this test file's n8n (imported with `importWithWebhookAuth`).
 * Random per test file: nothing in the repository signs a request that the suites accept.
 */
const WEBHOOK_SECRETS = n8n.newWebhookSecrets();

/**
 * POSTs a body to the BambooHR example the way BambooHR does: signed with the private key.
 * @param {string} url
 * @param {unknown} body
 * @param {{ key?: string, timestamp?: number }} [options]  another key or time, to forge or replay
 */
async function postSignedBambooHr(url, body, options = {}) {
	const raw = JSON.stringify(body);
	return await postRaw(url, raw, n8n.signBambooHr(raw, options.key ?? WEBHOOK_SECRETS.bambooHrKey, options.timestamp));
}

/**
 * POSTs JSON to the ServiceNow example with the basic authentication its webhook expects.
 * @param {string} url
 * @param {unknown} body
 */
async function postAsServiceNow(url, body) {
	return await postJson(url, body, n8n.serviceNowAuthHeader(WEBHOOK_SECRETS));
}

/**
 * Every stored execution of this instance, with its run data decoded, read through the REST API
 * the editor uses (`GET /rest/executions/:id` returns the stored, flatted run data).
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @returns {Promise<Array<{ id: string, workflowId: string, status: string, raw: string, run: any }>>}
 */
async function storedExecutions(instance) {
	const client = instance.client;
	if (!client) throw new Error('storedExecutions needs a running server');
	const list = await client.listExecutions();
	const result = [];
	for (const summary of list) {
		const execution = await client.getExecution(summary.id);
		const raw = typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data);
		result.push({
			id: String(summary.id),
			workflowId: summary.workflowId,
			status: execution.status,
			raw,
			run: n8n.parseFlatted(instance.install.dir, raw),
		});
	}
	return result;
}

/**
 * The items on each output of a node in a decoded run (see cli.js nodeOutputs).
 * @param {any} run   an IRun ({ data: { resultData } }) or IRunExecutionData ({ resultData })
 * @param {string} nodeName
 */
function nodeOutputs(run, nodeName) {
	return n8n.nodeOutputs(run?.data?.resultData ? run : { data: run }, nodeName);
}

/**
 * The label under which `secretsOf` lists the ServiceNow webhook's basic auth as the caller sends it:
 * Base64 of `user:password`, which holds the password without showing it in plain text. n8n keeps it
 * in every execution of the ServiceNow example (the Webhook node's `headers.authorization`), so the
 * suites that post to it expect it there and nowhere else (docs/safety.md).
 */
const SERVICENOW_BASIC_AUTH = 'ServiceNow webhook basic auth (Base64 of user:password, the Authorization header)';

/**
 * Every secret the run handled: the credentials' access token and password (plain and as the
 * Base64 the Login body carries), the webhook examples' secrets (the ServiceNow password, plain and
 * as its Authorization header; the BambooHR private key) and each session token the simulator saw
 * n8n present.
 * @param {import('../../../scripts/n8n/simulator').SimulatorProcess} sim
 * @returns {Promise<Record<string, string>>}
 */
async function secretsOf(sim) {
	/** @type {Record<string, string>} */
	const secrets = {
		'access token': sim.accessToken,
		password: sim.account.password,
		'password (Base64, as sent to /Login)': Buffer.from(sim.account.password, 'utf8').toString('base64'),
		'ServiceNow webhook password': WEBHOOK_SECRETS.serviceNowPassword,
		[SERVICENOW_BASIC_AUTH]: n8n.serviceNowAuthHeader(WEBHOOK_SECRETS).Authorization.replace(/^Basic /, ''),
	};
	// Before n8n 2.10 the Crypto node has no credential: the BambooHR key is a node parameter there,
	// stored with the workflow (as the README says), so only later releases must keep it out.
	if (n8n.hasCryptoCredential(n8n.N8N_VERSION)) secrets['BambooHR webhook private key'] = WEBHOOK_SECRETS.bambooHrKey;
	const requests = await sim.requests();
	const sessionTokens = new Set(
		requests.filter((r) => r.token && !String(r.token).includes(sim.accessToken)).map((r) => String(r.token)),
	);
	let i = 0;
	for (const token of sessionTokens) {
		secrets[`session token #${++i}`] = token;
		// Also without the "QSDK " prefix: the bare token is what Commvault issued.
		secrets[`session token #${i} (bare)`] = token.replace(/^QSDK /, '');
	}
	return secrets;
}

/**
 * Scans the instance's whole user folder (SQLite database, -wal and -shm as raw bytes, config,
 * logs) for the secrets. The nodes folder (our package's code) is skipped.
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @param {Record<string, string>} secrets
 */
function scanUserFolder(instance, secrets) {
	return n8n.scanForSecrets(instance.userFolder, secrets, {
		skip: (relative) => relative === path.join('.n8n', 'nodes'),
	});
}

/**
 * A credential's stored data, decrypted (`n8n export:credentials --decrypted`): what n8n will
 * really use, whatever the editor shows. The export file is deleted at once.
 * @param {import('../../../scripts/n8n/instance').N8nInstance} instance
 * @param {string} id
 * @returns {Promise<Record<string, unknown>>}
 */
async function storedCredentialData(instance, id) {
	const file = path.join(setup().runDir, `credential-export-${Date.now()}.json`);
	try {
		await instance.runCli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
		const exported = readJson(file);
		return (Array.isArray(exported) ? exported[0] : exported).data;
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * Replaces an instance's installed package with the README's manual install of the packed tarball
 * (`npm install` in the nodes folder, npm's defaults), for the manual-install suite.
 * @param {{ userFolder: string }} instance
 */
async function installWithNpm(instance) {
	return await n8n.installTarballWithNpm({ userFolder: instance.userFolder, tarball: setup().tarball });
}

const STOPPING_MANUAL_ID = 'cvE2eManualStop1';

/**
 * The manual password workflow with the Commvault node on n8n's default "Stop Workflow" on error.
 * @returns {any}
 */
function stoppingManualWorkflow() {
	const workflow = readJson(WORKFLOWS.manualPassword.file);
	workflow.id = STOPPING_MANUAL_ID;
	workflow.name = `${workflow.name} [stops on error]`;
	for (const node of workflow.nodes) if (node.type === 'n8n-nodes-commvault.commvault') delete node.onError;
	workflow.connections.Commvault.main = workflow.connections.Commvault.main.slice(0, 1);
	return workflow;
}

module.exports = {
	WORKFLOWS,
	STOPPING_MANUAL_ID,
	installWithNpm,
	stoppingManualWorkflow,
	PASSWORD_CREDENTIAL,
	DOMAIN_CREDENTIAL,
	domainCredential,
	globalSetup,
	globalTeardown,
	setup,
	newInstance,
	startSimulator,
	accessTokenCredential,
	passwordCredential,
	ssrfProtection,
	releaseHasSsrfProtection,
	SSRF_PROTECTION_SINCE,
	payload,
	exampleFile,
	postJson,
	postRaw,
	postSignedBambooHr,
	postAsServiceNow,
	WEBHOOK_SECRETS,
	serviceNowAuthHeader: n8n.serviceNowAuthHeader,
	storedExecutions,
	nodeOutputs,
	secretsOf,
	SERVICENOW_BASIC_AUTH,
	scanUserFolder,
	readJson,
	storedCredentialData,
	packagesInNodesFolder: n8n.packagesInNodesFolder,
	installedPackageDir: n8n.installedPackageDir,
};
