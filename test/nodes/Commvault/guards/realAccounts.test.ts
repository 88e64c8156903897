import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../../harness/engine';
import { accessTokenCredential, passwordCredential, requestsTo, useSimulator } from '../../../support/simulator';

// The guards against accounts as a real Command Center names them (issue 24). Each case failed on the
// node before: it let the change through, or refused the wrong account. A refused account has nothing
// sent for it that changes Commvault.
const reasonOf = (error: unknown) => (error as { errorResponse?: IDataObject }).errorResponse?.reason;
const offboard = (name: string) => ({ resource: 'user', operation: 'offboard', user: userByName(name) });

describe('guards that hold for real accounts', () => {
	const sim = useSimulator();
	const changes = () => sim.requests.filter((r) => r.method !== 'GET' && !['login', 'whoami'].includes(r.endpoint));
	const jdoeLaptopId = () => String(sim.state.leaver.activeLaptops().find((l) => l.name === 'LT-JDOE-01')?.clientId);

	describe('a laptop whose owner is protected by email', () => {
		it.each([
			['retire', { operation: 'retire' }, 'retire the laptop of'],
			['changeOwner', { operation: 'changeOwner', newOwner: userByName('rlee') }, 'hand over the laptop of'],
		])('Laptop → %s refuses it and sends nothing that changes Commvault', async (_op, parameters, verb) => {
			const { error } = await runCommvaultNode({
				parameters: { resource: 'laptop', laptopId: jdoeLaptopId(), ...parameters },
				credentials: accessTokenCredential(sim, { protectedUsers: 'JDoe@Example.com' }),
			});
			expect(error?.message).toBe(`Item 1: will not ${verb} user "jdoe": "jdoe@example.com" is listed under Protected Users`);
			expect(reasonOf(error)).toBe('protectedAccount');
			expect(changes()).toEqual([]);
			expect(sim.state.leaver.laptop(Number(jdoeLaptopId()))?.ownerUserIds).toEqual([1301]);
		});
	});

	describe('a credential with a Domain (Username erin, Domain acme) acts as acme\\erin', () => {
		const erin = () => passwordCredential(sim, { username: 'erin', domain: 'acme', password: 'erin-password' });

		it('refuses to offboard acme\\erin, its own account, and sends no offboard', async () => {
			const { error } = await runCommvaultNode({ parameters: offboard('acme\\erin'), credentials: erin() });
			expect(error?.message).toBe('Item 1: will not offboard user "acme\\erin": "acme\\erin" is the user this workflow\'s Commvault credential acts as');
			expect(reasonOf(error)).toBe('protectedAccount');
			expect(requestsTo(sim, 'user/offboard')).toEqual([]);
			expect(sim.state.subclientsOwnedBy(1308)).toHaveLength(1);
		});

		it('offboards the local user erin, a namesake, by ID', async () => {
			const { output, error } = await runCommvaultNode({ parameters: offboard('erin'), credentials: erin() });
			expect(error).toBeUndefined();
			expect(output[0].json).toMatchObject({ status: 'offboarded', userId: 1307, userName: 'erin' });
			expect(requestsTo(sim, 'user/offboard').map((r) => r.body)).toEqual([{ userId: 1307 }]);
			expect(sim.state.subclientsOwnedBy(1307)).toEqual([]);
		});
	});

	it('Protected User Groups matches an AD group written DOMAIN\\Group, and nothing is sent', async () => {
		const { error } = await runCommvaultNode({
			parameters: offboard('acme\\asmith'),
			credentials: accessTokenCredential(sim, { protectedUserGroups: 'ACME\\Finance Admins' }),
		});
		expect(error?.message).toBe(
			'Item 1: will not offboard user "acme\\asmith": "acme\\asmith" is a member of the user group "acme\\Finance Admins", listed under Protected User Groups',
		);
		expect(changes()).toEqual([]);
	});

	describe('a laptop list without owners (GET /V4/Laptop in its WebConsole shape)', () => {
		beforeEach(() => sim.setBehaviour({ laptopShape: 'webConsole' }));

		it.each([
			['retire', { operation: 'retire' }],
			['changeOwner', { operation: 'changeOwner', newOwner: userByName('rlee') }],
		])('Laptop → %s fails closed, with the reason, and sends nothing that changes Commvault', async (_op, parameters) => {
			const { error } = await runCommvaultNode({
				parameters: { resource: 'laptop', laptopId: jdoeLaptopId(), ...parameters },
				credentials: accessTokenCredential(sim, { protectedUsers: 'jdoe' }),
			});
			expect(error?.message).toBe('Item 1: Commvault listed the laptops without their owners');
			expect(error?.description).toMatch(/cannot tell whose laptop it is or check the protected accounts\. Nothing was changed\./);
			expect(reasonOf(error)).toBe('laptopOwnersUnknown');
			expect(changes()).toEqual([]);
		});

		it('Laptop → Get Many fails instead of reporting no laptops', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: { resource: 'laptop', operation: 'getAll', user: userByName('jdoe') },
				credentials: accessTokenCredential(sim),
			});
			expect(output).toEqual([]);
			expect(error?.message).toBe('Item 1: Commvault listed the laptops without their owners');
		});
	});

	it('Offboard sends the userId of the user it looked up and checked, whatever the case of the name given', async () => {
		const { output } = await runCommvaultNode({ parameters: offboard('JDOE'), credentials: accessTokenCredential(sim) });
		expect(output[0].json).toMatchObject({ status: 'offboarded', userId: 1301, userName: 'jdoe' });
		expect(requestsTo(sim, 'user/offboard').map((r) => r.body)).toEqual([{ userId: 1301 }]);
	});
});
