import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { RenewalStore } from './renewal';
import { RENEWAL_LEASE, RENEWAL_REQUESTED, coordinateRenewal } from './renewal';
import { tokenFingerprint } from './session';
import { normalizeBaseUrl } from './authRequest';
import { commvaultApiError, findCommvaultBodyError, isHtml, notSentError } from '../helpers/errors';
import { MAX_RETRY_WAIT_MS, extractFailure, isRetryable, mayHaveActed, statusOf } from './failure';
import { requestStateOf, retryWaitMs } from './retry';

export const CREDENTIAL_TYPE = 'commvaultApi';

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

type CommvaultContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The stored credential, sent with `sessionOwner` set to a marker that preAuthentication acts on. */
function markedCredential(
	context: CommvaultContext,
	data: ICredentialDataDecryptedObject,
	marker: string,
): IAdditionalCredentialOptions {
	const { id, name = '' } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
	// An empty session token makes n8n run preAuthentication before it sends anything.
	const credential = { ...data, sessionToken: '', sessionOwner: marker };
	return { credentialsDecrypted: { id: id ?? '', name, type: CREDENTIAL_TYPE, data: credential } };
}

/** The stored credential for the renewal lease (./renewal.ts): read again, or given a lease n8n stores. */
function renewalStore(context: CommvaultContext, itemIndex: number): RenewalStore {
	return {
		read: async () => await context.getCredentials(CREDENTIAL_TYPE, itemIndex),
		writeLease: async (stored, lease) => {
			const options: IHttpRequestOptions = {
				method: 'GET',
				url: `${normalizeBaseUrl(stored.baseUrl)}/v2/WhoAmI`,
				headers: { Accept: 'application/json' },
				json: true,
				skipSslCertificateValidation: stored.allowUnauthorizedCerts === true,
			};
			const marked = markedCredential(context, { ...stored, renewalLease: lease }, RENEWAL_LEASE);
			// n8n stores the lease before it sends; the check itself meets the expired token and fails.
			await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, marked).catch(() => undefined);
		},
	};
}

/**
 * What to send after the access token expired: nothing special when the stored credential, read again,
 * holds a newer pair (another execution or worker renewed it), else, if this process is the one to
 * renew, the stored pair marked for renewal (see ./renewal.ts).
 */
async function renewalCredential(
	context: CommvaultContext,
	failedToken: string,
	itemIndex = 0,
): Promise<IAdditionalCredentialOptions | undefined> {
	const store = renewalStore(context, itemIndex);
	if ((await coordinateRenewal(store, failedToken)) === 'newer') return undefined;
	const stored = await store.read();
	if (tokenFingerprint(stored.baseUrl, stored.accessToken) !== failedToken) return undefined;
	return markedCredential(context, stored, RENEWAL_REQUESTED);
}

// A renewed pair can expire again before a waiting request uses it; more rounds mean a broken setup.
const MAX_RENEWAL_ROUNDS = 3;

/** The access token a failed request was refused with, when a renewal may help. */
function expiredToken(error: unknown, sent: IAdditionalCredentialOptions | undefined): string | undefined {
	const failure = extractFailure(error);
	if (failure.kind === 'auth') return failure.renewal;
	// n8n renewed the pair for this request (writing it into `sent`), and the new one was refused too.
	const data = sent?.credentialsDecrypted?.data;
	return statusOf(failure) === 401 && data ? tokenFingerprint(data.baseUrl, data.accessToken) : undefined;
}

/**
 * Sends one request through n8n's authentication; an expired access token is renewed here. What it
 * throws is n8n's error as it came, which the caller explains like any other failure.
 */
async function sendAuthenticated(context: CommvaultContext, options: IHttpRequestOptions, itemIndex?: number) {
	let renewal: IAdditionalCredentialOptions | undefined;
	for (let round = 0; ; round++) {
		let failed: unknown;
		try {
			return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, renewal);
		} catch (error) {
			failed = error;
		}
		const failedToken = expiredToken(failed, renewal);
		if (!failedToken || round >= MAX_RENEWAL_ROUNDS) throw failed;
		renewal = await renewalCredential(context, failedToken, itemIndex);
	}
}

/**
 * The one way this package talks to Commvault. It adds the base URL, JSON headers, TLS setting and
 * timeout, lets n8n authenticate (and re-login on a 401), retries transient failures with backoff
 * (honouring Retry-After, and pausing every request of the execution on a 429), and turns every
 * failure, including Commvault's HTTP 200 error bodies, into a NodeApiError that keeps Commvault's
 * message.
 */
export async function commvaultApiRequest(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	request: CommvaultRequest,
): Promise<IDataObject> {
	const state = requestStateOf(this);
	const { maxAttempts, retryDelayMs, timeoutMs } = state.settings;
	const target = await state.targetOnce(async () => {
		const credentials = await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex ?? 0);
		return {
			baseUrl: normalizeBaseUrl(credentials.baseUrl),
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		};
	});
	const url = `${target.baseUrl}/${request.endpoint.replace(/^\/+/, '')}`;
	const context = { itemIndex: request.itemIndex, subject: request.subject };

	const idempotent = request.idempotent !== false;
	let response: unknown;
	let earlierAttemptMayHaveActed = false;
	for (let attempt = 1; ; attempt++) {
		const refusal = state.refusal();
		if (refusal) throw notSentError(this.getNode(), refusal.failure, context, refusal.until);
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			headers: { Accept: 'application/json' },
			json: true,
			timeout: request.timeout ?? timeoutMs,
			skipSslCertificateValidation: target.skipSslCertificateValidation,
		};
		if (request.body !== undefined) options.body = request.body;
		if (request.qs !== undefined) options.qs = request.qs;

		await state.waitIfPaused();
		try {
			response = await state.sendFirstAlone(async () => await sendAuthenticated(this, options, request.itemIndex));
			break;
		} catch (error) {
			const failure = extractFailure(error, url);
			const wait = retryWaitMs(failure, attempt, retryDelayMs);
			// Only a wait the server asked for can be this long; the node's own backoff stays below it.
			const tooLong = wait > MAX_RETRY_WAIT_MS;
			// A rate limit holds for every request of the run, a 503's Retry-After only for this one.
			const refuseOthers = tooLong && statusOf(failure) === 429;
			if (refuseOthers) state.refuseFor(wait, failure);
			// A 429 was not carried out: the item is reported as not sent, with the time to send it again.
			if (refuseOthers) throw notSentError(this.getNode(), failure, context, Date.now() + wait);
			if (attempt >= maxAttempts || state.cancelled() || !isRetryable(failure, idempotent) || tooLong) {
				const note = tooLong
					? `That is longer than the node waits (${MAX_RETRY_WAIT_MS / 1000} s), so the item failed.`
					: !idempotent && mayHaveActed(failure)
						? 'Commvault may have carried this request out before the failure, so it was not sent again. Check the result in Commvault before you repeat it.'
						: undefined;
				throw commvaultApiError(this.getNode(), failure, { ...context, attempts: attempt, note });
			}
			earlierAttemptMayHaveActed ||= mayHaveActed(failure);
			if (statusOf(failure) === 429) state.pauseFor(wait);
			else await state.backOff(wait);
		}
	}

	if (findCommvaultBodyError(response) || isHtml(response)) {
		throw commvaultApiError(this.getNode(), { kind: 'http', status: 200, body: response }, {
			...context,
			note: earlierAttemptMayHaveActed
				? 'An earlier attempt may have reached Commvault before its connection failed, so this answer may be to the repeated request.'
				: undefined,
		});
	}
	if (response === undefined || response === null || response === '') return {};
	if (typeof response !== 'object' || Array.isArray(response)) {
		return { response } as IDataObject;
	}
	return response as IDataObject;
}
