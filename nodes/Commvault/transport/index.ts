import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../../../credentials/commvaultSession';
import { commvaultApiError, extractFailure, findCommvaultBodyError, isHtml } from '../helpers/errors';

export const CREDENTIAL_TYPE = 'commvaultApi';
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface CommvaultRequest {
	method: IHttpRequestMethods;
	/** Path below the Base URL, e.g. `User/Offboard`. */
	endpoint: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** Names what the request acts on in error messages, e.g. `user "jdoe"`. */
	subject?: string;
	timeout?: number;
	/**
	 * False for requests that must not be re-sent once they may have reached Commvault (e.g. DELETE):
	 * they are retried only when Commvault certainly did not act on them.
	 */
	idempotent?: boolean;
}

/**
 * The one way this package talks to Commvault. It adds the base URL, JSON headers and TLS setting,
 * lets n8n authenticate (and re-login on a 401), and turns every failure, including Commvault's
 * HTTP 200 error bodies, into a NodeApiError that keeps Commvault's message.
 */
export async function commvaultApiRequest(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	request: CommvaultRequest,
): Promise<IDataObject> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex ?? 0);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${normalizeBaseUrl(credentials.baseUrl)}/${request.endpoint.replace(/^\/+/, '')}`,
		headers: { Accept: 'application/json' },
		json: true,
		timeout: request.timeout ?? DEFAULT_TIMEOUT_MS,
		skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;

	const context = { itemIndex: request.itemIndex, subject: request.subject };
	let response: unknown;
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
	} catch (error) {
		throw commvaultApiError(this.getNode(), extractFailure(error), context);
	}

	if (findCommvaultBodyError(response) || isHtml(response)) {
		throw commvaultApiError(this.getNode(), { status: 200, body: response }, context);
	}
	if (response === undefined || response === null || response === '') return {};
	if (typeof response !== 'object' || Array.isArray(response)) {
		return { response } as IDataObject;
	}
	return response as IDataObject;
}
