// @ts-check
'use strict';

const crypto = require('node:crypto');

/** @typedef {import('./types').SimAccount} SimAccount */
/** @typedef {import('./types').SimAccessTokenSpec} SimAccessTokenSpec */
/** @typedef {import('./state').SimState} SimState */

/**
 * Who made an authorized request.
 * @typedef {object} AuthInfo
 * @property {'session' | 'access'} kind
 * @property {string} token            the token as presented
 * @property {string} userName
 * @property {number} userId
 * @property {string} userGUID
 */

/**
 * @typedef {object} Session
 * @property {string} token            'QSDK <hex>'
 * @property {string} userName
 * @property {number} userId
 * @property {string} userGUID
 * @property {number} createdAt
 * @property {number} lastUsedAt
 * @property {number} ttlMs
 * @property {string | null} deviceId
 * @property {number} requests
 */

/**
 * @typedef {{ ok: true, info: AuthInfo } | { ok: false, reason: 'missing' | 'invalid' | 'expired', token: string | null }} AuthResult
 */

const INVALID_CREDENTIALS = 'Invalid Username or Password';

/**
 * Strict base64 check (Commvault's Login takes the password as base64(utf8)).
 * @param {string} value
 * @returns {string | null} decoded text, or null if `value` is not canonical base64
 */
function decodeBase64Strict(value) {
	if (!value || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
	const buf = Buffer.from(value, 'base64');
	if (buf.toString('base64') !== value) return null;
	const text = buf.toString('utf8');
	// Reject byte sequences that are not valid UTF-8 (they decode to U+FFFD).
	if (Buffer.from(text, 'utf8').compare(buf) !== 0) return null;
	return text;
}

/** @param {SimAccount} account */
function accountFullName(account) {
	return account.domain ? `${account.domain}\\${account.username}` : account.username;
}

/** @param {SimAccount} account */
function accountKey(account) {
	return `${(account.domain ?? '').toLowerCase()}\\${account.username.toLowerCase()}`;
}

/**
 * Login accounts, session tokens (POST /Login) and API access tokens.
 */
class AuthService {
	/**
	 * @param {{ accounts: SimAccount[], accessTokens: SimAccessTokenSpec[], tokenTtlMs: number, state: SimState, lockAfterFailedLogins?: number }} options
	 */
	constructor(options) {
		/** @private */
		this.options = options;
		/** @type {Map<string, Session>} */
		this.sessions = new Map();
		/** @private @type {Map<string, { account: SimAccount, failedAttempts: number, lockedOut?: boolean }>} */
		this.accounts = new Map();
		/** @private @type {Map<string, string>} access token → owner user name */
		this.accessTokens = new Map();
		this.counters = { logins: 0, loginFailures: 0, logouts: 0, tokensIssued: 0, tokensExpired: 0 };
		this.reset();
	}

	reset() {
		this.sessions.clear();
		this.accounts.clear();
		this.accessTokens.clear();
		this.counters = { logins: 0, loginFailures: 0, logouts: 0, tokensIssued: 0, tokensExpired: 0 };
		for (const account of this.options.accounts) this.accounts.set(accountKey(account), { account, failedAttempts: 0 });
		const firstAccount = this.options.accounts[0];
		const defaultOwner = firstAccount ? accountFullName(firstAccount) : 'admin';
		for (const spec of this.options.accessTokens) {
			if (typeof spec === 'string') this.accessTokens.set(spec, defaultOwner);
			else this.accessTokens.set(spec.token, spec.userName ?? defaultOwner);
		}
	}

	/** @returns {number} tokenTtlMs */
	get tokenTtlMs() {
		return this.options.tokenTtlMs;
	}

	/**
	 * Resolves a user name to the simulated user (synthesised ids for accounts without a user).
	 * @private
	 * @param {string} userName
	 */
	resolveUser(userName) {
		const user = this.options.state.getUserByName(userName);
		if (user) return { userId: user.userId, userGUID: user.userGUID, user };
		// An account / token owner that is not in the user list (custom options): stable fake id.
		let h = 0;
		for (let i = 0; i < userName.length; i++) h = (Math.imul(h, 31) + userName.charCodeAt(i)) >>> 0;
		return { userId: 900000 + (h % 99999), userGUID: '00000000-0000-0000-0000-' + h.toString(16).toUpperCase().padStart(12, '0'), user: undefined };
	}

	/**
	 * POST /Login.
	 * @param {unknown} body
	 * @returns {Record<string, unknown>}
	 */
	login(body) {
		const b = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body) : {};
		const rawUser = typeof b.username === 'string' ? b.username.trim() : '';
		const rawPassword = typeof b.password === 'string' ? b.password : '';
		let domain = typeof b.domain === 'string' ? b.domain.trim() : '';
		let username = rawUser;
		const slash = rawUser.indexOf('\\');
		if (slash >= 0) {
			if (!domain) domain = rawUser.slice(0, slash);
			username = rawUser.slice(slash + 1);
		}
		if (!username || !rawPassword) return this.fail(0);

		let entry = this.accounts.get(`${domain.toLowerCase()}\\${username.toLowerCase()}`);
		if (!entry && !domain && username.includes('@')) {
			// "For Active Directory (AD) users, an email address can be used" (Login docs).
			const byEmail = this.options.state.getUsersByEmail(username);
			if (byEmail.length === 1) {
				const u = byEmail[0];
				for (const candidate of this.accounts.values()) {
					if (accountFullName(candidate.account).toLowerCase() === u.userName.toLowerCase()) entry = candidate;
				}
			}
		}
		if (!entry) return this.fail(0);
		const { account } = entry;
		if (account.locked || entry.lockedOut) {
			this.counters.loginFailures++;
			return {
				loginAttempts: entry.failedAttempts,
				remainingLockTime: account.lockSeconds ?? 1800,
				isAccountLocked: true,
				// errorCode invented; message modelled on cvpysdk's "User account is locked…" handling.
				errList: [{ errorCode: 2, errLogMessage: 'User account is locked. Try again later or contact your administrator.' }],
			};
		}
		const password = decodeBase64Strict(rawPassword);
		if (password === null || password !== account.password) {
			entry.failedAttempts++;
			// Commvault's account lockout policy locks an account after a number of failed logins
			// (the number is a CommCell setting; off unless the simulator is given one).
			const lockAfter = this.options.lockAfterFailedLogins ?? 0;
			if (lockAfter > 0 && entry.failedAttempts >= lockAfter) entry.lockedOut = true;
			return this.fail(entry.failedAttempts);
		}
		const fullName = accountFullName(account);
		const resolved = this.resolveUser(fullName);
		if (resolved.user && !resolved.user.enabled) {
			// Unverified wording: a disabled user cannot log in.
			this.counters.loginFailures++;
			return {
				loginAttempts: entry.failedAttempts,
				remainingLockTime: 0,
				isAccountLocked: false,
				errList: [{ errorCode: 2, errLogMessage: 'User account is disabled. Contact your administrator.' }],
			};
		}
		entry.failedAttempts = 0;
		const now = Date.now();
		// Login's optional `timeout` (minutes) can only shorten the simulator's tokenTtlMs, so
		// tests that shrink tokenTtlMs still see expiry even if the client asks for 30 minutes.
		const timeoutMinutes = typeof b.timeout === 'number' && b.timeout > 0 ? b.timeout : Infinity;
		const ttlMs = Math.min(this.options.tokenTtlMs, timeoutMinutes * 60_000);
		const token = `QSDK ${crypto.randomBytes(80).toString('hex')}`;
		this.sessions.set(token, {
			token,
			userName: resolved.user ? resolved.user.userName : fullName,
			userId: resolved.userId,
			userGUID: resolved.userGUID,
			createdAt: now,
			lastUsedAt: now,
			ttlMs,
			deviceId: typeof b.deviceId === 'string' ? b.deviceId : null,
			requests: 0,
		});
		this.counters.logins++;
		this.counters.tokensIssued++;
		const user = resolved.user;
		return {
			aliasName: String(resolved.userId),
			userGUID: resolved.userGUID,
			loginAttempts: 0,
			remainingLockTime: 0,
			smtpAddress: user ? user.email : '',
			userName: user ? user.userName : fullName,
			providerType: account.domain ? 2 : 1,
			ccn: 0,
			token,
			capability: 9663676416,
			forcePasswordChange: false,
			isAccountLocked: false,
			ownerOrganization: user && user.company
				? { GUID: '', providerId: user.company.id, providerDomainName: user.company.name }
				: { GUID: '', providerId: 0, providerDomainName: 'Commcell' },
			providerOrganization: { GUID: '', providerId: 0, providerDomainName: 'Commcell' },
			errList: [],
		};
	}

	/**
	 * @private
	 * @param {number} attempts
	 */
	fail(attempts) {
		this.counters.loginFailures++;
		// HTTP 200 with errList (cvpysdk reads errList[0].errLogMessage); errorCode invented.
		return {
			loginAttempts: attempts,
			remainingLockTime: 0,
			isAccountLocked: false,
			errList: [{ errorCode: 2, errLogMessage: INVALID_CREDENTIALS }],
		};
	}

	/**
	 * POST /Logout → the text Commvault documents for each case.
	 * @param {import('http').IncomingHttpHeaders} headers
	 * @returns {{ text: string, loggedOut: boolean, info: AuthInfo | null }}
	 */
	logout(headers) {
		const result = this.authenticate(headers, false);
		if (!result.ok) return { text: 'Invalid authorization token provided.', loggedOut: false, info: null };
		if (result.info.kind === 'session') this.sessions.delete(result.info.token);
		this.counters.logouts++;
		// An access token is not revoked by Logout (it is revoked from Command Center only).
		return { text: 'User logged out', loggedOut: true, info: result.info };
	}

	/**
	 * Validates the Authtoken / Authorization headers.
	 * @param {import('http').IncomingHttpHeaders} headers
	 * @param {boolean} [touch]  refresh the idle timer (default true)
	 * @returns {AuthResult}
	 */
	authenticate(headers, touch = true) {
		const rawAuthtoken = headers['authtoken'];
		const authtoken = (Array.isArray(rawAuthtoken) ? rawAuthtoken[0] : rawAuthtoken)?.trim() ?? '';
		const authorization = headers['authorization']?.trim() ?? '';
		if (authtoken) {
			if (authtoken.startsWith('QSDK ')) {
				const session = this.sessions.get(authtoken);
				if (session) return this.useSession(session, touch);
				return this.useAccessToken(authtoken.slice(5).trim(), authtoken);
			}
			const bearer = /^Bearer\s+(.+)$/i.exec(authtoken);
			if (bearer) return this.useAccessToken(bearer[1].trim(), authtoken);
			return { ok: false, reason: 'invalid', token: authtoken };
		}
		const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
		if (bearer) return this.useAccessToken(bearer[1].trim(), authorization);
		return { ok: false, reason: 'missing', token: null };
	}

	/**
	 * @private
	 * @param {Session} session
	 * @param {boolean} touch
	 * @returns {AuthResult}
	 */
	useSession(session, touch) {
		const now = Date.now();
		if (now - session.lastUsedAt > session.ttlMs) {
			this.sessions.delete(session.token);
			this.counters.tokensExpired++;
			return { ok: false, reason: 'expired', token: session.token };
		}
		if (touch) {
			session.lastUsedAt = now;
			session.requests++;
		}
		return { ok: true, info: { kind: 'session', token: session.token, userName: session.userName, userId: session.userId, userGUID: session.userGUID } };
	}

	/**
	 * @private
	 * @param {string} token
	 * @param {string} presented
	 * @returns {AuthResult}
	 */
	useAccessToken(token, presented) {
		const owner = this.accessTokens.get(token);
		if (owner === undefined) return { ok: false, reason: 'invalid', token: presented };
		const resolved = this.resolveUser(owner);
		return {
			ok: true,
			info: { kind: 'access', token: presented, userName: resolved.user ? resolved.user.userName : owner, userId: resolved.userId, userGUID: resolved.userGUID },
		};
	}

	/** Invalidates every session token (access tokens stay valid). @returns {number} how many */
	expireAllSessions() {
		const n = this.sessions.size;
		this.sessions.clear();
		this.counters.tokensExpired += n;
		return n;
	}
}

module.exports = { AuthService, decodeBase64Strict, accountFullName, INVALID_CREDENTIALS };
