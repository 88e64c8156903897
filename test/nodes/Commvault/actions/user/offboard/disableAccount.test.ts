import { Commvault } from '../../../../../../nodes/Commvault/Commvault.node';
import { audited, userById, userByName } from '../../../../../harness/engine';
import { offboardedItem } from '../../../../../support/expectations';
import { requestsTo, useSimulator } from '../../../../../support/simulator';
import { byExpression, offboardRuns } from './support';

describe('User → Offboard', () => {
	const sim = useSimulator();
	const { run, calls, writes, reasonOf } = offboardRuns(sim);

	describe('Also → Disable Account', () => {
		const DISABLE = { alsoDo: ['disableAccount'] };

		it('is the one way to disable the account: the options hold no other', () => {
			const options = new Commvault().description.properties.find((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('offboard'));
			const names = (options?.options ?? []).map((option) => option.name);
			expect(names).toContain('alsoDo');
			expect(names.filter((name) => /disable/i.test(name))).toEqual([]);
			const also = (options?.options ?? []).find((option) => option.name === 'alsoDo') as { options?: Array<{ value: string }> };
			expect(also.options?.filter((step) => /disable/i.test(step.value)).map((step) => step.value)).toEqual(['disableAccount']);
		});

		it('offboards, then disables the account', async () => {
			const { output, error } = await run(userByName('jdoe'), DISABLE);
			expect(error).toBeUndefined();
			expect(output[0].json).toEqual({
				...offboardedItem(1301, 'jdoe'),
				message: expect.stringMatching(/^Offboarded user /),
				disabled: true,
				steps: { disableAccount: 'done', logOffSessions: 'skipped', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' },
				...audited(['POST', '/User/Offboard'], ['PUT', '/User/1301/Disable']),
			});
			expect(calls()).toEqual(['GET user', 'POST user/offboard', 'PUT user/{id}/disable']);
			expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userId: 1301 });
			expect(requestsTo(sim, 'user/{id}/disable')[0].path).toBe('/commandcenter/api/User/1301/Disable');
			expect(sim.state.getUser('jdoe')?.enabled).toBe(false);
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
			expect(sim.state.eventsOf(1301).map((e) => e.type)).toEqual(['offboard', 'disable']);
		});

		it('does not disable when the offboard failed', async () => {
			const { error } = await run(userByName('legal.hold'), DISABLE);
			expect(error?.message).toMatch(/legal hold/);
			expect(requestsTo(sim, 'user/{id}/disable')).toHaveLength(0);
			expect(sim.state.getUser('legal.hold')?.enabled).toBe(true);
		});

		it('says that the offboard went through when only the disable failed', async () => {
			sim.queueResponse({ endpoint: 'user/{id}/disable', body: { response: [{ errorCode: 5, errorString: 'Insufficient privileges to disable the user' }] } });
			const { error } = await run(userById(1301), DISABLE);
			expect(error?.message).toBe('Insufficient privileges to disable the user');
			expect(error?.description).toMatch(/^The user was offboarded; only disabling the account afterwards failed\. Failed for item 1, user ID 1301\./);
			expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
		});

		it('fails an unknown user before sending anything that changes it', async () => {
			const { error } = await run(userByName('ghost'), DISABLE);
			expect(error?.message).toBe('User "ghost" not found in Commvault');
			expect(reasonOf(error)).toBe('userNotFound');
			expect(writes()).toHaveLength(0);
		});

		it('continues on fail with pairedItem, in both modes', async () => {
			const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: 'legal.hold' } }, { json: { login: 'rlee' } }];
			const regular = await run(byExpression, DISABLE, { items, onError: 'continueRegularOutput' });
			expect(regular.output.map((i) => [i.json.disabled ?? i.json.error, i.pairedItem])).toEqual([
				[true, { item: 0 }],
				['User "ghost" not found in Commvault', { item: 1 }],
				[expect.stringMatching(/legal hold/), { item: 2 }],
				[true, { item: 3 }],
			]);
			expect(regular.output[1].json.details).toMatchObject({ reason: 'userNotFound', itemIndex: 1 });

			sim.reset();
			const routed = await run(byExpression, DISABLE, { items, onError: 'continueErrorOutput' });
			expect(routed.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
			expect(routed.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		});
	});
});
