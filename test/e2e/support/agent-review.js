// @ts-check
'use strict';

/**
 * What the AI Agent review suite needs around a real n8n: the example, the scripted chat model, the
 * SMTP receiver for the review emails, and the n8n release's support for an AI Agent tool's human review.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const n8n = require('../../../scripts/n8n');
const e2e = require('./e2e');
const { SCRIPTED_MODEL_API_KEY, startScriptedChatModel } = require('../../support/scripted-chat-model');

/** The example, by id, and its webhook. */
const AGENT_REVIEW_EXAMPLE = Object.freeze({
	id: 'cvExampleAgentRv',
	file: path.join(n8n.REPO_ROOT, 'examples', 'ai-agent-offboarding-review.json'),
	// The Chat Trigger's webhook: /webhook/<its webhookId>/chat.
	chatPath: '6f1c2a4e-8d3b-5e7f-9a0c-1b2d3e4f5a60/chat',
});

/** The credentials the example refers to (besides the Commvault and SMTP ones). */
const OPENAI_CREDENTIAL = Object.freeze({ id: 'cvAgentOpenAi01', name: 'OpenAI (helpdesk agent)' });
const CHAT_AUTH_CREDENTIAL = Object.freeze({ id: 'cvAgentChatAuth1', name: 'Helpdesk chat (basic auth)' });
const CHAT_USER = 'helpdesk';

/**
 * n8n generates the human review nodes for tools (`<node>HitlTool`, e.g. `n8n-nodes-base.emailSendHitlTool`)
 * in `dist/tool-generation/hitl-tools.js` of the n8n package (2.41.1: `createHitlTools`, called from
 * load-nodes-and-credentials.js). Whether the release under test has that file.
 */
function releaseGeneratesReviewNodes() {
	return fs.existsSync(path.join(n8n.n8nInstallDir(), 'node_modules', 'n8n', 'dist', 'tool-generation', 'hitl-tools.js'));
}

/**
 * An n8n with the example published, a scripted model that calls Offboard_user for `user`, the SMTP
 * receiver and the simulator.
 * @param {string} user
 */
async function startAgentReviewInstance(user) {
	const sim = await e2e.startSimulator();
	const smtp = await n8n.startSmtpReceiver();
	const model = await startScriptedChatModel({ toolCall: { name: 'Offboard_user', arguments: { toolParameters: { user }, hitlParameters: {} } } });
	const password = crypto.randomBytes(24).toString('base64url');
	const instance = await e2e.newInstance('agent-review');
	try {
		await instance.importCredentials([
			e2e.accessTokenCredential(sim),
			smtp.credential(),
			model.credential(OPENAI_CREDENTIAL),
			{ ...CHAT_AUTH_CREDENTIAL, type: 'httpBasicAuth', data: { user: CHAT_USER, password } },
		]);
		await instance.importWorkflows([AGENT_REVIEW_EXAMPLE.file]);
		await instance.start({ activate: [AGENT_REVIEW_EXAMPLE.id] });
	} catch (error) {
		await Promise.all([instance.stop(), sim.stop(), smtp.stop(), model.stop()]);
		throw error;
	}
	const authorization = `Basic ${Buffer.from(`${CHAT_USER}:${password}`).toString('base64')}`;
	// What n8n's chat widget sends (sendMessage); the reply comes when the execution has finished (responseMode lastNode).
	const ask = async (/** @type {string} */ chatInput) =>
		await e2e.postJson(instance.webhookUrl(AGENT_REVIEW_EXAMPLE.chatPath), { action: 'sendMessage', sessionId: crypto.randomUUID(), chatInput }, { authorization });
	const secrets = { 'chat password': password, 'chat Authorization header (Base64)': authorization.replace(/^Basic /, '') };
	const stop = async () => {
		await instance.stop();
		await Promise.all([sim.stop(), smtp.stop(), model.stop()]);
	};
	return { sim, smtp, model, secrets, n8n: instance, client: /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client), ask, stop };
}

module.exports = { SCRIPTED_MODEL_API_KEY, N8N_VERSION: n8n.N8N_VERSION, AGENT_REVIEW_EXAMPLE, releaseGeneratesReviewNodes, startAgentReviewInstance };
