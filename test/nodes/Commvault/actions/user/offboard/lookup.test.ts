import { userByEmail, userByName, userFromList } from '../../../../../harness/engine';
import { EXPECTED_USER_COLUMNS, offboardedItem } from '../../../../../support/expectations';
import { requestsTo, useSimulator } from '../../../../../support/simulator';
import { offboardRuns } from './support';

describe('User → Offboard: finding the user', () => {
	const sim = useSimulator();
	const { run, calls, writes, reasonOf } = offboardRuns(sim);

	it('looks an unknown user up first and marks it userNotFound, sending no offboard', async () => {
		const { error } = await run(userByName('ghost'));
		expect(error?.message).toBe('User "ghost" not found in Commvault');
		expect(error?.description).toMatch(/^Failed for item 1, user "ghost"\. Commvault has no such user, .*then run this item again\.$/);
		expect(reasonOf(error)).toBe('userNotFound');
		expect(calls()).toEqual(['GET user']);
	});

	it("passes Commvault's other refusals on as they are", async () => {
		const { error } = await run(userByName('legal.hold'));
		expect(error?.message).toMatch(/legal hold/);
		expect(reasonOf(error)).toBeUndefined();
		expect(calls()).toEqual(['GET user', 'POST user/offboard']);
	});

	it('offboards a user found by email, sending the ID', async () => {
		const { output } = await run(userByEmail(' JDOE@example.com '));
		expect(output[0].json).toEqual(offboardedItem(1301, 'jdoe'));
		// The address is matched against email and UPN, as Commvault's connectors do (level 10 carries both),
		// in one pass: the user list's first page holds the simulator's whole tenant, cheaper than two queries.
		expect(calls()).toEqual(['GET user', 'POST user/offboard']);
		expect(requestsTo(sim, 'user').map((r) => r.query)).toEqual([{ level: '10', fl: EXPECTED_USER_COLUMNS, start: '0', limit: '1000' }]);
		expect(requestsTo(sim, 'user/offboard')[0].body).toEqual({ userId: 1301 });
	});

	it('offboards a user picked from the list by its ID, after reading that user', async () => {
		const { output } = await run(userFromList('1302', 'acme\\asmith'));
		expect(output[0].json).toEqual(offboardedItem(1302, 'acme\\asmith'));
		expect(calls()).toEqual(['GET user/{id}', 'POST user/offboard']);
	});

	it('fails an unknown email with the same userNotFound error, offboarding nothing', async () => {
		const { error } = await run(userByEmail('ghost@example.com'));
		expect(error?.message).toBe('User with email "ghost@example.com" not found in Commvault');
		expect(reasonOf(error)).toBe('userNotFound');
		expect(writes()).toHaveLength(0);
	});
});
