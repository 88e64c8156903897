// @ts-check
'use strict';

/**
 * The package's TypeScript sources (nodes/ and credentials/), read with the TypeScript compiler, for
 * the tests that check their shape: the import graph and the length of functions.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');

/** @param {string} dir @returns {string[]} */
function tsFilesUnder(dir) {
	return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) return tsFilesUnder(relative);
		return entry.name.endsWith('.ts') ? [relative] : [];
	});
}

/** Every source file, by its path from the repository's top. */
function sourceFiles() {
	return ['nodes', 'credentials'].flatMap(tsFilesUnder).sort();
}

/** @param {string} from @param {string} specifier @returns {string | undefined} */
function resolveImport(from, specifier) {
	if (!specifier.startsWith('.')) return undefined;
	const base = path.posix.join(path.posix.dirname(from), specifier);
	return [`${base}.ts`, `${base}/index.ts`].find((candidate) => fs.existsSync(path.join(root, candidate)));
}

/**
 * The package's own imports (type-only ones included), as file → files it imports.
 * @returns {Record<string, string[]>}
 */
function importGraph() {
	/** @type {Record<string, string[]>} */
	const graph = {};
	for (const file of sourceFiles()) {
		const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
		graph[file] = [...new Set(importedFiles.map((i) => resolveImport(file, i.fileName)).filter((f) => f !== undefined))];
	}
	return graph;
}

/**
 * Import circles, each as the files along it (the first repeated at the end).
 * @param {Record<string, string[]>} graph
 * @returns {string[][]}
 */
function importCircles(graph) {
	/** @type {string[][]} */
	const circles = [];
	/** @type {Map<string, 'open' | 'done'>} */
	const state = new Map();
	/** @param {string} file @param {string[]} trail */
	const visit = (file, trail) => {
		if (state.get(file) === 'done') return;
		if (state.get(file) === 'open') {
			circles.push([...trail.slice(trail.indexOf(file)), file]);
			return;
		}
		state.set(file, 'open');
		for (const next of graph[file] ?? []) visit(next, [...trail, file]);
		state.set(file, 'done');
	};
	for (const file of Object.keys(graph)) visit(file, []);
	return circles;
}

/**
 * The layers of nodes/Commvault/ (one folder each), lowest first. A file imports files of its own
 * layer and of lower ranks only; layers of the same rank are siblings that do not import each other.
 * `descriptions` sits at the bottom because it imports nothing of the package (only n8n-workflow).
 */
/** @type {Record<string, number>} */
const LAYER_RANKS = {
	descriptions: 0,
	failures: 1,
	state: 2,
	auth: 3,
	transport: 4,
	commvault: 5,
	guards: 6,
	output: 6,
	parameters: 6,
	actions: 7,
	methods: 7,
	node: 8,
};

/** The layers the credential may import: the login, the token check and the renewal, nothing else. */
const CREDENTIAL_IMPORTS = ['auth'];

/** @param {string} file @returns {string | undefined} the layer a source file belongs to */
function layerOf(file) {
	if (file.startsWith('credentials/')) return 'credentials';
	const [top, folder, rest] = file.split('/');
	if (top !== 'nodes' || folder !== 'Commvault') return undefined;
	const name = rest === 'Commvault.node.ts' ? 'node' : rest;
	return Object.prototype.hasOwnProperty.call(LAYER_RANKS, name) ? name : undefined;
}

/** @param {string} from @param {string} to @returns {string | undefined} why the import breaks the rule */
function importBreak(from, to) {
	const [own, other] = [layerOf(from), layerOf(to)];
	if (own === undefined || other === undefined) return `${own === undefined ? from : to} is in no layer`;
	if (own === 'credentials') return CREDENTIAL_IMPORTS.includes(other) ? undefined : `the credential imports ${other}/`;
	if (/\.operation\.ts$/.test(from) && /\.operation\.ts$/.test(to)) return 'an operation imports another operation';
	if (own === other || LAYER_RANKS[other] < LAYER_RANKS[own]) return undefined;
	return `${own} imports ${other === 'credentials' ? 'the credential' : `${other}/`}, which is not below it`;
}

/**
 * The imports that break the layer rule, as "from → to: why".
 * @param {Record<string, string[]>} graph
 * @returns {string[]}
 */
function layerBreaks(graph) {
	return Object.entries(graph).flatMap(([from, imports]) =>
		imports.flatMap((to) => {
			const why = importBreak(from, to);
			return why === undefined ? [] : [`${from} → ${to}: ${why}`];
		}),
	);
}

/**
 * Every function, method, arrow function and accessor in one file's text, with its length in lines.
 * @param {string} file  the name to report (also tells TypeScript the language by its ending)
 * @param {string} text
 * @returns {Array<{ file: string; name: string; line: number; lines: number }>}
 */
function functionLengthsOf(file, text) {
	/** @type {Array<{ file: string; name: string; line: number; lines: number }>} */
	const found = [];
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	/** @param {ts.Node} node */
	const visit = (node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
			const named = /** @type {{ name?: ts.Node }} */ (node).name;
			const name = named ? named.getText(source) : ts.isConstructorDeclaration(node) ? 'constructor' : `(anonymous at line ${start + 1})`;
			found.push({ file, name, line: start + 1, lines: end - start + 1 });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/**
 * Every function, method, arrow function and accessor in the sources (nodes/ and credentials/), or in
 * the given files, with its length in lines.
 * @param {string[]} [files]  paths from the repository's top
 */
function functionLengths(files = sourceFiles()) {
	return files.flatMap((file) => functionLengthsOf(file, fs.readFileSync(path.join(root, file), 'utf8')));
}

/**
 * The tooling's scripts: every JavaScript or TypeScript file under simulator/, scripts/ and bench/
 * (not the benchmark's build output or scratch folder, bench/.build and bench/tmp).
 * @returns {string[]}
 */
function toolingFiles() {
	/** @param {string} dir @returns {string[]} */
	const under = (dir) =>
		fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
			const relative = path.posix.join(dir, entry.name);
			if (entry.isDirectory()) return entry.name.startsWith('.') || relative === 'bench/tmp' || entry.name === 'node_modules' ? [] : under(relative);
			return /\.(?:[cm]?js|ts)$/.test(entry.name) ? [relative] : [];
		});
	return ['simulator', 'scripts', 'bench'].flatMap(under).sort();
}

module.exports = { LAYER_RANKS, functionLengths, functionLengthsOf, importCircles, importGraph, layerBreaks, layerOf, sourceFiles, toolingFiles };
