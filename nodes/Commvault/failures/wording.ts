import type { IDataObject } from 'n8n-workflow';

import { findCommvaultBodyError, htmlTitle, isHtml } from './bodyErrors';
import type { CommvaultFailure, NetworkExplanation, SsrfBlock } from './failure';
import { networkCodeNature, requestedWaitMs } from './failure';
import { withoutSecrets } from './redaction';

/*
 * What the user reads about a failure: Commvault's own words as the message, and what to do next as
 * the description. The errors that carry it are built in ./errors.ts.
 */

export interface FailureExplanation {
	message: string;
	description: string;
	/**
	 * What n8n's error panel shows under "Error code" (NodeApiError's `httpCode`, printed as text):
	 * Commvault's own code (`Commvault error 3`) when its reply carries one, else the HTTP status.
	 */
	httpCode?: string;
	/** The HTTP status the answer came with, e.g. 200 for a refusal inside a success (`details.httpStatus`). */
	httpStatus?: number;
	errorCode?: number | string;
}

/**
 * The "Error code" of a Commvault refusal. A refusal often arrives inside an HTTP 200, so the status
 * says nothing; Commvault's code is the one to look up or quote to its support. It is text, which
 * NodeApiError keeps as it is: only an all-digit 4xx/5xx code is swapped for a generic message, and
 * only when no message is given (n8n-workflow `NodeApiError.setDefaultStatusCodeMessage`).
 */
export function commvaultErrorCode(errorCode: number | string): string {
	return `Commvault error ${errorCode}`;
}

/** The Base URL forms Commvault's REST API answers at, for descriptions that say what to use. */
export const BASE_URL_FORMS =
	'https://host/commandcenter/api, https://host/webconsole/api or http://host:81/SearchSvc/CVWebService.svc';

function retryAfterText(headers: IDataObject | undefined): string {
	const waitMs = requestedWaitMs(headers);
	return waitMs === undefined ? '' : ` Commvault asked to wait ${Math.ceil(waitMs / 1000)} second(s).`;
}

/** Explains a failed request: Commvault's own words as the message, what to do as the description. */
export function explainFailure(failure: CommvaultFailure): FailureExplanation {
	const explanation = explainQuoted(failure);
	explanation.message = withoutSecrets(explanation.message);
	return explanation;
}

function explainQuoted(failure: CommvaultFailure): FailureExplanation {
	if (failure.kind === 'auth') return { message: failure.message, description: failure.description ?? '' };
	if (failure.kind === 'network') return explainNetwork(failure.code, failure.ssrf);
	return explainAnswer(failure.status, failure.body, failure.headers);
}

/**
 * An HTTP answer: Commvault's own error, an HTML page, or the bare status. With Commvault's own error
 * code in the body, that code is the error's code whatever the status (HTTP 200, 400, 500…); the
 * status stays in `details.httpStatus`.
 */
function explainAnswer(status: number, body: unknown, headers: IDataObject | undefined): FailureExplanation {
	const httpCode = String(status);
	const bodyError = findCommvaultBodyError(body);
	if (bodyError) {
		const { errorCode, message } = bodyError;
		return {
			message,
			description: nextStep({ status, errorCode, message, headers }) ?? NEXT_STEP.refused,
			httpCode: errorCode === undefined ? httpCode : commvaultErrorCode(errorCode),
			httpStatus: status,
			errorCode,
		};
	}
	const hint = nextStep({ status, message: '', headers });
	if (isHtml(body)) return { ...explainHtml(status, body, hint), httpStatus: status };
	const text = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
	return {
		message: `Commvault returned HTTP ${status}${text}`,
		description: hint ?? 'Commvault did not accept the request.',
		httpCode,
		httpStatus: status,
	};
}

function explainHtml(status: number, body: string, hint: string | undefined): FailureExplanation {
	const title = htmlTitle(body);
	const pageIs = title ? `an HTML page ("${title}")` : 'an HTML page';
	return {
		message: `Commvault answered with ${pageIs} instead of JSON (HTTP ${status})`,
		description:
			status >= 500
				? `A web server or proxy in front of Commvault failed. ${hint ?? ''}`.trim()
				: `The Base URL probably points at a web page rather than the REST API. Use ${BASE_URL_FORMS}.`,
		httpCode: String(status),
	};
}

const UNREACHABLE_DESCRIPTION = "Check the Base URL's host name and port, and that the Command Center is reachable from the n8n host.";

/** The wording for each kind of network failure in failures/failure.ts's table. */
const NETWORK_WORDING: Record<Exclude<NetworkExplanation, 'ssrf'>, { message: string; description: string }> = {
	refused: { message: 'Cannot reach Commvault: connection refused', description: UNREACHABLE_DESCRIPTION },
	notFound: { message: 'Cannot reach Commvault: host name not found', description: UNREACHABLE_DESCRIPTION },
	unreachable: { message: 'Cannot reach Commvault: host unreachable', description: UNREACHABLE_DESCRIPTION },
	connectTimeout: { message: 'Cannot reach Commvault: the connection attempt timed out', description: UNREACHABLE_DESCRIPTION },
	tls: {
		message: "Commvault's TLS certificate is not trusted",
		description:
			'Install the issuing CA on the n8n host, or turn on "Ignore SSL Issues (Insecure)" in the Commvault credential for a self-signed certificate. If the server only speaks HTTP, use an http:// Base URL.',
	},
	timeout: {
		message: 'Commvault did not answer in time',
		description: "The request timed out. The Command Center may be overloaded; raise the node's timeout or retry later.",
	},
	dropped: {
		message: 'The connection to Commvault was closed before it answered',
		description: 'A proxy or the Command Center may be restarting; retry later.',
	},
};

function explainNetwork(code: string | undefined, ssrf: SsrfBlock | undefined): FailureExplanation {
	if (ssrf) return explainSsrfBlock(ssrf);
	const explanation = networkCodeNature(code)?.explanation;
	if (explanation && explanation !== 'ssrf') return { ...NETWORK_WORDING[explanation] };
	return { message: 'The request to Commvault failed', description: 'No reply was received from Commvault.' };
}

/** What the n8n administrator sets so that n8n lets requests to this host through. */
function ssrfAllowHint({ kind, hostname }: SsrfBlock): string {
	if (!hostname) {
		return 'The n8n administrator can allow the Command Center with N8N_SSRF_ALLOWED_HOSTNAMES (its host name) or N8N_SSRF_ALLOWED_IP_RANGES (its address range).';
	}
	const ipv6 = hostname.includes(':');
	if (ipv6 || /^\d+(\.\d+){3}$/.test(hostname)) {
		const range = ipv6 ? `${hostname}/128` : `${hostname}/32`;
		return `The Base URL is an IP address, so the n8n administrator allows it with N8N_SSRF_ALLOWED_IP_RANGES (e.g. N8N_SSRF_ALLOWED_IP_RANGES=${range}).`;
	}
	const hostnameRule =
		kind === 'hostname'
			? `remove ${hostname} from N8N_SSRF_BLOCKED_HOSTNAMES, or add it to N8N_SSRF_ALLOWED_HOSTNAMES (which wins)`
			: `add ${hostname} to N8N_SSRF_ALLOWED_HOSTNAMES (e.g. N8N_SSRF_ALLOWED_HOSTNAMES=${hostname}), or its address range to N8N_SSRF_ALLOWED_IP_RANGES`;
	return `To let n8n reach the Command Center, the n8n administrator must ${hostnameRule}.`;
}

function explainSsrfBlock(ssrf: SsrfBlock): FailureExplanation {
	const where = ssrf.host ?? ssrf.hostname;
	return {
		message: `n8n's SSRF protection blocked the request to Commvault${where ? ` at ${where}` : ''}`,
		description: `n8n did not send it. n8n says: "${ssrf.explanation}" ${ssrfAllowHint(ssrf)}`,
	};
}

/** What a refusal says, as the table of next steps reads it. */
interface Refusal {
	status: number;
	errorCode?: number | string;
	/** Commvault's message; empty when the answer had none. */
	message: string;
	headers?: IDataObject;
}

const RUN_AGAIN = 'then run this item again';

/** The next steps, worded once: the table below picks one per refusal, and the look-ups reuse them. */
export const NEXT_STEP = {
	legalHold: `A legal hold keeps data this user owns, so Commvault did not go ahead. Ask your Commvault administrator (or legal team) whether the hold still applies; when it has been released in Command Center, run this item again.`,
	locked: `The Commvault account is locked. Ask your Commvault administrator to unlock it in Command Center (Manage > Security > Users), or wait until the lock ends, ${RUN_AGAIN}.`,
	askForRole: `Ask your Commvault administrator for a role with user management permissions on this user (or an access token whose scope includes this endpoint), ${RUN_AGAIN}.`,
	notFound: `Commvault did not find what the request names. Check the user (and any new owner) in Command Center (Manage > Security > Users) and the value mapped into the node's field, ${RUN_AGAIN}.`,
	userNotFound: `Commvault has no such user, or the account behind the credential cannot see it. Check the user in Command Center (Manage > Security > Users) and the value mapped into the User field (name, ID or email, exactly as Commvault shows it), ${RUN_AGAIN}.`,
	refused: `Commvault refused the request; its message above says why. Check the user in Command Center (Manage > Security > Users), or ask your Commvault administrator, ${RUN_AGAIN}.`,
} as const;

/**
 * What to do about a refusal: the first row that matches. Commvault documents few error codes, so
 * most situations are recognised by its message.
 */
const NEXT_STEPS: Array<{ when: (refusal: Refusal) => boolean; says: (refusal: Refusal) => string }> = [
	// No documented code: the simulator's errorCode 3 for a leaver under legal hold is invented
	// (simulator/seed-data.js), so only Commvault's message decides.
	{ when: ({ message }) => /legal hold/i.test(message), says: () => NEXT_STEP.legalHold },
	{ when: ({ message }) => /account is locked|account locked|locked out/i.test(message), says: () => NEXT_STEP.locked },
	{
		when: ({ status }) => status === 401,
		says: () =>
			'Commvault rejected the credential (HTTP 401) although n8n checked or renewed it. The access token may lack the scope for this endpoint, or the account was disabled; check the Commvault credential.',
	},
	// cvpysdk special-cases errorCode 5 with "Access denied" as a permission failure.
	{
		when: ({ status, errorCode, message }) => status === 403 || (Number(errorCode) === 5 && /access denied/i.test(message)),
		says: () => `The Commvault account behind this credential is not allowed to do this. ${NEXT_STEP.askForRole}`,
	},
	{
		when: ({ status }) => status === 429,
		says: ({ headers }) =>
			`Commvault is rate-limiting requests (HTTP 429).${retryAfterText(headers)} Wait a while, ${RUN_AGAIN}. For a large batch, lower Max Concurrent Requests, spread the run over time, or ask your Commvault administrator about the API rate limiter policy.`,
	},
	{ when: ({ status, message }) => status < 500 && /does not exist|not found|no such/i.test(message), says: () => NEXT_STEP.notFound },
	{
		when: ({ status }) => status === 404,
		says: () => `Commvault did not find this endpoint or object (HTTP 404). Check that the Base URL is one of ${BASE_URL_FORMS}.`,
	},
	{
		when: ({ status }) => status >= 500,
		says: ({ status, headers }) =>
			`Commvault's web server failed (HTTP ${status}).${retryAfterText(headers)} The Command Center may be restarting or overloaded; retry later, and check its WebServer logs if this persists.`,
	},
	{
		when: ({ status }) => status >= 400,
		says: ({ status }) => `Commvault did not accept the request (HTTP ${status}). Check the node's parameters, ${RUN_AGAIN}.`,
	},
];

function nextStep(refusal: Refusal): string | undefined {
	return NEXT_STEPS.find((row) => row.when(refusal))?.says(refusal);
}
