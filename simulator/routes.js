// @ts-check
'use strict';

const { LEAVER_ROUTES } = require('./leaver');
const { OWNERSHIP_ROUTES } = require('./ownership');

/** @typedef {import('./types').SimUser} SimUser */
/** @typedef {import('./types').SimEntity} SimEntity */
/** @typedef {import('./types').SimUserGroup} SimUserGroup */
/** @typedef {import('./state').SimState} SimState */
/** @typedef {import('./auth').AuthService} AuthService */
/** @typedef {import('./auth').AuthInfo} AuthInfo */

/**
 * @typedef {object} RouteContext
 * @property {string} method
 * @property {string[]} params                 regex captures (decoded path)
 * @property {URLSearchParams} query
 * @property {import('http').IncomingHttpHeaders} headers
 * @property {unknown} body                    parsed JSON (or undefined)
 * @property {boolean} bodyInvalid             a body was sent but is not JSON
 * @property {AuthInfo | null} auth
 * @property {SimState} state
 * @property {AuthService} authService
 */

/**
 * @typedef {object} HandlerResult
 * @property {number} status
 * @property {unknown} [json]
 * @property {string} [text]
 * @property {string} [html]
 * @property {Record<string, string>} [headers]
 */

/**
 * @typedef {object} RouteDef
 * @property {string} endpoint                 normalized key, e.g. 'user/{id}'
 * @property {RegExp} pattern                  matched case-insensitively against the decoded path (suffix)
 * @property {Partial<Record<string, (ctx: RouteContext) => HandlerResult>>} methods
 * @property {boolean} [public]                no Authtoken needed
 */

// ---------------------------------------------------------------- helpers

/** @param {unknown} json @param {number} [status] @returns {HandlerResult} */
const ok = (json, status = 200) => ({ status, json });

/** Generic top-level failure (HTTP 200 + errorCode, Commvault's usual convention). */
const failure = (/** @type {number} */ errorCode, /** @type {string} */ errorMessage, status = 200) => ok({ errorCode, errorMessage }, status);

/** v1 `{response: [...]}` failure. */
const responseFailure = (/** @type {number} */ errorCode, /** @type {string} */ errorString) => ok({ response: [{ errorCode, errorString }] });

/** @param {SimUser} u */
const companyOf = (u) => (u.company ? { id: u.company.id, name: u.company.name } : { id: 0, name: 'Commcell' });

/** @param {SimUser} u */
function userEntity(u) {
	const c = companyOf(u);
	return { userGUID: u.userGUID, userName: u.userName, userId: u.userId, _type_: 13, entityInfo: { companyId: c.id, companyName: c.name } };
}

/**
 * Every column a v1 user can carry (the union of what GET /User/{id} and cvpysdk's list columns
 * read). The list and the full user below pick from it by `level` / `fl`.
 * @param {SimState} state
 * @param {SimUser} u
 */
function userV1Summary(state, u) {
	return {
		userEntity: userEntity(u),
		enableUser: u.enabled,
		email: u.email,
		fullName: u.fullName,
		description: u.description,
		UPN: u.upn,
		isAccountLocked: u.locked,
		numDevices: state.vmClientsOwnedBy(u.userId).length + state.subclientsOwnedBy(u.userId).length > 0 ? 1 : 0,
		lastLogIntime: u.lastLogIntime,
	};
}

/**
 * The `level` of a v1 user request, 0 when absent. The docs spell it `level`
 * (https://documentation.commvault.com/v11/software/rest_api_get_user.html), cvpysdk sends
 * `Level=50` (cvpysdk/services.py L393): the name is matched case-insensitively (no source; our choice).
 * @param {URLSearchParams} query
 */
function levelOf(query) {
	for (const [key, value] of query) {
		if (key.toLowerCase() === 'level' && /^\s*\d+\s*$/.test(value)) return Number(value.trim());
	}
	return 0;
}

/**
 * GET /User list entry by `level`:
 * - no level: only `userEntity {userName, userId}`, the two response parameters the docs list
 *   (https://documentation.commvault.com/v11/software/rest_api_get_user.html);
 * - level 10: "user properties such as the description and email address" (same page). Which
 *   properties exactly is not listed: email, fullName, description, UPN and enableUser are our
 *   inference from what Commvault's connectors read at level 10 (SOAR commvaultcloud_connector.py
 *   L729-735 and XSOAR CommvaultSecurityIQ.py match on `email` or `UPN`) and cvpysdk's `fl` columns;
 * - level 40 and more: also "associated internal and external user groups, security associations" (same page).
 * @param {SimState} state
 * @param {SimUser} u
 * @param {number} level
 */
function userV1ListEntry(state, u, level) {
	if (level < 10) return { userEntity: { userName: u.userName, userId: u.userId } };
	const all = userV1Summary(state, u);
	/** @type {Record<string, unknown>} */
	const entry = { userEntity: all.userEntity, email: all.email, fullName: all.fullName, description: all.description, UPN: all.UPN, enableUser: all.enableUser };
	if (level >= 40) Object.assign(entry, userV1Groups(state, u));
	return entry;
}

/**
 * cvpysdk's `fl` columns (cvpysdk/security/user.py L221-245: users.userEntity, users.email,
 * users.fullName, users.description, users.UPN, users.enableUser, users.isAccountLocked,
 * users.numDevices, users.userEntity.entityInfo.companyName, users.lastLogIntime). Each asked
 * column is added to the entry; unknown columns are ignored (our choice). `userEntity` always keeps
 * `userName` and `userId` (our choice: the list is useless without them).
 * @param {SimState} state
 * @param {SimUser} u
 * @param {Record<string, unknown>} entry
 * @param {string[]} columns   lower-case
 */
function addFlColumns(state, u, entry, columns) {
	const all = /** @type {Record<string, unknown>} */ (userV1Summary(state, u));
	const full = userEntity(u);
	const entity = /** @type {Record<string, unknown>} */ ({ ...(/** @type {object} */ (entry.userEntity)) });
	for (const column of columns) {
		if (column === 'users.userentity') Object.assign(entity, { userGUID: full.userGUID, userName: full.userName, userId: full.userId, _type_: full._type_ });
		else if (column === 'users.userentity.entityinfo.companyname') entity.entityInfo = { ...(/** @type {object} */ (entity.entityInfo ?? {})), companyName: full.entityInfo.companyName };
		else {
			const key = Object.keys(all).find((k) => `users.${k.toLowerCase()}` === column);
			if (key && key !== 'userEntity') entry[key] = all[key];
		}
	}
	entry.userEntity = entity;
	return entry;
}

/**
 * @param {URLSearchParams} query
 * @returns {string[]} the `fl` columns asked for, lower-case
 */
function flColumns(query) {
	return query
		.getAll('fl')
		.flatMap((v) => v.split(','))
		.map((c) => c.trim().toLowerCase())
		.filter((c) => c !== '');
}

/**
 * `associatedUserGroups` and `securityAssociations` of a user: GET /User/{id} returns them from level
 * 40 ("40: Returns associatedUserGroups, associatedExternalUserGroups, SecurityAssociations",
 * https://api.commvault.com/docs/SP38/api/cv/UserOperations/get-user-properties).
 * @param {SimState} state
 * @param {SimUser} u
 */
function userV1Groups(state, u) {
	/** @type {unknown[]} */
	const associations = [];
	for (const e of state.associationsOf(u.userId)) {
		for (const a of e.securityAssociations) {
			if (a.userId !== u.userId) continue;
			associations.push({
				userOrGroup: [{ userId: u.userId, userName: u.userName, _type_: 13 }],
				entities: { entity: [entityRef(e)] },
				properties: { isCreatorAssociation: false, role: { roleId: a.roleId, roleName: a.roleName, _type_: 120 } },
			});
		}
	}
	return {
		associatedUserGroups: u.userGroupIds
			.map((id) => state.getUserGroupById(id))
			.filter((g) => g !== undefined)
			.map((g) => ({ userGroupId: /** @type {SimUserGroup} */ (g).userGroupId, userGroupName: /** @type {SimUserGroup} */ (g).userGroupName, _type_: 15 })),
		// Only for users in an AD group: the fields cvpysdk reads (`security/user.py` L886-887,
		// `security_association.py` L228-234); the entry's other fields: no source.
		...(u.externalGroups.length > 0 ? { associatedExternalUserGroups: u.externalGroups.map((g) => ({ ...g })) } : {}),
		securityAssociations: { associations },
	};
}

/**
 * @param {SimEntity} e
 */
function entityRef(e) {
	return e.kind === 'subclient'
		? { subclientId: e.subclientId, subclientName: e.subclientName, clientId: e.clientId, clientName: e.clientName, appName: e.appName, backupsetName: e.backupsetName, instanceName: e.instanceName, _type_: 7 }
		: { clientId: e.clientId, clientName: e.vmName, _type_: 3 };
}

/**
 * v1 full user (GET /User/{id}, GET /User/byName(...)). User groups and security associations come
 * only from level 40 (see userV1Groups). What a lower or missing level returns is not documented:
 * the user's own properties (our choice).
 * @param {SimState} state
 * @param {SimUser} u
 * @param {number} [level]
 */
function userV1Full(state, u, level = 0) {
	const props = { ...userV1Summary(state, u), agePasswordDays: 0, idleTime: 0 };
	return level >= 40 ? { ...props, ...userV1Groups(state, u) } : props;
}

/** @param {SimUser} u */
function lockInfo(u) {
	return u.locked ? { isLocked: true, startTime: u.lastLogIntime, endTime: u.lastLogIntime + 1800 } : { isLocked: false, startTime: 0, endTime: 0 };
}

/**
 * V4 list item (UserSummary in the PSv2 OpenAPI).
 * @param {SimState} state
 * @param {SimUser} u
 */
function userV4Summary(state, u) {
	return {
		id: u.userId,
		name: u.userName,
		GUID: u.userGUID,
		email: u.email,
		fullName: u.fullName,
		enabled: u.enabled,
		lockInfo: lockInfo(u),
		numberOfLaptops: state.subclientsOwnedBy(u.userId).filter((s) => s.clientName.startsWith('LT-')).length ? 1 : 0,
		company: companyOf(u),
		userPrincipalName: u.upn,
		lastLoggedIn: u.lastLogIntime,
	};
}

/**
 * V4 user detail (User in the PSv2 OpenAPI).
 * @param {SimState} state
 * @param {SimUser} u
 */
function userV4Detail(state, u) {
	return {
		...userV4Summary(state, u),
		description: u.description,
		// ServiceTypes enum (PSv2 OpenAPI3.yaml ServiceTypes, L18326-18338): 1 commserver users, 2 Active
		// directory users, 5 company users.
		serviceType: u.domain ? 'ACTIVE_DIRECTORY' : u.company ? 'ORGANIZATIONS' : 'COMMSERVE',
		authenticationMethod: u.domain ? 'AD' : 'LOCAL',
		associatedUserGroups: u.userGroupIds
			.map((id) => state.getUserGroupById(id))
			.filter((g) => g !== undefined)
			.map((g) => ({ id: /** @type {SimUserGroup} */ (g).userGroupId, name: /** @type {SimUserGroup} */ (g).userGroupName })),
	};
}

/**
 * Parses a positive integer id from JSON / query input (numbers or digit strings).
 * @param {unknown} value
 * @returns {number | null}
 */
function parseId(value) {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return null;
}

/** @param {string} s */
const unquoteOData = (s) => s.replace(/''/g, "'");

/**
 * Paging of list endpoints. Found in Commvault's own clients:
 * - cvpysdk `get_users_cache`: `GET /User?start=<n>&limit=<n>&fl=…&fq=…&search=…&sort=…`,
 *   response `filterQueryCount` (total matches);
 * - PowerShell SDK `Get-CVRESTHeader`: request HEADERS `limit` + `offset`, or
 *   `pagingInfo: <startPage>,<pageSize>`.
 * Nothing documents paging of `GET /V4/user` (PSv2 OpenAPI lists only laptopUsers / userGroupId);
 * there the simulator accepts `?limit=&offset=` (and the headers) as a fallback, with
 * `numberOfUsers` = total matches.
 * @param {URLSearchParams} query
 * @param {import('http').IncomingHttpHeaders} headers
 * @returns {{ offset: number, limit: number | null }}
 */
function paging(query, headers) {
	/** @param {unknown} v */
	const num = (v) => {
		const s = Array.isArray(v) ? v[0] : v;
		if (typeof s !== 'string' || !/^\d+$/.test(s.trim())) return null;
		return Number(s.trim());
	};
	let offset = num(query.get('start')) ?? num(query.get('offset')) ?? num(headers['offset']) ?? 0;
	let limit = num(query.get('limit')) ?? num(headers['limit']);
	const pagingInfo = headers['paginginfo'];
	if (typeof pagingInfo === 'string' && /^\s*\d+\s*,\s*\d+\s*$/.test(pagingInfo)) {
		// '{startPage},{pageSize}' — page numbers taken as 0-based (unverified).
		const [page, size] = pagingInfo.split(',').map((p) => Number(p.trim()));
		offset = page * size;
		limit = size;
	}
	return { offset, limit: limit && limit > 0 ? limit : null };
}

/** @type {Record<string, (u: SimUser) => string>} */
const USER_COLUMNS = {
	'users.userentity.username': (u) => u.userName,
	username: (u) => u.userName,
	name: (u) => u.userName,
	'users.userentity.userid': (u) => String(u.userId),
	userid: (u) => String(u.userId),
	'users.email': (u) => u.email,
	email: (u) => u.email,
	'users.fullname': (u) => u.fullName,
	fullname: (u) => u.fullName,
	'users.description': (u) => u.description,
	description: (u) => u.description,
	'users.upn': (u) => u.upn,
	upn: (u) => u.upn,
	'users.enableuser': (u) => String(u.enabled),
	enableuser: (u) => String(u.enabled),
	'users.isaccountlocked': (u) => String(u.locked),
	'users.userentity.entityinfo.companyname': (u) => (u.company ? u.company.name : 'Commcell'),
	company: (u) => (u.company ? u.company.name : 'Commcell'),
};

/**
 * `fq=<column>:<op>:<value>` (cvpysdk: contains, notContain, eq, neq, gt, lt; TF: `name:eq:<name>`).
 * @param {string} fq
 * @returns {((u: SimUser) => boolean) | null}
 */
function parseFq(fq) {
	const m = /^([^:]+):([A-Za-z]+):(.*)$/.exec(fq);
	if (!m) return null;
	const column = USER_COLUMNS[m[1].toLowerCase()];
	if (!column) return null;
	const op = m[2].toLowerCase();
	const value = m[3].toLowerCase();
	switch (op) {
		case 'eq':
			return (u) => column(u).toLowerCase() === value;
		case 'neq':
			return (u) => column(u).toLowerCase() !== value;
		case 'contains':
			return (u) => column(u).toLowerCase().includes(value);
		case 'notcontain':
			return (u) => !column(u).toLowerCase().includes(value);
		case 'gt':
			return (u) => Number(column(u)) > Number(value);
		case 'lt':
			return (u) => Number(column(u)) < Number(value);
		default:
			return null;
	}
}

/**
 * Filters / sorts the user list for GET /User (v1, cvpysdk query syntax) and GET /V4/user.
 * Exact name / email equality uses the indexes (no scan).
 * @param {SimState} state
 * @param {URLSearchParams} query
 * @param {boolean} v4
 * @returns {SimUser[]}
 */
function selectUsers(state, query, v4) {
	/** @type {SimUser[]} */
	let users = state.users;
	const groupId = parseId(query.get('userGroupId') ?? query.get('groupContext') ?? undefined);
	if (v4 && groupId !== null) users = users.filter((u) => u.userGroupIds.includes(groupId));
	if (!v4) {
		for (const fq of query.getAll('fq')) {
			const m = /^([^:]+):eq:(.*)$/i.exec(fq);
			const col = m ? m[1].toLowerCase() : '';
			if (m && (col === 'name' || col === 'username' || col === 'users.userentity.username')) {
				const u = state.getUserByName(m[2]);
				users = u && users.includes(u) ? [u] : [];
				continue;
			}
			if (m && (col === 'email' || col === 'users.email')) {
				const found = state.getUsersByEmail(m[2]);
				users = users === state.users ? found : users.filter((u) => found.includes(u));
				continue;
			}
			const pred = parseFq(fq);
			if (pred) users = users.filter(pred);
		}
		const search = query.get('search');
		if (search) {
			const m = /^(.+):contains:(.*)$/i.exec(search);
			if (m) {
				const cols = m[1].split(',').map((c) => USER_COLUMNS[c.trim().toLowerCase()]).filter((c) => c !== undefined);
				const value = m[2].toLowerCase();
				users = users.filter((u) => cols.some((c) => c(u).toLowerCase().includes(value)));
			}
		}
		const sort = query.get('sort');
		if (sort) {
			const m = /^(.+):(-?1)$/.exec(sort);
			const col = m ? USER_COLUMNS[m[1].toLowerCase()] : undefined;
			if (m && col) {
				const dir = m[2] === '-1' ? -1 : 1;
				const numeric = m[1].toLowerCase().endsWith('userid');
				users = [...users].sort((a, b) => dir * (numeric ? Number(col(a)) - Number(col(b)) : col(a).localeCompare(col(b))));
			}
		}
	}
	return users;
}

/**
 * Resolves `newUserId` / `newUserGroupId` style values. The docs
 * (https://documentation.commvault.com/v11/software/rest_api_delete_user.html) describe two forms:
 * by ID, `DELETE User/{id}?newUserId=<id>&newUserGroupId=<id>` ("Use 0 as the value for the ID you
 * are not sending"), and by name, `DELETE User/byName(userName='…')?newUserId=byName(userName='…')
 * &newUserGroupId=byName(userGroupName='…')` ("Use empty quotation marks for the name you are not
 * sending"). A `byName(…)` owner is taken only on the by-name path (`allowByName`); the ID path refuses it,
 * as a form the docs do not describe (no source for what Commvault does with it; our choice).
 * @param {SimState} state
 * @param {string | null} raw
 * @param {'user' | 'group'} kind
 * @param {boolean} allowByName
 * @returns {{ id: number } | { error: string }}
 */
function resolveOwner(state, raw, kind, allowByName) {
	if (raw === null || raw.trim() === '') return { id: 0 };
	const id = parseId(raw);
	if (id !== null) {
		if (id === 0) return { id: 0 };
		if (kind === 'user') return state.getUserById(id) ? { id } : { error: `New owner user [${id}] does not exist.` };
		return state.getUserGroupById(id) ? { id } : { error: `New owner user group [${id}] does not exist.` };
	}
	const m = kind === 'user' ? /^byName\(userName='(.*)'\)$/i.exec(raw.trim()) : /^byName\(userGroupName='(.*)'\)$/i.exec(raw.trim());
	if (!m || !allowByName) return { error: `Invalid ${kind === 'user' ? 'newUserId' : 'newUserGroupId'} [${raw}].` };
	const name = unquoteOData(m[1]);
	if (name === '') return { id: 0 };
	if (kind === 'user') {
		const u = state.getUserByName(name);
		return u ? { id: u.userId } : { error: `New owner user [${name}] does not exist.` };
	}
	const g = state.getUserGroupByName(name);
	return g ? { id: g.userGroupId } : { error: `New owner user group [${name}] does not exist.` };
}

/**
 * Shared delete validation + execution.
 * @param {RouteContext} ctx
 * @param {SimUser} user
 * @param {{ newUser: string | null, newGroup: string | null, skipTransfer: boolean, byNamePath?: boolean }} req
 * @returns {{ errorCode: 0 } | { errorCode: number, message: string }}
 */
function doDelete(ctx, user, req) {
	const by = ctx.auth ? ctx.auth.userName : null;
	/** @param {string} message */
	const refuse = (message) => {
		ctx.state.recordFailure('delete', user, 2, message, by);
		return { errorCode: 2, message };
	};
	if (user.userId === 1) return refuse('The built-in admin user cannot be deleted.');
	if (ctx.auth && ctx.auth.userId === user.userId) return refuse('A user cannot delete itself.');
	if (req.skipTransfer) {
		ctx.state.deleteUser(user, {}, by);
		return { errorCode: 0 };
	}
	const newUser = resolveOwner(ctx.state, req.newUser, 'user', req.byNamePath === true);
	if ('error' in newUser) return refuse(newUser.error);
	const newGroup = resolveOwner(ctx.state, req.newGroup, 'group', req.byNamePath === true);
	if ('error' in newGroup) return refuse(newGroup.error);
	if (!newUser.id && !newGroup.id) {
		return refuse('Ownership transfer is mandatory. Provide a new owner: newUserId or newUserGroupId (use 0 for the one not sent).');
	}
	if (newUser.id && newGroup.id) return refuse('Provide either newUserId or newUserGroupId, not both.');
	if (newUser.id === user.userId) return refuse('Ownership cannot be transferred to the user being deleted.');
	ctx.state.deleteUser(user, newUser.id ? { newUserId: newUser.id } : { newUserGroupId: newGroup.id }, by);
	return { errorCode: 0 };
}

// ---------------------------------------------------------------- handlers

/** @param {RouteContext} ctx */
function handleOffboard(ctx) {
	const body = ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? /** @type {Record<string, unknown>} */ (ctx.body) : null;
	// Invalid input → HTTP 200 + errorCode 2 (the doc's "2, a failure"); the real server may 400.
	if (!body) return failure(2, 'Invalid request: provide userName or userId.');
	const hasId = body.userId !== undefined && body.userId !== null;
	const hasName = body.userName !== undefined && body.userName !== null;
	if (!hasId && !hasName) return failure(2, 'Invalid request: provide userName or userId.');
	/** @type {SimUser | undefined} */
	let user;
	/** @type {'userId' | 'userName'} */
	let matchedBy;
	if (hasId) {
		// userId wins when both are sent (unverified); digit strings are accepted like a JSON deserializer would.
		const id = parseId(body.userId);
		if (id === null || id === 0) return failure(2, `Invalid userId [${String(body.userId)}].`);
		user = ctx.state.getUserById(id);
		matchedBy = 'userId';
		if (!user) return failure(2, `User [${id}] does not exist.`);
	} else {
		if (typeof body.userName !== 'string' || !body.userName.trim()) return failure(2, `Invalid userName [${String(body.userName)}].`);
		user = ctx.state.getUserByName(body.userName);
		matchedBy = 'userName';
		if (!user) return failure(2, `User [${body.userName}] does not exist.`);
	}
	const result = ctx.state.offboard(user, ctx.auth ? ctx.auth.userName : null, matchedBy);
	return ok({ errorMessage: result.errorMessage, errorCode: result.errorCode });
}

/**
 * @param {RouteContext} ctx
 * @param {SimUser | undefined} user
 * @param {string} label
 */
function getV1User(ctx, user, label) {
	// Unknown user: HTTP 200 + errorCode (no `users` key, which cvpysdk reports as an empty response). Unverified.
	if (!user) return failure(2, `User [${label}] does not exist.`);
	return ok({ users: [userV1Full(ctx.state, user, levelOf(ctx.query))] });
}

/**
 * @param {RouteContext} ctx
 * @param {boolean} enabled
 */
function handleSetEnabled(ctx, enabled) {
	const id = Number(ctx.params[0]);
	const user = ctx.state.getUserById(id);
	if (!user) return responseFailure(2, `User [${id}] does not exist.`);
	ctx.state.setEnabled(user, enabled, ctx.auth ? ctx.auth.userName : null);
	// Documented reply (api.commvault.com SP32 disable-user): `{"processinginstructioninfo":…,
	// "response":[{"errorString":"","errorCode":0,"entity":{"userId":53,"userName":"GDPR_User"}}]}`,
	// `errorString` present on success (cvpysdk user.py L1119 reads it without a fallback). The
	// content of processinginstructioninfo is not quoted in our sources, so it is left out.
	return ok({ response: [{ errorString: '', errorCode: 0, entity: { userId: user.userId, userName: user.userName } }] });
}

/**
 * @param {RouteContext} ctx
 * @param {SimUser | undefined} user
 * @param {string} label
 * @param {boolean} byNamePath   `DELETE User/byName(userName='…')`, whose owners may be `byName(…)`
 */
function handleV1Delete(ctx, user, label, byNamePath) {
	if (!user) return responseFailure(2, `User [${label}] does not exist.`);
	const result = doDelete(ctx, user, { newUser: ctx.query.get('newUserId'), newGroup: ctx.query.get('newUserGroupId'), skipTransfer: false, byNamePath });
	if (result.errorCode !== 0) return responseFailure(result.errorCode, 'message' in result ? result.message : '');
	// Documented reply (api-next.commvault.com SP34 delete-user-user-id):
	// `{"response":[{"errorString":"Success","errorCode":0,"warningMessage":"","entity":{…}}]}`; the entity's
	// fields are not quoted there (userId / userName / _type_ are our choice).
	return ok({ response: [{ errorString: 'Success', errorCode: 0, warningMessage: '', entity: { userId: user.userId, userName: user.userName, _type_: 13 } }] });
}

/** @param {RouteContext} ctx */
function handleV1Update(ctx) {
	const id = Number(ctx.params[0]);
	const user = ctx.state.getUserById(id);
	if (!user) return responseFailure(2, `User [${id}] does not exist.`);
	const body = /** @type {{ users?: Array<Record<string, unknown>> } | null} */ (ctx.body && typeof ctx.body === 'object' ? ctx.body : null);
	const props = body && Array.isArray(body.users) && body.users[0] && typeof body.users[0] === 'object' ? body.users[0] : null;
	if (!props) return responseFailure(2, 'Invalid request: expected {"users": [{…}]}.');
	ctx.state.updateUser(
		user,
		{
			email: typeof props.email === 'string' ? props.email : undefined,
			fullName: typeof props.fullName === 'string' ? props.fullName : undefined,
			description: typeof props.description === 'string' ? props.description : undefined,
			enabled: typeof props.enableUser === 'boolean' ? props.enableUser : undefined,
		},
		ctx.auth ? ctx.auth.userName : null,
	);
	// `{"response":[{"errorCode","errorString"}]}` (cvpysdk _update_user_props reads errorString, user.py L942).
	return ok({ response: [{ errorString: '', errorCode: 0, entity: { userId: user.userId, userName: user.userName, _type_: 13 } }] });
}

/** @param {RouteContext} ctx */
function handleV1List(ctx) {
	const selected = selectUsers(ctx.state, ctx.query, false);
	const { offset, limit: asked } = paging(ctx.query, ctx.headers);
	// No source for a largest page; a test can set one (StateOptions.userListPageCap).
	const cap = ctx.state.userListPageCap;
	const limit = cap ? Math.min(asked ?? cap, cap) : asked;
	const page = selected.slice(offset, limit === null ? undefined : offset + limit);
	const level = levelOf(ctx.query);
	const columns = flColumns(ctx.query);
	const entry = (/** @type {SimUser} */ u) => {
		const base = userV1ListEntry(ctx.state, u, level);
		return columns.length ? addFlColumns(ctx.state, u, base, columns) : base;
	};
	return ok({ users: page.map(entry), filterQueryCount: selected.length });
}

/** @param {RouteContext} ctx */
function handleV4List(ctx) {
	const selected = selectUsers(ctx.state, ctx.query, true);
	const { offset, limit } = paging(ctx.query, ctx.headers);
	const page = selected.slice(offset, limit === null ? undefined : offset + limit);
	return ok({ numberOfUsers: selected.length, users: page.map((u) => userV4Summary(ctx.state, u)) });
}

const V4_NOT_FOUND = () => failure(2, 'Requested Details not found', 404);

/** @param {RouteContext} ctx */
function handleV4Update(ctx) {
	const user = ctx.state.getUserById(Number(ctx.params[0]));
	if (!user) return V4_NOT_FOUND();
	const b = ctx.body && typeof ctx.body === 'object' ? /** @type {Record<string, unknown>} */ (ctx.body) : null;
	if (!b) return failure(2, 'Invalid request body.', 400);
	if (b.userGroups !== undefined) {
		const refused = updateUserGroups(ctx, user, b);
		if (refused) return refused;
	}
	ctx.state.updateUser(
		user,
		{
			email: typeof b.email === 'string' ? b.email : undefined,
			fullName: typeof b.fullName === 'string' ? b.fullName : undefined,
			description: typeof b.description === 'string' ? b.description : undefined,
			enabled: typeof b.enabled === 'boolean' ? b.enabled : undefined,
		},
		ctx.auth ? ctx.auth.userName : null,
	);
	return ok({ errorMessage: '', errorCode: 0 });
}

/**
 * `userGroupOperation` ADD (default) / DELETE / OVERWRITE with `userGroups: [IdName]` on PUT /V4/user/{id}
 * (PSv2 OpenAPI UpdateUser: "Allows adding to, overwriting and deleting existing user groups. default is
 * adding"; "for external users, user groups cannot be modified"). An external (domain) user is refused
 * with 400 GenericResp; an unknown group with 400 (wordings: no source). A group the user is not in is
 * ignored by DELETE (no source).
 * @param {RouteContext} ctx
 * @param {SimUser} user
 * @param {Record<string, unknown>} b
 * @returns {HandlerResult | undefined} the refusal, or undefined when done
 */
function updateUserGroups(ctx, user, b) {
	if (!Array.isArray(b.userGroups)) return failure(2, 'Invalid request: userGroups must be a list.', 400);
	if (user.domain) return failure(2, `User groups of the external user [${user.userName}] cannot be modified.`, 400);
	/** @type {number[]} */
	const ids = [];
	for (const entry of b.userGroups) {
		const e = /** @type {Record<string, unknown>} */ (entry && typeof entry === 'object' ? entry : {});
		const group = e.id !== undefined ? ctx.state.getUserGroupById(Number(e.id)) : typeof e.name === 'string' ? ctx.state.getUserGroupByName(e.name) : undefined;
		if (!group) return failure(2, `User group [${String(e.id ?? e.name)}] does not exist.`, 400);
		ids.push(group.userGroupId);
	}
	const op = String(b.userGroupOperation ?? 'ADD').toUpperCase();
	const next =
		op === 'DELETE' ? user.userGroupIds.filter((id) => !ids.includes(id)) : op === 'OVERWRITE' ? ids : [...new Set([...user.userGroupIds, ...ids])];
	ctx.state.setUserGroups(user, next, ctx.auth ? ctx.auth.userName : null);
	return undefined;
}

/** @param {RouteContext} ctx */
function handleV4Delete(ctx) {
	const user = ctx.state.getUserById(Number(ctx.params[0]));
	if (!user) return V4_NOT_FOUND();
	const skip = (ctx.query.get('skipOwnerShipTransfer') ?? '').toLowerCase() === 'true';
	const result = doDelete(ctx, user, {
		newUser: ctx.query.get('transferToUser'),
		newGroup: ctx.query.get('transfertoUserGroup') ?? ctx.query.get('transferToUserGroup'),
		skipTransfer: skip,
	});
	if (result.errorCode !== 0) return failure(result.errorCode, 'message' in result ? result.message : '', 400);
	return ok({ errorMessage: '', errorCode: 0 });
}

/** @param {SimUserGroup} g */
const groupV1 = (g) => ({
	userGroupEntity: { userGroupId: g.userGroupId, userGroupName: g.userGroupName, _type_: 15 },
	description: g.description,
	enabled: g.enabled,
});

/** @param {SimUserGroup} g */
const groupV4 = (g) => ({ id: g.userGroupId, name: g.userGroupName, description: g.description, enabled: g.enabled, company: g.company ?? { id: 0, name: 'Commcell' } });

/** @param {RouteContext} ctx */
function whoAmIUser(ctx) {
	const auth = /** @type {AuthInfo} */ (ctx.auth);
	const user = ctx.state.getUserByName(auth.userName);
	return { user, auth };
}

// ---------------------------------------------------------------- route table

/**
 * Order matters: more specific suffixes first (v4/user… before user…).
 * @type {RouteDef[]}
 */
const ROUTES = [
	...OWNERSHIP_ROUTES,
	...LEAVER_ROUTES,
	{
		endpoint: 'login',
		pattern: /\/login$/i,
		public: true,
		methods: { POST: (ctx) => ok(ctx.authService.login(ctx.body)) },
	},
	{
		endpoint: 'logout',
		pattern: /\/logout$/i,
		public: true,
		methods: {
			// Commvault answers a string in both cases (HTTP 200 assumed for the dead-token case too).
			POST: (ctx) => ({ status: 200, text: ctx.authService.logout(ctx.headers).text }),
		},
	},
	{
		// Public: the access token being renewed has usually expired; AuthService checks the pair.
		endpoint: 'v4/accesstoken/renew',
		pattern: /\/v4\/accesstoken\/renew$/i,
		public: true,
		methods: { POST: (ctx) => ctx.authService.renewAccessToken(ctx.headers, ctx.body) },
	},
	{
		endpoint: 'v2/whoami',
		pattern: /\/v2\/whoami$/i,
		methods: {
			// Shape not documented (Commvault MCP only checks 200 vs 401): plausible fields.
			GET: (ctx) => {
				const { user, auth } = whoAmIUser(ctx);
				return ok({
					user: {
						userName: auth.userName,
						userId: auth.userId,
						GUID: auth.userGUID,
						fullName: user ? user.fullName : auth.userName,
						email: user ? user.email : '',
					},
				});
			},
		},
	},
	{
		endpoint: 'whoami',
		pattern: /\/whoami$/i,
		methods: {
			// cvpysdk who_am_i(): POST WhoAmI, checks errorCode == 0 and reads user.userName.
			POST: (ctx) => {
				const { auth } = whoAmIUser(ctx);
				return ok({ errorCode: 0, user: { userName: auth.userName, userId: auth.userId, userGUID: auth.userGUID, _type_: 13 } });
			},
			GET: (ctx) => {
				const { auth } = whoAmIUser(ctx);
				return ok({ errorCode: 0, user: { userName: auth.userName, userId: auth.userId, userGUID: auth.userGUID, _type_: 13 } });
			},
		},
	},
	{
		endpoint: 'v4/user/{id}',
		pattern: /\/v4\/user\/(\d+)$/i,
		methods: {
			GET: (ctx) => {
				const user = ctx.state.getUserById(Number(ctx.params[0]));
				return user ? ok(userV4Detail(ctx.state, user)) : V4_NOT_FOUND();
			},
			PUT: handleV4Update,
			DELETE: handleV4Delete,
		},
	},
	{ endpoint: 'v4/user', pattern: /\/v4\/user$/i, methods: { GET: handleV4List } },
	{
		endpoint: 'v4/usergroup',
		pattern: /\/v4\/usergroup$/i,
		methods: { GET: (ctx) => ok({ numberOfUserGroups: ctx.state.userGroups.length, userGroups: ctx.state.userGroups.map(groupV4) }) },
	},
	{ endpoint: 'user/offboard', pattern: /\/user\/offboard$/i, methods: { POST: handleOffboard } },
	{
		endpoint: 'user/byname',
		pattern: /\/user\/byname\(username='(.*)'\)$/i,
		methods: {
			GET: (ctx) => {
				const name = unquoteOData(ctx.params[0]);
				return getV1User(ctx, ctx.state.getUserByName(name), name);
			},
			DELETE: (ctx) => {
				const name = unquoteOData(ctx.params[0]);
				return handleV1Delete(ctx, ctx.state.getUserByName(name), name, true);
			},
		},
	},
	{ endpoint: 'user/{id}/disable', pattern: /\/user\/(\d+)\/disable$/i, methods: { PUT: (ctx) => handleSetEnabled(ctx, false) } },
	{ endpoint: 'user/{id}/enable', pattern: /\/user\/(\d+)\/enable$/i, methods: { PUT: (ctx) => handleSetEnabled(ctx, true) } },
	{
		endpoint: 'user/{id}',
		pattern: /\/user\/(\d+)$/i,
		methods: {
			GET: (ctx) => getV1User(ctx, ctx.state.getUserById(Number(ctx.params[0])), ctx.params[0]),
			POST: handleV1Update,
			DELETE: (ctx) => handleV1Delete(ctx, ctx.state.getUserById(Number(ctx.params[0])), ctx.params[0], false),
		},
	},
	{ endpoint: 'user', pattern: /\/user$/i, methods: { GET: handleV1List } },
	{
		endpoint: 'usergroup',
		pattern: /\/usergroup$/i,
		methods: { GET: (ctx) => ok({ userGroups: ctx.state.userGroups.map(groupV1) }) },
	},
	{
		// cvpysdk `_is_valid_service()` GETs the bare base URL and expects 200.
		endpoint: 'root',
		pattern: /^$/,
		public: true,
		methods: { GET: () => ({ status: 200, text: 'Commvault REST API (simulator)' }) },
	},
];

/**
 * Percent-decodes a path (leaves it as is when malformed) and strips trailing slashes.
 * @param {string} rawPath
 */
function normalizePath(rawPath) {
	let p = rawPath;
	try {
		p = decodeURIComponent(rawPath);
	} catch {
		// keep the raw path
	}
	while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
	if (p === '/') p = '';
	return p;
}

/**
 * The API roots the node documents (docs/credentials.md): /commandcenter/api, /webconsole/api and
 * /SearchSvc/CVWebService.svc (the last two as in Commvault's PowerShell SDK RESTEndPoints.ps1,
 * `$REST_WEBCONSOLE_URL` and `$REST_BASE_URL`). A path outside them finds no route and answers 404
 * (no source for a real server's 404 body; that it is not the API: a web server's default).
 */
const BASE_PATH = /^(?:\/commandcenter\/api|\/webconsole\/api|\/searchsvc\/cvwebservice\.svc)(?=\/|$)/i;

/**
 * Finds the route for a path under a documented base path (case-insensitive); the route patterns
 * match what follows the base path (`root`: nothing).
 * @param {string} rawPath
 * @returns {{ route: RouteDef, params: string[] } | null}
 */
function matchRoute(rawPath) {
	const full = normalizePath(rawPath);
	const base = BASE_PATH.exec(full);
	if (!base) return null;
	const path = full.slice(base[0].length);
	for (const route of ROUTES) {
		const m = route.pattern.exec(path);
		if (m) return { route, params: m.slice(1) };
	}
	return null;
}

module.exports = { ROUTES, matchRoute, normalizePath, levelOf, userV1Summary, userV1ListEntry, userV1Full, userV4Summary, userV4Detail };
