import type { IDataObject } from 'n8n-workflow';

import { Commvault } from '../../../../nodes/Commvault/Commvault.node';
import { runCommvaultNode, userByEmail, userById, userByName } from '../../../harness/engine';
import { passwordCredential, useSimulator } from '../../../support/simulator';

const owner = { transferToUser: userByName('rlee'), transferToUserGroup: { __rl: true, mode: 'list', value: '' } };
const OPERATIONS: Array<[string, IDataObject]> = [
	['get', { operation: 'get' }],
	['disable', { operation: 'disable' }],
	['enable', { operation: 'enable' }],
	['delete', { operation: 'delete', ...owner }],
	['offboard', { operation: 'offboard' }],
	['offboard, also disable account', { operation: 'offboard', options: { alsoDo: ['disableAccount'] } }],
	['offboard, dry run', { operation: 'offboard', options: { dryRun: true } }],
	['log off sessions', { operation: 'logOffSessions' }],
	['revoke access tokens', { operation: 'revokeAccessTokens' }],
	['remove from user groups', { operation: 'removeFromUserGroups' }],
	['restore', { operation: 'restore', snapshot: '{"snapshotVersion":1,"user":{"userId":4242}}' }],
	['check', { operation: 'check' }],
	['offboard, snapshot and verify', { operation: 'offboard', options: { snapshot: true } }],
];

describe('an unknown user gives one "user not found" error, whichever operation', () => {
	const sim = useSimulator({}, { reset: false });

	it('lists every operation of the node here', () => {
		const operation = new Commvault().description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('user'));
		const values = (operation?.options as Array<{ value: string }>).map((o) => o.value);
		expect(new Set(OPERATIONS.map(([, p]) => p.operation))).toEqual(new Set(values.filter((v) => v !== 'getAll')));
	});

	it.each(OPERATIONS)('%s', async (_name, parameters) => {
		const unknown: Array<[IDataObject, string]> = [
			[userByName('ghost'), 'User "ghost" not found in Commvault'],
			[userById(4242), 'User ID 4242 not found in Commvault'],
			[userByEmail('ghost@example.com'), 'User with email "ghost@example.com" not found in Commvault'],
		];
		for (const [user, message] of unknown) {
			const { output } = await runCommvaultNode({
				parameters: { resource: 'user', ...parameters, user },
				onError: 'continueRegularOutput',
				credentials: passwordCredential(sim),
			});
			// One wording, whether the node's look-up or Commvault itself (errorCode 2, quoted in the description) found no such user.
			expect(output[0].json.error).toBe(message);
			expect(output[0].json.details).toMatchObject({
				reason: 'userNotFound',
				description: expect.stringMatching(/Check the user in Command Center .*, then run this item again\.( Commvault said: ".*" \(error 2\)\.)?$/),
			});
		}
		// Nothing was changed: only look-ups, and Offboard's own refused POST.
		expect(sim.requests.filter((r) => r.method !== 'GET' && !['user/offboard', 'login'].includes(r.endpoint))).toHaveLength(0);
		expect(sim.state.users).toHaveLength(10);
	});
});
