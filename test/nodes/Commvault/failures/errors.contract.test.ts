import type { IDataObject } from 'n8n-workflow';

import { findCommvaultBodyError } from '../../../../nodes/Commvault/failures/bodyErrors';
import { explainFailure } from '../../../../nodes/Commvault/failures/wording';
import { runCommvaultNode, userById } from '../../../harness/engine';
import { commvaultFixtures } from '../../../support/commvault-fixtures';
import { accessTokenCredential, useSimulator } from '../../../support/simulator';

const all = commvaultFixtures().map((fixture): [string, (typeof fixture)] => [fixture.name, fixture]);
const errors = all.filter(([, fixture]) => fixture.error !== undefined);
const successes = all.filter(([, fixture]) => fixture.error === undefined);

describe("the node's error reader on Commvault's documented payloads (test/fixtures/commvault)", () => {
	it('has documented error bodies and documented successes to read', () => {
		expect(errors.length).toBeGreaterThanOrEqual(5);
		expect(successes.length).toBeGreaterThanOrEqual(4);
	});

	it.each(errors)('reads the error in %s', (_name, fixture) => {
		expect(findCommvaultBodyError(fixture.body)).toEqual(fixture.error);
		const explained = explainFailure({ kind: 'http', status: fixture.status ?? 200, body: fixture.body });
		expect(explained.message).toBe(fixture.error?.message);
		expect(explained.errorCode).toBe(fixture.error?.errorCode);
	});

	// errorString "Success" or "" with errorCode 0 is a success, whatever the text says.
	it.each(successes)('reads no error in %s', (_name, fixture) => {
		expect(findCommvaultBodyError(fixture.body)).toBeUndefined();
	});

	describe('through the node, served by the simulator', () => {
		const sim = useSimulator({}, { reset: false });
		beforeEach(() => {
			sim.reset();
			sim.clearQueuedResponses();
		});

		it.each(errors)("fails an Offboard answered with %s, with Commvault's message", async (_name, fixture) => {
			sim.queueResponse({ endpoint: 'user/offboard', status: fixture.status ?? 200, body: fixture.body });
			const { error } = await runCommvaultNode({
				parameters: { resource: 'user', operation: 'offboard', user: userById(1301) },
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe(fixture.error?.message);
			expect((error as { errorResponse?: IDataObject }).errorResponse?.commvaultErrorCode).toBe(fixture.error?.errorCode);
		});

		it.each([
			['user-disable-reply.json', 'user/{id}/disable', { resource: 'user', operation: 'disable', user: userById(1301) }],
			['user-delete-reply.json', 'user/{id}', {
				resource: 'user',
				operation: 'delete',
				user: userById(1301),
				transferToUser: userById(1304),
				transferToUserGroup: { __rl: true, mode: 'list', value: '' },
			}],
		])('succeeds on the documented reply in %s', async (name, endpoint, parameters) => {
			const fixture = all.find(([file]) => file === name)![1];
			sim.queueResponse({ endpoint, method: endpoint === 'user/{id}' ? 'DELETE' : 'PUT', body: fixture.body });
			const { output, error } = await runCommvaultNode({ parameters, credentials: accessTokenCredential(sim) });
			expect(error).toBeUndefined();
			expect(output[0].json).toMatchObject({ userId: 1301 });
		});
	});
});
