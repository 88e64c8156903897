// @ts-check
'use strict';

/**
 * Commvault credentials in the shape `n8n import:credentials` takes. The example workflows refer
 * to the credential by its fixed id, so re-importing updates it in place and never duplicates it.
 */

/** The id and name the example workflows refer to. */
const EXAMPLE_CREDENTIAL = Object.freeze({ id: 'cvSimulatorCred1', name: 'Commvault (simulator)' });

/** The credential type (credentials/CommvaultApi.credentials.ts). */
const CREDENTIAL_TYPE = 'commvaultApi';

/**
 * @typedef {object} CommvaultCredentialOptions
 * @property {string} [id]
 * @property {string} [name]
 * @property {string} baseUrl
 * @property {'accessToken' | 'password'} authMethod
 * @property {string} [accessToken]
 * @property {string} [refreshToken]       with an access token that expires and is renewed
 * @property {string} [username]
 * @property {string} [password]
 * @property {string} [domain]
 * @property {boolean} [allowUnauthorizedCerts]
 */

/**
 * @param {CommvaultCredentialOptions} options
 * @returns {{ id: string, name: string, type: string, data: Record<string, string | boolean> }}
 */
function commvaultCredential(options) {
	/** @type {Record<string, string | boolean>} */
	const data = {
		baseUrl: options.baseUrl,
		authMethod: options.authMethod,
		allowUnauthorizedCerts: options.allowUnauthorizedCerts === true,
	};
	if (options.authMethod === 'accessToken') {
		if (!options.accessToken) throw new Error('commvaultCredential: accessToken is required for the access token method');
		data.accessToken = options.accessToken;
		if (options.refreshToken) data.refreshToken = options.refreshToken;
	} else {
		if (!options.username || !options.password) {
			throw new Error('commvaultCredential: username and password are required for the password method');
		}
		data.username = options.username;
		data.password = options.password;
		data.domain = options.domain ?? '';
	}
	return {
		id: options.id ?? EXAMPLE_CREDENTIAL.id,
		name: options.name ?? EXAMPLE_CREDENTIAL.name,
		type: CREDENTIAL_TYPE,
		data,
	};
}

module.exports = { EXAMPLE_CREDENTIAL, CREDENTIAL_TYPE, commvaultCredential };
