import { retryWaitMs } from '../../../../nodes/Commvault/transport/retry';

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
});
