import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { CommvaultFailure } from '../helpers/errors';

export interface RequestSettings {
	/** Tries per request, the first one included. */
	maxAttempts: number;
	/** First wait before a retry; it doubles with every further attempt. */
	retryDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_SETTINGS: RequestSettings = { maxAttempts: 3, retryDelayMs: 1_000, timeoutMs: 60_000 };

/** The longest wait the node accepts from Retry-After before it gives the item up instead. */
export const MAX_RETRY_WAIT_MS = 120_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * What the requests of one node execution share: the request settings, and a pause that a 429 sets
 * for every request, so that concurrent items back off together instead of hammering the server.
 */
export class ExecutionRequestState {
	private pausedUntil = 0;

	constructor(readonly settings: RequestSettings) {}

	pauseFor(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	async waitIfPaused() {
		for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
			await sleep(wait);
		}
	}
}

// Keyed by n8n's execution context object, so the state lives exactly as long as that execution.
const states = new WeakMap<object, ExecutionRequestState>();

export function bindRequestState(context: object, settings: RequestSettings): ExecutionRequestState {
	const state = new ExecutionRequestState(settings);
	states.set(context, state);
	return state;
}

export function requestStateOf(context: object): ExecutionRequestState {
	let state = states.get(context);
	if (!state) {
		state = new ExecutionRequestState(DEFAULT_SETTINGS);
		states.set(context, state);
	}
	return state;
}

// Failures after which Commvault certainly did not act on the request.
const NOT_PROCESSED_CODES = new Set(['ECONNREFUSED']);
// Failures after which the request may or may not have been carried out.
const MAYBE_PROCESSED_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE']);
const MAYBE_PROCESSED_STATUSES = new Set([502, 503, 504]);

/** Whether Commvault may have carried out a request that failed this way. */
export function mayHaveBeenProcessed(failure: CommvaultFailure): boolean {
	if (failure.status !== undefined) return MAYBE_PROCESSED_STATUSES.has(failure.status);
	return failure.code !== undefined && MAYBE_PROCESSED_CODES.has(failure.code);
}

/**
 * Whether a failed request may be sent again. A 429 or a refused connection never reached
 * Commvault's logic, so any request may be retried; a 5xx from a gateway, a reset or a timeout may
 * come after Commvault acted, so only requests that are safe to repeat are retried then.
 */
export function isRetryable(failure: CommvaultFailure, idempotent: boolean): boolean {
	if (failure.authMessage) return false;
	if (failure.status === 429) return true;
	if (failure.status === undefined && failure.code && NOT_PROCESSED_CODES.has(failure.code)) return true;
	return idempotent && mayHaveBeenProcessed(failure);
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined || headers[key] === undefined || headers[key] === null ? undefined : String(headers[key]);
}

/** The wait Commvault asked for with Retry-After or X-RateLimit-Reset, in ms. */
export function requestedWaitMs(headers: IDataObject | undefined): number | undefined {
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
	}
	const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
	if (Number.isFinite(reset) && reset >= 0) {
		// Large values are an epoch time in seconds, small ones a number of seconds to wait.
		return reset > 1e9 ? Math.max(0, reset * 1000 - Date.now()) : reset * 1000;
	}
	return undefined;
}

/** Exponential backoff with jitter (between half and all of the step), or what the server asked for. */
export function retryWaitMs(failure: CommvaultFailure, attempt: number, baseMs: number): number {
	const requested = requestedWaitMs(failure.headers);
	if (requested !== undefined) return requested;
	const step = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
	return step / 2 + Math.random() * (step / 2);
}
