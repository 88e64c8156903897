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

/**
 * An access token; `chain` is set for one created with a refresh token (it expires and is renewed).
 * @typedef {object} AccessToken
 * @property {string} owner
 * @property {number} issuedAt
 * @property {number} uses               authorized requests made with it
 * @property {boolean} [expiryCounted]    its first rejection as expired was counted
 * @property {Chain | null} chain
 */

/**
 * The create-and-renew chain of an access token with a refresh token.
 * @typedef {object} Chain
 * @property {string} owner
 * @property {number} createdAt
 * @property {{ accessToken: string, refreshToken: string }} current   the only pair that renews
 * @property {Set<string>} accessTokens    every access token the chain has had
 * @property {Set<string>} refreshTokens
 * @property {boolean} invalidated
 */

/** @typedef {{ account: SimAccount, failedAttempts: number, lockedOut?: boolean }} AccountEntry */

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

/**
 * The user, domain and (Base64) password of a Login body; `DOMAIN\\user` names the domain too.
 * @param {Record<string, unknown>} b
 */
function loginName(b) {
	const rawUser = typeof b.username === 'string' ? b.username.trim() : '';
	const password = typeof b.password === 'string' ? b.password : '';
	let domain = typeof b.domain === 'string' ? b.domain.trim() : '';
	const slash = rawUser.indexOf('\\');
	if (slash < 0) return { domain, username: rawUser, password };
	if (!domain) domain = rawUser.slice(0, slash);
	return { domain, username: rawUser.slice(slash + 1), password };
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
	 * @param {{ accounts: SimAccount[], accessTokens: SimAccessTokenSpec[], tokenTtlMs: number, state: SimState, lockAfterFailedLogins?: number, accessTokenLifetime?: { requests?: number, ms?: number }, refreshTokenTtlMs?: number, saas?: boolean }} options
	 */
	constructor(options) {
		/** @private */
		this.options = options;
		/** @type {Map<string, Session>} */
		this.sessions = new Map();
		/** @private @type {Map<string, AccountEntry>} */
		this.accounts = new Map();
		/** @private @type {Map<string, AccessToken>} access token → its owner and renewal chain */
		this.accessTokens = new Map();
		/** @private @type {Map<string, Chain>} refresh token → the chain it belongs to (current and older ones) */
		this.refreshTokens = new Map();
		this.counters = emptyCounters();
		this.reset();
	}

	reset() {
		this.sessions.clear();
		this.accounts.clear();
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.counters = emptyCounters();
		for (const account of this.options.accounts) this.accounts.set(accountKey(account), { account, failedAttempts: 0 });
		const firstAccount = this.options.accounts[0];
		const defaultOwner = firstAccount ? accountFullName(firstAccount) : 'admin';
		for (const spec of this.options.accessTokens) {
			if (typeof spec === 'string') this.accessTokens.set(spec, { owner: defaultOwner, issuedAt: Date.now(), uses: 0, chain: null });
			else this.addAccessToken(spec.token, spec.userName ?? defaultOwner, spec.refreshToken);
		}
	}

	/**
	 * Adds an access token, with its refresh token when it has one (a new renewal chain).
	 * @param {string} token
	 * @param {string} owner
	 * @param {string} [refreshToken]
	 */
	addAccessToken(token, owner, refreshToken) {
		/** @type {Chain | null} */
		let chain = null;
		if (refreshToken) {
			chain = { owner, createdAt: Date.now(), current: { accessToken: token, refreshToken }, accessTokens: new Set([token]), refreshTokens: new Set([refreshToken]), invalidated: false };
			this.refreshTokens.set(refreshToken, chain);
		}
		this.accessTokens.set(token, { owner, issuedAt: Date.now(), uses: 0, chain });
	}

	/** Commvault Cloud mode: Login answers data.authToken and the API takes only Authorization: Bearer. */
	get saas() {
		return this.options.saas === true;
	}

	/**
	 * POST /V4/AccessToken/Renew with `Authorization: Bearer <accessToken>` and body
	 * `{accessToken, refreshToken}` → a new pair at the root (documentation.commvault.com
	 * "using refresh tokens to renew access tokens"; Commvault MCP cv_api_client.py
	 * _refresh_access_token). Renewing with an older pair invalidates and deletes every access token
	 * of the chain (documentation.commvault.com/saas/using_refresh_tokens_to_renew_access_tokens.html).
	 * @param {import('http').IncomingHttpHeaders} headers
	 * @param {unknown} body
	 * @returns {{ status: number, json: Record<string, unknown> }}
	 */
	renewAccessToken(headers, body) {
		const b = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body) : {};
		const bearer = /^Bearer\s+(.+)$/i.exec(headers['authorization']?.trim() ?? '');
		const accessToken = typeof b.accessToken === 'string' ? b.accessToken : '';
		const refreshToken = typeof b.refreshToken === 'string' ? b.refreshToken : '';
		const chain = this.refreshTokens.get(refreshToken);
		// Error shape {error:{errorCode, errorMessage}} of V4 access-token answers; codes and HTTP statuses invented.
		const refuse = (/** @type {number} */ status, /** @type {string} */ errorMessage) => {
			this.counters.renewalFailures++;
			return { status, json: { error: { errorCode: status, errorMessage } } };
		};
		if (!bearer || bearer[1].trim() !== accessToken || !chain || !chain.accessTokens.has(accessToken)) {
			return refuse(401, 'Invalid access token or refresh token.');
		}
		if (chain.invalidated) return refuse(401, 'The access token chain was invalidated.');
		if (chain.current.accessToken !== accessToken || chain.current.refreshToken !== refreshToken) {
			this.invalidateChain(chain);
			return refuse(401, 'An older access token and refresh token were used. All access tokens in the chain were invalidated.');
		}
		if (Date.now() - chain.createdAt > (this.options.refreshTokenTtlMs ?? 90 * 24 * 3600_000)) {
			return refuse(401, 'The refresh token has expired.');
		}
		// Assumed (no source): the renewed access token stops working at once.
		this.accessTokens.delete(accessToken);
		const next = { accessToken: crypto.randomBytes(32).toString('hex'), refreshToken: crypto.randomBytes(32).toString('hex') };
		chain.current = next;
		chain.accessTokens.add(next.accessToken);
		chain.refreshTokens.add(next.refreshToken);
		this.refreshTokens.set(next.refreshToken, chain);
		this.accessTokens.set(next.accessToken, { owner: chain.owner, issuedAt: Date.now(), uses: 0, chain });
		this.counters.renewals++;
		// The documented reply's root: accessToken, refreshToken, tokenExpiryTimestamp, …
		// (https://api.commvault.com/docs/SP38/api/cv/OpenAPI3/renew-accesstoken; the expiry value is ours).
		// Commvault's newest SOAR connector code also unwraps a `tokenInfo` wrapper (splunk-soar-connectors/
		// commvaultcloud commit 67edaeb94c90, `_renew_token` L389-420), as V4 token create and update replies
		// nest (cvpysdk user.py L1502, L1570): the behaviour switch `renewalInTokenInfo` answers that way.
		const pair = { accessToken: next.accessToken, refreshToken: next.refreshToken, tokenExpiryTimestamp: Math.floor(Date.now() / 1000) + 1800 };
		const wrapped = this.options.state.leaver.behaviour.renewalInTokenInfo === true;
		return { status: 200, json: wrapped ? { tokenInfo: pair } : pair };
	}

	/**
	 * @private
	 * @param {Chain} chain
	 */
	invalidateChain(chain) {
		chain.invalidated = true;
		for (const token of chain.accessTokens) this.accessTokens.delete(token);
		this.counters.chainInvalidations++;
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
		const { domain, username, password } = loginName(b);
		if (!username || !password) return this.fail(0);
		const entry = this.findAccount(domain, username);
		if (!entry) return this.fail(0);
		const refused = this.refuseLogin(entry, password);
		if (refused) return refused;
		const fullName = accountFullName(entry.account);
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
		const token = this.openSession(b, resolved, fullName);
		return this.loginReply(token, entry.account, resolved, fullName);
	}

	/**
	 * The account a login names: `domain\user` or user and domain, else an AD user's email address.
	 * @private
	 * @param {string} domain
	 * @param {string} username
	 */
	findAccount(domain, username) {
		const entry = this.accounts.get(`${domain.toLowerCase()}\\${username.toLowerCase()}`);
		if (entry || domain || !username.includes('@')) return entry;
		// "For Active Directory (AD) users, an email address can be used" (Login docs).
		const byEmail = this.options.state.getUsersByEmail(username);
		if (byEmail.length !== 1) return undefined;
		let found;
		for (const candidate of this.accounts.values()) {
			if (accountFullName(candidate.account).toLowerCase() === byEmail[0].userName.toLowerCase()) found = candidate;
		}
		return found;
	}

	/**
	 * Refuses a locked account or a wrong password (counting failed attempts towards the lockout).
	 * @private
	 * @param {AccountEntry} entry
	 * @param {string} rawPassword  Base64, as Login takes it
	 * @returns {Record<string, unknown> | null}
	 */
	refuseLogin(entry, rawPassword) {
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
		if (password !== null && password === account.password) return null;
		entry.failedAttempts++;
		// Commvault's account lockout policy locks an account after a number of failed logins
		// (the number is a CommCell setting; off unless the simulator is given one).
		const lockAfter = this.options.lockAfterFailedLogins ?? 0;
		if (lockAfter > 0 && entry.failedAttempts >= lockAfter) entry.lockedOut = true;
		return this.fail(entry.failedAttempts);
	}

	/**
	 * Issues a session token for a successful login.
	 * @private
	 * @param {Record<string, unknown>} b  the Login body
	 * @param {ReturnType<AuthService['resolveUser']>} resolved
	 * @param {string} fullName
	 */
	openSession(b, resolved, fullName) {
		const now = Date.now();
		// Login's optional `timeout` (minutes) can only shorten the simulator's tokenTtlMs, so
		// tests that shrink tokenTtlMs still see expiry even if the client asks for 30 minutes.
		const timeoutMinutes = typeof b.timeout === 'number' && b.timeout > 0 ? b.timeout : Infinity;
		const ttlMs = Math.min(this.options.tokenTtlMs, timeoutMinutes * 60_000);
		const hex = crypto.randomBytes(80).toString('hex');
		const token = this.saas ? hex : `QSDK ${hex}`;
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
		return token;
	}

	/**
	 * Login's reply: Command Center's, or Commvault Cloud's `data.authToken`.
	 * @private
	 * @param {string} token
	 * @param {SimAccount} account
	 * @param {ReturnType<AuthService['resolveUser']>} resolved
	 * @param {string} fullName
	 * @returns {Record<string, unknown>}
	 */
	loginReply(token, account, resolved, fullName) {
		const user = resolved.user;
		if (this.saas) {
			// Commvault Cloud: `data.authToken`, "The Authentication Token that should be added to the
			// bearer token for all requests" (api.commvault.com SP32 AuthenticationOperations/login);
			// PowerShell SDK v2 Connect-CVCloud reads data.authToken (CommvaultPowerShell/custom/Module.cs L28-56).
			return { data: { authToken: token, userName: user ? user.userName : fullName, userGUID: resolved.userGUID } };
		}
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
		const bearerHeader = /^Bearer\s+(.+)$/i.exec(authorization);
		if (this.saas) {
			// Commvault Cloud takes `Authorization: Bearer` (Sentinel connector; PowerShell SDK v2 Module.cs L28-56).
			if (!bearerHeader) return { ok: false, reason: authtoken ? 'invalid' : 'missing', token: authtoken || null };
			const session = this.sessions.get(bearerHeader[1].trim());
			if (session) return this.useSession(session, touch);
			return this.useAccessToken(bearerHeader[1].trim(), authorization, touch);
		}
		if (authtoken) {
			if (authtoken.startsWith('QSDK ')) {
				const session = this.sessions.get(authtoken);
				if (session) return this.useSession(session, touch);
				return this.useAccessToken(authtoken.slice(5).trim(), authtoken, touch);
			}
			const bearer = /^Bearer\s+(.+)$/i.exec(authtoken);
			if (bearer) return this.useAccessToken(bearer[1].trim(), authtoken, touch);
			return { ok: false, reason: 'invalid', token: authtoken };
		}
		if (bearerHeader) return this.useAccessToken(bearerHeader[1].trim(), authorization, touch);
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
	useAccessToken(token, presented, touch = true) {
		const entry = this.accessTokens.get(token);
		if (entry === undefined) return { ok: false, reason: 'invalid', token: presented };
		if (entry.chain && this.accessTokenExpired(entry)) {
			this.counters.accessTokensExpired++;
			if (!entry.expiryCounted) this.counters.accessTokenExpiries++;
			entry.expiryCounted = true;
			return { ok: false, reason: 'expired', token: presented };
		}
		if (touch) entry.uses++;
		const resolved = this.resolveUser(entry.owner);
		return {
			ok: true,
			info: { kind: 'access', token: presented, userName: resolved.user ? resolved.user.userName : entry.owner, userId: resolved.userId, userGUID: resolved.userGUID },
		};
	}

	/**
	 * Access tokens with a refresh token expire: "valid for 30 minutes after creation" from 11.38,
	 * 2 hours on 11.44 (documentation.commvault.com, access tokens for REST APIs). The simulator's
	 * `accessTokenLifetime` sets the lifetime in ms, or in requests (the token answers that many
	 * authorized requests, then 401), so that tests see expiry without waiting.
	 * @private
	 * @param {AccessToken} entry
	 */
	accessTokenExpired(entry) {
		const lifetime = this.options.accessTokenLifetime ?? {};
		if (lifetime.ms !== undefined && Date.now() - entry.issuedAt >= lifetime.ms) return true;
		return lifetime.requests !== undefined && entry.uses >= lifetime.requests;
	}

	/** Invalidates every session token (access tokens stay valid). @returns {number} how many */
	expireAllSessions() {
		const n = this.sessions.size;
		this.sessions.clear();
		this.counters.tokensExpired += n;
		return n;
	}
}

/** @returns {{ logins: number, loginFailures: number, logouts: number, tokensIssued: number, tokensExpired: number, accessTokensExpired: number, accessTokenExpiries: number, renewals: number, renewalFailures: number, chainInvalidations: number }} */
function emptyCounters() {
	return { logins: 0, loginFailures: 0, logouts: 0, tokensIssued: 0, tokensExpired: 0, accessTokensExpired: 0, accessTokenExpiries: 0, renewals: 0, renewalFailures: 0, chainInvalidations: 0 };
}

module.exports = { AuthService, emptyCounters, decodeBase64Strict, accountFullName, INVALID_CREDENTIALS };
