import { ExecutionPlan } from '../../../../nodes/Commvault/state/executionPlan';

describe('ExecutionPlan: what an execution reads once', () => {
	it('reads a key once for items asking at the same time, and again after forget', async () => {
		const plan = new ExecutionPlan();
		let reads = 0;
		const read = async () => ++reads;
		expect(await Promise.all([plan.once('k', read), plan.once('k', read), plan.once('k', read)])).toEqual([1, 1, 1]);
		plan.forget('k');
		expect(await plan.once('k', read)).toBe(2);
	});

	it('does not keep a failed read: the item that asked gets the error, the next one reads again', async () => {
		const plan = new ExecutionPlan();
		await expect(plan.once('k', async () => await Promise.reject(new Error('refused')))).rejects.toThrow('refused');
		expect(plan.has('k')).toBe(false);
		expect(await plan.once('k', async () => 'second')).toBe('second');
	});

	it('revises what was read the way the node changed it, without reading again; nothing read, nothing revised', async () => {
		const plan = new ExecutionPlan();
		plan.revise<number[]>('list', (list) => list.filter((n) => n !== 2));
		expect(plan.has('list')).toBe(false);
		let reads = 0;
		const read = async () => {
			reads++;
			return [1, 2, 3];
		};
		await plan.once('list', read);
		plan.revise<number[]>('list', (list) => list.filter((n) => n !== 2));
		expect(await plan.once('list', read)).toEqual([1, 3]);
		expect(reads).toBe(1);
	});
});
