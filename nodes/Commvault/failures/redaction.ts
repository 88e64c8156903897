import type { JsonObject } from 'n8n-workflow';

import type { CommvaultFailure } from './failure';

// A proxy's or web server's error page may repeat the request: the Authtoken header (`QSDK …`) or
// a password field. What the node quotes from a reply passes through this first.
const TOKEN_IN_TEXT = /\b(QSDK|SAML|Bearer)\s+(?!\[redacted\])[^\s"',;<>]+/gi;
const SECRET_FIELD_IN_TEXT =
	/\b(authtoken|authorization|password)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:QSDK|SAML|Bearer) \[redacted\])[^\s"',;<>]+/gi;

export function withoutSecrets(text: string): string {
	return text
		.replace(TOKEN_IN_TEXT, (_match, kind: string) => `${kind} [redacted]`)
		.replace(SECRET_FIELD_IN_TEXT, (_match, name: string, separator: string) => `${name}${separator}[redacted]`);
}

/** Commvault's JSON reply to a failed request, for the item's `raw`, with any secret it repeats redacted. */
export function rawReplyOf(failure: CommvaultFailure): JsonObject | undefined {
	if (failure.kind !== 'http' || !failure.body || typeof failure.body !== 'object' || Array.isArray(failure.body)) return undefined;
	try {
		return JSON.parse(withoutSecrets(JSON.stringify(failure.body))) as JsonObject;
	} catch {
		// A redaction inside an escaped string can break the JSON: then the reply is left out.
		return undefined;
	}
}
