// @ts-check
'use strict';

/**
 * Commvault Command Center simulator: a real HTTP/HTTPS server (Node builtins only) that
 * answers the Commvault REST endpoints the n8n node uses, with Commvault's shapes, seeded
 * deterministic data and injectable faults. Overview and decisions: simulator/README.md.
 *
 * Request pipeline (non-control): record → read body → latency (in fault scope) → queued
 * response → probabilistic fault (429 / 503 / HTML 502 / reset / hang) → rate limit → route
 * (404 / 405) → auth (401) → handler → expireTokensAfterRequests → reset-after-processing or
 * answer. Control endpoints under /__simulator/ skip all of it.
 */

const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { SimState } = require('./state');
const { AuthService, emptyCounters } = require('./auth');
const { RateBudget } = require('./budget');
const { FaultEngine, normalizeFaults, HTML_502, HTML_503 } = require('./faults');
const { matchRoute } = require('./routes');
const seedData = require('./seed-data');

/** @typedef {import('./types').SimFaults} SimFaults */
/** @typedef {import('./types').RequestRecord} RequestRecord */
/** @typedef {import('./types').QueuedResponseSpec} QueuedResponseSpec */
/** @typedef {import('./routes').HandlerResult} HandlerResult */

const CERT_DIR = path.join(__dirname, 'certs');
const CERT_PATH = path.join(CERT_DIR, 'cert.pem');
const KEY_PATH = path.join(CERT_DIR, 'key.pem');
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDED_BODY_CHARS = 4096;

/**
 * @typedef {object} SimulatorOptions
 * @property {string} [host]                     default '127.0.0.1'
 * @property {number} [port]                     default 0 (ephemeral)
 * @property {boolean} [https]                   serve TLS with the TEST-ONLY cert in simulator/certs
 * @property {{ key: string | Buffer, cert: string | Buffer }} [tls]  custom TLS material
 * @property {number} [tokenTtlMs]               session token idle timeout (default 30 min, as Commvault)
 * @property {number} [lockAfterFailedLogins]    lock an account after this many failed logins (default: never)
 * @property {import('./types').SimAccount[]} [accounts]
 * @property {import('./types').SimAccessTokenSpec[]} [accessTokens]
 * @property {{ requests?: number, ms?: number }} [accessTokenLifetime]  when access tokens with a refresh token expire
 * @property {number} [refreshTokenTtlMs]        how long a renewal chain can be renewed (default 90 days)
 * @property {boolean} [saas]                    Commvault Cloud: Login answers data.authToken, API takes only Authorization: Bearer
 * @property {{ writesPerHour?: number, readsPerHour?: number, periodMs?: number }} [rateBudget]  per-tenant budgets (Commvault Cloud)
 * @property {import('./types').SeedUser[]} [users]   seed users (default: the hand-written set)
 * @property {number} [generatedUsers]           extra users 'user00001'… (default 0)
 * @property {number} [userListPageCap]          most users a page of `GET /User` holds, whatever `limit` asks (no source; see state.js)
 * @property {number} [seed]                     PRNG seed (default 1)
 * @property {SimFaults} [faults]
 * @property {boolean} [recordRequests]          keep request records (default true)
 * @property {number} [maxRecordedRequests]      oldest records are dropped beyond this (default 100000)
 * @property {boolean} [revokeOthersAccessTokens] false: DELETE /V4/AccessToken/{id} of another user's token is refused
 *                                               (whether Commvault allows it is UNVERIFIABLE; default true)
 * @property {boolean} [offboardLeavesOwner]      a faulty Offboard that answers success but leaves the user as owner of
 *                                               one entity (a control knob, no source; also `sim.state.offboardLeavesOwner`)
 * @property {boolean} [v2WhoAmI]                whether `GET v2/WhoAmI` exists (default true); false answers it 404,
 *                                               like a Command Center without the v2 API, while v1 `POST WhoAmI` stays
 */

/**
 * @typedef {object} QueuedEntry
 * @property {string | null} method
 * @property {number} status
 * @property {unknown} body
 * @property {string | undefined} html
 * @property {boolean} echoRequest
 * @property {Record<string, string>} headers
 * @property {number} remaining
 */

/** @returns {Record<string, number>} */
function emptyFaultCounters() {
	return {
		latency: 0,
		rate429: 0,
		rate503: 0,
		rateHtml502: 0,
		rateReset: 0,
		rateResetAfterProcessing: 0,
		rateHang: 0,
		rateLimit: 0,
		expireTokens: 0,
		queued: 0,
	};
}

/**
 * A plain-text page that repeats the request, headers and body included, as some proxies' and debug
 * endpoints' error pages do: the way a secret sent to Commvault can come back in an error body.
 * @param {http.IncomingMessage} req
 * @param {string} body
 */
function echoedRequest(req, body) {
	const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
	return ['Bad Request. The request was:', `${req.method} ${req.url} HTTP/${req.httpVersion}`, ...headers, '', body].join('\n');
}

/**
 * Reads a request body (up to MAX_BODY_BYTES).
 * @param {http.IncomingMessage} req
 * @returns {Promise<{ text: string, tooLarge: boolean }>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve({ text: chunks.length ? Buffer.concat(chunks).toString('utf8') : '', tooLarge }));
		req.on('error', reject);
		req.on('aborted', () => reject(new Error('aborted')));
	});
}

/**
 * Kills a connection the way a crashed proxy / server would (TCP RST when possible).
 * @param {import('net').Socket} socket
 */
function killSocket(socket) {
	try {
		if (typeof socket.resetAndDestroy === 'function' && !(/** @type {{ encrypted?: boolean }} */ (socket).encrypted)) {
			socket.resetAndDestroy();
			return;
		}
	} catch {
		// fall through to destroy()
	}
	socket.destroy();
}

/**
 * One API request on its way through the pipeline.
 * @typedef {object} Exchange
 * @property {http.IncomingMessage} req
 * @property {http.ServerResponse} res
 * @property {RequestRecord} record
 * @property {string} method
 * @property {string} rawPath
 * @property {URLSearchParams} query
 * @property {ReturnType<typeof matchRoute>} match
 * @property {{ text: string, tooLarge: boolean }} raw
 * @property {unknown} body
 * @property {boolean} bodyInvalid
 * @property {boolean} inScope                   whether the faults apply to this endpoint
 * @property {import('./faults').ProbabilisticFault | null} fault
 * @property {import('./auth').AuthInfo | null} authInfo
 */

/**
 * Parses a JSON body and records it (as text, cut short, when it is not JSON).
 * @param {string} text
 * @param {RequestRecord} record
 * @returns {{ body: unknown, bodyInvalid: boolean }}
 */
function parseRequestBody(text, record) {
	if (!text) return { body: undefined, bodyInvalid: false };
	try {
		const body = JSON.parse(text);
		record.body = body;
		return { body, bodyInvalid: false };
	} catch {
		record.body = text.slice(0, MAX_RECORDED_BODY_CHARS);
		return { body: undefined, bodyInvalid: true };
	}
}

/**
 * The probabilistic 429 (faults.rate429), with rate-limit headers.
 * @param {string} errorMessage
 * @param {number} retryAfter
 * @returns {HandlerResult}
 */
function tooManyRequests(errorMessage, retryAfter) {
	return {
		status: 429,
		json: { errorCode: 429, errorMessage },
		headers: {
			'Retry-After': String(retryAfter),
			'X-RateLimit-Limit': '100',
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': String(Math.ceil(retryAfter)),
			'X-RateLimit-Period': String(Math.ceil(retryAfter)),
		},
	};
}

/**
 * Notes on the record who logged in (Login) or which token was logged out (Logout).
 * @param {RequestRecord} record
 * @param {http.IncomingMessage} req
 * @param {HandlerResult} result
 */
function noteSessionChange(record, req, result) {
	if (record.endpoint === 'login' && result.json && typeof result.json === 'object') {
		const login = /** @type {{ token?: string, userName?: string }} */ (result.json);
		if (login.token) {
			record.account = login.userName ?? null;
			record.authKind = 'session';
		}
	}
	if (record.endpoint === 'logout') {
		const token = req.headers['authtoken'];
		record.token = typeof token === 'string' ? token : null;
	}
}

class CommvaultSimulator {
	/** @private @type {RequestRecord[]} */
	records = [];
	/** @private */
	seq = 0;
	/** @private @type {Map<string, QueuedEntry[]>} */
	queue = new Map();
	/** @private */
	counters = { requests: 0, controlRequests: 0, inFlight: 0, maxInFlight: 0 };
	/** @private @type {Record<string, number>} */
	byEndpoint = {};
	/** @private @type {Record<string, number>} */
	byStatus = {};
	/** @private */
	faultCounters = emptyFaultCounters();

	/** @private @type {http.Server | https.Server | null} */
	server = null;
	/** @private @type {Set<import('net').Socket>} */
	sockets = new Set();
	/** @private @type {WeakMap<object, number>} */
	connectionIds = new WeakMap();
	/** @private */
	nextConnectionId = 0;
	/** @private @type {Set<{ timer: NodeJS.Timeout, resolve: () => void }>} */
	delays = new Set();
	/** @private @type {Set<NodeJS.Timeout>} */
	hangTimers = new Set();
	/** @private */
	port = 0;
	/** @private */
	stopped = false;
	/** @private */
	startedAt = 0;

	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		/** @private */
		this.options = options;
		/** @private */
		this.host = options.host ?? '127.0.0.1';
		/** @private */
		this.requestedPort = options.port ?? 0;
		/** @private */
		this.useHttps = options.https ?? false;
		/** @private */
		this.seed = options.seed ?? 1;
		/** @private */
		this.initialFaults = normalizeFaults(options.faults ?? {});
		/** @private */
		this.recordEnabled = options.recordRequests ?? true;
		/** @private */
		this.maxRecorded = Math.max(1, options.maxRecordedRequests ?? 100000);

		/** @private */
		this.simState = new SimState({ users: options.users, generatedUsers: options.generatedUsers ?? 0, seed: this.seed, revokeOthersAccessTokens: options.revokeOthersAccessTokens, offboardLeavesOwner: options.offboardLeavesOwner, userListPageCap: options.userListPageCap });
		/** @private */
		this.auth = new AuthService({
			accounts: options.accounts ?? seedData.DEFAULT_ACCOUNTS,
			accessTokens: options.accessTokens ?? seedData.DEFAULT_ACCESS_TOKENS,
			tokenTtlMs: options.tokenTtlMs ?? 30 * 60 * 1000,
			lockAfterFailedLogins: options.lockAfterFailedLogins,
			accessTokenLifetime: options.accessTokenLifetime,
			refreshTokenTtlMs: options.refreshTokenTtlMs,
			saas: options.saas,
			state: this.simState,
		});
		/** @private */
		this.budget = options.rateBudget ? new RateBudget(options.rateBudget) : null;
		/** @private */
		this.faultEngine = new FaultEngine(this.seed, this.initialFaults);
	}

	// ------------------------------------------------------------ public API

	/** Base URL, e.g. 'http://127.0.0.1:PORT' (valid after start()). */
	get url() {
		const proto = this.useHttps ? 'https' : 'http';
		let host = this.host;
		if (host === '0.0.0.0') host = '127.0.0.1';
		if (host === '::') host = '::1';
		if (host.includes(':')) host = `[${host}]`;
		return `${proto}://${host}:${this.port}`;
	}

	/**
	 * url + path, e.g. sim.baseUrl('/commandcenter/api').
	 * @param {string} [p]
	 */
	baseUrl(p = '/commandcenter/api') {
		return this.url + (p.startsWith('/') || p === '' ? p : `/${p}`);
	}

	/** Request records (live array, oldest first). @returns {RequestRecord[]} */
	get requests() {
		return this.records;
	}

	clearRequests() {
		this.records = [];
	}

	/** Read access to the simulated CommCell (users, subclients, vmClients, userGroups, events, look-ups). */
	get state() {
		return this.simState;
	}

	/** The active (normalised) faults. @returns {SimFaults} */
	get faults() {
		return this.faultEngine.faults;
	}

	/** Active session tokens (read-only view). */
	get sessions() {
		return this.auth.sessions;
	}

	stats() {
		/** @type {Record<string, number>} */
		const offboardsByUser = {};
		/** @type {Record<string, number>} */
		const offboardFailuresByUser = {};
		/** @type {Record<string, number>} */
		const deletesByUser = {};
		/** @type {Record<string, number>} */
		const disablesByUser = {};
		/** @type {Record<string, number>} */
		const enablesByUser = {};
		for (const e of this.simState.events) {
			if (e.type === 'offboard') {
				const target = e.errorCode === 0 ? offboardsByUser : offboardFailuresByUser;
				target[e.userName] = (target[e.userName] ?? 0) + 1;
			} else if (e.errorCode === 0) {
				const target = e.type === 'delete' ? deletesByUser : e.type === 'disable' ? disablesByUser : e.type === 'enable' ? enablesByUser : null;
				if (target) target[e.userName] = (target[e.userName] ?? 0) + 1;
			}
		}
		return {
			requests: this.counters.requests,
			controlRequests: this.counters.controlRequests,
			byEndpoint: { ...this.byEndpoint },
			byStatus: { ...this.byStatus },
			logins: this.auth.counters.logins,
			loginFailures: this.auth.counters.loginFailures,
			logouts: this.auth.counters.logouts,
			tokensIssued: this.auth.counters.tokensIssued,
			tokensExpired: this.auth.counters.tokensExpired,
			accessTokensExpired: this.auth.counters.accessTokensExpired,
			accessTokenExpiries: this.auth.counters.accessTokenExpiries,
			accessTokenRenewals: this.auth.counters.renewals,
			accessTokenRenewalFailures: this.auth.counters.renewalFailures,
			chainInvalidations: this.auth.counters.chainInvalidations,
			budgetLimited: this.budget ? this.budget.limited : 0,
			activeSessions: this.auth.sessions.size,
			inFlight: this.counters.inFlight,
			maxInFlight: this.counters.maxInFlight,
			offboardsByUser,
			offboardFailuresByUser,
			deletesByUser,
			disablesByUser,
			enablesByUser,
			faultsInjected: { ...this.faultCounters },
		};
	}

	/** Resets counters (requests, byEndpoint, faultsInjected, maxInFlight…) without touching state. */
	resetStats() {
		this.counters.requests = 0;
		this.counters.controlRequests = 0;
		this.counters.maxInFlight = this.counters.inFlight;
		this.byEndpoint = {};
		this.byStatus = {};
		this.faultCounters = emptyFaultCounters();
		this.auth.counters = emptyCounters();
		if (this.budget) this.budget.limited = 0;
	}

	/**
	 * Back to the seed state: users/entities/events rebuilt, tokens and request records cleared,
	 * stats zeroed, faults back to the constructor's, queued responses dropped.
	 */
	reset() {
		this.simState.reset();
		this.auth.reset();
		if (this.budget) this.budget.reset();
		this.records = [];
		this.queue.clear();
		this.faultEngine.set(this.initialFaults);
		this.resetStats();
	}

	/**
	 * Replaces the faults (reseeds the fault PRNG, resets the rate-limit bucket and the
	 * expireTokensAfterRequests counter).
	 * @param {SimFaults} faults
	 */
	setFaults(faults) {
		this.faultEngine.set(faults);
		return this.faultEngine.faults;
	}

	/** Starts a new budget period for every tenant (as if the hour had passed), state untouched. */
	resetRateBudgets() {
		if (this.budget) this.budget.reset();
	}

	/**
	 * Turns the switches for forms Commvault's material leaves open (see LeaverBehaviour in leaver.js):
	 * `logOffIgnores`, `laptopShape`, `renewalInTokenInfo`. `reset()` turns them back.
	 * @param {Partial<import('./leaver').LeaverBehaviour>} changes
	 */
	setBehaviour(changes) {
		return this.simState.leaver.setBehaviour(changes);
	}

	/**
	 * Turns the per-tenant budgets on (as `rateBudget` at start) or off (`null`), e.g. for one test.
	 * @param {{ writesPerHour?: number, readsPerHour?: number, periodMs?: number } | null} budget
	 */
	setRateBudget(budget) {
		this.budget = budget ? new RateBudget(budget) : null;
	}

	/** Invalidates every session token (access tokens stay valid). @returns {number} */
	expireAllTokens() {
		return this.auth.expireAllSessions();
	}

	/**
	 * Forces the next `times` responses of an endpoint (checked after latency, before faults and auth;
	 * the request is not processed).
	 * @param {QueuedResponseSpec} spec
	 */
	queueResponse(spec) {
		if (!spec || typeof spec.endpoint !== 'string' || !spec.endpoint) throw new Error('queueResponse: endpoint is required');
		const key = spec.endpoint.toLowerCase();
		const list = this.queue.get(key) ?? [];
		list.push({
			method: spec.method ? spec.method.toUpperCase() : null,
			status: spec.status ?? 200,
			body: spec.body,
			html: spec.html,
			echoRequest: spec.echoRequest === true,
			headers: { ...(spec.headers ?? {}) },
			remaining: Math.max(1, Math.floor(spec.times ?? 1)),
		});
		this.queue.set(key, list);
		return list.reduce((n, e) => n + e.remaining, 0);
	}

	clearQueuedResponses() {
		this.queue.clear();
	}

	/**
	 * Starts listening. Resolves with the base URL.
	 * @returns {Promise<string>}
	 */
	start() {
		if (this.server) return Promise.resolve(this.url);
		this.stopped = false;
		const handler = (/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) => this.handle(req, res);
		/** @type {http.Server | https.Server} */
		let server;
		if (this.useHttps) {
			const tls = this.options.tls ?? { key: fs.readFileSync(KEY_PATH), cert: fs.readFileSync(CERT_PATH) };
			server = https.createServer({ key: tls.key, cert: tls.cert }, handler);
			server.on('secureConnection', (socket) => this.connectionIds.set(socket, ++this.nextConnectionId));
		} else {
			server = http.createServer(handler);
		}
		server.keepAliveTimeout = 65_000;
		server.headersTimeout = 70_000;
		server.requestTimeout = 0;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			if (!this.useHttps) this.connectionIds.set(socket, ++this.nextConnectionId);
			socket.on('close', () => this.sockets.delete(socket));
		});
		// A client that resets mid-request must not crash the simulator.
		server.on('clientError', (_err, socket) => socket.destroy());
		this.server = server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.requestedPort, this.host, () => {
				server.off('error', reject);
				const address = server.address();
				this.port = address && typeof address === 'object' ? address.port : this.requestedPort;
				this.startedAt = Date.now();
				resolve(this.url);
			});
		});
	}

	/**
	 * Stops the server and destroys every open socket (keep-alive, hung), so test runners exit.
	 * @returns {Promise<void>}
	 */
	stop() {
		const server = this.server;
		this.stopped = true;
		for (const timer of this.hangTimers) clearTimeout(timer);
		this.hangTimers.clear();
		for (const d of this.delays) {
			clearTimeout(d.timer);
			d.resolve();
		}
		this.delays.clear();
		if (!server) return Promise.resolve();
		this.server = null;
		return new Promise((resolve) => {
			server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
			this.sockets.clear();
		});
	}

	// ------------------------------------------------------------ request pipeline

	/**
	 * @private
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	handle(req, res) {
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const rawPath = q >= 0 ? url.slice(0, q) : url;
		const rawQuery = q >= 0 ? url.slice(q + 1) : '';
		const promise = rawPath === '/__simulator' || rawPath.startsWith('/__simulator/')
			? this.handleControl(req, res, rawPath, rawQuery)
			: this.handleApi(req, res, rawPath, rawQuery);
		promise.catch((err) => {
			if (!res.headersSent && !res.destroyed) {
				this.send(res, null, { status: 500, json: { errorCode: 1, errorMessage: `Simulator error: ${err instanceof Error ? err.message : String(err)}` } });
			}
		});
	}

	/**
	 * @private
	 * @param {number} ms
	 * @returns {Promise<void>}
	 */
	delay(ms) {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.delays.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			this.delays.add(entry);
		});
	}

	/**
	 * @private
	 * @param {string} endpoint
	 * @param {string} method
	 * @returns {QueuedEntry | null}
	 */
	takeQueued(endpoint, method) {
		const list = this.queue.get(endpoint);
		if (!list) return null;
		const index = list.findIndex((e) => e.method === null || e.method === method);
		if (index < 0) return null;
		const entry = list[index];
		entry.remaining--;
		if (entry.remaining <= 0) list.splice(index, 1);
		if (!list.length) this.queue.delete(endpoint);
		return entry;
	}

	/**
	 * @private
	 * @param {RequestRecord} record
	 */
	record(record) {
		this.counters.requests++;
		this.byEndpoint[record.endpoint] = (this.byEndpoint[record.endpoint] ?? 0) + 1;
		if (!this.recordEnabled) return;
		if (this.records.length >= this.maxRecorded) this.records.splice(0, Math.max(1, Math.ceil(this.maxRecorded / 10)));
		this.records.push(record);
	}

	/**
	 * @private
	 * @param {http.ServerResponse} res
	 * @param {RequestRecord | null} record
	 * @param {HandlerResult} result
	 */
	send(res, record, result) {
		if (res.destroyed || res.writableEnded) return;
		let body = '';
		let type = 'text/plain; charset=utf-8';
		if (result.html !== undefined) {
			body = result.html;
			type = 'text/html; charset=utf-8';
		} else if (result.text !== undefined) {
			body = result.text;
		} else if (result.json !== undefined) {
			if (typeof result.json === 'string') body = result.json;
			else {
				body = JSON.stringify(result.json);
				type = 'application/json; charset=utf-8';
			}
		}
		res.writeHead(result.status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...(result.headers ?? {}) });
		res.end(body);
		if (record) {
			record.status = result.status;
			this.byStatus[String(result.status)] = (this.byStatus[String(result.status)] ?? 0) + 1;
		}
	}

	/**
	 * The request pipeline (see the file's header): each step answers the request and returns true, or
	 * lets it through to the next.
	 * @private
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} rawPath
	 * @param {string} rawQuery
	 */
	async handleApi(req, res, rawPath, rawQuery) {
		const method = (req.method ?? 'GET').toUpperCase();
		const match = matchRoute(rawPath);
		const query = new URLSearchParams(rawQuery);
		const record = this.openRecord(req, res, method, rawPath, match, query);
		/** @type {{ text: string, tooLarge: boolean }} */
		let raw;
		try {
			raw = await readBody(req);
		} catch {
			return;
		}
		const { body, bodyInvalid } = parseRequestBody(raw.text, record);
		if (this.stopped) return;
		/** @type {Exchange} */
		const exchange = { req, res, record, method, rawPath, query, match, raw, body, bodyInvalid, inScope: this.faultEngine.inScope(record.endpoint), fault: null, authInfo: null };
		if (exchange.inScope && !(await this.injectLatency(exchange))) return;
		if (this.answerQueued(exchange)) return;
		if (exchange.inScope && (this.injectFault(exchange) || this.applyRateLimit(exchange))) return;
		if (this.refuseRoute(exchange) || this.refuseAuth(exchange)) return;
		if (bodyInvalid && method !== 'GET') {
			this.send(res, record, { status: 400, json: { errorCode: 2, errorMessage: 'Invalid request body: malformed JSON.' } });
			return;
		}
		this.process(exchange);
	}

	/**
	 * Records a request and counts it in flight until its connection closes.
	 * @private
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} method
	 * @param {string} rawPath
	 * @param {ReturnType<typeof matchRoute>} match
	 * @param {URLSearchParams} query
	 * @returns {RequestRecord}
	 */
	openRecord(req, res, method, rawPath, match, query) {
		const t0 = performance.now();
		/** @type {RequestRecord} */
		const record = {
			seq: ++this.seq,
			method,
			path: rawPath,
			endpoint: match ? match.route.endpoint : 'unknown',
			query: Object.fromEntries(query),
			headers: req.headers,
			body: undefined,
			status: null,
			fault: null,
			latencyMs: 0,
			startedAt: Date.now(),
			durationMs: null,
			connectionId: this.connectionIds.get(req.socket) ?? 0,
			authKind: null,
			account: null,
			token: null,
			processed: false,
		};
		this.record(record);
		this.counters.inFlight++;
		if (this.counters.inFlight > this.counters.maxInFlight) this.counters.maxInFlight = this.counters.inFlight;
		res.on('close', () => {
			this.counters.inFlight--;
			record.durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
		});
		return record;
	}

	/**
	 * Waits the injected latency; false when the simulator stopped or the client left meanwhile.
	 * @private
	 * @param {Exchange} exchange
	 */
	async injectLatency({ record, res }) {
		const latency = this.faultEngine.latency();
		if (latency <= 0) return true;
		record.latencyMs = Math.round(latency * 1000) / 1000;
		this.faultCounters.latency++;
		await this.delay(latency);
		return !(this.stopped || res.destroyed);
	}

	/**
	 * Answers with a queued response for this endpoint, if one is waiting.
	 * @private
	 * @param {Exchange} exchange
	 */
	answerQueued({ req, res, record, method, raw }) {
		const queued = this.takeQueued(record.endpoint, method);
		if (!queued) return false;
		record.fault = 'queued';
		this.faultCounters.queued++;
		const { status, headers } = queued;
		this.send(res, record, queued.echoRequest
			? { status, text: echoedRequest(req, raw.text), headers }
			: queued.html !== undefined
			? { status, html: queued.html, headers }
			: typeof queued.body === 'string'
				? { status, text: queued.body, headers }
				: { status, json: queued.body === undefined ? {} : queued.body, headers });
		return true;
	}

	/**
	 * Draws a probabilistic fault; answers (or drops) the request with it, except rateResetAfterProcessing,
	 * which `process` applies once the handler has run.
	 * @private
	 * @param {Exchange} exchange
	 */
	injectFault(exchange) {
		const { req, res, record } = exchange;
		const fault = this.faultEngine.pick();
		exchange.fault = fault;
		if (!fault) return false;
		record.fault = fault;
		this.faultCounters[fault]++;
		switch (fault) {
			case 'rate429':
				this.send(res, record, tooManyRequests('Too many requests. Retry after some time.', this.faultEngine.faults.retryAfterSeconds ?? 1));
				return true;
			case 'rate503':
				this.send(res, record, { status: 503, html: HTML_503 });
				return true;
			case 'rateHtml502':
				this.send(res, record, { status: 502, html: HTML_502 });
				return true;
			case 'rateReset':
				killSocket(req.socket);
				return true;
			case 'rateHang':
				this.hang(req.socket);
				return true;
			default:
				return false;
		}
	}

	/**
	 * Holds a connection open without answering, then drops it (faults.hangMs, default 60 s).
	 * @private
	 * @param {import('net').Socket} socket
	 */
	hang(socket) {
		const timer = setTimeout(() => {
			this.hangTimers.delete(timer);
			socket.destroy();
		}, this.faultEngine.faults.hangMs ?? 60_000);
		timer.unref();
		this.hangTimers.add(timer);
	}

	/**
	 * The token-bucket rate limit (faults.rateLimit): a 429 when the bucket is empty.
	 * @private
	 * @param {Exchange} exchange
	 */
	applyRateLimit({ res, record }) {
		const rl = this.faultEngine.takeRateLimitToken();
		if (!rl.limited) return false;
		record.fault = 'rateLimit';
		this.faultCounters.rateLimit++;
		this.send(res, record, {
			status: 429,
			json: { errorCode: 429, errorMessage: 'API rate limit exceeded. Retry after some time.' },
			headers: {
				'Retry-After': String(rl.retryAfterSeconds),
				'X-RateLimit-Limit': String(rl.limit),
				'X-RateLimit-Remaining': String(rl.remaining),
				'X-RateLimit-Reset': String(rl.resetSeconds),
				'X-RateLimit-Period': '1',
			},
		});
		return true;
	}

	/**
	 * 404 for an unknown path, 405 for a method the route lacks, 413 for an oversized body.
	 * @private
	 * @param {Exchange} exchange
	 */
	refuseRoute({ res, record, method, rawPath, match, raw }) {
		// A Command Center without the v2 API (option `v2WhoAmI: false`) has no v2/WhoAmI: the same 404 as any unknown path.
		if (!match || (match.route.endpoint === 'v2/whoami' && this.options.v2WhoAmI === false)) {
			this.send(res, record, { status: 404, json: { errorCode: 404, errorMessage: `The requested resource [${rawPath}] was not found.` } });
			return true;
		}
		if (!match.route.methods[method]) {
			this.send(res, record, {
				status: 405,
				json: { errorCode: 405, errorMessage: `Method ${method} is not allowed for [${rawPath}].` },
				headers: { Allow: Object.keys(match.route.methods).join(', ') },
			});
			return true;
		}
		if (raw.tooLarge) {
			this.send(res, record, { status: 413, json: { errorCode: 413, errorMessage: 'Request body too large.' } });
			return true;
		}
		return false;
	}

	/**
	 * Authenticates a non-public route (401 when the token is not valid) and takes from the tenant's
	 * rate budget (429 when spent).
	 * @private
	 * @param {Exchange} exchange
	 */
	refuseAuth(exchange) {
		const { req, res, record, method, match } = exchange;
		if (!match || match.route.public) return false;
		const result = this.auth.authenticate(req.headers);
		if (!result.ok) {
			record.token = result.token;
			// Shape from cvpysdk's special case {"errorCode": 5, "errorMessage": "…Access denied…"}; unverified for 401s.
			this.send(res, record, { status: 401, json: { errorCode: 5, errorMessage: 'Access denied' } });
			return true;
		}
		const authInfo = result.info;
		exchange.authInfo = authInfo;
		record.authKind = authInfo.kind;
		record.account = authInfo.userName;
		record.token = authInfo.token;
		const budget = this.budget ? this.budget.take(this.tenantOf(authInfo), method) : null;
		if (!budget || !budget.limited) return false;
		record.fault = 'budget';
		this.send(res, record, { status: 429, json: { errorCode: 429, errorMessage: 'API rate limit exceeded for the tenant.' }, headers: budget.headers });
		return true;
	}

	/**
	 * Runs the route's handler and answers with its result, after expireTokensAfterRequests and
	 * rateResetAfterProcessing (which drops the connection once the change is made).
	 * @private
	 * @param {Exchange} exchange
	 */
	process({ req, res, record, method, query, match, body, bodyInvalid, inScope, fault, authInfo }) {
		const handler = match?.route.methods[method];
		if (!match || !handler) return; // refuseRoute has answered these
		/** @type {HandlerResult} */
		let result;
		try {
			result = handler({ method, params: match.params, query, headers: req.headers, body, bodyInvalid, auth: authInfo, state: this.simState, authService: this.auth });
		} catch (err) {
			result = { status: 500, json: { errorCode: 1, errorMessage: `Simulator error: ${err instanceof Error ? err.message : String(err)}` } };
		}
		record.processed = true;
		noteSessionChange(record, req, result);
		if (inScope && authInfo && this.faultEngine.countAuthorized()) {
			this.auth.expireAllSessions();
			this.faultCounters.expireTokens++;
			if (!record.fault) record.fault = 'expireTokens';
		}
		if (fault === 'rateResetAfterProcessing') {
			killSocket(req.socket);
			return;
		}
		this.send(res, record, result);
	}

	/**
	 * The tenant a request counts against: the company of the user behind the token, else the CommCell.
	 * @private
	 * @param {import('./auth').AuthInfo} info
	 */
	tenantOf(info) {
		return this.simState.getUserByName(info.userName)?.company?.name ?? 'CommCell';
	}

	// ------------------------------------------------------------ control API

	/**
	 * Control API for other processes (never recorded, never faulted).
	 * @private
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} rawPath
	 * @param {string} rawQuery
	 */
	async handleControl(req, res, rawPath, rawQuery) {
		this.counters.controlRequests++;
		const method = (req.method ?? 'GET').toUpperCase();
		const sub = rawPath.slice('/__simulator'.length).replace(/\/+$/, '').toLowerCase();
		const query = new URLSearchParams(rawQuery);
		const raw = await readBody(req);
		/** @type {unknown} */
		let body = {};
		if (raw.text) {
			try {
				body = JSON.parse(raw.text);
			} catch {
				this.send(res, null, { status: 400, json: { error: 'malformed JSON body' } });
				return;
			}
		}
		const route = this.controlRoutes()[`${method} ${sub}`];
		const [json, status = 200] = route ? route({ query, body }) : [{ error: `unknown control endpoint ${method} ${rawPath}` }, 404];
		this.send(res, null, { status, json });
	}

	/**
	 * The control endpoints, as 'METHOD /path' (lower case) → handler; a handler returns the JSON reply and
	 * its status (default 200).
	 * @private
	 * @returns {Record<string, (request: { query: URLSearchParams, body: unknown }) => [unknown, number?]>}
	 */
	controlRoutes() {
		/** @param {() => unknown} action @returns {() => [unknown]} */
		const done = (action) => () => {
			action();
			return [{ ok: true }];
		};
		return {
			'GET /health': () => [{ ok: true, url: this.url, https: this.useHttps, seed: this.seed, uptimeMs: Date.now() - this.startedAt, requests: this.counters.requests }],
			'GET /requests': ({ query }) => [this.selectRequests(query)],
			'DELETE /requests': done(() => this.clearRequests()),
			'POST /clear-requests': done(() => this.clearRequests()),
			'GET /stats': () => [this.stats()],
			'POST /reset-stats': done(() => this.resetStats()),
			'GET /state': ({ query }) => this.stateReply(query),
			'POST /reset': done(() => this.reset()),
			'GET /faults': () => [{ faults: this.faults }],
			'POST /faults': ({ body }) => [{ ok: true, faults: this.setFaults(/** @type {SimFaults} */ (body)) }],
			'GET /behaviour': () => [{ behaviour: this.simState.leaver.behaviour }],
			'POST /behaviour': ({ body }) => {
				try {
					return [{ ok: true, behaviour: this.setBehaviour(/** @type {Record<string, unknown>} */ (body)) }];
				} catch (err) {
					return [{ error: err instanceof Error ? err.message : String(err) }, 400];
				}
			},
			'POST /expire-tokens': () => [{ ok: true, expired: this.expireAllTokens() }],
			'POST /rate-budget': ({ body }) => {
				this.setRateBudget(body && typeof body === 'object' && Object.keys(body).length ? /** @type {any} */ (body) : null);
				return [{ ok: true }];
			},
			'POST /reset-rate-budgets': done(() => this.resetRateBudgets()),
			'POST /queue-response': ({ body }) => {
				try {
					return [{ ok: true, queued: this.queueResponse(/** @type {QueuedResponseSpec} */ (body)) }];
				} catch (err) {
					return [{ error: err instanceof Error ? err.message : String(err) }, 400];
				}
			},
			'POST /clear-queued-responses': done(() => this.clearQueuedResponses()),
			'DELETE /queue-response': done(() => this.clearQueuedResponses()),
		};
	}

	/**
	 * GET /__simulator/requests: the records after `since`, of the listed endpoints, the last `limit`,
	 * headers only with `headers=1`.
	 * @private
	 * @param {URLSearchParams} query
	 */
	selectRequests(query) {
		const endpoints = query.get('endpoint') ? new Set(String(query.get('endpoint')).toLowerCase().split(',')) : null;
		const since = Number(query.get('since') ?? 0) || 0;
		const withHeaders = query.get('headers') === '1' || query.get('headers') === 'true';
		const limit = Number(query.get('limit') ?? 0) || 0;
		let selected = this.records.filter((r) => r.seq > since && (!endpoints || endpoints.has(r.endpoint)));
		if (limit > 0) selected = selected.slice(-limit);
		const list = selected.map((r) => (withHeaders ? r : { ...r, headers: undefined }));
		return { count: list.length, requests: list };
	}

	/**
	 * GET /__simulator/state: one user (`user=` id or name, deleted users too), or the whole state.
	 * @private
	 * @param {URLSearchParams} query
	 * @returns {[unknown, number?]}
	 */
	stateReply(query) {
		const who = query.get('user');
		if (!who) return [this.simState.snapshot({ summary: query.get('summary') === '1' || query.get('summary') === 'true' })];
		const user = this.simState.getUser(who) ?? this.simState.deletedUsers.find((u) => String(u.userId) === who || u.userName.toLowerCase() === who.toLowerCase());
		return user ? [this.simState.userSnapshot(user)] : [{ error: `no user ${who}` }, 404];
	}
}

/**
 * Creates (does not start) a Commvault Command Center simulator.
 * @param {SimulatorOptions} [options]
 * @returns {CommvaultSimulator}
 */
function createCommvaultSimulator(options) {
	return new CommvaultSimulator(options);
}

/** The TEST-ONLY self-signed certificate (PEM) served in https mode (for `ca:` in clients). */
function readTestCertificate() {
	return fs.readFileSync(CERT_PATH, 'utf8');
}

const DEFAULTS = Object.freeze({
	port: 8765,
	seed: 1,
	account: Object.freeze({ username: 'admin', password: 'admin-password' }),
	accessToken: 'sim-access-token',
	basePaths: Object.freeze(['/commandcenter/api', '/webconsole/api', '/SearchSvc/CVWebService.svc']),
});

module.exports = { createCommvaultSimulator, CommvaultSimulator, readTestCertificate, DEFAULTS, CERT_PATH, KEY_PATH };
