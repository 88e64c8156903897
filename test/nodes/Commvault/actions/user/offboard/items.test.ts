import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userById, userByName } from '../../../../../harness/engine';
import { accessTokenCredential, generatedUserName, passwordCredential, requestsTo, useSimulator, userNamedIn } from '../../../../../support/simulator';
import { byExpression, itemsFor, offboard } from './support';

describe('User → Offboard: items', () => {
	const sim = useSimulator({ generatedUsers: 200 });

	describe('continue on fail', () => {
		const batch = () => itemsFor('jdoe', 'ghost', '   ', 'rlee');

		it('"Continue" keeps every item, failed ones carrying the error', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: batch(),
				onError: 'continueRegularOutput',
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(output[0].json).toMatchObject({ userName: 'jdoe', status: 'offboarded' });
			expect(output[1].json.error).toMatch(/ghost/);
			expect(output[1].json.details).toMatchObject({ itemIndex: 1, subject: 'user "ghost"', reason: 'userNotFound' });
			expect(output[2].json).toMatchObject({ error: 'Item 3: the user is empty', details: { itemIndex: 2 } });
			expect(output[3].json).toMatchObject({ userName: 'rlee', status: 'offboarded' });
			// The unknown user is found missing by its look-up, so no offboard is sent for it.
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(2);
		});

		it('"Continue (using error output)" routes failed items to the error output', async () => {
			const { output, errorOutput, error } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: batch(),
				onError: 'continueErrorOutput',
				credentials: accessTokenCredential(sim),
			});

			expect(error).toBeUndefined();
			expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual([
				['jdoe', { item: 0 }],
				['rlee', { item: 3 }],
			]);
			expect(errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(errorOutput[0].json.error).toMatch(/ghost/);
			expect(errorOutput[1].json.error).toBe('Item 3: the user is empty');
		});
	});

	it('keeps order and pairedItem over 200 items', async () => {
		const logins = Array.from({ length: 200 }, (_, i) => generatedUserName(i + 1));
		const { output, error } = await runCommvaultNode({
			parameters: offboard(byExpression),
			items: itemsFor(...logins),
			credentials: passwordCredential(sim),
		});

		expect(error).toBeUndefined();
		expect(output).toHaveLength(200);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ userName: logins[index], status: 'offboarded' });
		});
		expect(requestsTo(sim, 'user/offboard').map((r) => userNamedIn(sim, r.body))).toEqual(logins);
		expect(requestsTo(sim, 'login')).toHaveLength(1);
	});

	describe('bad input fails the item and sends nothing', () => {
		it.each([
			['an empty name', userByName('={{ $json.login }}'), { login: '' }, 'Item 1: the user is empty'],
			['a whitespace-only name', userByName('={{ $json.login }}'), { login: ' \t ' }, 'Item 1: the user is empty'],
			['a non-numeric ID', userById('={{ $json.id }}'), { id: '12a' }, 'Item 1: "12a" is not a Commvault user ID'],
			['a zero ID', userById('={{ $json.id }}'), { id: 0 }, 'Item 1: "0" is not a Commvault user ID'],
			['a fractional ID', userById('={{ $json.id }}'), { id: 12.5 }, 'Item 1: "12.5" is not a Commvault user ID'],
			['an expression that resolves to nothing', userByName('={{ $json.missing }}'), {}, 'Item 1: no user given'],
			['an object instead of a name', userByName('={{ $json.user }}'), { user: { name: 'jdoe' } }, 'Item 1: the user is of type object, not a name or ID'],
			['a list of names', userByName('={{ $json.users }}'), { users: ['jdoe', 'rlee'] }, 'Item 1: the user is a list, not a name or ID'],
			['a huge string', userByName('={{ $json.login }}'), { login: 'x'.repeat(5000) }, 'Item 1: the user name is 5000 characters long'],
			['a name with a line break', userByName('={{ $json.login }}'), { login: 'jdoe\nrm -rf' }, 'Item 1: the user name contains control characters'],
		])('%s', async (_case, user, json, message) => {
			const { error } = await runCommvaultNode({
				parameters: offboard(user),
				items: [{ json }],
				credentials: accessTokenCredential(sim),
			});
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toBe(message);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(0);
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it.each([
			['an empty name typed in', userByName(''), 'Parameter "User" is required.'],
			['a non-numeric ID typed in', userById('12a'), 'A Commvault user ID is a whole number'],
		])('%s is refused by n8n before the node runs', async (_case, user, issue) => {
			await expect(
				runCommvaultNode({ parameters: offboard(user), credentials: accessTokenCredential(sim) }),
			).rejects.toThrow(issue);
			expect(sim.requests).toHaveLength(0);
		});

		it('fails only the bad items of a batch', async () => {
			const { output } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', '', 'x'.repeat(300), null, 'rlee'),
				onError: 'continueRegularOutput',
				credentials: accessTokenCredential(sim),
			});
			expect(output.map((i) => (i.json.error ? 'failed' : i.json.userName))).toEqual(['jdoe', 'failed', 'failed', 'failed', 'rlee']);
			expect(requestsTo(sim, 'user/offboard').map((r) => userNamedIn(sim, r.body))).toEqual(['jdoe', 'rlee']);
		});
	});
});
