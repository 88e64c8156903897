// @ts-check
'use strict';

/**
 * How the two webhook examples authenticate their senders, shared by `npm run dev`, the e2e suites
 * and scripts/sign-bamboohr.js:
 *   - BambooHR signs each request: X-BambooHR-Signature is the hex HMAC SHA-256, with the webhook's
 *     private key, of the raw body followed by X-BambooHR-Timestamp (documentation.bamboohr.com/docs/webhooks).
 *     The example checks it with n8n's Crypto node, whose HMAC secret lives in a `crypto` credential.
 *   - ServiceNow sends basic authentication, checked by the Webhook node against an `httpBasicAuth`
 *     credential.
 *   - The forms a person fills in (Undo, laptop hand-over) ask for basic authentication too, against
 *     one `httpBasicAuth` credential of their own (FORMS_CREDENTIAL).
 * Credentials have fixed ids that the example workflows refer to, like the Commvault credential.
 */

const crypto = require('node:crypto');

const WEBHOOK_CREDENTIALS = Object.freeze({
	bambooHr: Object.freeze({ id: 'cvBambooHrKey001', name: 'BambooHR webhook private key', type: 'crypto' }),
	serviceNow: Object.freeze({ id: 'cvSnowBasicAuth1', name: 'ServiceNow webhook (basic auth)', type: 'httpBasicAuth' }),
});

/** The login of the examples' forms (Undo an offboarding, Laptop hand-over). */
const FORMS_CREDENTIAL = Object.freeze({ id: 'cvFormsBasicAuth1', name: 'Leaver forms (basic auth)', type: 'httpBasicAuth' });

/** The Crypto node keeps its HMAC secret in a credential from n8n 2.10.0 on (its version 2). */
const CRYPTO_CREDENTIAL_SINCE = [2, 10];

/** BambooHR requests older (or further in the future) than this are refused as replays. */
const SIGNATURE_WINDOW_SECONDS = 300;

/**
 * @typedef {object} WebhookSecrets
 * @property {string} bambooHrKey        the BambooHR webhook's private key
 * @property {string} serviceNowUser
 * @property {string} serviceNowPassword
 * @property {string} [formsUser]        the forms' login (absent in secrets kept before the forms had one)
 * @property {string} [formsPassword]
 */

/** @returns {WebhookSecrets} fresh random secrets */
function newWebhookSecrets() {
	return {
		bambooHrKey: crypto.randomBytes(32).toString('hex'),
		serviceNowUser: 'servicenow',
		serviceNowPassword: crypto.randomBytes(18).toString('base64url'),
		...newFormsLogin(),
	};
}

/** A fresh login for the examples' forms. */
function newFormsLogin() {
	return { formsUser: 'forms', formsPassword: crypto.randomBytes(18).toString('base64url') };
}

/**
 * The forms' credential, in `n8n import:credentials` shape.
 * @param {Required<Pick<WebhookSecrets, 'formsUser' | 'formsPassword'>>} secrets
 */
function formsCredential(secrets) {
	return { ...FORMS_CREDENTIAL, data: { user: secrets.formsUser, password: secrets.formsPassword } };
}

/**
 * @param {string} version  an n8n release, e.g. 2.41.1
 * @returns {boolean} whether its Crypto node reads the HMAC secret from a credential
 */
function hasCryptoCredential(version) {
	const [major, minor] = version.split('.').map(Number);
	return major > CRYPTO_CREDENTIAL_SINCE[0] || (major === CRYPTO_CREDENTIAL_SINCE[0] && minor >= CRYPTO_CREDENTIAL_SINCE[1]);
}

/**
 * The credentials the webhook examples refer to, in `n8n import:credentials` shape.
 * @param {WebhookSecrets} secrets
 * @param {string} version  the n8n release they are for (no `crypto` credential type before 2.10)
 */
function webhookCredentials(secrets, version) {
	const { bambooHr, serviceNow } = WEBHOOK_CREDENTIALS;
	const basicAuth = { ...serviceNow, data: { user: secrets.serviceNowUser, password: secrets.serviceNowPassword } };
	if (!hasCryptoCredential(version)) return [basicAuth];
	return [{ ...bambooHr, data: { hmacSecret: secrets.bambooHrKey } }, basicAuth];
}

/**
 * For n8n before 2.10, whose Crypto node (version 1) takes the HMAC secret as a parameter: the
 * workflow with each credential-based HMAC node turned into that form. What the README tells users
 * of those releases to do by hand.
 * @param {any} workflow
 * @param {WebhookSecrets} secrets
 * @param {string} version
 */
function forN8nVersion(workflow, secrets, version) {
	if (hasCryptoCredential(version)) return workflow;
	const nodes = workflow.nodes.map((/** @type {any} */ node) => {
		if (node.type !== 'n8n-nodes-base.crypto' || !node.credentials?.crypto) return node;
		const { credentials, ...rest } = node;
		return { ...rest, typeVersion: 1, parameters: { ...node.parameters, secret: secrets.bambooHrKey } };
	});
	return { ...workflow, nodes };
}

/**
 * The headers BambooHR sends with a body.
 * @param {string} rawBody  the exact bytes that will be posted
 * @param {string} key
 * @param {number} [timestamp]  Unix seconds; default now
 */
function signBambooHr(rawBody, key, timestamp = Math.floor(Date.now() / 1000)) {
	const signature = crypto.createHmac('sha256', key).update(rawBody + String(timestamp)).digest('hex');
	return { 'X-BambooHR-Timestamp': String(timestamp), 'X-BambooHR-Signature': signature };
}

/**
 * @param {WebhookSecrets} secrets
 * @returns {{ Authorization: string }}
 */
function serviceNowAuthHeader(secrets) {
	const token = Buffer.from(`${secrets.serviceNowUser}:${secrets.serviceNowPassword}`).toString('base64');
	return { Authorization: `Basic ${token}` };
}

module.exports = {
	WEBHOOK_CREDENTIALS,
	FORMS_CREDENTIAL,
	SIGNATURE_WINDOW_SECONDS,
	newWebhookSecrets,
	newFormsLogin,
	formsCredential,
	hasCryptoCredential,
	webhookCredentials,
	forN8nVersion,
	signBambooHr,
	serviceNowAuthHeader,
};
