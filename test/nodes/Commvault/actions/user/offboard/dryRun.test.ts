import type { IDataObject } from 'n8n-workflow';

import { userByEmail, userById, userByName } from '../../../../../harness/engine';
import { useSimulator } from '../../../../../support/simulator';
import { JDOE_DRY_RUN_PLAN, PREVIEW_SAYS } from '../../../../../support/expectations';
import { byExpression, offboardRuns } from './support';

describe('User → Offboard', () => {
	const sim = useSimulator();
	const { run, calls, writes } = offboardRuns(sim);

	describe('Dry Run', () => {
		const snapshot = () => JSON.stringify(sim.state.snapshot());

		it('looks the user up and reports the requests it would send, changing nothing', async () => {
			const before = snapshot();
			const { output, error } = await run(userByName('jdoe'), { dryRun: true, alsoDo: ['disableAccount'] });
			expect(error).toBeUndefined();
			expect(output[0].json).toEqual({
				...JDOE_DRY_RUN_PLAN,
				user: expect.objectContaining({ id: 1301, name: 'jdoe', email: 'jdoe@example.com', enabled: true }),
				impact: {
					subclients: [
						expect.objectContaining({ clientName: 'LT-JDOE-01', subclientName: 'default', role: 'Client Admins' }),
						expect.objectContaining({ clientName: 'LT-JDOE-01', subclientName: 'Documents', role: 'Client Admins' }),
						expect.objectContaining({ clientName: 'srv-fileshare01', subclientName: 'Projects', role: 'View' }),
					],
					clients: [
						{ clientId: expect.any(Number), clientName: 'vm-jdoe-dev01', role: 'Client Admins' },
						{ clientId: expect.any(Number), clientName: 'vm-jdoe-test02', role: 'Client Admins' },
					],
					userGroups: [{ id: 2, name: 'Laptop Users' }],
					sessions: [expect.objectContaining({ sessionId: 'sess-1301-1' }), expect.objectContaining({ sessionId: 'sess-1301-2' })],
					accessTokens: [
						{ id: 701, name: 'jdoe-reporting' },
						{ id: 702, name: 'jdoe-ci' },
					],
					laptops: [expect.objectContaining({ name: 'LT-JDOE-01', owners: [{ id: 1301, name: 'jdoe' }] })],
				},
				alsoSteps: { disableAccount: 'would disable the account', logOffSessions: 'skipped', revokeAccessTokens: 'skipped', removeFromUserGroups: 'skipped' },
				message: `Would offboard user "jdoe" (ID 1301), who holds a role on 3 subclients and 2 clients, then disable the account. Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
			});
			expect(writes()).toHaveLength(0);
			expect(calls()).toEqual(['GET user', 'GET user/{id}', 'GET session', 'GET v4/accesstoken', 'GET v4/laptop']);
			expect(snapshot()).toBe(before);
		});

		it('without Also → Disable Account, plans the offboard only', async () => {
			const { output } = await run(userByEmail('asmith@acme.example.com'), { dryRun: true });
			expect(output[0].json).toMatchObject({
				wouldDisable: false,
				requests: [{ method: 'POST', path: '/User/Offboard' }],
				status: 'wouldOffboard',
				message: `Would offboard user "acme\\asmith" (ID 1302), who holds a role on 1 subclient and 1 client. Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
			});
			expect(writes()).toHaveLength(0);
		});

		it('says when the account is already disabled', async () => {
			const { output } = await run(userById(1303), { dryRun: true, alsoDo: ['disableAccount'] });
			expect(output[0].json).toMatchObject({ enabled: false, requests: [{ path: '/User/Offboard' }, { path: '/User/1303/Disable' }] });
			expect(output[0].json.message).toBe(
				`Would offboard user "mroe" (ID 1303), who holds a role on 1 subclient and 0 clients, then disable the account (it is already disabled). Nothing was changed in Commvault. ${PREVIEW_SAYS}`,
			);
		});

		it('of a user under legal hold, says that Commvault may still refuse, which the real run then shows', async () => {
			const preview = await run(userByName('legal.hold'), { dryRun: true });
			expect(preview.output[0].json).toMatchObject({ status: 'wouldOffboard', userName: 'legal.hold', dryRun: true });
			expect(preview.output[0].json.message).toContain('Commvault may still refuse the real offboard (e.g. a legal hold or a running job)');
			expect(writes()).toHaveLength(0);

			const real = await run(userByName('legal.hold'), {});
			expect(real.error?.message).toMatch(/under legal hold/);
		});

		it('fails an unknown user with the same userNotFound error as a real run, changing nothing', async () => {
			const before = snapshot();
			const items = [{ json: { login: 'ghost' } }, { json: { login: 'rlee' } }];
			const { output } = await run(byExpression, { dryRun: true }, { items, onError: 'continueRegularOutput' });
			expect(output[0].json).toMatchObject({ error: 'User "ghost" not found in Commvault', details: { reason: 'userNotFound' } });
			expect(output[1].json).toMatchObject({ dryRun: true, user: { name: 'rlee' } });
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(writes()).toHaveLength(0);
			expect(snapshot()).toBe(before);
		});

		it("fails with Commvault's own message when the look-up is refused, and sends nothing else", async () => {
			sim.queueResponse({ endpoint: 'user', method: 'GET', status: 200, body: { errorCode: 5, errorMessage: 'Access denied for user admin' } });
			const { error } = await run(userByName('jdoe'), { dryRun: true });
			expect(error?.message).toBe('Access denied for user admin');
			expect(error?.description).toMatch(/^Failed for item 1, user "jdoe"\. /);
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(0);
			expect(calls()).toEqual(['GET user']);
		});

		it('sends a failed item to the error output and plans the others, with pairedItem', async () => {
			const before = snapshot();
			const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: '  ' } }, { json: { login: 'rlee' } }];
			const { output, errorOutput } = await run(byExpression, { dryRun: true }, { items, onError: 'continueErrorOutput' });
			expect(output.map((i) => [i.json.dryRun, (i.json.user as IDataObject).name, i.pairedItem])).toEqual([
				[true, 'jdoe', { item: 0 }],
				[true, 'rlee', { item: 3 }],
			]);
			expect(errorOutput.map((i) => [i.json.error, i.pairedItem])).toEqual([
				['User "ghost" not found in Commvault', { item: 1 }],
				[expect.stringMatching(/^Item 3: /), { item: 2 }],
			]);
			expect(writes()).toHaveLength(0);
			expect(snapshot()).toBe(before);
		});
	});
});
