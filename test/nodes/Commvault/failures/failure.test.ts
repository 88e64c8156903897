import {
	NETWORK_CODES,
	extractFailure,
	isRetryable,
	mayHaveActed,
	requestedWaitMs,
} from '../../../../nodes/Commvault/failures/failure';
import { explainFailure } from '../../../../nodes/Commvault/failures/wording';
import { authError } from '../../../../nodes/Commvault/auth/authRequest';

describe('retry policy', () => {
	it.each([
		[{ kind: 'http' as const, status: 429 }, true, true],
		[{ kind: 'network' as const, code: 'ECONNREFUSED' }, true, true],
		[{ kind: 'http' as const, status: 503 }, true, false],
		[{ kind: 'http' as const, status: 502 }, true, false],
		[{ kind: 'http' as const, status: 504 }, true, false],
		[{ kind: 'network' as const, code: 'ECONNRESET' }, true, false],
		[{ kind: 'network' as const, code: 'ECONNABORTED' }, true, false],
		[{ kind: 'http' as const, status: 500 }, false, false],
		[{ kind: 'http' as const, status: 401 }, false, false],
		[{ kind: 'http' as const, status: 404 }, false, false],
		[{ kind: 'http' as const, status: 200, body: { errorCode: 2 } }, false, false],
		[{ kind: 'network' as const, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, false, false],
		[{ kind: 'auth' as const, message: 'Invalid Username or Password', transient: false }, false, false],
		[{ kind: 'network' as const, code: 'SSRF_BLOCKED', ssrf: { kind: 'ip' as const, explanation: 'blocked' } }, false, false],
	])('%j: idempotent retry %s, non-idempotent retry %s', (failure, idempotent, nonIdempotent) => {
		expect(isRetryable(failure, true)).toBe(idempotent);
		expect(isRetryable(failure, false)).toBe(nonIdempotent);
	});

	it('knows which failures may come after Commvault acted', () => {
		expect(mayHaveActed({ kind: 'network', code: 'ECONNRESET' })).toBe(true);
		expect(mayHaveActed({ kind: 'http', status: 504 })).toBe(true);
		expect(mayHaveActed({ kind: 'http', status: 429 })).toBe(false);
		expect(mayHaveActed({ kind: 'network', code: 'ECONNREFUSED' })).toBe(false);
	});

	it('reads Retry-After in seconds or as a date, then X-RateLimit-Reset', () => {
		expect(requestedWaitMs({ 'Retry-After': '2' })).toBe(2000);
		expect(requestedWaitMs({ 'retry-after': '0.5' })).toBe(500);
		const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
		expect(requestedWaitMs({ 'retry-after': inFiveSeconds })).toBeGreaterThan(3000);
		expect(requestedWaitMs({ 'X-RateLimit-Reset': '3' })).toBe(3000);
		expect(requestedWaitMs({ 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 10) })).toBeGreaterThan(8000);
		expect(requestedWaitMs({ 'X-RateLimit-Period': '60' })).toBe(60_000);
		expect(requestedWaitMs({})).toBeUndefined();
	});
});

describe('the table of network codes', () => {
	it('retries a connection attempt that timed out, for any request: nothing was sent', () => {
		const failure = { kind: 'network' as const, code: 'ERR_SOCKET_CONNECTION_TIMEOUT' };
		expect(isRetryable(failure, true)).toBe(true);
		expect(isRetryable(failure, false)).toBe(true);
		expect(mayHaveActed(failure)).toBe(false);
		expect(explainFailure(failure).message).toBe('Cannot reach Commvault: the connection attempt timed out');
	});

	it.each(Object.keys(NETWORK_CODES))('%s: what the user is told agrees with what the node does', (code) => {
		const ssrf = code === 'SSRF_BLOCKED' ? { ssrf: { kind: 'ip' as const, explanation: 'Blocked.' } } : {};
		const failure = { kind: 'network' as const, code, ...ssrf };
		const { message, description } = explainFailure(failure);
		// "retry later" is only said of failures the node itself retries when the request is safe to repeat.
		if (/retry later/.test(description)) expect(isRetryable(failure, true)).toBe(true);
		// Only a failure after which Commvault may have acted keeps a request that is not safe to repeat from being sent again.
		expect(isRetryable(failure, false)).toBe(isRetryable(failure, true) && !mayHaveActed(failure));
		expect(message).not.toBe('The request to Commvault failed');
	});

	it('a login is retried after the same failures as a request', () => {
		for (const code of Object.keys(NETWORK_CODES)) {
			const failure = { kind: 'network' as const, code };
			expect([code, authError(failure, 'login').transient !== undefined]).toEqual([code, isRetryable(failure, true)]);
		}
		for (const status of [400, 404, 429, 500, 502, 503, 504]) {
			const failure = { kind: 'http' as const, status };
			expect([status, authError(failure, 'login').transient !== undefined]).toEqual([status, isRetryable(failure, true)]);
		}
	});
});

describe('extractFailure', () => {
	it('reads status, body and headers from an axios-style error wrapped by n8n', () => {
		const axiosError = Object.assign(new Error('Request failed with status code 429'), {
			code: 'ERR_BAD_REQUEST',
			config: { headers: { Authtoken: 'QSDK secret' } },
			response: { status: 429, data: { errorMessage: 'slow down' }, headers: { 'retry-after': '2' } },
		});
		const wrapped = Object.assign(new Error('wrapped'), { cause: axiosError });
		expect(extractFailure(wrapped)).toEqual({
			kind: 'http',
			status: 429,
			body: { errorMessage: 'slow down' },
			headers: { 'retry-after': '2' },
			code: 'ERR_BAD_REQUEST',
		});
	});

	it('reads a network error code', () => {
		const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		expect(extractFailure(Object.assign(new Error('x'), { cause }))).toEqual({ kind: 'network', code: 'ECONNREFUSED' });
	});

	it('passes on a login failure explained by the credential', () => {
		const cause = Object.assign(new Error('Invalid Username or Password. Check the username'), {
			commvaultAuthFailure: true,
			summary: 'Invalid Username or Password',
			description: 'Check the username',
		});
		expect(extractFailure(Object.assign(new Error('x'), { cause }))).toEqual({
			kind: 'auth',
			message: 'Invalid Username or Password',
			description: 'Check the username',
			transient: false,
		});
	});
});

