import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { nodeFailure } from '../failures/errors';
import { NOT_CONFIRMED } from '../failures/reasons';
import { commvaultApiRequest } from '../transport';
import type { ChangeRequest, StepContext, StepResult } from './steps';
import { objects } from './steps';
import type { CommvaultUser } from './users';

/**
 * The user's active sessions: `GET /Session?userId=`, answered with `{sessions: [{sessionId, host,
 * loginTime, logoutTime, consoleType, …}], user}`. The list holds ended sessions too: "logoutTime … 0, if
 * the user did not log off" (https://documentation.commvault.com/v11/software/rest_api_get_session_details.html),
 * so only those with `logoutTime` 0 (or none) are kept.
 */
export async function listSessions(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<IDataObject[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'Session', qs: { userId: user.id }, ...context });
	return objects(response.sessions)
		.filter((session) => session.sessionId !== undefined && session.sessionId !== '' && Number(session.logoutTime ?? 0) === 0)
		.map((session) => ({ sessionId: String(session.sessionId), host: session.host, loginTime: session.loginTime, consoleType: session.consoleType }));
}

/**
 * The two JSON bodies `DELETE /Sessions` may take. The docs give only XML, `<sessions val="…"/>`
 * (https://documentation.commvault.com/v11/expert/rest_api_delete_sessions.html), whose JSON form in
 * Commvault's XML-to-JSON spelling is `[{val}]`; Commvault's Postman collection sends a list of IDs
 * (`User_Operations`, "Sessions"). The reply is empty either way, so only a read-back tells which worked.
 */
export type LogOffForm = 'objects' | 'strings';
const LOG_OFF_FORMS: LogOffForm[] = ['objects', 'strings'];

/** The request that ends these sessions, in one of the two body forms. */
export const logOffRequest = (sessions: IDataObject[], form: LogOffForm = 'objects'): ChangeRequest => ({
	method: 'DELETE',
	endpoint: 'Sessions',
	body: { sessions: sessions.map((session) => (form === 'objects' ? { val: session.sessionId } : session.sessionId)) },
});

/** Of these sessions, those the user's session list still shows as active. */
async function stillActive(this: IExecuteFunctions, context: StepContext, user: CommvaultUser, sessions: IDataObject[]) {
	const active = new Set((await listSessions.call(this, context, user)).map((session) => session.sessionId));
	return sessions.filter((session) => active.has(session.sessionId));
}

/**
 * Log Off Sessions: lists the active sessions, sends `DELETE /Sessions` and reads the list back. When
 * the sessions are still active, it sends the other documented body form and reads back again; when
 * they still remain, the item fails naming them. Nothing is sent when the user has no active session.
 */
export async function logOffSessions(this: IExecuteFunctions, context: StepContext, user: CommvaultUser): Promise<StepResult> {
	const sessions = await listSessions.call(this, context, user);
	const result: StepResult = { changed: { sessionsEnded: sessions.map((s) => s.sessionId) }, requests: [], replies: [] };
	let remaining = sessions;
	for (const form of LOG_OFF_FORMS) {
		if (remaining.length === 0) return result;
		const request = logOffRequest(remaining, form);
		result.replies.push(await commvaultApiRequest.call(this, { ...request, ...context }));
		result.requests.push(request);
		remaining = await stillActive.call(this, context, user, remaining);
	}
	if (remaining.length === 0) return result;
	const left = remaining.map((session) => `${String(session.sessionId)} (${String(session.host ?? 'unknown host')})`).join(', ');
	throw nodeFailure(this.getNode(), context, {
		message: `${remaining.length} session(s) still active after logging off: ${left}`,
		description: `Commvault answered DELETE /Sessions without an error in both documented body forms ({"sessions":[{"val":…}]} and {"sessions":["…"]}), but GET /Session still lists these sessions with logoutTime 0. End them in Command Center (Manage > Security > Users > the user > Sessions), then run this item again.`,
		reason: NOT_CONFIRMED,
	});
}
