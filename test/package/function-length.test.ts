import { functionLengths } from '../support/source-files';

const MAX_LINES = 50;

describe('functions in nodes/ and credentials/', () => {
	const functions = functionLengths();

	it(`are at most ${MAX_LINES} lines long`, () => {
		const tooLong = functions.filter((f) => f.lines > MAX_LINES).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
		expect(tooLong).toEqual([]);
	});

	it('are all measured (the check itself works)', () => {
		const request = functions.find((f) => f.file === 'nodes/Commvault/transport/index.ts' && f.name === 'commvaultApiRequest');
		expect(request?.lines).toBeGreaterThan(3);
		// Arrow functions and methods count too.
		expect(functions.some((f) => f.file === 'nodes/Commvault/state/requestState.ts' && f.name === 'sendFirstAlone')).toBe(true);
		expect(functions.length).toBeGreaterThan(100);
	});
});
