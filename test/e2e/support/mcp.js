// @ts-check
'use strict';

/**
 * The AI helpdesk example (examples/ai-helpdesk-mcp.json) from the outside: the bearer-token
 * credential its MCP Server Trigger checks, and an MCP client (the official TypeScript SDK, over
 * Streamable HTTP) the way an AI assistant connects to it.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const n8n = require('../../../scripts/n8n');

/** The example workflow, its MCP path, and the credential its trigger refers to by id. */
const MCP_EXAMPLE = Object.freeze({
	id: 'cvExampleMcpHelp',
	file: path.join(n8n.REPO_ROOT, 'examples', 'ai-helpdesk-mcp.json'),
	path: 'commvault-helpdesk',
});
const MCP_CREDENTIAL = Object.freeze({ id: 'cvMcpBearerTok1', name: 'Helpdesk assistant (MCP bearer token)', type: 'httpBearerAuth' });

/** A fresh random bearer token for one test file: nothing in the repository is accepted. */
function newMcpToken() {
	return crypto.randomBytes(24).toString('base64url');
}

/**
 * The credential the MCP Server Trigger checks, in `n8n import:credentials` shape.
 * @param {string} token
 */
function mcpBearerCredential(token) {
	return { ...MCP_CREDENTIAL, data: { token } };
}

/**
 * The production MCP URL of the published example (n8n serves MCP triggers under /mcp/).
 * @param {{ port: number }} instance
 */
function mcpUrl(instance) {
	return `http://127.0.0.1:${instance.port}/mcp/${MCP_EXAMPLE.path}`;
}

/**
 * An MCP client connected to `url` over Streamable HTTP, with `Authorization: Bearer <token>` on
 * every request (no header when `token` is undefined). Throws when the server refuses.
 * @param {string} url
 * @param {string | undefined} token
 */
async function connectMcp(url, token) {
	const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
	const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
	const client = new Client({ name: 'n8n-nodes-commvault-e2e', version: '1.0.0' });
	await client.connect(transport);
	return client;
}

/**
 * The text an MCP tool result carries (n8n sends one text part), parsed as JSON when it is JSON.
 * @param {any} result  what `client.callTool` returned
 * @returns {{ isError: boolean, text: string, json: any }}
 */
function toolResult(result) {
	const text = (result?.content ?? [])
		.filter((/** @type {any} */ part) => part.type === 'text')
		.map((/** @type {any} */ part) => part.text)
		.join('\n');
	/** @type {any} */
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { isError: result?.isError === true, text, json };
}

const TOOL_EXECUTOR_ID = 'cvE2eToolExec001';

/**
 * A headless workflow that runs the example's own tool nodes (copied from it, so it is the same
 * tool) with n8n's Tool Executor and fixed arguments, no language model: Manual Trigger →
 * "Run Preview offboarding" → "Run Offboard user", each Tool Executor with its tool on `ai_tool`.
 * @param {Record<string, Record<string, unknown>>} argumentsByTool  e.g. `{ Preview_offboarding: { user: 'jdoe' } }`
 */
function toolExecutorWorkflow(argumentsByTool) {
	const example = JSON.parse(fs.readFileSync(MCP_EXAMPLE.file, 'utf8'));
	const tools = example.nodes.filter((/** @type {any} */ node) => node.type === 'n8n-nodes-commvault.commvaultTool');
	/** @type {any[]} */
	const nodes = [
		{ parameters: {}, id: 'e2e-tool-exec-trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
	];
	/** @type {Record<string, any>} */
	const connections = {};
	let previous = 'Start';
	tools.forEach((/** @type {any} */ tool, /** @type {number} */ index) => {
		const executor = `Run ${tool.name}`;
		const toolName = n8nToolName(tool.name);
		nodes.push({
			parameters: { query: JSON.stringify({ [toolName]: argumentsByTool[toolName] ?? {} }), toolName },
			id: `e2e-tool-exec-${index}`,
			name: executor,
			type: '@n8n/n8n-nodes-langchain.toolExecutor',
			typeVersion: 1,
			position: [240 * (index + 1), 0],
		});
		nodes.push({ ...tool, id: `e2e-tool-${index}`, position: [240 * (index + 1), 200] });
		connections[previous] = { main: [[{ node: executor, type: 'main', index: 0 }]] };
		connections[tool.name] = { ai_tool: [[{ node: executor, type: 'ai_tool', index: 0 }]] };
		previous = executor;
	});
	return { id: TOOL_EXECUTOR_ID, name: 'e2e: the helpdesk tools run by the Tool Executor', nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/**
 * The tool name n8n gives a tool node: its name with runs of other characters than letters,
 * digits, `_` and `-` replaced by `_` (n8n-workflow `nodeNameToToolName`).
 * @param {string} nodeName
 */
function n8nToolName(nodeName) {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
}

module.exports = { TOOL_EXECUTOR_ID, toolExecutorWorkflow, MCP_EXAMPLE, MCP_CREDENTIAL, newMcpToken, mcpBearerCredential, mcpUrl, connectMcp, toolResult };
