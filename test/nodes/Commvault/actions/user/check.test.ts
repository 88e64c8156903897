import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userById, userByName } from '../../../../harness/engine';
import { accessTokenCredential, passwordCredential, useSimulator } from '../../../../support/simulator';

describe('User → Check', () => {
	const sim = useSimulator();
	const check = async (user: IDataObject) => await runCommvaultNode({ parameters: { resource: 'user', operation: 'check', user }, credentials: accessTokenCredential(sim) });
	const names = (list: unknown, key: string) => (list as IDataObject[]).map((entry) => entry[key]);

	it('reports what a user still holds, reading only', async () => {
		const { output, error } = await check(userByName('jdoe'));
		expect(error).toBeUndefined();
		const json = output[0].json;
		expect(json.status).toBe('checked');
		expect(json.holdsAnything).toBe(true);
		expect(json.message).toBe('User "jdoe" still holds 3 owned clients, 2 subclients with backup on, 5 role associations, 2 sessions, 2 access tokens, 1 laptop, an enabled account.');
		const holds = json.holds as IDataObject;
		expect(names(holds.clients, 'clientName')).toEqual(['LT-JDOE-01', 'vm-jdoe-dev01', 'vm-jdoe-test02']);
		expect(names(holds.sessions, 'host')).toEqual(['LT-JDOE-01', 'jdoe-phone']);
		expect(names(holds.accessTokens, 'name')).toEqual(['jdoe-reporting', 'jdoe-ci']);
		expect(names(holds.laptops, 'name')).toEqual(['LT-JDOE-01']);
		expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
	});

	it('reports what is left after an offboard, and "holds nothing" once nothing is left', async () => {
		await runCommvaultNode({ parameters: { resource: 'user', operation: 'offboard', user: userById(1301), options: { alsoDo: ['disableAccount', 'logOffSessions', 'revokeAccessTokens'] } }, credentials: passwordCredential(sim) });
		const after = (await check(userById(1301))).output[0].json;
		// the View role on someone else's file share is not the offboard's to remove
		expect(after.message).toBe('User "jdoe" still holds 1 role association.');
		const rlee = (await check(userByName('rlee'))).output[0].json;
		expect(rlee.message).toBe('User "rlee" still holds 1 session, 1 access token, an enabled account.');
		await runCommvaultNode({ parameters: { resource: 'user', operation: 'offboard', user: userByName('mroe') }, credentials: accessTokenCredential(sim) });
		const mroe = (await check(userByName('mroe'))).output[0].json;
		expect(mroe).toMatchObject({ holdsAnything: false, message: 'User "mroe" holds nothing.' });
		sim.state.offboardLeavesOwner = true;
		await runCommvaultNode({ parameters: { resource: 'user', operation: 'offboard', user: userByName('acme\\asmith') }, credentials: accessTokenCredential(sim) });
		const asmith = (await check(userByName('acme\\asmith'))).output[0].json;
		expect(asmith.holdsAnything).toBe(true);
		expect(asmith.message).toMatch(/^User "acme\\asmith" still holds .*session/);
	});
});
