import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { listAccessTokens, revokeRequest } from '../../../commvault/accessTokens';
import { laptopsOf } from '../../../commvault/laptops';
import { listSessions, logOffRequest } from '../../../commvault/sessions';
import type { ChangeRequest, StepContext } from '../../../commvault/steps';
import { objects } from '../../../commvault/steps';
import { groupsOf, leaveGroupsRequest } from '../../../commvault/userGroups';
import type { CommvaultUser } from '../../../commvault/users';
import { simplifyUser } from '../../../commvault/users';
import type { AlsoStep } from './alsoSteps';
import { ALSO_STEPS } from './alsoSteps';

const objectOf = (value: unknown): IDataObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {});

/**
 * The subclients and clients (VM clients among them) on which the full user (level 40) holds a role,
 * from its `securityAssociations.associations[]`: `entities.entity[]` and `properties.role.roleName`.
 */
export function associationsOf(full: CommvaultUser): { subclients: IDataObject[]; clients: IDataObject[] } {
	const subclients: IDataObject[] = [];
	const clients: IDataObject[] = [];
	for (const association of objects(objectOf(full.raw.securityAssociations).associations)) {
		const role = objectOf(objectOf(association.properties).role).roleName;
		for (const entity of objects(objectOf(association.entities).entity)) {
			if (entity.subclientId !== undefined) {
				subclients.push({ subclientId: entity.subclientId, subclientName: entity.subclientName, clientName: entity.clientName, appName: entity.appName, role });
			} else if (entity.clientId !== undefined) {
				clients.push({ clientId: entity.clientId, clientName: entity.clientName, role });
			}
		}
	}
	return { subclients, clients };
}

/** A read for the report; when Commvault refuses it, the report says so for that kind instead of failing. */
async function tryRead(read: () => Promise<IDataObject[]>): Promise<IDataObject[] | IDataObject> {
	try {
		return await read();
	} catch (error) {
		return { unavailable: error instanceof Error ? error.message : String(error) };
	}
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

interface Plan {
	phrase: string;
	requests: ChangeRequest[];
}

/** What each chosen "Also" step would do and send, from what was read. */
function planStep(step: AlsoStep, full: CommvaultUser, kinds: IDataObject): Plan {
	const list = (value: unknown) => (Array.isArray(value) ? (value as IDataObject[]) : undefined);
	if (step === 'disableAccount') {
		const disabled = simplifyUser(full.raw).enabled === false;
		return { phrase: `disable the account${disabled ? ' (it is already disabled)' : ''}`, requests: [{ method: 'PUT', endpoint: `User/${full.id}/Disable` }] };
	}
	if (step === 'logOffSessions') {
		const sessions = list(kinds.sessions);
		if (!sessions) return { phrase: 'log off its sessions (they could not be read)', requests: [] };
		return { phrase: `log off ${plural(sessions.length, 'session')}`, requests: sessions.length ? [logOffRequest(sessions)] : [] };
	}
	if (step === 'revokeAccessTokens') {
		const tokens = list(kinds.accessTokens);
		if (!tokens) return { phrase: 'revoke its access tokens (they could not be read)', requests: [] };
		return { phrase: `revoke ${plural(tokens.length, 'access token')}`, requests: tokens.map(revokeRequest) };
	}
	const groups = groupsOf(full);
	return { phrase: `remove it from ${plural(groups.length, 'user group')}`, requests: groups.length ? [leaveGroupsRequest(full, groups)] : [] };
}

export interface Impact {
	impact: IDataObject;
	alsoSteps: IDataObject;
	requests: ChangeRequest[];
	/** "3 subclients and 2 clients", for the summary. */
	touches: string;
	/** "disable the account, log off 2 sessions", for the summary. */
	then: string[];
}

/**
 * What an offboard with these "Also" steps would touch, read with GETs only: the full user (level 40),
 * `GET /Session?userId=`, `GET /V4/AccessToken/?userId=` and `GET /V4/Laptop`.
 */
export async function readImpact(this: IExecuteFunctions, context: StepContext, full: CommvaultUser, chosen: AlsoStep[]): Promise<Impact> {
	const { subclients, clients } = associationsOf(full);
	const kinds: IDataObject = {
		subclients,
		clients,
		userGroups: groupsOf(full),
		sessions: await tryRead(async () => await listSessions.call(this, context, full)),
		accessTokens: await tryRead(async () => await listAccessTokens.call(this, context, full)),
		laptops: await tryRead(async () => (await laptopsOf.call(this, context.itemIndex, full, context.subject)) as unknown as IDataObject[]),
	};
	const alsoSteps: IDataObject = {};
	const requests: ChangeRequest[] = [];
	const then: string[] = [];
	for (const step of ALSO_STEPS) {
		if (!chosen.includes(step)) {
			alsoSteps[step] = 'skipped';
			continue;
		}
		const plan = planStep(step, full, kinds);
		alsoSteps[step] = `would ${plan.phrase}`;
		requests.push(...plan.requests);
		then.push(plan.phrase);
	}
	return { impact: kinds, alsoSteps, requests, then, touches: `${plural(subclients.length, 'subclient')} and ${plural(clients.length, 'client')}` };
}
