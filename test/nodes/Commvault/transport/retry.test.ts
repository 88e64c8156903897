import {
	DEFAULT_MAX_CONCURRENCY,
	requestOptions,
} from '../../../../nodes/Commvault/descriptions/requestOptions.description';
import {
	DEFAULT_SETTINGS,
	ExecutionRequestState,
	isRetryable,
	mayHaveBeenProcessed,
	requestedWaitMs,
	retryWaitMs,
} from '../../../../nodes/Commvault/transport/retry';

describe('retry policy', () => {
	it.each([
		[{ status: 429 }, true, true],
		[{ code: 'ECONNREFUSED' }, true, true],
		[{ status: 503 }, true, false],
		[{ status: 502 }, true, false],
		[{ status: 504 }, true, false],
		[{ code: 'ECONNRESET' }, true, false],
		[{ code: 'ECONNABORTED' }, true, false],
		[{ status: 500 }, false, false],
		[{ status: 401 }, false, false],
		[{ status: 404 }, false, false],
		[{ status: 200, body: { errorCode: 2 } }, false, false],
		[{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, false, false],
		[{ authMessage: 'Invalid Username or Password' }, false, false],
		[{ code: 'SSRF_BLOCKED', ssrf: { kind: 'ip' as const, explanation: 'blocked' } }, false, false],
	])('%j: idempotent retry %s, non-idempotent retry %s', (failure, idempotent, nonIdempotent) => {
		expect(isRetryable(failure, true)).toBe(idempotent);
		expect(isRetryable(failure, false)).toBe(nonIdempotent);
	});

	it('knows which failures may come after Commvault acted', () => {
		expect(mayHaveBeenProcessed({ code: 'ECONNRESET' })).toBe(true);
		expect(mayHaveBeenProcessed({ status: 504 })).toBe(true);
		expect(mayHaveBeenProcessed({ status: 429 })).toBe(false);
		expect(mayHaveBeenProcessed({ code: 'ECONNREFUSED' })).toBe(false);
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

	it('backs off exponentially with jitter, unless the server said how long', () => {
		for (let attempt = 1; attempt <= 4; attempt++) {
			const step = 100 * 2 ** (attempt - 1);
			const wait = retryWaitMs({ status: 503 }, attempt, 100);
			expect(wait).toBeGreaterThanOrEqual(step / 2);
			expect(wait).toBeLessThanOrEqual(step);
		}
		expect(retryWaitMs({ status: 503 }, 20, 1000)).toBeLessThanOrEqual(30_000);
		expect(retryWaitMs({ status: 429, headers: { 'retry-after': '1' } }, 3, 100)).toBe(1000);
	});

	describe('shared state of one execution', () => {
		const settings = { maxAttempts: 3, retryDelayMs: 0, timeoutMs: 1000 };
		beforeEach(() => jest.useFakeTimers());
		afterEach(() => jest.useRealTimers());

		it('a pause set by one request holds back every request, for the longest pause asked', async () => {
			const state = new ExecutionRequestState(settings);
			state.pauseFor(120);
			state.pauseFor(10);
			let released = 0;
			const waiting = [state.waitIfPaused(), state.waitIfPaused()].map(async (wait) => {
				await wait;
				released++;
			});
			await jest.advanceTimersByTimeAsync(100);
			expect(released).toBe(0);
			await jest.advanceTimersByTimeAsync(30);
			await Promise.all(waiting);
			expect(released).toBe(2);
		});

		it('a cancelled execution stops waiting', async () => {
			let cancelled = false;
			const state = new ExecutionRequestState(settings, () => cancelled);
			state.pauseFor(60_000);
			let released = false;
			const waiting = state.waitIfPaused().then(() => (released = true));
			await jest.advanceTimersByTimeAsync(1_500);
			expect(released).toBe(false);
			cancelled = true;
			await jest.advanceTimersByTimeAsync(1_000);
			await waiting;
			expect(released).toBe(true);
		});

		it('a refusal lasts as long as Commvault asked', async () => {
			const state = new ExecutionRequestState(settings);
			const failure = { status: 429, headers: { 'retry-after': '3600' } };
			state.refuseFor(3_600_000, failure);
			expect(state.refusal()?.failure).toBe(failure);
			await jest.advanceTimersByTimeAsync(3_600_001);
			expect(state.refusal()).toBeUndefined();
		});
	});
});

describe('request options', () => {
	it('show the same defaults the transport uses', () => {
		const defaults = Object.fromEntries(
			(requestOptions.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]),
		);
		expect(defaults).toEqual({ ...DEFAULT_SETTINGS, maxConcurrency: DEFAULT_MAX_CONCURRENCY });
	});
});
