import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/*
 * What the changes Commvault's API offers per entity (commvault/sessions.ts, accessTokens.ts,
 * userGroups.ts) have in common: where one runs, what it changed and the requests it sent.
 */

/** A request that changed Commvault, as the audit trail shows it (output/audit.ts): no headers, so no secret. */
export interface ChangeRequest {
	method: IHttpRequestMethods;
	endpoint: string;
	qs?: IDataObject;
	body?: IDataObject;
}

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

/** The objects in a list of a reply (`[]` when the value is not a list); the one copy, used by laptops and Offboard. */
export const objects = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? value.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object' && !Array.isArray(entry)) : [];

/** Adds what was already done to a failure's description. */
export function withDone(error: unknown, done: string | undefined): unknown {
	if (done && error && typeof error === 'object' && 'description' in error) {
		const described = error as { description?: string | null };
		described.description = `${described.description ?? ''} ${done}`.trim();
	}
	return error;
}
