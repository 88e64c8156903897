import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';
import type { ChangeRequest, StepContext } from './steps';
import { objects } from './steps';
import type { CommvaultUser } from './users';

/*
 * What a user owns and holds, by entity: client owners (`GET /Client/{id}`), subclient backup flags
 * (`GET /Subclient?clientId=`) and the user's role associations (level 40), and the requests that put
 * them back. The shapes are those of docs/offboard-snapshot.md; sources are named per function.
 */

/** An owner as ownerAssociations lists it: a user or a user group. */
export type OwnerRef = { userId?: number; userName?: string; userGroupId?: number; userGroupName?: string };

/** A client as the snapshot keeps it: its whole owner list and its backup activity (null when not reported). */
export type ClientState = { clientId: number; clientName: string; owners: OwnerRef[]; backupEnabled: boolean | null };

/** A subclient and whether its backup is enabled. */
export type SubclientState = { subclientId: number; subclientName: string; clientId: number; clientName: string; backupEnabled: boolean };

/** A role association: the entity (`_type_` 3 client, 7 subclient, IDs and names) and the role. */
export type RoleAssociation = { entity: IDataObject; role: { roleId?: number; roleName?: string } };

const objectOf = (value: unknown): IDataObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {});
const ENTITY_KEYS = ['_type_', 'clientId', 'clientName', 'subclientId', 'subclientName', 'appName', 'instanceName', 'backupsetName'];

/**
 * The user's role associations, from the level-40 user's `securityAssociations.associations[]`:
 * `entities.entity[]` and `properties.role` (shape through cvpysdk security/security_association.py L210-256).
 */
export function roleAssociationsOf(full: CommvaultUser): RoleAssociation[] {
	const roles: RoleAssociation[] = [];
	for (const association of objects(objectOf(full.raw.securityAssociations).associations)) {
		const role = objectOf(objectOf(association.properties).role);
		for (const entity of objects(objectOf(association.entities).entity)) {
			const kept: IDataObject = {};
			for (const key of ENTITY_KEYS) if (entity[key] !== undefined) kept[key] = entity[key];
			const roleRef: RoleAssociation['role'] = {};
			if (role.roleId !== undefined) roleRef.roleId = Number(role.roleId);
			if (role.roleName !== undefined) roleRef.roleName = String(role.roleName);
			roles.push({ entity: kept, role: roleRef });
		}
	}
	return roles;
}

/** Whether an owner list names the user (by ID, or by name when no ID is given). */
export function isOwner(owners: OwnerRef[], user: { id: number; name: string }): boolean {
	return owners.some((o) => (o.userId !== undefined ? o.userId === user.id : (o.userName ?? '').toLowerCase() === user.name.toLowerCase()));
}

function ownerRef(raw: IDataObject): OwnerRef {
	const ref: OwnerRef = {};
	if (raw.userGroupId !== undefined || raw.userGroupName !== undefined) {
		if (raw.userGroupId !== undefined) ref.userGroupId = Number(raw.userGroupId);
		if (raw.userGroupName !== undefined) ref.userGroupName = String(raw.userGroupName);
		return ref;
	}
	if (raw.userId !== undefined) ref.userId = Number(raw.userId);
	if (raw.userName !== undefined) ref.userName = String(raw.userName);
	return ref;
}

/**
 * A client's owners and backup activity: `GET /Client/{id}` → `clientProperties[0].clientProps`,
 * `securityAssociations.ownerAssociations.owners[]` (cvpysdk client.py L7384-7388) and
 * `clientActivityControl.activityControlOptions[]` with `activityType: 1` (client.py L5361-5369).
 */
export async function readClient(this: IExecuteFunctions, ctx: StepContext, clientId: number): Promise<ClientState> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: `Client/${clientId}`, itemIndex: ctx.itemIndex, subject: ctx.subject });
	const properties = objects(response.clientProperties)[0] ?? {};
	const props = objectOf(properties.clientProps);
	const entity = objectOf(objectOf(properties.client).clientEntity);
	const owners = objects(objectOf(objectOf(props.securityAssociations).ownerAssociations).owners).map(ownerRef);
	const backup = objects(objectOf(props.clientActivityControl).activityControlOptions).find((o) => Number(o.activityType) === 1);
	const backupEnabled = typeof backup?.enableActivityType === 'boolean' ? backup.enableActivityType : null;
	return { clientId, clientName: String(entity.clientName ?? ''), owners, backupEnabled };
}

/**
 * A client's subclients and their backup flags: `GET /Subclient?clientId=` → `subClientProperties[]`,
 * `subClientEntity` and `commonProperties.enableBackup` (cvpysdk services.py GET_ALL_SUBCLIENTS,
 * subclient.py L1641-1670).
 */
export async function readSubclients(this: IExecuteFunctions, ctx: StepContext, clientId: number): Promise<SubclientState[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'Subclient', qs: { clientId }, itemIndex: ctx.itemIndex, subject: ctx.subject });
	return objects(response.subClientProperties).map((entry) => {
		const entity = objectOf(entry.subClientEntity);
		return {
			subclientId: Number(entity.subclientId),
			subclientName: String(entity.subclientName ?? ''),
			clientId: Number(entity.clientId ?? clientId),
			clientName: String(entity.clientName ?? ''),
			backupEnabled: objectOf(entry.commonProperties).enableBackup === true,
		};
	});
}

/**
 * The owner update that adds: the client's current owners plus the missing ones, sent whole with
 * `ownersOperationType: 1`, the way cvpysdk's `add_client_owner` adds an owner (client.py L7372-7405).
 */
export function addOwnersRequest(clientId: number, current: OwnerRef[], added: OwnerRef[]): ChangeRequest {
	const owners = [...current, ...added].map((o) => ({ ...o }) as IDataObject);
	return {
		method: 'POST',
		endpoint: `Client/${clientId}`,
		body: { clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType: 1, owners } } } } },
	};
}

/** Backup back on for a subclient: cvpysdk `enable_backup()` (subclient.py L2363-2370, `update_properties` L1992-2030). */
export function enableSubclientBackupRequest(subclientId: number): ChangeRequest {
	return { method: 'POST', endpoint: `Subclient/${subclientId}`, body: { subClientProperties: { commonProperties: { enableBackup: true } } } };
}

/** Backup activity back on for a client: cvpysdk client.py `_request_json('Backup')` L5460-5480, `enable_backup` L6247-6270. */
export function enableClientBackupRequest(clientId: number): ChangeRequest {
	const activity = { activityControlOptions: [{ activityType: 1, enableAfterADelay: false, enableActivityType: true }] };
	return { method: 'POST', endpoint: `Client/${clientId}`, body: { clientProperties: { clientProps: { clientActivityControl: activity } } } };
}

/**
 * A role association added back: `POST /Security` with `associationsOperationType: 2` (cvpysdk's UPDATE,
 * security/security_association.py L331-381; entity types 3 and 7:
 * https://documentation.commvault.com/v11/software/update_entity_security_associations_rest_api_post.html).
 */
export function addRoleRequest(user: { id: number; name: string }, association: RoleAssociation): ChangeRequest {
	const entity: IDataObject = { ...association.entity };
	const role: IDataObject = { ...association.role, _type_: 120 };
	const associations = [{ userOrGroup: [{ userId: user.id, userName: user.name }], properties: { role } }];
	return { method: 'POST', endpoint: 'Security', body: { entityAssociated: { entity: [entity] }, securityAssociations: { associationsOperationType: 2, associations } } };
}

/** Whether two role associations are the same: same entity (subclient or client ID) and same role (ID, else name). */
export function sameRole(a: RoleAssociation, b: RoleAssociation): boolean {
	const entityKey = (r: RoleAssociation) => (r.entity.subclientId !== undefined ? `7:${String(r.entity.subclientId)}` : `3:${String(r.entity.clientId)}`);
	const roleKey = (r: RoleAssociation) => (r.role.roleId !== undefined ? `id:${r.role.roleId}` : `name:${(r.role.roleName ?? '').toLowerCase()}`);
	return entityKey(a) === entityKey(b) && roleKey(a) === roleKey(b);
}
