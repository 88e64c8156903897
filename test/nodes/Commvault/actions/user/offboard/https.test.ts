import { runCommvaultNode, userByName } from '../../../../../harness/engine';
import { passwordCredential, useSimulator } from '../../../../../support/simulator';
import { offboard } from './support';

describe('User → Offboard', () => {
	describe('over HTTPS with a self-signed certificate', () => {
		const tlsSim = useSimulator({ https: true }, { reset: false });

		it('refuses the certificate unless "Ignore SSL Issues" is on', async () => {
			const { error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(tlsSim),
			});
			expect(error?.message).toBe("Commvault's TLS certificate is not trusted");
			expect(error?.description).toMatch(/Ignore SSL Issues \(Insecure\)/);
			expect(tlsSim.requests).toHaveLength(0);
		});

		it('works with "Ignore SSL Issues" on, for the login and the request', async () => {
			const { output, error } = await runCommvaultNode({
				parameters: offboard(userByName('jdoe')),
				credentials: passwordCredential(tlsSim, { allowUnauthorizedCerts: true }),
			});
			expect(error).toBeUndefined();
			expect(output[0].json.status).toBe('offboarded');
			expect(tlsSim.requests.map((r) => r.endpoint)).toEqual(['login', 'user', 'user/offboard']);
		});
	});
});
