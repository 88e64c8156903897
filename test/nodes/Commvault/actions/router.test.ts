import type { INodeExecutionData } from 'n8n-workflow';

import * as routerModule from '../../../../nodes/Commvault/actions/router';
import * as offboard from '../../../../nodes/Commvault/actions/user/offboard.operation';
import { runCommvaultNode, userByName } from '../../../harness/engine';
import { accessTokenCredential, useSimulator } from '../../../support/simulator';

// The router is exercised inside n8n's engine; only the operation it dispatches to is replaced,
// to give it failures and shapes no real Commvault call produces.
describe('router', () => {
	const sim = useSimulator({}, { reset: false });
	afterEach(() => jest.restoreAllMocks());

	const items = [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }];

	/** What the router hands to n8n, before n8n routes it (n8n empties those arrays as it goes). */
	function captureRouterResult(): { items: INodeExecutionData[][] } {
		const route = routerModule.router;
		const captured = { items: [] as INodeExecutionData[][] };
		jest.spyOn(routerModule, 'router').mockImplementation(async function (this: ThisParameterType<typeof route>) {
			const result = await route.call(this);
			captured.items = result.map((output) => [...output]);
			return result;
		});
		return captured;
	}

	it('refuses an operation it does not know', async () => {
		const { error } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'teleport', user: userByName('jdoe') },
			credentials: accessTokenCredential(sim),
		});
		expect(error?.message).toBe('The operation "teleport" is not supported for "user"');
	});

	it('links every output item to its input, also when an operation returns several', async () => {
		const severalForItemOne = async (itemIndex: number) =>
			itemIndex === 1 ? [{ part: 'a' }, { part: 'b' }] : { part: itemIndex };
		jest.spyOn(offboard, 'execute').mockImplementation(severalForItemOne as unknown as typeof offboard.execute);
		const { output } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('jdoe') },
			items,
			credentials: accessTokenCredential(sim),
		});
		expect(output).toEqual([
			{ json: { part: 0 }, pairedItem: { item: 0 } },
			{ json: { part: 'a' }, pairedItem: { item: 1 } },
			{ json: { part: 'b' }, pairedItem: { item: 1 } },
			{ json: { part: 2 }, pairedItem: { item: 2 } },
		]);
	});

	it('turns an unexpected error into a NodeOperationError for that item', async () => {
		jest.spyOn(offboard, 'execute').mockImplementation(async (itemIndex: number) => {
			if (itemIndex === 2) throw new TypeError('Cannot read properties of undefined');
			return { ok: true };
		});
		const { error } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('jdoe') },
			items,
			credentials: accessTokenCredential(sim),
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Cannot read properties of undefined');
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
	});

	it('when it stops, says which items were already carried out, also those after the failed one', async () => {
		jest.spyOn(offboard, 'execute').mockImplementation(async (itemIndex: number) => {
			// Index 1 fails at once; with three in flight, indices 2 and 3 still finish after it.
			if (itemIndex === 1) throw new Error('item 1 broke');
			return { ok: itemIndex };
		});
		const { error } = await runCommvaultNode({
			parameters: {
				resource: 'user',
				operation: 'offboard',
				user: userByName('jdoe'),
				requestOptions: { maxConcurrency: 3 },
			},
			items: [...items, { json: { n: 3 } }, { json: { n: 4 } }],
			credentials: accessTokenCredential(sim),
		});
		expect(error?.message).toBe('item 1 broke');
		// Numbered from 1, as n8n's panel shows them: indices 0, 2 and 3.
		expect(error?.description).toMatch(/Before the node stopped, it had already carried out items 1, 3–4\.$/);
	});

	it('with "Continue", gives the failed item the common fields, error and details', async () => {
		jest.spyOn(offboard, 'execute').mockImplementation(async (itemIndex: number) => {
			if (itemIndex === 0) throw new Error('first item broke');
			return { ok: itemIndex };
		});
		const { output } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('jdoe') },
			items,
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0]).toEqual({
			json: { status: 'failed', userId: null, userName: null, message: 'first item broke', error: 'first item broke', details: { itemIndex: 0 } },
			pairedItem: { item: 0 },
		});
		expect(output.slice(1).map((i) => i.json)).toEqual([{ ok: 1 }, { ok: 2 }]);
	});

	it('with "Continue (using error output)", marks the failed item for the error output', async () => {
		jest.spyOn(offboard, 'execute').mockImplementation(async (itemIndex: number) => {
			if (itemIndex === 1) throw new Error('second item broke');
			return { ok: itemIndex };
		});
		const returned = captureRouterResult();
		const { output, errorOutput } = await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('jdoe') },
			items,
			onError: 'continueErrorOutput',
			credentials: accessTokenCredential(sim),
		});

		const marker = Object.getOwnPropertyDescriptor(returned.items[0][1], 'error');
		expect(marker?.enumerable).toBe(false);
		expect(marker?.value).toMatchObject({ message: 'second item broke', context: { itemIndex: 1 } });
		expect(Object.getOwnPropertyDescriptor(returned.items[0][0], 'error')).toBeUndefined();
		// n8n 2.41 keeps json whole (an enumerable error would make it replace json with the message).
		const failed = { status: 'failed', userId: null, userName: null, message: 'second item broke', error: 'second item broke', details: { itemIndex: 1 } };
		expect(errorOutput).toEqual([{ json: { n: 1, ...failed }, pairedItem: { item: 1 } }]);
		expect(output.map((i) => i.json)).toEqual([{ ok: 0 }, { ok: 2 }]);
	});

	it('with "Continue (regular output)", leaves the failed item unmarked', async () => {
		jest.spyOn(offboard, 'execute').mockRejectedValue(new Error('broke'));
		const returned = captureRouterResult();
		await runCommvaultNode({
			parameters: { resource: 'user', operation: 'offboard', user: userByName('jdoe') },
			items,
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(returned.items[0]).toHaveLength(3);
		for (const item of returned.items[0]) expect(Object.getOwnPropertyDescriptor(item, 'error')).toBeUndefined();
	});
});
