import { DEMO_EXAMPLES, demoGuideLines } from '../../scripts/demo-guide';
import { repoFile } from '../support/package-files';
import { docsMarkdown, exampleWorkflows } from './docs-files';

/** Every shell command that calls curl, with its continuation lines joined. */
function curlCommands(text: string): string[] {
	const joined = text.replace(/\s*\\\n\s*/g, ' ');
	return [...joined.matchAll(/curl [^\n`]*/g)].map((m) => m[0]);
}

interface Workflow {
	nodes: Array<{ type: string; name: string; parameters: { path?: string; authentication?: string } }>;
}

/**
 * How a caller of each published entry point in examples/ proves who it is, as a curl command must show it.
 * A webhook n8n itself does not authenticate must say here how its workflow checks the sender.
 */
const CALLER_PROOF: Record<string, RegExp> = {
	basicAuth: /(^| )(-u|--user) \S|Authorization: Basic/,
	bearerAuth: /Authorization: Bearer/,
	// The HR example checks BambooHR's HMAC signature in the workflow (its Crypto nodes).
	'webhook/commvault/hr-offboarding': /X-BambooHR-Signature/i,
};

/** The examples' entry points: `webhook/<path>` or `mcp/<path>`, with what a caller must send. */
function entryPoints(): Array<{ url: string; proof: RegExp | undefined }> {
	return exampleWorkflows().flatMap((file) =>
		(JSON.parse(repoFile(`examples/${file}`)) as Workflow).nodes
			.filter((node) => /\.(webhook|mcpTrigger)$/.test(node.type))
			.map((node) => {
				const url = `${node.type.endsWith('mcpTrigger') ? 'mcp' : 'webhook'}/${node.parameters.path}`;
				const auth = node.parameters.authentication;
				return { url, proof: auth && auth !== 'none' ? CALLER_PROOF[auth] : CALLER_PROOF[url] };
			}),
	);
}

// The tables of README.md and docs/demo.md: test/package/docs.test.ts ("of the example workflows").
describe('the demo imports and announces every example', () => {
	const examples = exampleWorkflows();

	it('finds the examples, the start-here one among them', () => {
		expect(examples).toContain('start-here-dry-run.json');
		expect(examples.length).toBeGreaterThanOrEqual(5);
	});

	it('npm run dev imports every example, each under its own workflow id', () => {
		expect(DEMO_EXAMPLES.map((example) => example.file).sort()).toEqual(examples);
		for (const example of DEMO_EXAMPLES) {
			expect((JSON.parse(repoFile(`examples/${example.file}`)) as { id: string }).id).toBe(example.id);
		}
	});

	it('the banner names every example and marks the ones that end red on purpose', () => {
		const banner = bannerLines().join('\n');
		for (const example of DEMO_EXAMPLES) expect(banner).toContain(example.title);
		expect(banner.match(/ends red on purpose/g)?.length).toBe(DEMO_EXAMPLES.filter((example) => example.endsRed).length);
	});

	it("the banner gives the forms' login under each example that starts from a form (Undo, Laptop hand-over)", () => {
		const banner = bannerLines();
		const loginLines = banner.filter((line) => line.includes("its form asks for a login: forms / $(node -p \"require('./.dev/webhook-secrets.json').formsPassword\")"));
		expect(loginLines).toHaveLength(2);
		for (const title of ['Undo an offboarding', 'Laptop hand-over']) {
			const at = banner.findIndex((line) => line.includes(title));
			expect(banner.slice(at + 1, at + 3).some((line) => line.includes('its form asks for a login'))).toBe(true);
		}
	});
});

/** The banner's guide as `npm run dev` prints it with the default ports. */
function bannerLines(): string[] {
	const editor = 'http://localhost:5678';
	return demoGuideLines({
		editor,
		hook: (example) => `${editor}/webhook/${example.webhook === 'bamboohr' ? 'commvault/hr-offboarding' : 'commvault/servicenow-offboarding'}`,
		payload: (file) => `examples/payloads/${file}`,
		senderChecksFile: '.dev/webhook-secrets.json',
		serviceNowUser: 'servicenow',
		formsUser: 'forms',
		published: true,
		simulatorUrl: 'http://127.0.0.1:8765',
	});
}

describe('every curl that calls an example proves who is calling', () => {
	const points = entryPoints();
	const prose = ['README.md', 'CONTRIBUTING.md', 'test/e2e/README.md', ...docsMarkdown()];
	const sources: Array<[string, string]> = [...prose.map((file): [string, string] => [file, repoFile(file)]), ['the banner', bannerLines().join('\n')]];

	it('knows how each published entry point of the examples checks its caller', () => {
		expect(points.length).toBeGreaterThanOrEqual(3);
		expect(points.filter((point) => !point.proof).map((point) => point.url)).toEqual([]);
	});

	it('recognises an unsigned call and a signed one', () => {
		const hr = points.find((point) => point.url === 'webhook/commvault/hr-offboarding')?.proof as RegExp;
		expect(hr.test("curl -sS -X POST http://localhost:5678/webhook/commvault/hr-offboarding -H 'Content-Type: application/json'")).toBe(false);
		expect(hr.test("curl -sS -X POST 'http://x/webhook/commvault/hr-offboarding' -H 'X-BambooHR-Signature: ab12'")).toBe(true);
		expect(curlCommands('a\n  curl -X POST http://x/webhook/a \\\n    -u "u:p"\n')).toEqual(['curl -X POST http://x/webhook/a -u "u:p"']);
	});

	it.each(sources)('%s', (_name, text) => {
		const unproven = curlCommands(text).filter((command) => points.some((point) => command.includes(`/${point.url}`) && !point.proof?.test(command)));
		expect(unproven).toEqual([]);
	});
});
