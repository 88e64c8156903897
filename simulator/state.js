// @ts-check
'use strict';

const { createRng, deriveSeed } = require('./rng');
const seedData = require('./seed-data');
const { LeaverState } = require('./leaver');

/** @typedef {import('./types').SimUser} SimUser */
/** @typedef {import('./types').SimSubclient} SimSubclient */
/** @typedef {import('./types').SimVmClient} SimVmClient */
/** @typedef {import('./types').SimEntity} SimEntity */
/** @typedef {import('./types').SimUserGroup} SimUserGroup */
/** @typedef {import('./types').SimEvent} SimEvent */
/** @typedef {import('./types').SimChange} SimChange */
/** @typedef {import('./types').SeedUser} SeedUser */

// Role ids / names are invented (Commvault has roles with these names, ids vary per CommCell).
const OWNER_ROLE = { roleId: 3, roleName: 'Client Admins' };
const VIEW_ROLE = { roleId: 5, roleName: 'View' };

/** Base time of the seed data (2025-01-01T00:00:00Z), so timestamps are deterministic. */
const BASE_EPOCH_SECONDS = 1735689600;

/** First id of generated users: 'user00001' gets 100001. */
const GENERATED_USER_BASE_ID = 100000;

/**
 * @typedef {object} StateOptions
 * @property {SeedUser[]} [users]          seed list (default: the hand-written DEFAULT_USERS)
 * @property {number} [generatedUsers]     extra users 'user00001'…
 * @property {number} [seed]
 * @property {boolean} [revokeOthersAccessTokens]  false: revoking another user's access token is refused (see leaver.js)
 * @property {boolean} [offboardLeavesOwner]  a faulty Offboard: answers success but leaves the user as owner of one entity (ownership.js)
 * @property {number} [userListPageCap]  most users one page of `GET /User` holds, whatever `limit` asks (no source: Commvault
 *                                       documents no largest page; this models a server that sends fewer than asked)
 */

/**
 * The simulated CommCell: users, user groups, subclients, VM clients and an event log, with
 * indexes (by id, lower-case name, lower-case email, owner, role association) so that the hot
 * paths never scan all users.
 */
class SimState {
	/** @param {StateOptions} options */
	constructor(options) {
		/** @private */
		this.options = options;
		/** Users in id order (live array; deleted users are removed). @type {SimUser[]} */
		this.users = [];
		/** Users deleted through the API. @type {SimUser[]} */
		this.deletedUsers = [];
		/** @type {SimSubclient[]} */
		this.subclients = [];
		/** @type {SimVmClient[]} */
		this.vmClients = [];
		/** @type {SimUserGroup[]} */
		this.userGroups = [];
		/** Everything done to users through the API (offboard, disable, enable, delete, update). @type {SimEvent[]} */
		this.events = [];
		/** @type {Map<number, SimUser>} */
		this.usersById = new Map();
		/** @type {Map<string, SimUser>} */
		this.usersByName = new Map();
		/** @type {Map<string, SimUser[]>} */
		this.usersByEmail = new Map();
		/** @type {Map<number, SimUserGroup>} */
		this.userGroupsById = new Map();
		/** @type {Map<string, SimUserGroup>} */
		this.userGroupsByName = new Map();
		/** @type {Map<number, SimSubclient>} */
		this.subclientsById = new Map();
		/** @type {Map<number, SimVmClient>} */
		this.vmClientsById = new Map();
		/** the subclients of each client, or the VM client itself @private @type {Map<number, SimEntity[]>} */
		this.entitiesByClient = new Map();
		/** entities each user owns @private @type {Map<number, Set<SimEntity>>} */
		this.ownedByUser = new Map();
		/** entities on which each user has a role association @private @type {Map<number, Set<SimEntity>>} */
		this.assocByUser = new Map();
		/** @private */
		this.eventSeq = 0;
		/** @private */
		this.nextClientId = 2;
		/** @private */
		this.nextSubclientId = 101;
		/** @private @type {Map<string, number>} */
		this.clientIdsByName = new Map();
		/** Sessions, listed access tokens and laptops (leaver.js). @type {LeaverState} */
		this.leaver = new LeaverState(this);
		/** A faulty Offboard (no source: a control knob): it answers success but the user stays owner of the first entity. */
		this.offboardLeavesOwner = false;
		/** Most users one page of `GET /User` holds, whatever `limit` asks (no source; StateOptions). @type {number | undefined} */
		this.userListPageCap = options.userListPageCap;
		this.reset();
	}

	/** Rebuilds the seed state (same seed → identical state). */
	reset() {
		const rng = createRng(deriveSeed(this.options.seed ?? 1, 'state'));
		this.clear();
		for (const group of seedData.DEFAULT_USER_GROUPS) {
			const copy = { ...group, company: group.company ? { ...group.company } : null };
			this.userGroups.push(copy);
			this.userGroupsById.set(copy.userGroupId, copy);
			this.userGroupsByName.set(copy.userGroupName.toLowerCase(), copy);
		}
		this.addSeedUsers(this.options.users ?? seedData.DEFAULT_USERS, rng);
		const generated = Math.max(0, Math.floor(this.options.generatedUsers ?? 0));
		for (let i = 1; i <= generated; i++) this.addGeneratedUser(i, rng);
		this.users.sort((a, b) => a.userId - b.userId);
		this.leaver = new LeaverState(this, { revokeOthersAccessTokens: this.options.revokeOthersAccessTokens });
	}

	/** @private Empties every list and index. */
	clear() {
		this.users = [];
		this.deletedUsers = [];
		this.subclients = [];
		this.vmClients = [];
		this.userGroups = [];
		this.events = [];
		this.usersById.clear();
		this.usersByName.clear();
		this.usersByEmail.clear();
		this.userGroupsById.clear();
		this.userGroupsByName.clear();
		this.subclientsById.clear();
		this.vmClientsById.clear();
		this.entitiesByClient.clear();
		this.ownedByUser.clear();
		this.assocByUser.clear();
		this.clientIdsByName.clear();
		this.eventSeq = 0;
		this.nextClientId = 2;
		this.nextSubclientId = 101;
		this.offboardLeavesOwner = this.options.offboardLeavesOwner ?? false;
	}

	/**
	 * The hand-written (or given) users, with the subclients and VMs they own and their View roles.
	 * @private
	 * @param {SeedUser[]} seedUsers
	 * @param {import('./rng').Rng} rng
	 */
	addSeedUsers(seedUsers, rng) {
		let nextId = 1;
		for (const u of seedUsers) nextId = Math.max(nextId, (u.userId ?? 0) + 1);
		/** @type {Array<[SimUser, SeedUser]>} */
		const created = [];
		for (const spec of seedUsers) {
			const userId = spec.userId ?? nextId++;
			created.push([this.addUser(spec, userId, rng), spec]);
		}
		for (const [user, spec] of created) {
			for (const sc of spec.subclients ?? []) this.addSubclient(user.userId, sc);
			for (const vm of spec.vmClients ?? []) this.addVmClient(user.userId, vm, rng);
		}
		// Non-owner "View" role associations (must run after every owner entity exists).
		for (const [user, spec] of created) {
			for (const clientName of spec.viewRoleOn ?? []) {
				for (const sc of this.subclients) {
					if (sc.clientName.toLowerCase() === clientName.toLowerCase()) this.addAssociation(sc, user.userId, VIEW_ROLE);
				}
			}
		}
	}

	/**
	 * Generated user number `i` (user00001…): a laptop with 1–3 subclients and 0–2 VMs.
	 * @private
	 * @param {number} i
	 * @param {import('./rng').Rng} rng
	 */
	addGeneratedUser(i, rng) {
		const userName = seedData.generatedUserName(i);
		const num = userName.slice('user'.length);
		const first = rng.pick(seedData.FIRST_NAMES);
		const last = rng.pick(seedData.LAST_NAMES);
		const user = this.addUser(
			{ userName, email: `${userName}@example.com`, fullName: `${first} ${last}`, description: `Generated user ${num}`, userGroupIds: [2] },
			GENERATED_USER_BASE_ID + i,
			rng,
		);
		const laptop = `LT-USER${num}`;
		const subclientCount = rng.int(1, 3);
		this.addSubclient(user.userId, { clientName: laptop });
		for (let s = 1; s < subclientCount; s++) {
			this.addSubclient(user.userId, { clientName: laptop, subclientName: seedData.EXTRA_SUBCLIENT_NAMES[s - 1] });
		}
		const vmCount = rng.int(0, 2);
		for (let v = 1; v <= vmCount; v++) {
			this.addVmClient(user.userId, { vmName: `vm-${userName}-0${v}`, hypervisorName: rng.pick(seedData.HYPERVISORS) }, rng);
		}
	}

	/**
	 * @private
	 * @param {SeedUser} spec
	 * @param {number} userId
	 * @param {import('./rng').Rng} rng
	 * @returns {SimUser}
	 */
	addUser(spec, userId, rng) {
		const guid = rng.guid();
		const created = BASE_EPOCH_SECONDS - rng.int(30, 1500) * 86400;
		const lastLogin = BASE_EPOCH_SECONDS + rng.int(0, 300) * 86400 + rng.int(0, 86399);
		const slash = spec.userName.indexOf('\\');
		/** @type {SimUser} */
		const user = {
			userId,
			userName: spec.userName,
			userGUID: spec.userGUID ?? guid,
			email: spec.email ?? '',
			fullName: spec.fullName ?? spec.userName,
			description: spec.description ?? '',
			enabled: spec.enabled ?? true,
			locked: spec.locked ?? false,
			upn: spec.upn ?? (slash > 0 ? spec.email ?? '' : ''),
			company: spec.company ? { ...spec.company } : null,
			domain: spec.domain ?? (slash > 0 ? spec.userName.slice(0, slash) : ''),
			userGroupIds: [...(spec.userGroupIds ?? [])],
			externalGroups: (spec.externalGroups ?? []).map((g) => ({ ...g })),
			offboardError: spec.offboardError ? { ...spec.offboardError } : null,
			createdTime: created,
			lastLogIntime: lastLogin,
		};
		if (this.usersById.has(userId)) throw new Error(`Duplicate seed user id ${userId}`);
		if (this.usersByName.has(user.userName.toLowerCase())) throw new Error(`Duplicate seed user name ${user.userName}`);
		this.users.push(user);
		this.indexUser(user);
		return user;
	}

	/** @private @param {SimUser} user */
	indexUser(user) {
		this.usersById.set(user.userId, user);
		this.usersByName.set(user.userName.toLowerCase(), user);
		if (user.email) {
			const key = user.email.toLowerCase();
			const list = this.usersByEmail.get(key);
			if (list) list.push(user);
			else this.usersByEmail.set(key, [user]);
		}
	}

	/** @private @param {SimUser} user */
	unindexUser(user) {
		this.usersById.delete(user.userId);
		this.usersByName.delete(user.userName.toLowerCase());
		if (user.email) {
			const key = user.email.toLowerCase();
			const list = (this.usersByEmail.get(key) ?? []).filter((u) => u !== user);
			if (list.length) this.usersByEmail.set(key, list);
			else this.usersByEmail.delete(key);
		}
	}

	/**
	 * @private
	 * @param {string} clientName
	 */
	clientId(clientName) {
		const key = clientName.toLowerCase();
		let id = this.clientIdsByName.get(key);
		if (id === undefined) {
			id = this.nextClientId++;
			this.clientIdsByName.set(key, id);
		}
		return id;
	}

	/**
	 * @private
	 * @param {number} ownerId
	 * @param {import('./types').SeedSubclient} spec
	 */
	addSubclient(ownerId, spec) {
		/** @type {SimSubclient} */
		const sc = {
			kind: 'subclient',
			subclientId: this.nextSubclientId++,
			subclientName: spec.subclientName ?? 'default',
			clientId: this.clientId(spec.clientName),
			clientName: spec.clientName,
			appName: spec.appName ?? 'File System',
			instanceName: spec.instanceName ?? 'DefaultInstanceName',
			backupsetName: spec.backupsetName ?? 'defaultBackupSet',
			backupEnabled: spec.backupEnabled ?? true,
			ownerUserIds: [],
			ownerUserGroupIds: [],
			securityAssociations: [],
		};
		this.subclients.push(sc);
		this.subclientsById.set(sc.subclientId, sc);
		this.entitiesByClient.set(sc.clientId, [...(this.entitiesByClient.get(sc.clientId) ?? []), sc]);
		this.addOwner(sc, ownerId);
		this.addAssociation(sc, ownerId, OWNER_ROLE);
		return sc;
	}

	/**
	 * @private
	 * @param {number} ownerId
	 * @param {import('./types').SeedVmClient} spec
	 * @param {import('./rng').Rng} rng
	 */
	addVmClient(ownerId, spec, rng) {
		/** @type {SimVmClient} */
		const vm = {
			kind: 'vmClient',
			clientId: this.clientId(spec.vmName),
			vmName: spec.vmName,
			vmGUID: rng.guid().toLowerCase(),
			hypervisorName: spec.hypervisorName ?? 'vcenter01',
			backupEnabled: spec.backupEnabled ?? true,
			ownerUserIds: [],
			ownerUserGroupIds: [],
			securityAssociations: [],
		};
		this.vmClients.push(vm);
		this.vmClientsById.set(vm.clientId, vm);
		this.entitiesByClient.set(vm.clientId, [vm]);
		this.addOwner(vm, ownerId);
		this.addAssociation(vm, ownerId, OWNER_ROLE);
		return vm;
	}

	/** @private @param {SimEntity} entity @param {number} userId */
	addOwner(entity, userId) {
		if (!entity.ownerUserIds.includes(userId)) entity.ownerUserIds.push(userId);
		let set = this.ownedByUser.get(userId);
		if (!set) this.ownedByUser.set(userId, (set = new Set()));
		set.add(entity);
	}

	/** @private @param {SimEntity} entity @param {number} userId @param {{roleId: number, roleName: string}} role */
	addAssociation(entity, userId, role) {
		if (entity.securityAssociations.some((a) => a.userId === userId && a.roleId === role.roleId)) return;
		entity.securityAssociations.push({ userId, roleId: role.roleId, roleName: role.roleName });
		let set = this.assocByUser.get(userId);
		if (!set) this.assocByUser.set(userId, (set = new Set()));
		set.add(entity);
	}

	/**
	 * Removes every role association of the user on the entity.
	 * @private @param {SimEntity} entity @param {number} userId @returns {number} how many were removed
	 */
	removeAssociations(entity, userId) {
		const before = entity.securityAssociations.length;
		entity.securityAssociations = entity.securityAssociations.filter((a) => a.userId !== userId);
		this.assocByUser.get(userId)?.delete(entity);
		return before - entity.securityAssociations.length;
	}

	/**
	 * Replaces the owners of one entity, keeping the owner index right (POST /Client/{id}, ownership.js).
	 * @param {SimEntity} entity @param {number[]} userIds @param {number[]} userGroupIds
	 */
	setEntityOwners(entity, userIds, userGroupIds) {
		for (const id of entity.ownerUserIds) this.ownedByUser.get(id)?.delete(entity);
		entity.ownerUserIds = [];
		for (const id of userIds) this.addOwner(entity, id);
		entity.ownerUserGroupIds = [...new Set(userGroupIds)];
	}

	/**
	 * Adds a role association of a user on an entity (POST /Security, ownership.js); none twice.
	 * @param {SimEntity} entity @param {number} userId @param {{roleId: number, roleName: string}} role
	 */
	associate(entity, userId, role) {
		this.addAssociation(entity, userId, role);
	}

	/**
	 * Removes the user's association with that role on the entity (or every role when roleId is undefined).
	 * @param {SimEntity} entity @param {number} userId @param {number} [roleId] @returns {number} how many were removed
	 */
	dissociate(entity, userId, roleId) {
		if (roleId === undefined) return this.removeAssociations(entity, userId);
		const before = entity.securityAssociations.length;
		entity.securityAssociations = entity.securityAssociations.filter((a) => !(a.userId === userId && a.roleId === roleId));
		if (!entity.securityAssociations.some((a) => a.userId === userId)) this.assocByUser.get(userId)?.delete(entity);
		return before - entity.securityAssociations.length;
	}

	/** The subclients of a client, or the VM client itself. @param {number} clientId @returns {SimEntity[]} */
	entitiesOfClient(clientId) {
		return this.entitiesByClient.get(clientId) ?? [];
	}

	// ---------------------------------------------------------------- look-ups

	/** @param {number} userId @returns {SimUser | undefined} */
	getUserById(userId) {
		return this.usersById.get(userId);
	}

	/** Exact stored userName, case-insensitive. @param {string} userName @returns {SimUser | undefined} */
	getUserByName(userName) {
		return this.usersByName.get(userName.toLowerCase());
	}

	/** @param {string} email @returns {SimUser[]} */
	getUsersByEmail(email) {
		return this.usersByEmail.get(email.toLowerCase()) ?? [];
	}

	/**
	 * Convenience for tests: a user by id (number or digit string) or by name.
	 * @param {number | string} idOrName
	 * @returns {SimUser | undefined}
	 */
	getUser(idOrName) {
		if (typeof idOrName === 'number') return this.getUserById(idOrName);
		if (/^\d+$/.test(idOrName)) return this.getUserById(Number(idOrName)) ?? this.getUserByName(idOrName);
		return this.getUserByName(idOrName);
	}

	/** @param {number} userGroupId */
	getUserGroupById(userGroupId) {
		return this.userGroupsById.get(userGroupId);
	}

	/** @param {string} name */
	getUserGroupByName(name) {
		return this.userGroupsByName.get(name.toLowerCase());
	}

	/** Subclients the user owns. @param {number} userId @returns {SimSubclient[]} */
	subclientsOwnedBy(userId) {
		/** @type {SimSubclient[]} */
		const out = [];
		for (const e of this.ownedByUser.get(userId) ?? []) if (e.kind === 'subclient') out.push(e);
		return out;
	}

	/** VM clients the user owns. @param {number} userId @returns {SimVmClient[]} */
	vmClientsOwnedBy(userId) {
		/** @type {SimVmClient[]} */
		const out = [];
		for (const e of this.ownedByUser.get(userId) ?? []) if (e.kind === 'vmClient') out.push(e);
		return out;
	}

	/** Entities on which the user has a role association. @param {number} userId @returns {SimEntity[]} */
	associationsOf(userId) {
		return [...(this.assocByUser.get(userId) ?? [])];
	}

	/** Events of one user. @param {number} userId */
	eventsOf(userId) {
		return this.events.filter((e) => e.userId === userId);
	}

	// ---------------------------------------------------------------- operations

	/**
	 * @private
	 * @param {Omit<SimEvent, 'seq' | 'at'>} event
	 * @returns {SimEvent}
	 */
	pushEvent(event) {
		/** @type {SimEvent} */
		const full = { seq: ++this.eventSeq, at: Date.now(), ...event };
		this.events.push(full);
		return full;
	}

	/**
	 * POST /User/Offboard semantics (documentation.commvault.com rest_api_post_offboard_user):
	 * every subclient and VM client the user OWNS → remove the user as owner, disable backup,
	 * remove the user's role association(s) on it. Role associations on entities the user does
	 * not own are left alone. A second call finds nothing left and succeeds with no change.
	 * @param {SimUser} user
	 * @param {string | null} by
	 * @param {'userName' | 'userId'} matchedBy
	 * @returns {{ errorCode: number, errorMessage: string, event: SimEvent }}
	 */
	offboard(user, by, matchedBy) {
		if (user.offboardError) {
			const { errorCode, errorMessage } = user.offboardError;
			const event = this.pushEvent({ type: 'offboard', userId: user.userId, userName: user.userName, errorCode, errorMessage, by, matchedBy });
			return { errorCode, errorMessage, event };
		}
		/** @type {SimChange} */
		const changed = { subclients: [], vmClients: [], ownershipsRemoved: 0, backupsDisabled: 0, roleAssociationsRemoved: 0 };
		const owned = [...(this.ownedByUser.get(user.userId) ?? [])];
		const leftOwned = this.offboardLeavesOwner ? owned[0] : undefined;
		for (const entity of owned) {
			if (entity !== leftOwned) {
				entity.ownerUserIds = entity.ownerUserIds.filter((id) => id !== user.userId);
				changed.ownershipsRemoved++;
			}
			if (entity.backupEnabled) {
				entity.backupEnabled = false;
				changed.backupsDisabled++;
			}
			changed.roleAssociationsRemoved += this.removeAssociations(entity, user.userId);
			if (entity.kind === 'subclient') changed.subclients.push(entity.subclientId);
			else changed.vmClients.push(entity.clientId);
		}
		if (leftOwned) this.ownedByUser.set(user.userId, new Set([leftOwned]));
		else this.ownedByUser.delete(user.userId);
		this.leaver.syncLaptopOwners(owned.map((e) => e.clientId));
		const errorMessage = `Successfully offboarded user ${user.userId}`;
		const event = this.pushEvent({ type: 'offboard', userId: user.userId, userName: user.userName, errorCode: 0, errorMessage, by, matchedBy, changed });
		return { errorCode: 0, errorMessage, event };
	}

	/**
	 * PUT /User/{id}/Enable|Disable (idempotent).
	 * @param {SimUser} user
	 * @param {boolean} enabled
	 * @param {string | null} by
	 */
	setEnabled(user, enabled, by) {
		user.enabled = enabled;
		return this.pushEvent({ type: enabled ? 'enable' : 'disable', userId: user.userId, userName: user.userName, errorCode: 0, by });
	}

	/**
	 * Property update (POST /User/{id}, PUT /V4/user/{id}).
	 * @param {SimUser} user
	 * @param {{ email?: string, fullName?: string, description?: string, enabled?: boolean }} props
	 * @param {string | null} by
	 */
	updateUser(user, props, by) {
		if (props.email !== undefined && props.email !== user.email) {
			this.unindexUser(user);
			user.email = props.email;
			this.indexUser(user);
		}
		if (props.fullName !== undefined) user.fullName = props.fullName;
		if (props.description !== undefined) user.description = props.description;
		if (props.enabled !== undefined && props.enabled !== user.enabled) {
			user.enabled = props.enabled;
			this.pushEvent({ type: props.enabled ? 'enable' : 'disable', userId: user.userId, userName: user.userName, errorCode: 0, by });
		}
		return this.pushEvent({ type: 'update', userId: user.userId, userName: user.userName, errorCode: 0, by });
	}

	/**
	 * Sets a user's user groups (PUT /V4/user/{id} with userGroupOperation).
	 * @param {SimUser} user
	 * @param {number[]} groupIds
	 * @param {string | null} by
	 */
	setUserGroups(user, groupIds, by) {
		user.userGroupIds = [...groupIds];
		return this.pushEvent({ type: 'update', userId: user.userId, userName: user.userName, errorCode: 0, by });
	}

	/**
	 * DELETE /User/{id}?newUserId=&newUserGroupId= : transfers ownership of the user's entities
	 * to the new owner (user or user group), removes the user's role associations, removes the
	 * user from every index and list. Validation happens in the route.
	 * @param {SimUser} user
	 * @param {{ newUserId?: number, newUserGroupId?: number }} transferTo
	 * @param {string | null} by
	 */
	deleteUser(user, transferTo, by) {
		/** @type {SimChange} */
		const changed = { subclients: [], vmClients: [], ownershipsRemoved: 0, backupsDisabled: 0, roleAssociationsRemoved: 0, transferredTo: { ...transferTo } };
		const owned = [...(this.ownedByUser.get(user.userId) ?? [])];
		for (const entity of owned) {
			entity.ownerUserIds = entity.ownerUserIds.filter((id) => id !== user.userId);
			changed.ownershipsRemoved++;
			if (transferTo.newUserId) this.addOwner(entity, transferTo.newUserId);
			if (transferTo.newUserGroupId && !entity.ownerUserGroupIds.includes(transferTo.newUserGroupId)) {
				entity.ownerUserGroupIds.push(transferTo.newUserGroupId);
			}
			if (entity.kind === 'subclient') changed.subclients.push(entity.subclientId);
			else changed.vmClients.push(entity.clientId);
		}
		this.ownedByUser.delete(user.userId);
		for (const entity of [...(this.assocByUser.get(user.userId) ?? [])]) {
			changed.roleAssociationsRemoved += this.removeAssociations(entity, user.userId);
		}
		this.assocByUser.delete(user.userId);
		this.leaver.syncLaptopOwners(owned.map((e) => e.clientId));
		this.unindexUser(user);
		const index = this.users.indexOf(user);
		if (index >= 0) this.users.splice(index, 1);
		this.deletedUsers.push(user);
		return this.pushEvent({ type: 'delete', userId: user.userId, userName: user.userName, errorCode: 0, by, changed });
	}

	/**
	 * Records a failed operation on a known user (e.g. a delete refused for a missing owner).
	 * @param {SimEvent['type']} type
	 * @param {SimUser} user
	 * @param {number} errorCode
	 * @param {string} errorMessage
	 * @param {string | null} by
	 */
	recordFailure(type, user, errorCode, errorMessage, by) {
		return this.pushEvent({ type, userId: user.userId, userName: user.userName, errorCode, errorMessage, by });
	}

	/**
	 * Plain-JSON snapshot (for GET /__simulator/state).
	 * @param {{ summary?: boolean }} [options]
	 */
	snapshot(options = {}) {
		const counts = {
			users: this.users.length,
			deletedUsers: this.deletedUsers.length,
			subclients: this.subclients.length,
			vmClients: this.vmClients.length,
			userGroups: this.userGroups.length,
			events: this.events.length,
		};
		if (options.summary) return { counts, events: this.events };
		return {
			counts,
			users: this.users,
			deletedUsers: this.deletedUsers,
			subclients: this.subclients,
			vmClients: this.vmClients,
			userGroups: this.userGroups,
			events: this.events,
		};
	}

	/**
	 * Everything about one user (for GET /__simulator/state?user=…).
	 * @param {SimUser} user
	 */
	userSnapshot(user) {
		return {
			user,
			deleted: this.deletedUsers.includes(user),
			ownedSubclients: this.subclientsOwnedBy(user.userId),
			ownedVmClients: this.vmClientsOwnedBy(user.userId),
			roleAssociationsOn: this.associationsOf(user.userId).map((e) =>
				e.kind === 'subclient' ? { kind: e.kind, subclientId: e.subclientId, clientName: e.clientName } : { kind: e.kind, clientId: e.clientId, vmName: e.vmName },
			),
			events: this.eventsOf(user.userId),
			sessions: this.leaver.sessionsOf(user.userId),
			accessTokens: this.leaver.tokensOf(user.userId),
		};
	}
}

module.exports = { SimState, OWNER_ROLE, VIEW_ROLE, GENERATED_USER_BASE_ID };
