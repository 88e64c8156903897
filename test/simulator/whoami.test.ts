import { ACCESS_AUTHTOKEN, apiClient, auth, startSimulator, type Simulator } from './helpers';

describe('simulator: v2/WhoAmI present or absent (option v2WhoAmI)', () => {
	let withV2: Simulator;
	let withoutV2: Simulator;
	beforeAll(async () => {
		withV2 = await startSimulator();
		withoutV2 = await startSimulator({ v2WhoAmI: false });
	});
	afterAll(async () => {
		await withV2.stop();
		await withoutV2.stop();
	});

	it('answers GET v2/WhoAmI by default', async () => {
		const r = await apiClient(withV2).get('/v2/WhoAmI', auth(ACCESS_AUTHTOKEN));
		expect(r.status).toBe(200);
		expect(r.data.user).toMatchObject({ userName: 'admin', userId: 1 });
	});

	it('without v2, answers GET v2/WhoAmI 404 (before auth, like an unknown path) and still answers v1 POST WhoAmI', async () => {
		const api = apiClient(withoutV2);
		for (const headers of [auth(ACCESS_AUTHTOKEN), {}]) {
			const r = await api.get('/v2/WhoAmI', headers);
			expect(r.status).toBe(404);
			expect(r.data.errorCode).toBe(404);
		}
		expect(withoutV2.requests.at(-1)?.endpoint).toBe('v2/whoami');
		const v1 = await api.post('/WhoAmI', undefined, auth(ACCESS_AUTHTOKEN));
		expect(v1.status).toBe(200);
		expect(v1.data).toMatchObject({ errorCode: 0, user: { userName: 'admin', userId: 1 } });
	});
});
