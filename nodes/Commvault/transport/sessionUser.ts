/**
 * The user a credential's access token acts as, as WhoAmI named it when the token was checked
 * (`preAuthentication`) or renewed, kept in this process so that the guard for the credential's own
 * user does not ask WhoAmI again on every execution (issue 25). Keyed by the token's fingerprint
 * (`tokenFingerprint`, a hash of the Base URL and the token; no secret is kept): another token, or the
 * same token on another server, is asked again. A renewed token keeps its user (the renewal rotates
 * the pair of the same user).
 */
const tokenUsers = new Map<string, { userName: string; at: number }>();
const MEMORY_TTL_MS = 24 * 3600_000;
const MAX_REMEMBERED = 1000;

function forgetOld(now: number) {
	for (const [key, entry] of tokenUsers) if (now - entry.at > MEMORY_TTL_MS) tokenUsers.delete(key);
	while (tokenUsers.size > MAX_REMEMBERED) tokenUsers.delete(tokenUsers.keys().next().value as string);
}

/** Remembers whose access token this is (a user name from WhoAmI, kept lower-case). */
export function rememberTokenUser(fingerprint: string, userName: string | undefined): void {
	if (!userName) return;
	const now = Date.now();
	forgetOld(now);
	tokenUsers.set(fingerprint, { userName: userName.toLowerCase(), at: now });
}

/** Whose access token this is, when this process has been told; undefined otherwise. */
export function tokenUserOf(fingerprint: string): string | undefined {
	const entry = tokenUsers.get(fingerprint);
	return entry && Date.now() - entry.at <= MEMORY_TTL_MS ? entry.userName : undefined;
}
