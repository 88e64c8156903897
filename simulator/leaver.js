// @ts-check
'use strict';

/**
 * What a leaver leaves behind besides owned backups: logged-in sessions, access tokens and laptops
 * (Commvault Endpoint clients). Sources for each shape are in the handlers and in README.md.
 */

/** @typedef {import('./types').SimUser} SimUser */

/**
 * @typedef {object} SimSession
 * @property {string} sessionId
 * @property {number} browserSessionId
 * @property {number} userId
 * @property {number} loginTime            epoch seconds
 * @property {string} host
 * @property {number} consoleType          5 CommCell Console, 13 command line, 14 web-based console (docs)
 * @property {number} logoutTime           0 while active, else when it ended (epoch seconds; docs)
 */

/**
 * @typedef {object} SimListedToken
 * @property {number} accessTokenId
 * @property {string} tokenName
 * @property {number} userId
 * @property {string[]} scope
 */

/**
 * @typedef {object} SimLaptop
 * @property {number} clientId
 * @property {string} name
 * @property {number[]} ownerUserIds
 * @property {boolean} retired
 */

/**
 * @typedef {object} LeaverEvent
 * @property {'logoff' | 'revokeToken' | 'retire' | 'changeOwner' | 'removeGroups'} type
 * @property {number} [userId]
 * @property {number} [clientId]
 * @property {string | number} [subject]    session ID, token ID or client ID
 * @property {string | null} by
 */

/**
 * Switches a test can turn to show how the node copes with a form Commvault's material leaves open
 * (`sim.setBehaviour`, `POST /__simulator/behaviour`); `reset()` turns them back.
 * @typedef {object} LeaverBehaviour
 * @property {'objects' | 'strings' | 'all' | null} logOffIgnores   a DELETE /Sessions body form (or every form) answered `{}` without ending anything
 * @property {'adminConsole' | 'webConsole'} laptopShape    which documented GET /V4/Laptop shape is answered
 * @property {boolean} renewalInTokenInfo                    POST /V4/AccessToken/Renew answers under `tokenInfo`
 */

/** @returns {LeaverBehaviour} */
const defaultBehaviour = () => ({ logOffIgnores: null, laptopShape: 'adminConsole', renewalInTokenInfo: false });

/** Seeded sessions and tokens, by user name (our choice: who is logged in is not Commvault data we can quote). */
const SEED_SESSIONS = [
	{ userName: 'jdoe', host: 'LT-JDOE-01', consoleType: 14 },
	{ userName: 'jdoe', host: 'jdoe-phone', consoleType: 14 },
	{ userName: 'rlee', host: 'rlee-desk', consoleType: 5 },
	{ userName: 'acme\\asmith', host: 'acme-ws-017', consoleType: 13 },
	// One that already ended: "logoutTime … 0, if the user did not log off" (GET Session Details page).
	{ userName: 'jdoe', host: 'jdoe-old-laptop', consoleType: 14, ended: true },
];
const SEED_TOKENS = [
	{ userName: 'jdoe', tokenName: 'jdoe-reporting' },
	{ userName: 'jdoe', tokenName: 'jdoe-ci' },
	{ userName: 'rlee', tokenName: 'rlee-script' },
];
const SEED_EPOCH = 1735689600;

class LeaverState {
	/**
	 * @param {import('./state').SimState} state
	 * @param {{ revokeOthersAccessTokens?: boolean }} [options]
	 */
	constructor(state, options = {}) {
		this.state = state;
		/** false: revoking another user's access token is refused (whether Commvault allows it is UNVERIFIABLE). */
		this.revokeOthersAccessTokens = options.revokeOthersAccessTokens ?? true;
		/** @type {SimSession[]} */
		this.sessions = [];
		/** @type {SimListedToken[]} */
		this.tokens = [];
		/** @type {SimLaptop[]} */
		this.laptops = [];
		/** the laptop of each client ID @private @type {Map<number, SimLaptop>} */
		this.laptopsByClient = new Map();
		/** @type {LeaverEvent[]} */
		this.events = [];
		this.behaviour = defaultBehaviour();
		this.seed();
	}

	/** @private */
	seed() {
		let n = 0;
		for (const spec of SEED_SESSIONS) {
			const user = this.state.getUserByName(spec.userName);
			if (!user) continue;
			n++;
			const loginTime = SEED_EPOCH + n * 3600;
			const logoutTime = spec.ended ? loginTime + 1800 : 0;
			this.sessions.push({ sessionId: `sess-${user.userId}-${n}`, browserSessionId: 9000 + n, userId: user.userId, loginTime, host: spec.host, consoleType: spec.consoleType, logoutTime });
		}
		let id = 700;
		for (const spec of SEED_TOKENS) {
			const user = this.state.getUserByName(spec.userName);
			if (user) this.tokens.push({ accessTokenId: ++id, tokenName: spec.tokenName, userId: user.userId, scope: ['All'] });
		}
		// Laptops: every client named LT-… is a laptop owned by the owner of its subclients (our choice).
		/** @type {Map<number, SimLaptop>} */
		const byClient = new Map();
		for (const sc of this.state.subclients) {
			if (!sc.clientName.toUpperCase().startsWith('LT-')) continue;
			const laptop = byClient.get(sc.clientId) ?? { clientId: sc.clientId, name: sc.clientName, ownerUserIds: [], retired: false };
			for (const owner of sc.ownerUserIds) if (!laptop.ownerUserIds.includes(owner)) laptop.ownerUserIds.push(owner);
			byClient.set(sc.clientId, laptop);
		}
		this.laptops = [...byClient.values()];
		this.laptopsByClient = byClient;
	}

	/**
	 * A laptop's owners are its client's owners: after an owner change or an offboard they follow the
	 * subclients' owners (GET /V4/Laptop `owners` and GET /Client/{id} ownerAssociations describe one thing).
	 */
	syncLaptopOwners(/** @type {number[]} */ clientIds) {
		for (const clientId of new Set(clientIds)) {
			const laptop = this.laptopsByClient.get(clientId);
			if (!laptop) continue;
			/** @type {number[]} */
			const owners = [];
			for (const entity of this.state.entitiesOfClient(laptop.clientId)) for (const id of entity.ownerUserIds) if (!owners.includes(id)) owners.push(id);
			laptop.ownerUserIds = owners;
		}
	}

	/** The user's active sessions. @param {number} userId */
	sessionsOf(userId) {
		return this.sessions.filter((s) => s.userId === userId && s.logoutTime === 0);
	}

	/** Every session of the user, ended ones too, as GET /Session lists them. @param {number} userId */
	sessionHistoryOf(userId) {
		return this.sessions.filter((s) => s.userId === userId);
	}

	/** @param {Partial<LeaverBehaviour>} changes */
	setBehaviour(changes) {
		const known = Object.keys(defaultBehaviour());
		for (const [key, value] of Object.entries(changes ?? {})) {
			if (!known.includes(key)) throw new Error(`unknown behaviour ${key}; known: ${known.join(', ')}`);
			Object.assign(this.behaviour, { [key]: value });
		}
		return this.behaviour;
	}

	/** @param {number} userId */
	tokensOf(userId) {
		return this.tokens.filter((t) => t.userId === userId);
	}

	/** Laptops not retired. */
	activeLaptops() {
		return this.laptops.filter((l) => !l.retired);
	}

	/** @param {number} clientId */
	laptop(clientId) {
		return this.laptops.find((l) => l.clientId === clientId && !l.retired);
	}

	/** @param {string[]} ids @param {string | null} by @returns {string[]} the sessions ended */
	endSessions(ids, by) {
		const ended = this.sessions.filter((s) => ids.includes(s.sessionId) && s.logoutTime === 0);
		const now = Math.floor(Date.now() / 1000);
		for (const s of ended) s.logoutTime = now;
		for (const s of ended) this.events.push({ type: 'logoff', userId: s.userId, subject: s.sessionId, by });
		return ended.map((s) => s.sessionId);
	}

	/** @param {SimListedToken} token @param {string | null} by */
	revoke(token, by) {
		this.tokens = this.tokens.filter((t) => t !== token);
		this.events.push({ type: 'revokeToken', userId: token.userId, subject: token.accessTokenId, by });
	}

	/** @param {SimLaptop} laptop @param {string | null} by */
	retire(laptop, by) {
		laptop.retired = true;
		this.events.push({ type: 'retire', clientId: laptop.clientId, subject: laptop.clientId, by });
	}

}

// ---------------------------------------------------------------- handlers

/** @typedef {import('./routes').RouteContext} RouteContext */

const ok = (/** @type {unknown} */ json, status = 200) => ({ status, json });
const failure = (/** @type {number} */ errorCode, /** @type {string} */ errorMessage, status = 200) => ok({ errorCode, errorMessage }, status);
/** @param {RouteContext} ctx */
const leaverOf = (ctx) => /** @type {LeaverState} */ (ctx.state.leaver);
/** @param {RouteContext} ctx */
const by = (ctx) => (ctx.auth ? ctx.auth.userName : null);
/** @param {unknown} body @returns {Record<string, unknown> | null} */
const objectBody = (body) => (body && typeof body === 'object' && !Array.isArray(body) ? /** @type {Record<string, unknown>} */ (body) : null);

/**
 * GET /Session?userId= : `{sessions:[{sessionId, browserSessionId, loginTime, logoutTime, lastAccessedTime,
 * host, location, consoleType}], user:{userName, userId}}`
 * (https://documentation.commvault.com/v11/software/rest_api_get_session_details.html;
 * api.commvault.com SP32 UserOperations/get-sessions). Unknown or missing user: errorCode 2 (no source).
 * @param {RouteContext} ctx
 */
function getSessions(ctx) {
	const id = Number(ctx.query.get('userId'));
	const user = Number.isInteger(id) && id > 0 ? ctx.state.getUserById(id) : undefined;
	if (!user) return failure(2, `User [${ctx.query.get('userId') ?? ''}] does not exist.`);
	// Ended sessions stay listed with their logoutTime (the page's "0, if the user did not log off").
	const sessions = leaverOf(ctx)
		.sessionHistoryOf(user.userId)
		.map((s) => ({ sessionId: s.sessionId, browserSessionId: s.browserSessionId, loginTime: s.loginTime, logoutTime: s.logoutTime, lastAccessedTime: s.logoutTime || s.loginTime, host: s.host, location: '', consoleType: s.consoleType }));
	return ok({ sessions, user: { userName: user.userName, userId: user.userId } });
}

/**
 * DELETE /Sessions. The docs give only XML, `<Api_LogoffUsersRequest><sessions val="…"/>…`
 * (https://documentation.commvault.com/v11/expert/rest_api_delete_sessions.html), whose JSON form in
 * Commvault's usual XML-to-JSON spelling is `{"sessions":[{"val":"<id>"}]}` (our inference); Commvault's
 * Postman collection sends `{"sessions":["<id>", …]}` (phillipwilhelm/api-collections @d42ddb2a81f9,
 * `Commvault_Rest_API_-_Public/User_Operations/imported_from_collection.http` L90-100). Both end the
 * sessions here; which one a real Command Center honours is UNVERIFIABLE, so `logOffIgnores` can make one
 * form a no-op. The documented reply is an empty `<Api_LogoffUsersResponse />`: `{}`, either way.
 * Unknown session IDs are ignored (no source); a body without sessions fails with errorCode 2 (no source).
 * @param {RouteContext} ctx
 */
function deleteSessions(ctx) {
	const body = objectBody(ctx.body);
	const list = body && Array.isArray(body.sessions) ? body.sessions : null;
	if (!list || list.length === 0) return failure(2, 'Invalid request: provide sessions.');
	const form = list.every((s) => typeof s === 'string') ? 'strings' : 'objects';
	const ids = list.map((s) => (typeof s === 'string' ? s : String(objectBody(s)?.val ?? '')));
	const ignores = leaverOf(ctx).behaviour.logOffIgnores;
	if (ignores !== form && ignores !== 'all') leaverOf(ctx).endSessions(ids, by(ctx));
	return ok({});
}

/**
 * GET /V4/AccessToken/?userId= (cvpysdk services.py L713, user.py L1595-1614: reads errorCode/errorMessage
 * on failure, returns the JSON). Entries carry `accessTokenId`, `tokenName` as cvpysdk's create/renew
 * replies do (user.py L1466-1469); the list's key `tokens` is no source.
 * @param {RouteContext} ctx
 */
function getTokens(ctx) {
	const id = Number(ctx.query.get('userId'));
	const user = Number.isInteger(id) && id > 0 ? ctx.state.getUserById(id) : undefined;
	if (!user) return failure(2, 'Requested Details not found', 404);
	const tokens = leaverOf(ctx).tokensOf(user.userId).map((t) => ({ accessTokenId: t.accessTokenId, tokenName: t.tokenName, scope: t.scope, userId: t.userId }));
	return ok({ tokens });
}

/**
 * DELETE /V4/AccessToken/{id}: `{errorCode: 0, errorMessage}` (cvpysdk services.py L711, user.py L1572-1593).
 * Unknown → 404 GenericResp (PSv2 OpenAPI L1463-1570). Whether an admin may revoke another user's token is
 * UNVERIFIABLE: option `revokeOthersAccessTokens: false` refuses it with errorCode 5 (wording: no source).
 * @param {RouteContext} ctx
 */
function deleteToken(ctx) {
	const leaver = leaverOf(ctx);
	const token = leaver.tokens.find((t) => t.accessTokenId === Number(ctx.params[0]));
	if (!token) return failure(2, 'Requested Details not found', 404);
	if (!leaver.revokeOthersAccessTokens && ctx.auth && ctx.auth.userId !== token.userId) {
		return failure(5, 'User does not have permission to revoke access tokens of another user.');
	}
	leaver.revoke(token, by(ctx));
	return ok({ errorCode: 0, errorMessage: '' });
}

/**
 * GET /V4/Laptop: LaptopsListAdminConsole, a bare array of `{id, name, owners:[{id,name}], username, email,
 * configured}` (PSv2 OpenAPI L6714, schema LaptopsAdminConsole). `username`/`email` are the first owner's
 * (our inference).
 * @param {RouteContext} ctx
 */
function getLaptops(ctx) {
	if (leaverOf(ctx).behaviour.laptopShape === 'webConsole') return ok(webConsoleLaptops(ctx));
	const list = leaverOf(ctx)
		.activeLaptops()
		.map((l) => {
			const owners = l.ownerUserIds.map((id) => ctx.state.getUserById(id)).filter((u) => u !== undefined).map((u) => /** @type {SimUser} */ (u));
			return { id: l.clientId, name: l.name, owners: owners.map((u) => ({ id: u.userId, name: u.userName })), username: owners[0]?.userName ?? '', email: owners[0]?.email ?? '', configured: true };
		});
	return ok(list);
}

/**
 * GET /V4/Laptop in its other documented shape, LaptopsListWebConsole: `{id, name, lastBackupTime,
 * totalBackupSize, …}` and no owners, user name or email (PSv2 OpenAPI L31393-31421; `LaptopsList` is a
 * oneOf of both, L31422-31426, and which one comes back is not stated). The values are ours.
 * @param {RouteContext} ctx
 */
function webConsoleLaptops(ctx) {
	return leaverOf(ctx)
		.activeLaptops()
		.map((l) => ({ id: l.clientId, name: l.name, lastBackupTime: SEED_EPOCH, totalBackupSize: 0 }));
}

let nextJobId = 51000;

/**
 * DELETE /Client/{id}/Retire: `{response: {errorCode, errorString}, jobId}`, `response` an object
 * (https://api.commvault.com/docs/SP32/api/cv/ClientOperations/retire-client; cvpysdk client.py L7844-7884).
 * Unknown client: errorCode 2 (wording: no source). The retired laptop leaves GET /V4/Laptop (our choice).
 * @param {RouteContext} ctx
 */
function retireClient(ctx) {
	const leaver = leaverOf(ctx);
	const laptop = leaver.laptop(Number(ctx.params[0]));
	if (!laptop) return ok({ response: { errorCode: 2, errorString: `Client [${ctx.params[0]}] does not exist.` } });
	leaver.retire(laptop, by(ctx));
	return ok({ response: { errorCode: 0, errorString: '' }, jobId: ++nextJobId });
}

/** Routes, ahead of the user routes (none of their suffixes overlap). @type {import('./routes').RouteDef[]} */
const LEAVER_ROUTES = [
	{ endpoint: 'session', pattern: /\/session$/i, methods: { GET: getSessions } },
	{ endpoint: 'sessions', pattern: /\/sessions$/i, methods: { GET: getSessions, DELETE: deleteSessions } },
	{ endpoint: 'v4/accesstoken/{id}', pattern: /\/v4\/accesstoken\/(\d+)$/i, methods: { DELETE: deleteToken } },
	{ endpoint: 'v4/accesstoken', pattern: /\/v4\/accesstoken$/i, methods: { GET: getTokens } },
	{ endpoint: 'v4/laptop', pattern: /\/v4\/laptop$/i, methods: { GET: getLaptops } },
	{ endpoint: 'client/{id}/retire', pattern: /\/client\/(\d+)\/retire$/i, methods: { DELETE: retireClient } },
];

module.exports = { LeaverState, LEAVER_ROUTES };
