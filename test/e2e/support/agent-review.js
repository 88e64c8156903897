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
const { startScriptedChatModel } = require('../../support/scripted-chat-model');

/** The example, by id, and its webhook. */
const AGENT_REVIEW_EXAMPLE = Object.freeze({
	id: 'cvExampleAgentRv',
	file: path.join(n8n.REPO_ROOT, 'examples', 'ai-agent-offboarding-review.json'),
	webhook: 'commvault/helpdesk-agent',
});

/** The credentials the example refers to (besides the Commvault and SMTP ones). */
const OPENAI_CREDENTIAL = Object.freeze({ id: 'cvAgentOpenAi01', name: 'OpenAI (helpdesk agent)' });
const HEADER_AUTH_CREDENTIAL = Object.freeze({ id: 'cvAgentHeaderAu1', name: 'Helpdesk agent webhook (header auth)' });
const HEADER_NAME = 'X-Helpdesk-Token';

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
	const token = crypto.randomBytes(24).toString('base64url');
	const instance = await e2e.newInstance('agent-review');
	try {
		await instance.importCredentials([
			e2e.accessTokenCredential(sim),
			smtp.credential(),
			model.credential(OPENAI_CREDENTIAL),
			{ ...HEADER_AUTH_CREDENTIAL, type: 'httpHeaderAuth', data: { name: HEADER_NAME, value: token } },
		]);
		await instance.importWorkflows([AGENT_REVIEW_EXAMPLE.file]);
		await instance.start({ activate: [AGENT_REVIEW_EXAMPLE.id] });
	} catch (error) {
		await Promise.all([instance.stop(), sim.stop(), smtp.stop(), model.stop()]);
		throw error;
	}
	const ask = async (/** @type {string} */ message) =>
		await e2e.postJson(instance.webhookUrl(AGENT_REVIEW_EXAMPLE.webhook), { message }, { [HEADER_NAME]: token });
	const stop = async () => {
		await instance.stop();
		await Promise.all([sim.stop(), smtp.stop(), model.stop()]);
	};
	return { sim, smtp, model, n8n: instance, client: /** @type {import('../../../scripts/n8n/rest').N8nClient} */ (instance.client), ask, stop };
}

module.exports = { N8N_VERSION: n8n.N8N_VERSION, AGENT_REVIEW_EXAMPLE, releaseGeneratesReviewNodes, startAgentReviewInstance };
