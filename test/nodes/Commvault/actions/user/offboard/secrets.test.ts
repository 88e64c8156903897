import { runCommvaultNode, userByName } from '../../../../../harness/engine';
import { ACCESS_TOKEN, accessTokenCredential, passwordCredential, useSimulator } from '../../../../../support/simulator';
import { byExpression, itemsFor, offboard } from './support';

describe('User → Offboard', () => {
	const sim = useSimulator({ generatedUsers: 200 });

	describe('secrets', () => {
		it('never appear in outputs, errors or descriptions', async () => {
			const secrets = ['admin-password', Buffer.from('admin-password').toString('base64'), ACCESS_TOKEN];
			const runs = [
				await runCommvaultNode({
					parameters: offboard(byExpression),
					items: itemsFor('jdoe', 'ghost', ''),
					onError: 'continueRegularOutput',
					credentials: passwordCredential(sim),
				}),
				await runCommvaultNode({
					parameters: offboard(userByName('ghost')),
					credentials: accessTokenCredential(sim),
				}),
				await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					credentials: passwordCredential(sim, { password: 'admin-password-wrong' }),
				}),
			];
			sim.queueResponse({ endpoint: 'user/offboard', status: 500, body: { errorCode: 1, errorMessage: 'boom' } });
			runs.push(
				await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: accessTokenCredential(sim) }),
			);
			// A proxy page that repeats the request, Authtoken header included, for both kinds of token.
			sim.queueResponse({ endpoint: 'user/offboard', status: 400, echoRequest: true, times: 2 });
			const echoed = [
				await runCommvaultNode({ parameters: offboard(userByName('jdoe')), credentials: accessTokenCredential(sim) }),
				await runCommvaultNode({
					parameters: offboard(userByName('jdoe')),
					onError: 'continueRegularOutput',
					credentials: passwordCredential(sim),
				}),
			];
			expect(echoed[0].error?.message).toMatch(/^Commvault returned HTTP 400: Bad Request\. The request was:/);
			expect(echoed[0].error?.message).toContain('QSDK [redacted]');
			expect(echoed[1].output[0].json.error).toContain('QSDK [redacted]');
			runs.push(...echoed);

			const sessionTokens = sim.requests.map((r) => r.token).filter((t): t is string => Boolean(t));
			expect(sessionTokens.length).toBeGreaterThan(0);
			for (const { run } of runs) {
				const serialized = JSON.stringify(run.data) + JSON.stringify(run.data.resultData.error ?? {});
				for (const secret of [...secrets, 'admin-password-wrong', ...sessionTokens]) {
					expect(serialized).not.toContain(secret.replace(/^QSDK /, ''));
				}
			}
		});
	});
});
