import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';
import type { ChangeRequest, StepContext, StepResult } from './steps';
import { objects } from './steps';
import type { CommvaultUser } from './users';

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
