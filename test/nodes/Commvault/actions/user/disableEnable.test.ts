import type { IDataObject } from 'n8n-workflow';

import { audited, runCommvaultNode, shaped, userByEmail, userById, userByName, userFromList } from '../../../../harness/engine';
import type { Simulator } from '../../../../support/simulator';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../support/simulator';
import { EXPECTED_USER_COLUMNS } from '../../../../support/expectations';

const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

// Disable and Enable are the same operation in opposite directions: each case names the user it
// changes, who starts in the opposite state.
describe.each([
	{ operation: 'disable', Action: 'Disable', status: 'disabled', login: 'jdoe', id: 1301, enabledAfter: false },
	{ operation: 'enable', Action: 'Enable', status: 'enabled', login: 'mroe', id: 1303, enabledAfter: true },
])('User → $Action', ({ operation, Action, status, login, id, enabledAfter }) => {
	const change = (user: IDataObject) => ({ resource: 'user', operation, user });
	const changed = () => shaped(status, [id, login], { enabled: enabledAfter, ...audited(['PUT', `/User/${id}/${Action}`]) });

	const sim = useSimulator();

	it(`looks the user up by name, then sends PUT /User/{id}/${Action}`, async () => {
		expect(sim.state.getUser(login)?.enabled).toBe(!enabledAfter);
		const { output, error } = await runCommvaultNode({ parameters: change(userByName(login)), credentials: accessTokenCredential(sim) });

		expect(error).toBeUndefined();
		expect(output).toEqual([{ json: changed(), pairedItem: { item: 0 } }]);
		expect(requestsTo(sim, 'user')[0].query).toEqual({ level: '10', fl: EXPECTED_USER_COLUMNS, fq: `name:eq:${login}` });
		expect(writes(sim).map((r) => [r.method, r.path])).toEqual([['PUT', `/commandcenter/api/User/${id}/${Action}`]]);
		expect(sim.state.getUser(login)?.enabled).toBe(enabledAfter);
		expect(sim.state.eventsOf(id).map((e) => e.type)).toEqual([operation]);
	});

	it.each([
		['ID', userById(String(id))],
		['email', userByEmail(`${login}@example.com`)],
		['the list', userFromList(String(id), login)],
	])('works by %s', async (_mode, user) => {
		const { output } = await runCommvaultNode({ parameters: change(user), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toEqual(changed());
		expect(sim.state.getUser(id)?.enabled).toBe(enabledAfter);
	});

	it.each([
		['name', userByName('ghost'), 'User "ghost" not found in Commvault'],
		['ID', userById(4242), 'User ID 4242 not found in Commvault'],
		['email', userByEmail('ghost@example.com'), 'User with email "ghost@example.com" not found in Commvault'],
	])('fails an unknown user (by %s) with the "user not found" error, sending nothing', async (_mode, user, message) => {
		const { error } = await runCommvaultNode({ parameters: change(user), credentials: accessTokenCredential(sim) });
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/Commvault has no such user/);
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
		expect(writes(sim)).toHaveLength(0);
	});

	it("fails with Commvault's message when the answer is a response[].errorCode", async () => {
		sim.queueResponse({
			endpoint: `user/{id}/${operation}`,
			body: { response: [{ errorCode: 587202639, errorString: 'User does not have the required capability to perform this operation' }] },
		});
		const { error } = await runCommvaultNode({ parameters: change(userByName(login)), credentials: accessTokenCredential(sim) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('User does not have the required capability to perform this operation');
		expect(error?.description).toMatch(new RegExp(`^Failed for item 1, user "${login}"\\.`));
		expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ commvaultErrorCode: 587202639 });
		expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBeUndefined();
		expect(sim.state.getUser(login)?.enabled).toBe(!enabledAfter);
	});

	describe('continue on fail', () => {
		const items = [{ json: { login } }, { json: { login: 'ghost' } }, { json: { login: '12a' } }];
		const parameters = change(userById(`={{ $json.login === "${login}" ? ${id} : $json.login === "ghost" ? 4242 : $json.login }}`));

		it('"Continue" keeps every item, in order, with pairedItem', async () => {
			const { output, error } = await runCommvaultNode({ parameters, items, onError: 'continueRegularOutput', credentials: accessTokenCredential(sim) });
			expect(error).toBeUndefined();
			expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output[0].json).toEqual(changed());
			expect(output[1].json).toMatchObject({ error: 'User ID 4242 not found in Commvault', details: { itemIndex: 1, reason: 'userNotFound', commvaultErrorCode: 2 } });
			expect(output[2].json).toMatchObject({ error: 'Item 3: "12a" is not a Commvault user ID' });
		});

		it('"Continue (using error output)" routes the failed items there', async () => {
			const { output, errorOutput } = await runCommvaultNode({ parameters, items, onError: 'continueErrorOutput', credentials: accessTokenCredential(sim) });
			expect(output.map((i) => [i.json.userName, i.pairedItem])).toEqual([[login, { item: 0 }]]);
			expect(errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(errorOutput[0].json.details).toMatchObject({ reason: 'userNotFound' });
		});
	});
});
