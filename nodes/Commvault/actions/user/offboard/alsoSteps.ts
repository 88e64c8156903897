import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { ExecutionBaseError } from 'n8n-workflow';

import { revokeAccessTokens } from '../../../commvault/accessTokens';
import { logOffSessions } from '../../../commvault/sessions';
import type { ChangeRequest, StepContext, StepResult } from '../../../commvault/steps';
import { removeFromUserGroups } from '../../../commvault/userGroups';
import type { CommvaultUser } from '../../../commvault/users';
import { resolveUser } from '../../../commvault/users';
import { commvaultApiRequest } from '../../../transport';

/**
 * What Offboard can also do once the offboard succeeded, in the order it does it: the account is
 * disabled first, so that no new session can start after the sessions are logged off; then the
 * sessions, the access tokens and the user groups.
 */
export const ALSO_STEPS = ['disableAccount', 'logOffSessions', 'revokeAccessTokens', 'removeFromUserGroups'] as const;
export type AlsoStep = (typeof ALSO_STEPS)[number];

/** How a description names each step. */
const DOING: Record<AlsoStep, string> = {
	disableAccount: 'disabling the account afterwards',
	logOffSessions: 'logging off their sessions',
	revokeAccessTokens: 'revoking their access tokens',
	removeFromUserGroups: 'removing them from their user groups',
};

/** How an item's message names each step that was done. */
const DONE: Record<AlsoStep, string> = {
	disableAccount: 'disabled the account',
	logOffSessions: 'logged off their sessions',
	revokeAccessTokens: 'revoked their access tokens',
	removeFromUserGroups: 'removed them from their user groups',
};

/** `disableAccount`: `PUT /User/{id}/Disable` (MCP `user_tools.py` `set_user_enabled`). */
async function disableAccount(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const request: ChangeRequest = { method: 'PUT', endpoint: `User/${user.id}/Disable` };
	const reply = await commvaultApiRequest.call(this, { ...request, ...context });
	return { changed: { disabled: true }, requests: [request], replies: [reply] };
}

/** All of the user's groups; the groups come with the full user (level 40). */
async function leaveAllGroups(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const full = user.full ? user : await resolveUser.call(this, context.itemIndex, { mode: 'id', id: user.id }, { full: true, shared: true });
	return await removeFromUserGroups.call(this, context, full);
}

const RUN: Record<AlsoStep, (this: IExecuteFunctions, context: StepContext, user: CommvaultUser) => Promise<StepResult>> = {
	disableAccount,
	logOffSessions,
	revokeAccessTokens,
	removeFromUserGroups: leaveAllGroups,
};

/** The steps chosen under Options → Also, in the fixed order. */
export function readAlsoSteps(options: IDataObject): AlsoStep[] {
	const chosen = new Set(Array.isArray(options.alsoDo) ? options.alsoDo.map(String) : []);
	return ALSO_STEPS.filter((step) => chosen.has(step));
}

export interface StepsOutcome {
	/** Per step: 'done', 'skipped' or `{status: 'failed', reason}`. */
	steps: IDataObject;
	changed: IDataObject;
	requests: ChangeRequest[];
	failures: Array<{ step: AlsoStep; error: unknown }>;
}

/** The steps that were done, as a message names them. */
export function doneSteps(outcome: StepsOutcome): string[] {
	return ALSO_STEPS.filter((step) => outcome.steps[step] === 'done').map((step) => DONE[step]);
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs the chosen steps in order; a failed step is recorded and the next ones still run. */
export async function runAlsoSteps(this: IExecuteFunctions, context: StepContext, user: CommvaultUser, chosen: AlsoStep[]): Promise<StepsOutcome> {
	const outcome: StepsOutcome = { steps: {}, changed: {}, requests: [], failures: [] };
	for (const step of ALSO_STEPS) {
		if (!chosen.includes(step)) {
			outcome.steps[step] = 'skipped';
			continue;
		}
		try {
			const { changed, requests } = await RUN[step].call(this, context, user);
			Object.assign(outcome.changed, changed);
			outcome.requests.push(...requests);
			outcome.steps[step] = 'done';
		} catch (error) {
			outcome.failures.push({ step, error });
			outcome.steps[step] = { status: 'failed', reason: reasonOf(error) };
		}
	}
	return outcome;
}

/**
 * The item's error when a step failed: the first failure, with a description that says the offboard and
 * which steps were done, which failed (with Commvault's reasons), and the steps in `errorResponse.steps`.
 */
export function stepsFailedError(outcome: StepsOutcome): unknown {
	const [first, ...others] = outcome.failures;
	const done = ALSO_STEPS.filter((step) => outcome.steps[step] === 'done').map((step) => DOING[step]);
	const failed = outcome.failures.map(({ step }) => DOING[step]).join(' and ');
	const otherReasons = others.map(({ step, error }) => ` ${DOING[step]}: ${reasonOf(error)}.`).join('');
	const summary = `The user was offboarded${done.length > 0 ? `; done: ${done.join(', ')}` : ''}; only ${failed} failed.`;
	if (!(first.error instanceof ExecutionBaseError)) return first.error;
	first.error.description = `${summary}${otherReasons} ${first.error.description ?? ''}`.trim();
	first.error.errorResponse = { ...(first.error.errorResponse ?? {}), steps: outcome.steps as JsonObject };
	return first.error;
}
