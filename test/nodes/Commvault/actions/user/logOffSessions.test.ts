import { audited, runCommvaultNode, shaped, runWithAnUnknownUser, userByEmail, userById, userByName } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, useSimulator } from '../../../../support/simulator';

const logOff = (user: object, extra: object = {}) => ({ resource: 'user', operation: 'logOffSessions', user, ...extra });
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe('User → Log Off Sessions', () => {
	const sim = useSimulator();

	it.each([
		['name', userByName('jdoe')],
		['email', userByEmail('jdoe@example.com')],
		['ID', userById(1301)],
	])('by %s: lists the sessions with GET /Session?userId=, ends the active ones with DELETE /Sessions, and reads the list back', async (_mode, user) => {
		const { output, error } = await runCommvaultNode({ parameters: logOff(user), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		// jdoe's seeded sessions: sess-1301-1 and sess-1301-2 are active, sess-1301-5 ended (logoutTime set).
		const active = ['sess-1301-1', 'sess-1301-2'];
		expect(output[0].json).toEqual(shaped('loggedOff', [1301, 'jdoe'], { sessionsEnded: active, ...audited(['DELETE', '/Sessions']) }));
		const lists = sim.requests.filter((r) => r.path.endsWith('/Session'));
		// Before and after: the read-back is the only way to know, since Commvault answers {} either way.
		expect(lists.map((r) => r.query)).toEqual([{ userId: '1301' }, { userId: '1301' }]);
		expect(writes(sim).map((r) => [r.method, r.body])).toEqual([['DELETE', { sessions: active.map((val) => ({ val })) }]]);
		expect(sim.state.leaver.sessionsOf(1301)).toEqual([]);
	});

	it("sends Postman's body, a list of IDs, when the sessions are still active after the first body form", async () => {
		sim.setBehaviour({ logOffIgnores: 'objects' });
		const { output, error } = await runCommvaultNode({ parameters: logOff(userByName('jdoe')), credentials: accessTokenCredential(sim) });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'loggedOff', sessionsEnded: ['sess-1301-1', 'sess-1301-2'], ...audited(['DELETE', '/Sessions'], ['DELETE', '/Sessions']) });
		expect(writes(sim).map((r) => r.body)).toEqual([
			{ sessions: [{ val: 'sess-1301-1' }, { val: 'sess-1301-2' }] },
			{ sessions: ['sess-1301-1', 'sess-1301-2'] },
		]);
		expect(sim.state.leaver.sessionsOf(1301)).toEqual([]);
	});

	it('fails the item naming the sessions left when Commvault ignores both body forms', async () => {
		sim.setBehaviour({ logOffIgnores: 'all' });
		const { output } = await runCommvaultNode({
			parameters: logOff(userByName('jdoe')),
			onError: 'continueRegularOutput',
			credentials: accessTokenCredential(sim),
		});
		expect(output[0].json.error).toBe('Item 1: 2 session(s) still active after logging off: sess-1301-1 (LT-JDOE-01), sess-1301-2 (jdoe-phone)');
		expect(output[0].json).toMatchObject({ status: 'failed', userId: 1301, userName: 'jdoe', details: { reason: 'notConfirmed', subject: 'user "jdoe"' } });
		expect(writes(sim)).toHaveLength(2);
		expect(sim.state.leaver.sessionsOf(1301)).toHaveLength(2);
	});

	it('sends nothing that changes Commvault for a user without sessions, and says so', async () => {
		const { output } = await runCommvaultNode({ parameters: logOff(userByName('mroe')), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toEqual(shaped('loggedOff', [1303, 'mroe'], { sessionsEnded: [], ...audited() }));
		expect(writes(sim)).toHaveLength(0);
	});

	it('refuses a protected user before anything that changes Commvault is sent', async () => {
		const { error } = await runCommvaultNode({ parameters: logOff(userByName('jdoe')), credentials: accessTokenCredential(sim, { protectedUsers: 'jdoe' }) });
		expect(error?.message).toBe('Item 1: will not log off user "jdoe": "jdoe" is listed under Protected Users');
		expect(writes(sim)).toHaveLength(0);
		expect(sim.state.leaver.sessionsOf(1301)).toHaveLength(2);
	});

	it("fails with Commvault's message when DELETE /Sessions is refused", async () => {
		sim.queueResponse({ endpoint: 'sessions', method: 'DELETE', body: { errorCode: 587, errorMessage: 'No permission to log off this user' } });
		const { error } = await runCommvaultNode({ parameters: logOff(userByName('jdoe')), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('No permission to log off this user');
		expect(sim.state.leaver.sessionsOf(1301)).toHaveLength(2);
	});

	it('refuses a run with more users than Max Users per Run, sending nothing', async () => {
		const items = [{ json: { id: 1301 } }, { json: { id: 1304 } }];
		const parameters = logOff(userById('={{ $json.id }}'), { options: { maxUsersPerRun: 1 } });
		const { error } = await runCommvaultNode({ parameters, items, credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe('Stopped before changing anyone: this run would log off 2 users, more than Max Users per Run (1)');
		expect(sim.requests).toHaveLength(0);
	});

	it('continue on fail: an unknown user fails its item, the others are logged off', async () => {
		const output = await runWithAnUnknownUser(logOff, accessTokenCredential(sim));
		expect(output[0].json).toMatchObject({ userName: 'jdoe', sessionsEnded: expect.any(Array) });
		expect(output[2].json).toMatchObject({ userName: 'rlee', sessionsEnded: ['sess-1304-3'] });
		expect([...sim.state.leaver.sessionsOf(1301), ...sim.state.leaver.sessionsOf(1304)]).toEqual([]);
	});
});
