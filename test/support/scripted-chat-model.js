// @ts-check
'use strict';

/**
 * A scripted OpenAI-compatible chat model on loopback, so that an n8n AI Agent can be driven in a
 * test without a real LLM. Plain node:http. It answers the Chat Completions API the way OpenAI
 * documents it (https://platform.openai.com/docs/api-reference/chat/create, not streamed):
 * - while the conversation holds no tool result, with the scripted tool call (`finish_reason: "tool_calls"`);
 * - once a tool result (a `role: "tool"` message) is in the conversation, with a final message that
 *   quotes the last tool result (`finish_reason: "stop"`).
 * `GET /v1/models` lists the one scripted model (n8n's OpenAI credential test and model list ask it).
 * Every request is kept, so that a test can assert what the agent offered and told the model.
 */

const http = require('node:http');

/** The model id the scripted server answers as. */
const SCRIPTED_MODEL = 'scripted-model';

/** The API key the credential carries (the server checks none; a test can look for it in n8n's files). */
const SCRIPTED_MODEL_API_KEY = 'sk-scripted-model-no-key';

/**
 * @typedef {object} ScriptedToolCall
 * @property {string} name        the tool the model calls
 * @property {Record<string, unknown>} arguments
 */

/**
 * @typedef {object} ChatRequest
 * @property {string} method
 * @property {string} path
 * @property {any} body
 */

/** @param {http.IncomingMessage} request */
async function readBody(request) {
	const chunks = [];
	for await (const chunk of request) chunks.push(chunk);
	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? undefined : JSON.parse(text);
}

/** @param {string} content @param {ScriptedToolCall | undefined} toolCall @param {number} n */
function completion(content, toolCall, n) {
	const message = toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: `call_${n}`, type: 'function', function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) } }],
			}
		: { role: 'assistant', content };
	return {
		id: `chatcmpl-scripted-${n}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: SCRIPTED_MODEL,
		choices: [{ index: 0, message, logprobs: null, finish_reason: toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/**
 * The answer to one chat completion: the scripted tool call first, the final message after a tool result.
 * @param {any} body
 * @param {ScriptedToolCall} toolCall
 * @param {number} n
 */
function answer(body, toolCall, n) {
	const messages = Array.isArray(body?.messages) ? body.messages : [];
	const toolResults = messages.filter((/** @type {any} */ m) => m.role === 'tool');
	if (toolResults.length === 0) return completion('', toolCall, n);
	const last = toolResults[toolResults.length - 1];
	const text = typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
	return completion(`Tool ${toolCall.name} answered: ${text}`, undefined, n);
}

/**
 * Starts the scripted model on 127.0.0.1 (a free port).
 * @param {{ toolCall: ScriptedToolCall }} script
 */
async function startScriptedChatModel(script) {
	/** @type {ChatRequest[]} */
	const requests = [];
	/** @type {string[]} */
	const authorizations = [];
	const server = http.createServer((request, response) => {
		readBody(request)
			.then((body) => {
				const path = (request.url ?? '').split('?')[0];
				requests.push({ method: request.method ?? '', path, body });
				authorizations.push(String(request.headers.authorization ?? ''));
				const send = (/** @type {number} */ status, /** @type {unknown} */ json) => {
					response.writeHead(status, { 'content-type': 'application/json' });
					response.end(JSON.stringify(json));
				};
				if (request.method === 'GET' && path === '/v1/models') {
					send(200, { object: 'list', data: [{ id: SCRIPTED_MODEL, object: 'model', created: 0, owned_by: 'test' }] });
				} else if (request.method === 'POST' && path === '/v1/chat/completions') {
					if (body?.stream) send(400, { error: { message: 'The scripted model does not stream', type: 'invalid_request_error' } });
					else send(200, answer(body, script.toolCall, requests.length));
				} else {
					send(404, { error: { message: `No route ${request.method} ${path}`, type: 'invalid_request_error' } });
				}
			})
			.catch((error) => {
				response.writeHead(400, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ error: { message: String(error), type: 'invalid_request_error' } }));
			});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const baseUrl = `http://127.0.0.1:${address.port}/v1`;
	return {
		baseUrl,
		/** The requests received so far. */
		requests: () => [...requests],
		/** The chat completions received so far (their bodies: messages, tools, model). */
		completions: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body),
		/** The Authorization headers the model received. */
		authorizations: () => [...authorizations],
		/**
		 * The OpenAI credential n8n imports to reach this model (the API key is a dummy: the server checks none).
		 * @param {{ id: string, name: string }} credential
		 */
		credential(credential) {
			return { ...credential, type: 'openAiApi', data: { apiKey: SCRIPTED_MODEL_API_KEY, url: baseUrl, header: false } };
		},
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

module.exports = { SCRIPTED_MODEL, SCRIPTED_MODEL_API_KEY, startScriptedChatModel };
