import { runEachItem } from '../../../../nodes/Commvault/actions/runEachItem';

const tick = async () => await Promise.resolve();

describe('runEachItem', () => {
	it('runs every item once, starting them in order, never more than the limit at a time', async () => {
		const started: number[] = [];
		let running = 0;
		let most = 0;
		await runEachItem(['a', 'b', 'c', 'd', 'e'], 2, async (_item, index) => {
			started.push(index);
			most = Math.max(most, ++running);
			await tick();
			running--;
			return 'next';
		});
		expect(started).toEqual([0, 1, 2, 3, 4]);
		expect(most).toBe(2);
	});

	it('starts no further item after one says stop; those already running finish', async () => {
		const finished: number[] = [];
		await runEachItem([0, 1, 2, 3, 4, 5], 2, async (_item, index) => {
			await tick();
			finished.push(index);
			return index === 1 ? 'stop' : 'next';
		});
		expect(finished.sort()).toEqual([0, 1, 2]);
	});

	it('does nothing for no items', async () => {
		const fn = jest.fn(async () => 'next' as const);
		await runEachItem([], 4, fn);
		expect(fn).not.toHaveBeenCalled();
	});
});
