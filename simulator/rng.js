// @ts-check
'use strict';

/**
 * Seeded pseudo-random number generator (mulberry32) used for everything random in the
 * simulator: seed data (names, GUIDs, entity counts) and fault decisions. Same seed → same
 * sequence, so simulator runs reproduce.
 *
 * @typedef {object} Rng
 * @property {() => number} next                      uniform float in [0, 1)
 * @property {(min: number, max: number) => number} int  integer in [min, max] (inclusive)
 * @property {<T>(items: readonly T[]) => T} pick       one element of a non-empty array
 * @property {(length: number) => string} hex           `length` lowercase hex digits
 * @property {() => string} guid                        an uppercase GUID (8-4-4-4-12)
 */

/**
 * Normalises any number to an unsigned 32-bit seed.
 * @param {number} seed
 * @returns {number}
 */
function toSeed(seed) {
	const n = Number.isFinite(seed) ? Math.floor(seed) : 1;
	return n >>> 0;
}

/**
 * @param {number} seed
 * @returns {Rng}
 */
function createRng(seed) {
	let a = toSeed(seed);
	/** @returns {number} */
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @param {number} length */
	const hex = (length) => {
		let out = '';
		while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
		return out.slice(0, length);
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (items) => items[Math.floor(next() * items.length)],
		hex,
		guid: () => {
			const h = hex(32).toUpperCase();
			return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
		},
	};
}

/**
 * Derives an independent stream seed from a base seed and a label (FNV-1a over the label).
 * @param {number} seed
 * @param {string} label
 * @returns {number}
 */
function deriveSeed(seed, label) {
	let h = 0x811c9dc5 ^ toSeed(seed);
	for (let i = 0; i < label.length; i++) {
		h ^= label.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

module.exports = { createRng, deriveSeed };
