import { ExecutionRequestState } from '../../../../nodes/Commvault/state/requestState';

describe('the request state one execution shares', () => {
	const settings = { maxAttempts: 3, retryDelayMs: 0, timeoutMs: 1000, maxConcurrency: 1 };
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
