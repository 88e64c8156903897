import type { IDataObject } from 'n8n-workflow';

import { audited, runCommvaultNode, userByEmail, userById, userByName, userFromList } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../support/simulator';
import { USER_LIST_COLUMNS } from '../../../../../nodes/Commvault/helpers/lookup';

const disable = (user: IDataObject) => ({ resource: 'user', operation: 'disable', user });
const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe('User → Disable', () => {
	const sim = useSimulator();

	it('looks the user up by name, then sends PUT /User/{id}/Disable', async () => {
		expect(sim.state.getUser('jdoe')?.enabled).toBe(true);
		const { output, error } = await runCommvaultNode({ parameters: disable(userByName('jdoe')), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		expect(output).toEqual([{ json: { userId: 1301, userName: 'jdoe', enabled: false, ...audited(['PUT', '/User/1301/Disable']) }, pairedItem: { item: 0 } }]);
		expect(requestsTo(sim, 'user')[0].query).toEqual({ level: '10', fl: USER_LIST_COLUMNS, fq: 'name:eq:jdoe' });
		expect(writes(sim).map((r) => [r.method, r.path])).toEqual([['PUT', '/commandcenter/api/User/1301/Disable']]);
		expect(sim.state.getUser('jdoe')?.enabled).toBe(false);
		expect(sim.state.eventsOf(1301).map((e) => e.type)).toEqual(['disable']);
	});

	it.each([
		['ID', userById('1301')],
		['email', userByEmail('jdoe@example.com')],
		['the list', userFromList('1301', 'jdoe')],
	])('works by %s', async (_mode, user) => {
		const { output } = await runCommvaultNode({ parameters: disable(user), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toEqual({ userId: 1301, userName: 'jdoe', enabled: false, ...audited(['PUT', '/User/1301/Disable']) });
		expect(sim.state.getUser(1301)?.enabled).toBe(false);
	});

	it.each([
		['name', userByName('ghost'), 'User "ghost" not found in Commvault'],
		['ID', userById(4242), 'User [4242] does not exist.'],
		['email', userByEmail('ghost@example.com'), 'User with email "ghost@example.com" not found in Commvault'],
	])('fails an unknown user (by %s) with the "user not found" error, sending nothing', async (_mode, user, message) => {
		const { error } = await runCommvaultNode({ parameters: disable(user), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/User not found: /);
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		expect(writes(sim)).toHaveLength(0);
	});

	it("fails with Commvault's message when the answer is a response[].errorCode", async () => {
		sim.queueResponse({
			endpoint: 'user/{id}/disable',
			body: { response: [{ errorCode: 587202639, errorString: 'User does not have the required capability to perform this operation' }] },
		});
		const { error } = await runCommvaultNode({ parameters: disable(userByName('jdoe')), credentials: accessTokenCredential(sim) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('User does not have the required capability to perform this operation');
		expect(error?.description).toMatch(/^Failed for item 0, user "jdoe"\./);
		expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ commvaultErrorCode: 587202639 });
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
		expect(sim.state.getUser('jdoe')?.enabled).toBe(true);
	});

	describe('continue on fail', () => {
		const items = [{ json: { login: 'jdoe' } }, { json: { login: 'ghost' } }, { json: { login: '12a' } }];
		const parameters = disable(userById('={{ $json.login === "jdoe" ? 1301 : $json.login === "ghost" ? 4242 : $json.login }}'));

		it('"Continue" keeps every item, in order, with pairedItem', async () => {
			const { output, error } = await runCommvaultNode({ parameters, items, onError: 'continueRegularOutput', credentials: accessTokenCredential(sim) });
			expect(error).toBeUndefined();
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output[0].json).toEqual({ userId: 1301, userName: 'jdoe', enabled: false, ...audited(['PUT', '/User/1301/Disable']) });
			expect(output[1].json).toMatchObject({ error: 'User [4242] does not exist.', details: { itemIndex: 1, reason: 'userNotFound', commvaultErrorCode: 2 } });
			expect(output[2].json).toMatchObject({ error: 'Item 2: "12a" is not a Commvault user ID' });
		});

		it('"Continue (using error output)" routes the failed items there', async () => {
			const { output, errorOutput } = await runCommvaultNode({ parameters, items, onError: 'continueErrorOutput', credentials: accessTokenCredential(sim) });
			expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual([['jdoe', { item: 0 }]]);
			expect(errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(errorOutput[0].json.details).toMatchObject({ reason: 'userNotFound' });
		});
	});
});
