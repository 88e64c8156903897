import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../auth/authRequest';
import { findCommvaultBodyError, isHtml } from '../failures/bodyErrors';
import type { ErrorContext } from '../failures/errors';
import { commvaultApiError, notSentError } from '../failures/errors';
import type { CommvaultFailure } from '../failures/failure';
import { MAX_RETRY_WAIT_MS, extractFailure, isRetryable, mayHaveActed, statusOf } from '../failures/failure';
import type { ExecutionRequestState } from '../state/requestState';
import { CREDENTIAL_TYPE, sendAuthenticated } from './authenticated';
import { requestStateOf, retryWaitMs } from './retry';

export { CREDENTIAL_TYPE };

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
	 * Whether the request may be sent again once it may have reached Commvault. By default, what HTTP
	 * says of its method (RFC 9110 §9.2.2): GET, HEAD, PUT and DELETE are, POST and PATCH are not. A
	 * request that is not is retried only when Commvault certainly did not act on it.
	 */
	idempotent?: boolean;
}

type CommvaultContext = IExecuteFunctions | ILoadOptionsFunctions;

const IDEMPOTENT_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'PUT', 'DELETE']);

/** What a request that was sent and answered brings back. */
interface Answer {
	response: unknown;
	/** An earlier attempt failed in a way that Commvault may have acted on before it was sent again. */
	repeated: boolean;
}

/** What one failed attempt tells the retry loop. */
interface FailedAttempt {
	failure: CommvaultFailure;
	attempt: number;
	wait: number;
	idempotent: boolean;
}

const errorContext = (request: CommvaultRequest): ErrorContext => ({ itemIndex: request.itemIndex, subject: request.subject });

/** Step 1: the URL, JSON headers, TLS setting and timeout; the target is read from the credential once. */
async function buildOptions(this: CommvaultContext, state: ExecutionRequestState, request: CommvaultRequest) {
	const target = await state.targetOnce(async () => {
		const credentials = await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex ?? 0);
		return {
			baseUrl: normalizeBaseUrl(credentials.baseUrl),
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		};
	});
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${target.baseUrl}/${request.endpoint.replace(/^\/+/, '')}`,
		headers: { Accept: 'application/json' },
		json: true,
		timeout: request.timeout ?? state.settings.timeoutMs,
		skipSslCertificateValidation: target.skipSslCertificateValidation,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	return options;
}

/** The last sentence of the error of a request the node gave up. */
function giveUpNote({ failure, idempotent, wait }: FailedAttempt): string | undefined {
	if (wait > MAX_RETRY_WAIT_MS) {
		return `That is longer than the node waits (${MAX_RETRY_WAIT_MS / 1000} s), so the item failed.`;
	}
	if (!idempotent && mayHaveActed(failure)) {
		return 'Commvault may have carried this request out before the failure, so it was not sent again. Check the result in Commvault before you repeat it.';
	}
	return undefined;
}

/** Step 3: the error to stop with after a failed attempt, or undefined to send the request again. */
function giveUp(node: INode, state: ExecutionRequestState, request: CommvaultRequest, failed: FailedAttempt) {
	// Only a wait the server asked for can be this long; the node's own backoff stays below it.
	const tooLong = failed.wait > MAX_RETRY_WAIT_MS;
	if (tooLong && statusOf(failed.failure) === 429) {
		// A rate limit holds for every request of the run (a 503's Retry-After only for this one). A 429
		// was not carried out: the item is reported as not sent, with the time to send it again.
		state.refuseFor(failed.wait, failed.failure);
		return notSentError(node, failed.failure, errorContext(request), Date.now() + failed.wait);
	}
	const lastTry = failed.attempt >= state.settings.maxAttempts || state.cancelled();
	if (!lastTry && !tooLong && isRetryable(failed.failure, failed.idempotent)) return undefined;
	const context = { ...errorContext(request), attempts: failed.attempt, note: giveUpNote(failed) };
	return commvaultApiError(node, failed.failure, context);
}

/** Step 2: sends the request, retrying transient failures with backoff (all requests pause on a 429). */
async function sendWithRetry(
	this: CommvaultContext,
	state: ExecutionRequestState,
	request: CommvaultRequest,
	options: IHttpRequestOptions,
): Promise<Answer> {
	const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
	let repeated = false;
	for (let attempt = 1; ; attempt++) {
		const refusal = state.refusal();
		if (refusal) throw notSentError(this.getNode(), refusal.failure, errorContext(request), refusal.until);
		await state.waitIfPaused();
		try {
			const send = async () => await sendAuthenticated(this, { ...options, headers: { ...options.headers } }, request.itemIndex);
			return { response: await state.sendFirstAlone(send), repeated };
		} catch (error) {
			const failure = extractFailure(error, options.url);
			const failed = { failure, attempt, idempotent, wait: retryWaitMs(failure, attempt, state.settings.retryDelayMs) };
			const stop = giveUp(this.getNode(), state, request, failed);
			if (stop) throw stop;
			repeated ||= mayHaveActed(failure);
			if (statusOf(failure) === 429) state.pauseFor(failed.wait);
			else await state.backOff(failed.wait);
		}
	}
}

/**
 * Step 4: Commvault's HTTP 200 error bodies and HTML pages fail; anything else becomes an object. The
 * node is asked for only to fail: n8n-core's getNode() deep-copies the node, which on every answered
 * request showed in the profile of a 300-leaver run (docs/performance.md).
 */
function checkBody(nodeOf: () => INode, { response, repeated }: Answer, context: ErrorContext): IDataObject {
	if (findCommvaultBodyError(response) || isHtml(response)) {
		const note = repeated
			? 'An earlier attempt may have reached Commvault before its connection failed, so this answer may be to the repeated request.'
			: undefined;
		throw commvaultApiError(nodeOf(), { kind: 'http', status: 200, body: response }, { ...context, note });
	}
	if (response === undefined || response === null || response === '') return {};
	if (typeof response !== 'object' || Array.isArray(response)) return { response } as IDataObject;
	return response as IDataObject;
}

/**
 * The one way this package talks to Commvault. It adds the base URL, JSON headers, TLS setting and
 * timeout, lets n8n authenticate (and re-login or renew the token on a 401), retries transient
 * failures with backoff (honouring Retry-After, and pausing every request of the execution on a 429),
 * and turns every failure, including Commvault's HTTP 200 error bodies, into a NodeApiError that keeps
 * Commvault's message. A change that was sent again after Commvault may have acted on it is recorded
 * for the router, which says so on the item (`details.repeated`).
 */
export async function commvaultApiRequest(this: CommvaultContext, request: CommvaultRequest): Promise<IDataObject> {
	const state = requestStateOf(this);
	const options = await buildOptions.call(this, state, request);
	const answer = await sendWithRetry.call(this, state, request, options);
	const body = checkBody(() => this.getNode(), answer, errorContext(request));
	if (answer.repeated && request.method !== 'GET') state.markRepeated(request.itemIndex);
	return body;
}
