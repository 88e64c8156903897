// @ts-check
'use strict';

/**
 * What an offboard changes and what can put it back: client owners, client backup activity, subclient
 * backup, role associations (POST /Security), and one VM's offboard. Sources are named per handler and in
 * README.md. The owners of a client are the owners of its entities (its subclients, or the VM client
 * itself), which is where state.js keeps them.
 */

const { OWNER_ROLE, VIEW_ROLE } = require('./state');

/** @typedef {import('./types').SimEntity} SimEntity */
/** @typedef {import('./types').SimSubclient} SimSubclient */
/** @typedef {import('./types').SimVmClient} SimVmClient */
/** @typedef {import('./state').SimState} SimState */
/** @typedef {import('./routes').RouteContext} RouteContext */

const ok = (/** @type {unknown} */ json, status = 200) => ({ status, json });
/** v1 `{response:[{errorCode, errorString}]}` (cvpysdk client.py L5845-5858, subclient.py L1758-1776). */
const answer = (/** @type {number} */ errorCode, /** @type {string} */ errorString) => ok({ response: [{ errorCode, errorString }] });
/** @param {unknown} value @returns {Record<string, unknown> | null} */
const objectOf = (value) => (value && typeof value === 'object' && !Array.isArray(value) ? /** @type {Record<string, unknown>} */ (value) : null);
/** @param {unknown} value @returns {unknown[]} */
const listOf = (value) => (Array.isArray(value) ? value : []);
/** @param {RouteContext} ctx */
const by = (ctx) => (ctx.auth ? ctx.auth.userName : null);

/** Roles the simulator knows (ids invented, as in state.js). */
const ROLES = [OWNER_ROLE, VIEW_ROLE];

/**
 * A client as the simulator has it: its entities (not retired), name, owners and backup activity.
 * @param {SimState} state
 * @param {number} clientId
 */
function clientOf(state, clientId) {
	const entities = state.entitiesOfClient(clientId);
	const laptop = state.leaver.laptops.find((l) => l.clientId === clientId);
	if (!entities.length || laptop?.retired) return null;
	const first = entities[0];
	const name = first.kind === 'vmClient' ? first.vmName : first.clientName;
	/** @type {number[]} */
	const userIds = [];
	/** @type {number[]} */
	const groupIds = [];
	for (const e of entities) {
		for (const id of e.ownerUserIds) if (!userIds.includes(id)) userIds.push(id);
		for (const id of e.ownerUserGroupIds) if (!groupIds.includes(id)) groupIds.push(id);
	}
	// Client-level backup activity: a VM client's own flag; other clients' activity is not modelled and stays on.
	const backupEnabled = first.kind === 'vmClient' ? first.backupEnabled : true;
	return { clientId, name, entities, userIds, groupIds, backupEnabled };
}

/**
 * The owner list in ownerAssociations' shape: users `{userId, userName}`, groups `{userGroupId, userGroupName}`.
 * @param {SimState} state
 * @param {NonNullable<ReturnType<typeof clientOf>>} client
 */
function ownersOf(state, client) {
	const users = client.userIds.map((id) => ({ userId: id, userName: state.getUserById(id)?.userName ?? '' }));
	const groups = client.groupIds.map((id) => ({ userGroupId: id, userGroupName: state.getUserGroupById(id)?.userGroupName ?? '' }));
	return [...users, ...groups];
}

/**
 * GET /Client/{id}: `{clientProperties: [{client: {clientEntity}, clientProps: {securityAssociations:
 * {ownerAssociations: {owners}}, clientSecurity: {clientOwners}, clientActivityControl: {activityControlOptions}}}]}`
 * (cvpysdk client.py L5361-5369 activity control, L5397-5398 clientSecurity.clientOwners, L7384-7388
 * ownerAssociations.owners). clientOwners as a comma-separated string of names: our inference.
 * @param {RouteContext} ctx
 */
function getClient(ctx) {
	const client = clientOf(ctx.state, Number(ctx.params[0]));
	if (!client) return ok({ errorCode: 2, errorMessage: `Client [${ctx.params[0]}] does not exist.` });
	const owners = ownersOf(ctx.state, client);
	const names = owners.map((o) => ('userName' in o ? o.userName : o.userGroupName));
	return ok({
		clientProperties: [
			{
				client: { clientEntity: { clientId: client.clientId, clientName: client.name, _type_: 3 } },
				clientProps: {
					securityAssociations: { ownerAssociations: { owners } },
					clientSecurity: { clientOwners: names.join(',') },
					clientActivityControl: { activityControlOptions: [{ activityType: 1, enableActivityType: client.backupEnabled, enableAfterADelay: false }] },
				},
			},
		],
	});
}

/**
 * ownersOperationType: the docs' XML names ADD / OVERWRITE / DELETE
 * (https://documentation.commvault.com/2024/expert/xml_parameters_for_owners.html) and cvpysdk's numbers
 * NONE 0, OVERWRITE 1, UPDATE 2, DELETE 3 (organization.py L2534-2539). UPDATE = ADD is our inference.
 * @param {unknown} value @returns {'add' | 'overwrite' | 'delete' | null}
 */
function ownerOperation(value) {
	const key = String(value ?? '').toUpperCase();
	if (key === '1' || key === 'OVERWRITE') return 'overwrite';
	if (key === '2' || key === 'ADD' || key === 'UPDATE') return 'add';
	if (key === '3' || key === 'DELETE') return 'delete';
	return null;
}

/**
 * Resolves owners `{userId|userName}` or `{userGroupId|userGroupName}`; the first unknown one is returned as `missing`.
 * @param {SimState} state @param {unknown[]} owners
 */
function resolveOwners(state, owners) {
	/** @type {number[]} */
	const users = [];
	/** @type {number[]} */
	const groups = [];
	for (const entry of owners) {
		const o = objectOf(entry) ?? {};
		if (o.userGroupId !== undefined || o.userGroupName !== undefined) {
			const group = o.userGroupId !== undefined ? state.getUserGroupById(Number(o.userGroupId)) : state.getUserGroupByName(String(o.userGroupName));
			if (!group) return { missing: `User group [${String(o.userGroupId ?? o.userGroupName)}] does not exist.`, users, groups };
			groups.push(group.userGroupId);
			continue;
		}
		const user = o.userId !== undefined ? state.getUserById(Number(o.userId)) : typeof o.userName === 'string' ? state.getUserByName(o.userName) : undefined;
		if (!user) return { missing: `User [${String(o.userId ?? o.userName)}] does not exist.`, users, groups };
		users.push(user.userId);
	}
	return { missing: null, users, groups };
}

/**
 * The owner part of POST /Client/{id}: ADD keeps the owners and adds, OVERWRITE replaces, DELETE removes.
 * @param {SimState} state @param {NonNullable<ReturnType<typeof clientOf>>} client @param {Record<string, unknown>} assoc
 * @returns {string | null} a refusal, or null when applied
 */
function applyOwners(state, client, assoc) {
	const operation = ownerOperation(assoc.ownersOperationType);
	if (!operation) return `Invalid ownersOperationType [${String(assoc.ownersOperationType)}].`;
	const { missing, users, groups } = resolveOwners(state, listOf(assoc.owners));
	if (missing) return missing;
	const keep = (/** @type {number[]} */ current, /** @type {number[]} */ named) =>
		operation === 'overwrite' ? named : operation === 'add' ? [...new Set([...current, ...named])] : current.filter((id) => !named.includes(id));
	for (const entity of client.entities) state.setEntityOwners(entity, keep(entity.ownerUserIds, users), keep(entity.ownerUserGroupIds, groups));
	state.leaver.syncLaptopOwners([client.clientId]);
	return null;
}

/**
 * The backup part of POST /Client/{id}: `clientActivityControl.activityControlOptions[{activityType: 1,
 * enableActivityType}]` (cvpysdk client.py L5460-5480 `_request_json`, `enable_backup` L6247-6270). Only VM
 * clients carry a client-level backup flag here; for other clients it is refused (not modelled: no source for
 * how it combines with subclient backup).
 * @param {NonNullable<ReturnType<typeof clientOf>>} client @param {Record<string, unknown>} activity
 * @returns {string | null}
 */
function applyActivity(client, activity) {
	for (const option of listOf(activity.activityControlOptions)) {
		const o = objectOf(option) ?? {};
		if (Number(o.activityType) !== 1) return `Activity type [${String(o.activityType)}] is not supported by the simulator.`;
		const vm = client.entities[0];
		if (vm.kind !== 'vmClient') return 'Client-level backup activity is modelled for VM clients only (simulator).';
		vm.backupEnabled = o.enableActivityType === true;
	}
	return null;
}

/**
 * POST /Client/{id} with `clientProperties.clientProps.securityAssociations.ownerAssociations {ownersOperationType,
 * owners}` and/or `clientProperties.clientProps.clientActivityControl` (cvpysdk client.py L7372-7405
 * add_client_owner, L5830-5900 update_properties). Reply `{response:[{errorCode, errorString}]}`, with the client's
 * `entity` on success. Unknown
 * client, user or group: errorCode 2 (wording: no source). Nothing is changed when any part is refused.
 * @param {RouteContext} ctx
 */
function updateClient(ctx) {
	const client = clientOf(ctx.state, Number(ctx.params[0]));
	if (!client) return answer(2, `Client [${ctx.params[0]}] does not exist.`);
	const props = objectOf(objectOf(objectOf(ctx.body)?.clientProperties)?.clientProps);
	const assoc = objectOf(objectOf(props?.securityAssociations)?.ownerAssociations);
	const activity = objectOf(props?.clientActivityControl);
	if (!assoc && !activity) return answer(2, 'Invalid request: expected clientProperties.clientProps.securityAssociations.ownerAssociations or clientActivityControl.');
	if (assoc && !Array.isArray(assoc.owners)) return answer(2, 'Invalid request: ownerAssociations.owners must be a list.');
	if (assoc && resolveOwners(ctx.state, listOf(assoc.owners)).missing) return answer(2, String(resolveOwners(ctx.state, listOf(assoc.owners)).missing));
	if (assoc && !ownerOperation(assoc.ownersOperationType)) return answer(2, `Invalid ownersOperationType [${String(assoc.ownersOperationType)}].`);
	if (activity && client.entities[0].kind !== 'vmClient') return answer(2, 'Client-level backup activity is modelled for VM clients only (simulator).');
	const refusal = (activity ? applyActivity(client, activity) : null) ?? (assoc ? applyOwners(ctx.state, client, assoc) : null);
	if (refusal) return answer(2, refusal);
	ctx.state.leaver.events.push({ type: 'changeOwner', clientId: client.clientId, subject: client.clientId, by: by(ctx) });
	// The success names the client: {"response":[{"errorCode":0,"entity":{"clientId":1085,"clientName":"vsaqa","_type_":3}}]}
	// (api.commvault.com SP32 post-client-client-id; test/fixtures/commvault/client-owner-reply.json).
	return ok({ response: [{ errorCode: 0, errorString: '', entity: { clientId: client.clientId, clientName: client.name, _type_: 3 } }] });
}

/** @param {SimSubclient} sc */
function subclientProperties(sc) {
	return {
		subClientEntity: {
			subclientId: sc.subclientId, subclientName: sc.subclientName, clientId: sc.clientId, clientName: sc.clientName,
			appName: sc.appName, instanceName: sc.instanceName, backupsetName: sc.backupsetName, _type_: 7,
		},
		commonProperties: { enableBackup: sc.backupEnabled },
	};
}

/**
 * GET /Subclient?clientId= : `{subClientProperties: [{subClientEntity, commonProperties: {enableBackup}}]}`
 * (cvpysdk services.py GET_ALL_SUBCLIENTS, subclient.py L1641-1670). A client without subclients (a VM client
 * here) answers an empty list (no source). Unknown client: errorCode 2 (no source).
 * @param {RouteContext} ctx
 */
function listSubclients(ctx) {
	const clientId = Number(ctx.query.get('clientId'));
	const client = clientOf(ctx.state, clientId);
	if (!client) return ok({ errorCode: 2, errorMessage: `Client [${ctx.query.get('clientId') ?? ''}] does not exist.` });
	const subclients = /** @type {SimSubclient[]} */ (client.entities.filter((e) => e.kind === 'subclient'));
	return ok({ subClientProperties: subclients.map(subclientProperties) });
}

/** @param {RouteContext} ctx */
function getSubclient(ctx) {
	const sc = ctx.state.subclientsById.get(Number(ctx.params[0]));
	if (!sc) return ok({ errorCode: 2, errorMessage: `Subclient [${ctx.params[0]}] does not exist.` });
	return ok({ subClientProperties: [subclientProperties(sc)] });
}

/**
 * POST /Subclient/{id} with `{subClientProperties: {commonProperties: {enableBackup}}}`: cvpysdk
 * `enable_backup()` sets `_commonProperties['enableBackup']` and posts the subclient properties
 * (subclient.py L2363-2370, L1680-1715; update_properties L1992-2030 posts a partial dict). Reply
 * `{response:[{errorCode}]}` (subclient.py L1758-1776). Other properties are accepted and ignored (our choice).
 * @param {RouteContext} ctx
 */
function updateSubclient(ctx) {
	const sc = ctx.state.subclientsById.get(Number(ctx.params[0]));
	if (!sc) return answer(2, `Subclient [${ctx.params[0]}] does not exist.`);
	const common = objectOf(objectOf(objectOf(ctx.body)?.subClientProperties)?.commonProperties);
	if (!common) return answer(2, 'Invalid request: expected subClientProperties.');
	if (typeof common.enableBackup === 'boolean') sc.backupEnabled = common.enableBackup;
	return answer(0, '');
}

/**
 * The entity of a POST /Security: `{subclientId, _type_: 7}` or `{clientId|clientName, _type_: 3}` (entity
 * types client 3 and subclient 7: https://documentation.commvault.com/v11/software/update_entity_security_associations_rest_api_post.html).
 * A client-level association on a client that is not a VM client is not modelled (refused).
 * @param {SimState} state @param {unknown} entry @returns {SimEntity | string}
 */
function securityEntity(state, entry) {
	const e = objectOf(entry) ?? {};
	if (e.subclientId !== undefined) return state.subclientsById.get(Number(e.subclientId)) ?? `Subclient [${String(e.subclientId)}] does not exist.`;
	const vm = e.clientId !== undefined ? state.vmClientsById.get(Number(e.clientId)) : state.vmClients.find((v) => v.vmName.toLowerCase() === String(e.clientName ?? '').toLowerCase());
	if (vm) return vm;
	return `Entity [${JSON.stringify(e)}] is not supported by the simulator (subclients and VM clients only).`;
}

/**
 * One association of a POST /Security: `{userOrGroup: [{userId|userName}], properties: {role: {roleId|roleName}}}`.
 * @param {SimState} state @param {unknown} entry
 */
function securityAssociation(state, entry) {
	const a = objectOf(entry) ?? {};
	const who = objectOf(listOf(a.userOrGroup)[0]) ?? {};
	const user = who.userId !== undefined ? state.getUserById(Number(who.userId)) : typeof who.userName === 'string' ? state.getUserByName(who.userName) : undefined;
	const r = objectOf(objectOf(a.properties)?.role) ?? {};
	const role = ROLES.find((x) => x.roleId === Number(r.roleId) || x.roleName.toLowerCase() === String(r.roleName ?? '').toLowerCase());
	if (!user) return `User [${String(who.userId ?? who.userName ?? who.userGroupName)}] does not exist (user groups are not modelled here).`;
	if (!role) return `Role [${String(r.roleName ?? r.roleId)}] does not exist.`;
	return { user, role };
}

/**
 * POST /Security: `{entityAssociated: {entity: [...]}, securityAssociations: {associationsOperationType,
 * associations: [...]}}` (https://documentation.commvault.com/v11/software/update_entity_security_associations_rest_api_post.html;
 * body and reply `{response:[{errorCode, errorString}]}` as cvpysdk security/security_association.py L331-400
 * sends and reads them, OVERWRITE 1, UPDATE 2, DELETE 3). UPDATE (or ADD) adds, DELETE removes the named role;
 * OVERWRITE replaces every association on the entity (our reading of the name). All-or-nothing: a refused
 * entity, user or role changes nothing (our choice).
 * @param {RouteContext} ctx
 */
function updateSecurity(ctx) {
	const body = objectOf(ctx.body) ?? {};
	const sec = objectOf(body.securityAssociations) ?? {};
	const operation = String(sec.associationsOperationType ?? '').toUpperCase();
	const kind = operation === '1' || operation === 'OVERWRITE' ? 'overwrite' : operation === '2' || operation === 'UPDATE' || operation === 'ADD' ? 'add' : operation === '3' || operation === 'DELETE' ? 'delete' : null;
	if (!kind) return answer(2, `Invalid associationsOperationType [${String(sec.associationsOperationType)}].`);
	const entities = listOf(objectOf(body.entityAssociated)?.entity).map((e) => securityEntity(ctx.state, e));
	const associations = listOf(sec.associations).map((a) => securityAssociation(ctx.state, a));
	const refusal = [...entities, ...associations].find((x) => typeof x === 'string');
	if (refusal || !entities.length) return answer(2, typeof refusal === 'string' ? refusal : 'Invalid request: entityAssociated.entity is empty.');
	for (const entity of /** @type {SimEntity[]} */ (entities)) {
		if (kind === 'overwrite') for (const a of [...entity.securityAssociations]) if (a.userId !== undefined) ctx.state.dissociate(entity, a.userId);
		for (const a of /** @type {Array<{ user: import('./types').SimUser, role: { roleId: number, roleName: string } }>} */ (associations)) {
			if (kind === 'delete') ctx.state.dissociate(entity, a.user.userId, a.role.roleId);
			else ctx.state.associate(entity, a.user.userId, a.role);
		}
	}
	return answer(0, '');
}

/**
 * GET /VM: `{vmStatusInfoList: [{strGUID, name, client: {clientId, clientName}, vmHost}], totalRecords}`
 * (https://documentation.commvault.com/v11/essential/125353_rest_api_get_virtual_machines.html, list
 * `vmStatusInfoList` and `vmHost`; `strGUID`, `name`, `client` and `totalRecords`: our inference).
 * @param {RouteContext} ctx
 */
function listVms(ctx) {
	const list = ctx.state.vmClients.map((vm) => ({ strGUID: vm.vmGUID, name: vm.vmName, client: { clientId: vm.clientId, clientName: vm.vmName }, vmHost: vm.hypervisorName }));
	return ok({ vmStatusInfoList: list, totalRecords: list.length });
}

/**
 * POST /VM/{VmGUID}/Offboard, body `{"vmName": ""}`: remove the user as client owner, disable backup, "change
 * security settings on the user and remove the assigned role"; plan settings do not change
 * (https://documentation.commvault.com/2024e/expert/rest_api_post_offboard_virtual_machine_client.html).
 * The reply is taken to be the user offboard's `{errorCode, errorMessage}` (no source). Every owner of that
 * one VM is removed and their role on it; nothing else changes. Unknown GUID: errorCode 2 (no source).
 * @param {RouteContext} ctx
 */
function offboardVm(ctx) {
	const guid = String(ctx.params[0]).toLowerCase();
	const vm = ctx.state.vmClients.find((v) => v.vmGUID.toLowerCase() === guid);
	if (!vm) return ok({ errorCode: 2, errorMessage: `Virtual machine [${ctx.params[0]}] does not exist.` });
	const owners = [...vm.ownerUserIds];
	for (const userId of owners) ctx.state.dissociate(vm, userId);
	ctx.state.setEntityOwners(vm, [], vm.ownerUserGroupIds);
	vm.backupEnabled = false;
	ctx.state.leaver.events.push({ type: 'changeOwner', clientId: vm.clientId, subject: vm.vmGUID, by: by(ctx) });
	return ok({ errorCode: 0, errorMessage: `Successfully offboarded virtual machine ${vm.vmName}` });
}

/** Routes, ahead of the leaver routes (client/{id} replaces leaver.js's laptop-only owner update). @type {import('./routes').RouteDef[]} */
const OWNERSHIP_ROUTES = [
	{ endpoint: 'client/{id}', pattern: /\/client\/(\d+)$/i, methods: { GET: getClient, POST: updateClient } },
	{ endpoint: 'subclient/{id}', pattern: /\/subclient\/(\d+)$/i, methods: { GET: getSubclient, POST: updateSubclient } },
	{ endpoint: 'subclient', pattern: /\/subclient$/i, methods: { GET: listSubclients } },
	{ endpoint: 'security', pattern: /\/security$/i, methods: { POST: updateSecurity } },
	{ endpoint: 'vm/{guid}/offboard', pattern: /\/vm\/([0-9a-f-]+)\/offboard$/i, methods: { POST: offboardVm } },
	{ endpoint: 'vm', pattern: /\/vm$/i, methods: { GET: listVms } },
];

module.exports = { OWNERSHIP_ROUTES };
