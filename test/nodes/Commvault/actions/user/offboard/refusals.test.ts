import type { IDataObject } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../../../../harness/engine';
import { accessTokenCredential, requestsTo, useSimulator } from '../../../../../support/simulator';
import { byExpression, itemsFor, offboard } from './support';

describe('User → Offboard', () => {
	const sim = useSimulator({ generatedUsers: 200 });

	describe('when Commvault refuses', () => {
		it("fails with Commvault's own message for errorCode != 0 in an HTTP 200", async () => {
			const { error, output } = await runCommvaultNode({
				parameters: offboard(byExpression),
				items: itemsFor('jdoe', 'legal.hold', 'rlee'),
				credentials: accessTokenCredential(sim),
			});

			expect(output).toEqual([]);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(
				'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.',
			);
			expect(error?.description).toMatch(/^Failed for item 2, user "legal.hold"\. A legal hold keeps data this user owns.* run this item again\./);
			// n8n's panel shows httpCode as "Error code": Commvault's code, not the HTTP 200 the refusal came in.
			expect((error as { httpCode?: string }).httpCode).toBe('Commvault error 3');
			expect((error as { errorResponse?: IDataObject }).errorResponse).toMatchObject({ httpStatus: 200, commvaultErrorCode: 3 });
			expect((error as { context?: IDataObject }).context?.itemIndex).toBe(1);
			// Without "continue", the run stops at the failing item.
			expect(requestsTo(sim, 'user/offboard').map((r) => r.body)).toEqual([{ userId: 1301 }, { userId: 1305 }]);
		});

		it('reports an unknown user as not found, sending no offboard', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('ghost')),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe('User "ghost" not found in Commvault');
			expect((error as { errorResponse?: IDataObject }).errorResponse?.reason).toBe('userNotFound');
			expect(requestsTo(sim, 'user/offboard')).toHaveLength(0);
		});

		it.each([
			[403, { errorCode: 5, errorMessage: 'User does not have permission to perform this operation' }, 'User does not have permission to perform this operation', /not allowed.*Ask your Commvault administrator/, 'Commvault error 5'],
			[404, undefined, 'Commvault returned HTTP 404', /Base URL/, '404'],
			[429, undefined, 'Commvault returned HTTP 429', /rate-limiting.*run this item again/, '429'],
			[500, { errorCode: 1, errorMessage: 'Internal server error in CVWebService' }, 'Internal server error in CVWebService', /retry later/, 'Commvault error 1'],
			[503, undefined, 'Commvault returned HTTP 503', /restarting or overloaded/, '503'],
		])('explains an HTTP %i; the error code is Commvault\'s when its reply has one', async (status, body, message, hint, code) => {
			sim.queueResponse({ endpoint: 'user/offboard', status, body: body ?? '', times: 5 });
			const { error } = await runCommvaultNode({
				parameters: { ...offboard(userByName('jdoe')), requestOptions: { maxAttempts: 2, retryDelay: 0.001 } },
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe(message);
			expect(error?.description).toMatch(hint);
			expect((error as { httpCode?: string }).httpCode).toBe(code);
			expect((error as { errorResponse?: IDataObject }).errorResponse?.httpStatus).toBe(status);
		});

		it('names the page when an HTML error page comes back', async () => {
			sim.queueResponse({
				endpoint: 'user/offboard',
				times: 3,
				status: 502,
				html: '<html><head><title>502 - Web server received an invalid response while acting as a gateway</title></head><body></body></html>',
			});
			const { error } = await runCommvaultNode({
				parameters: { ...offboard(userByName('jdoe')), requestOptions: { retryDelay: 0.001 } },
				credentials: accessTokenCredential(sim),
			});
			expect(error?.message).toBe(
				'Commvault answered with an HTML page ("502 - Web server received an invalid response while acting as a gateway") instead of JSON (HTTP 502)',
			);
		});

		it('says the Base URL is wrong when a web page answers with 200', async () => {
			sim.queueResponse({ endpoint: 'user/offboard', status: 200, html: '<!DOCTYPE html><html><head><title>Command Center</title></head></html>' });
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim),
			});
			expect(error?.description).toMatch(/Base URL probably points at a web page/);
		});

		it('says when Commvault cannot be reached', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: accessTokenCredential(sim, { baseUrl: 'http://127.0.0.1:9/commandcenter/api' }),
			});
			expect(error?.message).toBe('Cannot reach Commvault: connection refused');
		});
	});
});
