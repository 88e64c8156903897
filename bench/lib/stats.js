// @ts-check
'use strict';

/** Small numeric and formatting helpers for the benchmark report. */

/** @param {number[]} values */
function median(values) {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number[]} values */
function spread(values) {
	const finite = values.filter((v) => Number.isFinite(v));
	return { min: Math.min(...finite), max: Math.max(...finite) };
}

/**
 * @param {number} value
 * @param {number} [digits]
 */
function fixed(value, digits = 2) {
	return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/**
 * "1.23 (1.10–1.40)"
 * @param {number[]} values
 * @param {number} [digits]
 */
function medianWithSpread(values, digits = 2) {
	if (values.length === 0) return 'n/a';
	const m = median(values);
	if (values.length === 1) return fixed(m, digits);
	const { min, max } = spread(values);
	return `${fixed(m, digits)} (${fixed(min, digits)}–${fixed(max, digits)})`;
}

/**
 * "×1.23"
 * @param {number} value
 * @param {number} base
 */
function ratio(value, base) {
	if (!Number.isFinite(value) || !Number.isFinite(base) || base === 0) return 'n/a';
	return `${(value / base).toFixed(2)}×`;
}

/**
 * A Markdown table.
 * @param {string[]} header
 * @param {Array<Array<string | number>>} rows
 */
function table(header, rows) {
	const line = (/** @type {Array<string | number>} */ cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

module.exports = { median, spread, fixed, medianWithSpread, ratio, table };
