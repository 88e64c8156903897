// @ts-check
'use strict';

const { createRng, deriveSeed } = require('./rng');

/** @typedef {import('./types').SimFaults} SimFaults */

/**
 * Probabilistic faults, in the order their probabilities are stacked on one uniform draw.
 * @type {ReadonlyArray<'rate429' | 'rate503' | 'rateHtml502' | 'rateReset' | 'rateResetAfterProcessing' | 'rateHang'>}
 */
const PROBABILISTIC_FAULTS = ['rate429', 'rate503', 'rateHtml502', 'rateReset', 'rateResetAfterProcessing', 'rateHang'];

/** @typedef {typeof PROBABILISTIC_FAULTS[number]} ProbabilisticFault */

/**
 * @param {unknown} value
 * @returns {number}
 */
function probability(value) {
	const n = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(n) || n <= 0) return 0;
	return Math.min(1, n);
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function nonNegative(value) {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Validates / normalises a faults object (unknown keys are ignored, bad values are off).
 * @param {unknown} input
 * @returns {SimFaults}
 */
function normalizeFaults(input) {
	/** @type {Record<string, unknown>} */
	const raw = input && typeof input === 'object' ? /** @type {Record<string, unknown>} */ (input) : {};
	/** @type {SimFaults} */
	const out = {};
	if (nonNegative(raw.latencyMs)) out.latencyMs = nonNegative(raw.latencyMs);
	if (nonNegative(raw.latencyJitterMs)) out.latencyJitterMs = nonNegative(raw.latencyJitterMs);
	for (const key of PROBABILISTIC_FAULTS) {
		const p = probability(raw[key]);
		if (p) out[key] = p;
	}
	if (nonNegative(raw.retryAfterSeconds)) out.retryAfterSeconds = nonNegative(raw.retryAfterSeconds);
	if (nonNegative(raw.hangMs)) out.hangMs = nonNegative(raw.hangMs);
	const expireN = Math.floor(nonNegative(raw.expireTokensAfterRequests));
	if (expireN >= 1) out.expireTokensAfterRequests = expireN;
	const rl = raw.rateLimit && typeof raw.rateLimit === 'object' ? /** @type {Record<string, unknown>} */ (raw.rateLimit) : undefined;
	if (rl && nonNegative(rl.requestsPerSecond)) {
		const requestsPerSecond = nonNegative(rl.requestsPerSecond);
		out.rateLimit = { requestsPerSecond, burst: Math.max(1, nonNegative(rl.burst) || requestsPerSecond) };
	}
	if (Array.isArray(raw.endpoints)) out.endpoints = raw.endpoints.map((e) => String(e).toLowerCase());
	if (typeof raw.seed === 'number' && Number.isFinite(raw.seed)) out.seed = raw.seed;
	return out;
}

/**
 * Decides, per request, which fault (if any) to inject. All randomness comes from a PRNG
 * seeded with `faults.seed ?? simulatorSeed`, reseeded whenever the faults are set, so the
 * same sequence of requests sees the same faults.
 */
class FaultEngine {
	/**
	 * @param {number} seed     the simulator seed
	 * @param {SimFaults} faults
	 */
	constructor(seed, faults) {
		/** @private */
		this.seed = seed;
		/** @type {SimFaults} */
		this.faults = {};
		/** @private */
		this.rng = createRng(1);
		/** @private */
		this.bucketTokens = 0;
		/** @private */
		this.bucketUpdatedAt = 0;
		/** authorized requests counted for expireTokensAfterRequests */
		this.authorizedCount = 0;
		/** @private @type {Set<string> | null} */
		this.endpointSet = null;
		this.set(faults);
	}

	/** @param {unknown} faults */
	set(faults) {
		this.faults = normalizeFaults(faults);
		this.rng = createRng(deriveSeed(this.faults.seed ?? this.seed, 'faults'));
		this.endpointSet = this.faults.endpoints ? new Set(this.faults.endpoints) : null;
		this.authorizedCount = 0;
		const rl = this.faults.rateLimit;
		this.bucketTokens = rl ? rl.burst ?? rl.requestsPerSecond : 0;
		this.bucketUpdatedAt = Date.now();
	}

	/**
	 * Whether faults apply to this endpoint (default: every endpoint except login).
	 * @param {string} endpoint
	 */
	inScope(endpoint) {
		if (this.endpointSet) return this.endpointSet.has(endpoint);
		return endpoint !== 'login';
	}

	/** Injected latency in ms for an in-scope request (draws from the PRNG only when jitter is set). */
	latency() {
		const base = this.faults.latencyMs ?? 0;
		const jitter = this.faults.latencyJitterMs ?? 0;
		return base + (jitter ? this.rng.next() * jitter : 0);
	}

	/** @returns {boolean} */
	hasProbabilisticFaults() {
		return PROBABILISTIC_FAULTS.some((k) => (this.faults[k] ?? 0) > 0);
	}

	/**
	 * One uniform draw, probabilities stacked in PROBABILISTIC_FAULTS order.
	 * @returns {ProbabilisticFault | null}
	 */
	pick() {
		if (!this.hasProbabilisticFaults()) return null;
		const u = this.rng.next();
		let acc = 0;
		for (const key of PROBABILISTIC_FAULTS) {
			acc += this.faults[key] ?? 0;
			if (u < acc) return key;
		}
		return null;
	}

	/**
	 * Token bucket (Commvault 11.42 "API rate limiter policy": requests per second + burst).
	 * @returns {{ limited: false } | { limited: true, retryAfterSeconds: number, limit: number, remaining: number, resetSeconds: number }}
	 */
	takeRateLimitToken() {
		const rl = this.faults.rateLimit;
		if (!rl) return { limited: false };
		const burst = rl.burst ?? rl.requestsPerSecond;
		const now = Date.now();
		this.bucketTokens = Math.min(burst, this.bucketTokens + ((now - this.bucketUpdatedAt) / 1000) * rl.requestsPerSecond);
		this.bucketUpdatedAt = now;
		if (this.bucketTokens >= 1) {
			this.bucketTokens -= 1;
			return { limited: false };
		}
		const waitSeconds = (1 - this.bucketTokens) / rl.requestsPerSecond;
		return {
			limited: true,
			retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)),
			limit: rl.requestsPerSecond,
			remaining: 0,
			resetSeconds: Math.max(1, Math.ceil(waitSeconds)),
		};
	}

	/**
	 * Counts an authorized in-scope request; true when session tokens must now be invalidated.
	 * @returns {boolean}
	 */
	countAuthorized() {
		const n = this.faults.expireTokensAfterRequests;
		if (!n) return false;
		this.authorizedCount++;
		return this.authorizedCount % n === 0;
	}
}

/** An IIS / Application Request Routing style 502 page (what a proxy in front of Command Center returns). */
const HTML_502 = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title>
</head>
<body>
<div id="header"><h1>Server Error</h1></div>
<div id="content">
 <div class="content-container"><fieldset>
  <h2>502 - Web server received an invalid response while acting as a gateway or proxy server.</h2>
  <h3>There is a problem with the page you are looking for, and it cannot be displayed. When the Web server (while acting as a gateway or proxy) contacted the upstream content server, it received an invalid response from the content server.</h3>
 </fieldset></div>
</div>
</body>
</html>
`;

/** HTTP.SYS / IIS style 503 page (application pool stopped / Tomcat restarting). */
const HTML_503 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">
<HTML><HEAD><TITLE>Service Unavailable</TITLE>
<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>
<BODY><h2>Service Unavailable</h2>
<hr><p>HTTP Error 503. The service is unavailable.</p>
</BODY></HTML>
`;

module.exports = { FaultEngine, normalizeFaults, PROBABILISTIC_FAULTS, HTML_502, HTML_503 };
