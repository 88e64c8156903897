import { Expiring } from '../../../../nodes/Commvault/state/stores';

describe('a store whose entries expire', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('holds an entry for its lifetime and drops it after', () => {
		const store = new Expiring<string>(60_000);
		store.set('a', 'first');
		jest.advanceTimersByTime(60_000);
		expect(store.get('a')).toBe('first');
		jest.advanceTimersByTime(1);
		expect(store.get('a')).toBeUndefined();
		expect(store.values()).toEqual([]);
	});

	it('restarts the lifetime of an entry stored again', () => {
		const store = new Expiring<string>(1_000);
		store.set('a', 'first');
		jest.advanceTimersByTime(800);
		store.set('a', 'second');
		jest.advanceTimersByTime(800);
		expect(store.get('a')).toBe('second');
	});

	it('keeps at most its maximum, dropping the oldest first', () => {
		const store = new Expiring<number>(60_000, 2);
		store.set('a', 1);
		store.set('b', 2);
		store.set('c', 3);
		expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([undefined, 2, 3]);
	});

	it('hands out the stored objects themselves, so an older entry can be pointed at a newer value', () => {
		const store = new Expiring<{ next: string }>(60_000);
		store.set('old', { next: 'middle' });
		for (const entry of store.values()) if (entry.next === 'middle') entry.next = 'newest';
		expect(store.get('old')).toEqual({ next: 'newest' });
		store.delete('old');
		expect(store.get('old')).toBeUndefined();
	});
});
