import { functionLengths, functionLengthsOf, toolingFiles } from '../support/source-files';

// The tooling (simulator, scripts, benchmark) is plain JavaScript beside the product; its functions
// are held to 60 lines, the product's (function-length.test.ts) to 50.
const MAX_LINES = 60;

type Measured = { file: string; name: string; line: number; lines: number };
const overLimit = (functions: Measured[]) =>
	functions.filter((f) => f.lines > MAX_LINES).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);

/** A function whose declaration, body and closing brace take `lines` lines in all. */
const functionOfLines = (name: string, lines: number) =>
	[`function ${name}() {`, ...Array.from({ length: lines - 2 }, (_, i) => `\tconsole.log(${i});`), '}'].join('\n');

describe('functions in simulator/, scripts/ and bench/', () => {
	const files = toolingFiles();

	it(`are at most ${MAX_LINES} lines long`, () => {
		expect(overLimit(functionLengths(files))).toEqual([]);
	});

	it('are all found and measured', () => {
		for (const folder of ['simulator/', 'scripts/', 'scripts/n8n/', 'bench/', 'bench/lib/']) {
			expect(files.some((file: string) => file.startsWith(folder) && !file.slice(folder.length).includes('/'))).toBe(true);
		}
		expect(files.filter((file: string) => file.startsWith('bench/.build/') || file.startsWith('bench/tmp/'))).toEqual([]);
		const measured = functionLengths(files);
		expect(measured.find((f: Measured) => f.file === 'simulator/index.js' && f.name === 'handleApi')?.lines).toBeGreaterThan(3);
		expect(measured.some((f: Measured) => f.file === 'scripts/dev.js' && f.name === 'main')).toBe(true);
		expect(measured.length).toBeGreaterThan(300);
	});

	it('flags a function one line over the limit, and not one at it (the check itself works)', () => {
		const text = [
			functionOfLines('atTheLimit', MAX_LINES),
			functionOfLines('oneOver', MAX_LINES + 1),
			'class Holder {',
			'\tconstructor() {',
			...Array.from({ length: MAX_LINES }, () => '\tthis.x = 1;'),
			'\t}',
			'}',
			`const arrow = () => {\n${'\tvoid 0;\n'.repeat(MAX_LINES)}};`,
		].join('\n');
		const measured = functionLengthsOf('synthetic.js', text);
		expect(measured.find((f: Measured) => f.name === 'atTheLimit')?.lines).toBe(MAX_LINES);
		expect(overLimit(measured)).toEqual([
			`synthetic.js:${MAX_LINES + 1} oneOver (${MAX_LINES + 1} lines)`,
			`synthetic.js:${2 * MAX_LINES + 3} constructor (${MAX_LINES + 2} lines)`,
			`synthetic.js:${3 * MAX_LINES + 6} (anonymous at line ${3 * MAX_LINES + 6}) (${MAX_LINES + 2} lines)`,
		]);
	});
});
