// @ts-check
'use strict';

/**
 * The benchmark's view of the simulator process: reset it before every variant, set the latency,
 * and afterwards check from its own records that the variant really offboarded each of its users
 * exactly once, counting the TCP connections and the most requests it saw in flight at once.
 */

const { SimulatorControl } = require('../../simulator/control-client');
const { generatedUserName } = require('../../simulator/seed-data');

/**
 * The control client the benchmark uses: a full reset of many thousand users takes a while.
 * @param {string} url  the simulator's root URL
 */
function client(url) {
	return new SimulatorControl(url, { timeoutMs: 60_000 });
}

/**
 * Before a variant: counters and request records cleared and the latency set. With `full`, also
 * back to the seed data, so every user owns its clients again (a reset of many thousand users
 * takes a second or two, so the benchmark does it only when it runs out of fresh users).
 * @param {string} url
 * @param {{ latencyMs?: number }} [faults]
 * @param {{ full?: boolean }} [options]
 */
async function prepare(url, faults = {}, options = {}) {
	const simulator = client(url);
	if (options.full) {
		await simulator.reset();
	} else {
		await simulator.resetStats();
		await simulator.clearRequests();
	}
	await simulator.setFaults(faults.latencyMs ? { latencyMs: faults.latencyMs } : {});
}

/**
 * @typedef {object} RangeCheck
 * @property {number} first
 * @property {number} count
 * @property {number} requests       POST /User/Offboard requests for users of this range
 * @property {number} offboarded     users of the range the simulator offboarded (successfully)
 * @property {number} duplicates     users offboarded more than once
 * @property {number} connections    distinct TCP connections those requests came on
 * @property {number} meanServerMs   mean time the simulator spent on one request (latency included)
 */

/**
 * @typedef {object} VariantCheck
 * @property {RangeCheck[]} ranges
 * @property {number} logins
 * @property {number} maxInFlight     most requests in flight at once during the variant
 * @property {Record<string, number>} byEndpoint
 * @property {string[]} problems      empty when everything adds up
 */

/** The simulator's first ID of generated users: user00001 has 100001 (simulator/state.js). */
const GENERATED_USER_BASE_ID = 100000;

/**
 * The number of the generated user an offboard names: by `userName` (userNNNNN), or by the `userId`
 * the node sends since issue 25.
 * @param {{ userName?: unknown, userId?: unknown } | undefined} body
 */
function userNumber(body) {
	if (typeof body?.userId === 'number' && body.userId > GENERATED_USER_BASE_ID) return body.userId - GENERATED_USER_BASE_ID;
	const match = /^user(\d+)$/.exec(String(body?.userName ?? ''));
	return match ? Number(match[1]) : Number.NaN;
}

/**
 * @param {string} url
 * @param {Array<{ first: number, count: number }>} ranges
 * @param {{ total?: boolean }} [options]  total: also compare the request counter with the ranges
 *   (not when the counters were cleared during the run)
 * @returns {Promise<VariantCheck>}
 */
async function check(url, ranges, options = {}) {
	const simulator = client(url);
	const stats = await simulator.stats();
	const requests = await simulator.requests({ endpoint: 'user/offboard' });
	/** @type {string[]} */
	const problems = [];
	const offboardsByUser = /** @type {Record<string, number>} */ (stats.offboardsByUser);
	const checks = ranges.map((range) => {
		const inRange = (/** @type {number} */ n) => n >= range.first && n < range.first + range.count;
		const records = requests.filter((/** @type {any} */ r) => inRange(userNumber(r.body)));
		let offboarded = 0;
		let duplicates = 0;
		for (let n = range.first; n < range.first + range.count; n++) {
			const times = offboardsByUser[generatedUserName(n)] ?? 0;
			if (times >= 1) offboarded++;
			if (times > 1) duplicates++;
		}
		const durations = records.map((/** @type {any} */ r) => Number(r.durationMs)).filter(Number.isFinite);
		/** @type {RangeCheck} */
		const result = {
			first: range.first,
			count: range.count,
			requests: records.length,
			offboarded,
			duplicates,
			connections: new Set(records.map((/** @type {any} */ r) => r.connectionId)).size,
			meanServerMs: durations.reduce((/** @type {number} */ a, /** @type {number} */ b) => a + b, 0) / Math.max(1, durations.length),
		};
		if (result.requests !== range.count || result.offboarded !== range.count || duplicates > 0) {
			problems.push(
				`users ${range.first}…${range.first + range.count - 1}: ${result.requests} requests, ${offboarded} offboarded, ${duplicates} more than once (expected ${range.count}, ${range.count}, 0)`,
			);
		}
		return result;
	});
	const expected = ranges.reduce((n, r) => n + r.count, 0);
	const total = stats.byEndpoint['user/offboard'] ?? 0;
	if (options.total !== false && total !== expected) problems.push(`${total} POST /User/Offboard requests in all, expected ${expected}`);
	return { ranges: checks, logins: stats.logins, maxInFlight: stats.maxInFlight, byEndpoint: stats.byEndpoint, problems };
}

module.exports = { client, prepare, check };
