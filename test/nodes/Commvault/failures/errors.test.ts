import { NodeApiError } from 'n8n-workflow';

import { findCommvaultBodyError, isHtml } from '../../../../nodes/Commvault/failures/bodyErrors';
import { commvaultApiError } from '../../../../nodes/Commvault/failures/errors';
import { withoutSecrets } from '../../../../nodes/Commvault/failures/redaction';
import { explainFailure } from '../../../../nodes/Commvault/failures/wording';
import { extractFailure } from '../../../../nodes/Commvault/failures/failure';
import { NODE_TYPE, nodeUnderTest } from '../../../harness/engine';

const node = nodeUnderTest(NODE_TYPE, {});

describe('findCommvaultBodyError', () => {
	it('accepts errorCode 0 with a success message', () => {
		expect(findCommvaultBodyError({ errorCode: 0, errorMessage: 'Successfully offboarded user 1251' })).toBeUndefined();
	});

	it('reads a top-level errorCode and errorMessage', () => {
		expect(findCommvaultBodyError({ errorCode: 2, errorMessage: 'User does not exist' })).toEqual({
			errorCode: 2,
			message: 'User does not exist',
		});
	});

	it('treats a non-numeric error code as a failure', () => {
		expect(findCommvaultBodyError({ errorCode: 'E_FAIL' })).toEqual({
			errorCode: 'E_FAIL',
			message: 'Commvault returned error code E_FAIL',
		});
	});

	it('finds the failing entry of response[]', () => {
		const body = {
			response: [
				{ errorCode: 0, entity: { userId: 1 } },
				{ errorCode: 3, errorString: 'Cannot disable the admin user' },
			],
		};
		expect(findCommvaultBodyError(body)).toEqual({ errorCode: 3, message: 'Cannot disable the admin user' });
		expect(findCommvaultBodyError({ response: [{ errorCode: 0 }] })).toBeUndefined();
	});

	it('reads error.errorCode with errorMessage, errLogMessage or errorString', () => {
		expect(findCommvaultBodyError({ error: { errorCode: 5, errLogMessage: 'Token renewal failed' } })).toEqual({
			errorCode: 5,
			message: 'Token renewal failed',
		});
		expect(findCommvaultBodyError({ error: {} })).toBeUndefined();
		expect(findCommvaultBodyError({ token: 'QSDK x', error: { errorCode: 0 } })).toBeUndefined();
	});

	it('reads errList[] and ignores an empty one', () => {
		expect(findCommvaultBodyError({ errList: [{ errorCode: 1116, errLogMessage: 'Invalid Username or Password' }] })).toEqual({
			errorCode: 1116,
			message: 'Invalid Username or Password',
		});
		expect(findCommvaultBodyError({ token: 'QSDK x', errList: [] })).toBeUndefined();
	});

	it('ignores non-objects', () => {
		expect(findCommvaultBodyError('User logged out')).toBeUndefined();
		expect(findCommvaultBodyError(null)).toBeUndefined();
		expect(findCommvaultBodyError([{ errorCode: 2 }])).toBeUndefined();
	});
});

describe('explainFailure', () => {
	it("keeps Commvault's message for a failure in an HTTP 200", () => {
		const explanation = explainFailure({ kind: 'http', status: 200, body: { errorCode: 2, errorMessage: 'User [ghost] does not exist' } });
		expect(explanation.message).toBe('User [ghost] does not exist');
		expect(explanation.errorCode).toBe(2);
	});

	it("keeps Commvault's message on an HTTP error with a Commvault body, and adds the status hint; the code shown is Commvault's", () => {
		const explanation = explainFailure({ kind: 'http', status: 500, body: { errorCode: 1, errorMessage: 'Internal failure in CVWebService' } });
		expect(explanation.message).toBe('Internal failure in CVWebService');
		expect(explanation.description).toMatch(/HTTP 500/);
		expect(explanation.httpCode).toBe('Commvault error 1');
		expect(explanation.httpStatus).toBe(500);
	});

	it('shows the HTTP status as the code when the reply carries no Commvault code', () => {
		expect(explainFailure({ kind: 'http', status: 502, body: '' })).toMatchObject({ httpCode: '502', httpStatus: 502 });
		expect(explainFailure({ kind: 'http', status: 200, body: { errList: [{ errLogMessage: 'Session is not valid' }] } })).toMatchObject({ httpCode: '200', httpStatus: 200 });
	});

	const refusal = (status: number, errorCode: number, errorMessage: string) =>
		explainFailure({ kind: 'http', status, body: { errorCode, errorMessage } }).description;

	it.each([
		['a legal hold (matched on the message: its code is not documented)', 200, 3, 'Failed to offboard user [x]: one or more clients owned by the user are under legal hold.', /^A legal hold keeps data this user owns\b.*Ask your Commvault administrator \(or legal team\).*run this item again\.$/],
		['the same message under another code', 200, 17, 'Clients of the user are under Legal Hold', /^A legal hold keeps data/],
		['a locked account', 200, 2, 'User account is locked. Try again later or contact your administrator.', /^The Commvault account is locked\. Ask your Commvault administrator to unlock it .*then run this item again\.$/],
		['a missing permission (errorCode 5, Access denied)', 200, 5, 'Access denied', /^The Commvault account behind this credential is not allowed to do this\. Ask your Commvault administrator for a role .*then run this item again\.$/],
		['a missing permission (HTTP 403)', 403, 1, 'Operation not permitted', /^The Commvault account behind this credential is not allowed to do this\./],
		['a rate limit (HTTP 429)', 429, 1, 'Too many requests', /^Commvault is rate-limiting requests \(HTTP 429\)\. Wait a while, then run this item again\./],
		['something that does not exist', 200, 2, 'New owner user [4242] does not exist.', /^Commvault did not find what the request names\. Check the user \(and any new owner\) in Command Center .*then run this item again\.$/],
		['any other refusal', 200, 9, 'Cannot disable the admin user', /^Commvault refused the request; its message above says why\. Check the user in Command Center .*or ask your Commvault administrator, then run this item again\.$/],
	])('gives a next step for %s', (_case, status, code, message, step) => {
		expect(refusal(status, code, message)).toMatch(step);
	});

	it('says a 401 is the credential even when Commvault says "Access denied"', () => {
		expect(refusal(401, 5, 'Access denied')).toMatch(/^Commvault rejected the credential \(HTTP 401\)/);
	});

	it.each([
		[401, /credential/i],
		[403, /not allowed/i],
		[404, /Base URL/],
		[429, /rate-limiting/],
		[502, /restarting or overloaded/],
		[503, /restarting or overloaded/],
	])('explains HTTP %i with an actionable hint', (status, hint) => {
		const explanation = explainFailure({ kind: 'http', status, body: '' });
		expect(explanation.message).toBe(`Commvault returned HTTP ${status}`);
		expect(explanation.description).toMatch(hint);
	});

	it('quotes Retry-After on 429', () => {
		const explanation = explainFailure({ kind: 'http', status: 429, headers: { 'Retry-After': '7' } });
		expect(explanation.description).toContain('wait 7 second(s)');
	});

	it('names the title of an HTML error page', () => {
		const html = '<!DOCTYPE html><html><head><title>502 - Web server received an invalid response</title></head><body>x</body></html>';
		expect(isHtml(html)).toBe(true);
		const explanation = explainFailure({ kind: 'http', status: 502, body: html });
		expect(explanation.message).toBe(
			'Commvault answered with an HTML page ("502 - Web server received an invalid response") instead of JSON (HTTP 502)',
		);
	});

	it('says the Base URL is wrong when a web page comes back with 200', () => {
		const explanation = explainFailure({ kind: 'http', status: 200, body: '<html><head><title>Command Center</title></head></html>' });
		expect(explanation.description).toMatch(/\/commandcenter\/api/);
	});

	it.each([
		['DEPTH_ZERO_SELF_SIGNED_CERT', /Ignore SSL Issues/],
		['SELF_SIGNED_CERT_IN_CHAIN', /Ignore SSL Issues/],
		['ECONNREFUSED', /host name and port/],
		['ENOTFOUND', /host name and port/],
		['ECONNABORTED', /timed out/],
		['ETIMEDOUT', /timed out/],
		['ECONNRESET', /restarting/],
	])('explains the network failure %s', (code, hint) => {
		const explanation = explainFailure({ kind: 'network', code });
		expect(explanation.description).toMatch(hint);
		// The raw code would make n8n swap the message for its own generic text.
		expect(explanation.message).not.toContain(code);
	});

	it('says which network failure happened in the node error description', () => {
		const error = commvaultApiError(node, { kind: 'network', code: 'ECONNREFUSED' }, { itemIndex: 0 });
		expect(error.message).toBe('Cannot reach Commvault: connection refused');
		expect(error.description).toMatch(/\(ECONNREFUSED\)$/);
	});
});

describe("n8n's SSRF block", () => {
	// What n8n 2.41's SsrfBlockedIpError / SsrfBlockedHostnameError (@n8n/backend-network) carry.
	const blockedIp = (ip: string) =>
		Object.assign(new Error('The request was blocked because it resolves to a restricted IP address'), {
			name: 'SsrfBlockedIpError',
			description: `The target ${ip} is not allowed. This is a security measure to prevent Server-Side Request Forgery (SSRF).`,
		});
	const blockedHostname = (hostname: string) =>
		Object.assign(new Error('The request was blocked because the destination hostname is restricted'), {
			name: 'SsrfBlockedHostnameError',
			description: `The hostname '${hostname}' is on the configured deny-list.`,
			hostname,
		});
	const wrapped = (cause: Error) => Object.assign(new Error(cause.message), { name: 'NodeApiError', cause });

	it("is recognised through n8n's NodeApiError and names the Base URL's host, not only the address n8n resolved", () => {
		const failure = extractFailure(wrapped(blockedIp('10.1.2.3')), 'https://cc.corp.example:8443/commandcenter/api/User/Offboard');
		expect(failure).toEqual({
			kind: 'network',
			code: 'SSRF_BLOCKED',
			ssrf: {
				kind: 'ip',
				host: 'cc.corp.example:8443',
				hostname: 'cc.corp.example',
				explanation:
					'The request was blocked because it resolves to a restricted IP address. The target 10.1.2.3 is not allowed. This is a security measure to prevent Server-Side Request Forgery (SSRF).',
			},
		});
		const error = commvaultApiError(node, failure, { itemIndex: 0 });
		expect(error.message).toBe("n8n's SSRF protection blocked the request to Commvault at cc.corp.example:8443");
		expect(error.description).toBe(
			'Failed for item 1. n8n did not send it. n8n says: "The request was blocked because it resolves to a restricted IP address. The target 10.1.2.3 is not allowed. This is a security measure to prevent Server-Side Request Forgery (SSRF)." To let n8n reach the Command Center, the n8n administrator must add cc.corp.example to N8N_SSRF_ALLOWED_HOSTNAMES (e.g. N8N_SSRF_ALLOWED_HOSTNAMES=cc.corp.example), or its address range to N8N_SSRF_ALLOWED_IP_RANGES. (SSRF_BLOCKED)',
		);
		expect(error.errorResponse).toMatchObject({ networkCode: 'SSRF_BLOCKED' });
	});

	it.each([
		['http://10.20.30.40:81/SearchSvc/CVWebService.svc', 'N8N_SSRF_ALLOWED_IP_RANGES=10.20.30.40/32'],
		['https://[fd00::12]/commandcenter/api', 'N8N_SSRF_ALLOWED_IP_RANGES=fd00::12/128'],
	])('a Base URL that is an IP address (%s): the hint is an IP range (%s)', (url, hint) => {
		const { description } = explainFailure(extractFailure(blockedIp('x'), url));
		expect(description).toContain(`The Base URL is an IP address, so the n8n administrator allows it with N8N_SSRF_ALLOWED_IP_RANGES (e.g. ${hint}).`);
	});

	it('a host name on the deny-list: remove it from N8N_SSRF_BLOCKED_HOSTNAMES or allow it', () => {
		const { message, description } = explainFailure(extractFailure(blockedHostname('cc.corp.example'), 'https://cc.corp.example/x'));
		expect(message).toBe("n8n's SSRF protection blocked the request to Commvault at cc.corp.example");
		expect(description).toContain("The hostname 'cc.corp.example' is on the configured deny-list.");
		expect(description).toContain('remove cc.corp.example from N8N_SSRF_BLOCKED_HOSTNAMES, or add it to N8N_SSRF_ALLOWED_HOSTNAMES (which wins)');
	});

	it('without a URL it still names both variables', () => {
		const { message, description } = explainFailure(extractFailure(blockedIp('10.0.0.1')));
		expect(message).toBe("n8n's SSRF protection blocked the request to Commvault");
		expect(description).toContain('N8N_SSRF_ALLOWED_HOSTNAMES (its host name) or N8N_SSRF_ALLOWED_IP_RANGES (its address range)');
	});

	it('other errors are not taken for it', () => {
		expect(extractFailure(Object.assign(new Error('x'), { name: 'constructor' }))).toEqual({ kind: 'network' });
	});
});

describe('commvaultApiError', () => {
	it('builds a NodeApiError with the item, the subject and no request data', () => {
		const error = commvaultApiError(
			node,
			{ kind: 'http', status: 200, body: { errorCode: 2, errorMessage: 'User [ghost] does not exist' } },
			{ itemIndex: 3, subject: 'user "ghost"' },
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('User [ghost] does not exist');
		expect(error.description).toMatch(/^Failed for item 4, user "ghost"\./);
		expect(error.context.itemIndex).toBe(3);
		expect(error.errorResponse).toEqual({
			message: 'User [ghost] does not exist',
			httpStatus: 200,
			commvaultErrorCode: 2,
			subject: 'user "ghost"',
			raw: { errorCode: 2, errorMessage: 'User [ghost] does not exist' },
		});
	});

	it("keeps Commvault's JSON reply as raw, with any secret it repeats redacted", () => {
		const body = { errorCode: 5, errorMessage: 'Access denied', request: { headers: { Authtoken: 'QSDK 3f2a9c' }, password: 'hunter2' } };
		const error = commvaultApiError(node, { kind: 'http', status: 403, body });
		expect(error.errorResponse?.raw).toEqual({ errorCode: 5, errorMessage: 'Access denied', request: { headers: { Authtoken: 'QSDK [redacted]' }, password: '[redacted]' } });
		expect(JSON.stringify(error)).not.toMatch(/3f2a9c|hunter2/);
	});

	it("shows Commvault's code, not the HTTP 200 its refusal came in, as the error's code; n8n keeps it and the message", () => {
		const error = commvaultApiError(node, {
			kind: 'http',
			status: 200,
			body: { errorCode: 3, errorMessage: 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.' },
		});
		// n8n's error panel prints httpCode under "Error code".
		expect(error.httpCode).toBe('Commvault error 3');
		expect(error.message).toBe('Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.');
		expect(error.errorResponse).toMatchObject({ httpStatus: 200, commvaultErrorCode: 3 });
	});

	it("does not let n8n replace a message that mentions a network code", () => {
		const error = commvaultApiError(node, { kind: 'http', status: 200, body: { errorCode: 9, errorMessage: 'Backend ECONNRESET to CommServe' } });
		expect(error.message).toBe('Backend ECONNRESET to CommServe');
	});
});

describe('withoutSecrets', () => {
	it('blanks a session or access token and header or field values that carry secrets', () => {
		expect(withoutSecrets('authtoken: QSDK 3a9f0c1e77b2 host: cc')).toBe('authtoken: QSDK [redacted] host: cc');
		expect(withoutSecrets('{"token":"QSDK abc123","userName":"admin"}')).toBe('{"token":"QSDK [redacted]","userName":"admin"}');
		expect(withoutSecrets('Authorization=Bearer-xyz; password: "c2VjcmV0"')).toBe('Authorization=[redacted]; password: "[redacted]"');
	});

	it("leaves Commvault's own words alone", () => {
		const message = 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.';
		expect(withoutSecrets(message)).toBe(message);
		expect(withoutSecrets('Invalid password for user admin')).toBe('Invalid password for user admin');
	});

	it('applies to every text the mapper quotes: a plain-text body, an HTML title, a JSON error message', () => {
		const echoed = 'Bad Request. The request was:\nPOST /commandcenter/api/User/Offboard HTTP/1.1\nauthtoken: QSDK s3cr3t-token';
		expect(explainFailure({ kind: 'http', status: 400, body: echoed }).message).not.toContain('s3cr3t-token');
		expect(explainFailure({ kind: 'http', status: 502, body: '<html><title>Proxy error for Authtoken: QSDK s3cr3t-token</title></html>' }).message).not.toContain('s3cr3t-token');
		expect(explainFailure({ kind: 'http', status: 200, body: { errorCode: 5, errorMessage: 'rejected QSDK s3cr3t-token' } }).message).toBe('rejected QSDK [redacted]');
	});
});
