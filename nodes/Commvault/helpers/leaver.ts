import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';
import type { ChangeRequest } from './audit';
import { auditTrail } from './audit';
import type { CommvaultUser } from './lookup';
import { findItemUser } from './itemUser';
import type { SuccessStatus } from './outcome';
import { outcome } from './outcome';
import { refuseProtected } from './protectedAccounts';
import { describeUser } from './user';

/** Where a step runs: the item, and how errors name the user. */
export interface StepContext {
	itemIndex: number;
	subject: string;
}

/** What a step changed in Commvault, the requests that changed it (for the audit trail) and Commvault's replies to them. */
export interface StepResult {
	changed: IDataObject;
	requests: ChangeRequest[];
	replies: IDataObject[];
}

const objects = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? value.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object' && !Array.isArray(entry)) : [];

/**
 * The user's sessions: `GET /Session?userId=`, answered with `{sessions: [{sessionId, host, loginTime,
 * consoleType, …}], user}` (https://documentation.commvault.com/v11/software/rest_api_get_session_details.html).
 */
export async function listSessions(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<IDataObject[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'Session', qs: { userId: user.id }, ...context });
	return objects(response.sessions)
		.filter((session) => session.sessionId !== undefined && session.sessionId !== '')
		.map((session) => ({ sessionId: String(session.sessionId), host: session.host, loginTime: session.loginTime, consoleType: session.consoleType }));
}

/** The request that ends these sessions. */
export const logOffRequest = (sessions: IDataObject[]): ChangeRequest => ({
	method: 'DELETE',
	endpoint: 'Sessions',
	body: { sessions: sessions.map((session) => ({ val: session.sessionId })) },
});

/** The request that revokes one access token. */
export const revokeRequest = (token: IDataObject): ChangeRequest => ({ method: 'DELETE', endpoint: `V4/AccessToken/${token.id}` });

/** The request that takes the user out of these groups. */
export const leaveGroupsRequest = (user: CommvaultUser, groups: Array<{ id: number }>): ChangeRequest => ({
	method: 'PUT',
	endpoint: `V4/user/${user.id}`,
	body: { userGroupOperation: 'DELETE', userGroups: groups.map((group) => ({ id: group.id })) },
});

/**
 * Log Off Sessions: lists the sessions, then `DELETE /Sessions` with `{sessions: [{val: <sessionId>}]}`,
 * the JSON form of delete_sessions.xml (https://documentation.commvault.com/v11/expert/rest_api_delete_sessions.html).
 * Nothing is sent when the user has no session.
 */
export async function logOffSessions(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const sessions = await listSessions.call(this, context, user);
	if (sessions.length === 0) return { changed: { sessionsEnded: [] }, requests: [], replies: [] };
	const request = logOffRequest(sessions);
	const reply = await commvaultApiRequest.call(this, { ...request, ...context });
	return { changed: { sessionsEnded: sessions.map((s) => s.sessionId) }, requests: [request], replies: [reply] };
}

/**
 * The user's access tokens: `GET /V4/AccessToken/?userId=` (cvpysdk `services.py` L713). The entries carry
 * `accessTokenId` and `tokenName` (cvpysdk `user.py` L1466-1469); which key holds the list is not
 * documented, so every list of entries with an `accessTokenId` is read.
 */
export async function listAccessTokens(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<IDataObject[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'V4/AccessToken/', qs: { userId: user.id }, ...context });
	const lists = Object.values(response).map(objects);
	return lists
		.flat()
		.filter((token) => Number(token.accessTokenId) > 0)
		.map((token) => ({ id: Number(token.accessTokenId), name: token.tokenName }));
}

/**
 * Revoke Access Tokens: lists them, then `DELETE /V4/AccessToken/{id}` each (cvpysdk `services.py` L711,
 * `user.py` L1572-1593). Whether Commvault lets an administrator revoke another user's token is not
 * documented; a refusal fails the step with Commvault's message, naming the tokens already revoked.
 */
export async function revokeAccessTokens(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const tokens = await listAccessTokens.call(this, context, user);
	const requests: ChangeRequest[] = [];
	const replies: IDataObject[] = [];
	for (const token of tokens) {
		const request = revokeRequest(token);
		try {
			replies.push(await commvaultApiRequest.call(this, { ...request, ...context, idempotent: false }));
		} catch (error) {
			throw withDone(error, requests.length > 0 ? `Access tokens already revoked: ${tokens.slice(0, requests.length).map((t) => t.id).join(', ')}.` : undefined);
		}
		requests.push(request);
	}
	return { changed: { tokensRevoked: tokens }, requests, replies };
}

/** The user's user groups, from the full user (`GET /User/{id}?level=40`'s `associatedUserGroups`). */
export function groupsOf(user: CommvaultUser): Array<{ id: number; name: string }> {
	return objects(user.raw.associatedUserGroups)
		.filter((group) => Number(group.userGroupId) > 0)
		.map((group) => ({ id: Number(group.userGroupId), name: String(group.userGroupName ?? '') }));
}

/** Which of the user's groups a list of names or IDs picks (all of them without a list). */
export function pickGroups(user: CommvaultUser, wanted?: string[]) {
	const groups = groupsOf(user);
	if (!wanted) return { remove: groups, notMember: [] as string[] };
	const matches = (group: { id: number; name: string }, entry: string) => String(group.id) === entry || group.name.toLowerCase() === entry.toLowerCase();
	return {
		remove: groups.filter((group) => wanted.some((entry) => matches(group, entry))),
		notMember: wanted.filter((entry) => !groups.some((group) => matches(group, entry))),
	};
}

/**
 * Remove from User Groups: `PUT /V4/user/{id}` with `{userGroupOperation: 'DELETE', userGroups: [{id}]}`
 * (Commvault PowerShell SDK v2 OpenAPI, `UpdateUser`). `user` must be the full user (level 40). Nothing
 * is sent when there is no group to leave.
 */
export async function removeFromUserGroups(this: IExecuteFunctions, context: StepContext, user: CommvaultUser, wanted?: string[]): Promise<StepResult> {
	const { remove, notMember } = pickGroups(user, wanted);
	const changed: IDataObject = { userGroupsRemoved: remove };
	if (notMember.length > 0) changed.notMemberOf = notMember;
	if (remove.length === 0) return { changed, requests: [], replies: [] };
	const request = leaveGroupsRequest(user, remove);
	const reply = await commvaultApiRequest.call(this, { ...request, ...context });
	return { changed, requests: [request], replies: [reply] };
}

/** Adds what was already done to a failure's description. */
export function withDone(error: unknown, done: string | undefined): unknown {
	if (done && error && typeof error === 'object' && 'description' in error) {
		const described = error as { description?: string | null };
		described.description = `${described.description ?? ''} ${done}`.trim();
	}
	return error;
}

/** How an operation built from a step refuses a protected account, its status and its item's message. */
export interface StepOperation {
	verb: string;
	status: SuccessStatus;
	message: (user: CommvaultUser, changed: IDataObject) => string;
	full?: boolean;
}

/**
 * One user operation built from a step: reads the User field, looks the user up (`full`: at level 40),
 * refuses a protected account before anything is sent, runs the step and returns what it changed with
 * the audit trail; `raw` holds Commvault's replies to the requests that changed something.
 */
export async function changeUserWith(
	this: IExecuteFunctions,
	itemIndex: number,
	how: StepOperation,
	step: (this: IExecuteFunctions, context: StepContext, user: CommvaultUser) => Promise<StepResult>,
): Promise<IDataObject> {
	const { reference, found } = await findItemUser.call(this, itemIndex, { full: how.full === true });
	await refuseProtected.call(this, itemIndex, found, how.verb);
	const { changed, requests, replies } = await step.call(this, { itemIndex, subject: describeUser(reference) }, found);
	return outcome(how.status, found, how.message(found, changed), { ...changed, ...auditTrail(...requests) }, replies);
}
