import {
	ExecutionRequestState,
	retryWaitMs,
} from '../../../../nodes/Commvault/transport/retry';

describe('retry policy', () => {
	it('backs off exponentially with jitter, unless the server said how long', () => {
		for (let attempt = 1; attempt <= 4; attempt++) {
			const step = 100 * 2 ** (attempt - 1);
			const wait = retryWaitMs({ kind: 'http' as const, status: 503 }, attempt, 100);
			expect(wait).toBeGreaterThanOrEqual(step / 2);
			expect(wait).toBeLessThanOrEqual(step);
		}
		expect(retryWaitMs({ kind: 'http' as const, status: 503 }, 20, 1000)).toBeLessThanOrEqual(30_000);
		expect(retryWaitMs({ kind: 'http' as const, status: 429, headers: { 'retry-after': '1' } }, 3, 100)).toBe(1000);
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
			const failure = { kind: 'http' as const, status: 429, headers: { 'retry-after': '3600' } };
			state.refuseFor(3_600_000, failure);
			expect(state.refusal()?.failure).toBe(failure);
			await jest.advanceTimersByTimeAsync(3_600_001);
			expect(state.refusal()).toBeUndefined();
		});
	});
});
