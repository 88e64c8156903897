import { UnexpectedError } from 'n8n-workflow';

import type { CommvaultFailure } from '../failures/failure';
import { requestedWaitMs } from '../failures/failure';
import type { RequestSettings } from '../state/requestState';
import { ExecutionRequestState } from '../state/requestState';
import { requestStates } from '../state/stores';

export const DEFAULT_SETTINGS: RequestSettings = { maxAttempts: 3, retryDelayMs: 1_000, timeoutMs: 60_000, maxConcurrency: 1 };

/** For the editor's drop-downs: someone is waiting for the list, so answer or fail quickly. */
export const LIST_SEARCH_SETTINGS: RequestSettings = { maxAttempts: 1, retryDelayMs: 0, timeoutMs: 15_000, maxConcurrency: 1 };

const MAX_BACKOFF_MS = 30_000;

function cancelSignalOf(context: object): () => boolean {
	const withSignal = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return () => withSignal.getExecutionCancelSignal?.()?.aborted === true;
}

export function bindRequestState(context: object, settings: RequestSettings): ExecutionRequestState {
	const state = new ExecutionRequestState(settings, cancelSignalOf(context));
	requestStates.set(context, state);
	return state;
}

/**
 * The state the router (or a list search) bound to this execution. There is no default: a code path
 * that forgot to bind it would ignore the user's Request Options without a word, so it fails here.
 */
export function requestStateOf(context: object): ExecutionRequestState {
	const state = requestStates.get(context);
	if (!state) {
		throw new UnexpectedError('No request state for this execution: call bindRequestState before commvaultApiRequest');
	}
	return state;
}

/** Exponential backoff with jitter (between half and all of the step), or what the server asked for. */
export function retryWaitMs(failure: CommvaultFailure, attempt: number, baseMs: number): number {
	const requested = failure.kind === 'http' ? requestedWaitMs(failure.headers) : undefined;
	if (requested !== undefined) return requested;
	const step = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
	return step / 2 + Math.random() * (step / 2);
}
