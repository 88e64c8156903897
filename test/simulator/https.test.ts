import axios from 'axios';

import { readTestCertificate } from '../../simulator';
import { createInsecureHttpsAgent, createVerifyingHttpsAgent, destroyAgent } from '../support/agents';
import { ACCESS_AUTHTOKEN, apiClient, auth, login, useSimulator } from './helpers';

describe('simulator: HTTPS mode', () => {
	const sim = useSimulator({ https: true }, { reset: false });

	it('serves TLS with the self-signed TEST-ONLY certificate', async () => {
		expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const agent = createInsecureHttpsAgent();
		const api = apiClient(sim, '/commandcenter/api', { httpsAgent: agent });
		const token = await login(api);
		const r = await api.post('/User/Offboard', { userName: 'rlee' }, auth(token));
		expect(r.data).toEqual({ errorMessage: 'Successfully offboarded user 1304', errorCode: 0 });
		destroyAgent(agent);
	});

	it('rejects the certificate when verification is on, accepts it when it is the trusted CA (127.0.0.1 and localhost)', async () => {
		await expect(axios.get(`${sim.url}/__simulator/health`)).rejects.toMatchObject({
			code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/),
		});
		const agent = createVerifyingHttpsAgent(readTestCertificate());
		const byIp = await apiClient(sim, '/webconsole/api', { httpsAgent: agent }).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN));
		expect(byIp.status).toBe(200);
		const localhostUrl = sim.url.replace('127.0.0.1', 'localhost');
		const byName = await axios.get(`${localhostUrl}/__simulator/health`, { httpsAgent: agent });
		expect(byName.data.https).toBe(true);
		destroyAgent(agent);
	});

	it('injects connection resets over TLS too', async () => {
		const agent = createInsecureHttpsAgent();
		sim.setFaults({ rateReset: 1 });
		await expect(apiClient(sim, '/commandcenter/api', { httpsAgent: agent }).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN))).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET|EPIPE/),
		});
		sim.setFaults({});
		destroyAgent(agent);
	});
});
