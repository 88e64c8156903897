#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench:user-shaped -- --profile`)
 * of one node's execution as Markdown tables: self time by owner (our package, n8n, n8n's libraries,
 * Node.js, idle, GC), the top functions by self time, and the time spent under chosen n8n functions.
 *
 *   node bench/profile-summary.js <file.cpuprofile> [--marker node_modules/n8n-nodes-commvault/dist/nodes/] [--top 15]
 *
 * The window is the measured node's execution: from the first to the last sample with a frame of the
 * marker (a path of the measured node's code) on its stack, module loading left out. Sampled time is
 * wall time on the main thread: on a busy machine it includes time the process waited for a core.
 */

const fs = require('node:fs');

const { table } = require('./lib/stats');

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)']);
const INCLUSIVE = /^(getCredentials|getDecrypted|applyDefaultsAndOverwrites|preAuthentication|authenticate|httpRequestWithAuthentication|httpRequest|getParameterValue|getDataProxy|validateValueAgainstSchema|deepCopy)$/;

/** The package a script belongs to: the last `node_modules/<name>` in its URL. @param {string} url */
function packageOf(url) {
	const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
	if (all.length > 0) return all[all.length - 1][1];
	if (url.startsWith('node:')) return 'node';
	return url === '' ? '(native)' : url;
}

/** Who owns a frame. @param {{ functionName: string, url: string }} frame */
function ownerOf(frame) {
	if (SPECIAL.has(frame.functionName)) return frame.functionName;
	const pkg = packageOf(frame.url);
	if (pkg === 'n8n-nodes-commvault' || frame.url.includes('/bench/lib/')) return 'ours (the measured node)';
	if (/^(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/.*)$/.test(pkg)) return `n8n: ${pkg}`;
	if (pkg === 'node' || pkg === '(native)') return 'Node.js and V8';
	return `library: ${pkg}`;
}

/** @param {any} profile */
function indexProfile(profile) {
	const byId = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
	/** @param {number} id */
	const stack = (id) => {
		const frames = [];
		for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
		return frames;
	};
	return { byId, stack };
}

/**
 * The samples of the window, each with its stack and the time it stands for (µs).
 * @param {any} profile
 * @param {string} marker
 */
function windowSamples(profile, marker) {
	const { stack } = indexProfile(profile);
	const samples = [];
	let at = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i];
		samples.push({ at, frames: stack(profile.samples[i]), us: profile.timeDeltas[i + 1] ?? 0 });
	}
	const marked = samples.filter(
		(s) => s.frames.some((f) => f.url.includes(marker)) && !s.frames.some((f) => f.url.startsWith('node:internal/modules')),
	);
	if (marked.length === 0) throw new Error(`no sample has a frame of ${marker} on its stack`);
	const from = marked[0].at;
	const to = marked[marked.length - 1].at;
	return samples.filter((s) => s.at >= from && s.at <= to);
}

/** @param {Map<string, number>} map @param {number} total @param {number} top */
function rows(map, total, top) {
	return [...map]
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([key, us]) => [key, (us / 1000).toFixed(0), `${((100 * us) / total).toFixed(1)} %`]);
}

/** @param {Map<string, number>} map @param {string} key @param {number} us */
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);

/** @param {{ functionName: string, url: string, lineNumber: number }} f */
const frameName = (f) => `\`${f.functionName || '(anonymous)'}\` ${f.url.replace(/.*node_modules\//, '')}:${f.lineNumber + 1}`;

/** @param {ReturnType<typeof windowSamples>} samples @param {number} top */
function summarise(samples, top) {
	const owners = new Map();
	const functions = new Map();
	const under = new Map();
	let total = 0;
	for (const { frames, us } of samples) {
		total += us;
		add(owners, ownerOf(frames[0]), us);
		add(functions, SPECIAL.has(frames[0].functionName) ? frames[0].functionName : frameName(frames[0]), us);
		const seen = new Set(frames.filter((f) => INCLUSIVE.test(f.functionName)).map(frameName));
		for (const name of seen) add(under, name, us);
	}
	return [
		`Window: ${(total / 1000).toFixed(0)} ms of samples.`,
		'',
		table(['Self time by owner', 'ms', 'share'], rows(owners, total, 20)),
		'',
		table([`Top ${top} functions by self time`, 'ms', 'share'], rows(functions, total, top)),
		'',
		table(['Time with this n8n function on the stack', 'ms', 'share'], rows(under, total, 12)),
	].join('\n');
}

function main() {
	const args = process.argv.slice(2);
	const option = (/** @type {string} */ name, /** @type {string} */ fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
	const file = args.find((a) => a.endsWith('.cpuprofile'));
	if (!file) throw new Error('usage: node bench/profile-summary.js <file.cpuprofile> [--marker PATH] [--top N]');
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const marker = option('--marker', 'node_modules/n8n-nodes-commvault/dist/nodes/');
	process.stdout.write(`${summarise(windowSamples(profile, marker), Number(option('--top', '15')))}\n`);
}

main();
