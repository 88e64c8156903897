import { ACCESS_AUTHTOKEN, apiClient, auth, login, useSimulator } from './helpers';

describe('simulator: POST /User/Offboard', () => {
	const sim = useSimulator();

	const offboard = (body: unknown, basePath = '/commandcenter/api', path = '/User/Offboard') =>
		apiClient(sim, basePath).post(path, body, auth(ACCESS_AUTHTOKEN));

	it('offboards every subclient and VM client the user owns (owner removed, backup disabled, role removed)', async () => {
		const ownedSubclients = sim.state.subclientsOwnedBy(1301);
		const ownedVms = sim.state.vmClientsOwnedBy(1301);
		expect(ownedSubclients.map((s) => s.clientName)).toEqual(['LT-JDOE-01', 'LT-JDOE-01']);
		expect(ownedVms.map((v) => v.vmName)).toEqual(['vm-jdoe-dev01', 'vm-jdoe-test02']);
		const shared = sim.state.subclients.find((s) => s.clientName === 'srv-fileshare01');
		expect(shared?.securityAssociations.some((a) => a.userId === 1301)).toBe(true);

		const r = await offboard({ userName: 'jdoe' });
		expect(r.status).toBe(200);
		expect(r.data).toEqual({ errorMessage: 'Successfully offboarded user 1301', errorCode: 0 });

		for (const entity of [...ownedSubclients, ...ownedVms]) {
			expect(entity.ownerUserIds).not.toContain(1301);
			expect(entity.backupEnabled).toBe(false);
			expect(entity.securityAssociations.some((a) => a.userId === 1301)).toBe(false);
		}
		expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
		expect(sim.state.vmClientsOwnedBy(1301)).toEqual([]);
		// a role on an entity the user does not own is left alone; the user itself is not disabled
		expect(shared?.securityAssociations.some((a) => a.userId === 1301)).toBe(true);
		expect(shared?.backupEnabled).toBe(true);
		expect(sim.state.getUser('jdoe')?.enabled).toBe(true);
		// other users untouched
		expect(sim.state.subclientsOwnedBy(1302)[0].backupEnabled).toBe(true);

		const event = sim.state.events.at(-1);
		expect(event).toMatchObject({ type: 'offboard', userId: 1301, userName: 'jdoe', errorCode: 0, by: 'admin', matchedBy: 'userName' });
		expect(event?.changed?.subclients).toHaveLength(2);
		expect(event?.changed?.vmClients).toHaveLength(2);
		expect(event?.changed?.backupsDisabled).toBe(4);
	});

	it('is idempotent in effect: a second call succeeds and changes nothing', async () => {
		await offboard({ userName: 'jdoe' });
		const again = await offboard({ userName: 'jdoe' });
		expect(again.data).toEqual({ errorMessage: 'Successfully offboarded user 1301', errorCode: 0 });
		const events = sim.state.eventsOf(1301);
		expect(events).toHaveLength(2);
		expect(events[1].changed).toMatchObject({ subclients: [], vmClients: [], ownershipsRemoved: 0, backupsDisabled: 0, roleAssociationsRemoved: 0 });
		expect(sim.stats().offboardsByUser).toEqual({ jdoe: 2 });
	});

	it('accepts userId (number or digit string) and matches names case-insensitively', async () => {
		expect((await offboard({ userId: 1251 })).data).toEqual({ errorMessage: 'Successfully offboarded user 1251', errorCode: 0 });
		expect((await offboard({ userId: '1302' })).data.errorCode).toBe(0);
		expect((await offboard({ userName: 'JDoe' })).data.errorMessage).toBe('Successfully offboarded user 1301');
		expect((await offboard({ userName: 'TAPICOMPANY/TapiCompany' })).data.errorCode).toBe(0);
		expect(sim.state.events.map((e) => e.matchedBy)).toEqual(['userId', 'userId', 'userName', 'userName']);
	});

	it('returns errorCode 2 for an unknown user and changes nothing', async () => {
		for (const body of [{ userName: 'ghost' }, { userId: 999999 }, { userName: 'tapicompany\\tapicompany' }]) {
			const r = await offboard(body);
			expect(r.status).toBe(200);
			expect(r.data.errorCode).toBe(2);
			expect(r.data.errorMessage).toMatch(/does not exist/);
		}
		expect(sim.state.events).toEqual([]);
	});

	it('returns errorCode 2 for missing fields or wrong types, 400 for malformed JSON', async () => {
		for (const body of [{}, { userName: '' }, { userName: 42 }, { userId: true }, { userId: 'abc' }, { userId: -5 }, [], null]) {
			const r = await offboard(body);
			expect(r.status).toBe(200);
			expect(r.data.errorCode).toBe(2);
			expect(typeof r.data.errorMessage).toBe('string');
		}
		const malformed = await apiClient(sim).post('/User/Offboard', '{"userName": ', {
			headers: { Authtoken: ACCESS_AUTHTOKEN, 'Content-Type': 'application/json' },
			transformRequest: [(data: unknown) => data],
		});
		expect(malformed.status).toBe(400);
		expect(malformed.data.errorCode).toBe(2);
		expect(sim.state.events).toEqual([]);
	});

	it('fails with the seeded errorCode for a known user flagged to fail (legal.hold) and keeps its entities', async () => {
		const r = await offboard({ userName: 'legal.hold' });
		expect(r.status).toBe(200);
		expect(r.data.errorCode).toBe(3);
		expect(r.data.errorMessage).toMatch(/legal hold/);
		expect(sim.state.subclientsOwnedBy(1305)).toHaveLength(1);
		expect(sim.state.subclientsOwnedBy(1305)[0].backupEnabled).toBe(true);
		expect(sim.stats().offboardFailuresByUser).toEqual({ 'legal.hold': 1 });
		expect(sim.stats().offboardsByUser).toEqual({});
	});

	it('succeeds for a user who owns nothing', async () => {
		const r = await offboard({ userName: 'rlee' });
		expect(r.data).toEqual({ errorMessage: 'Successfully offboarded user 1304', errorCode: 0 });
		expect(sim.state.events[0].changed?.ownershipsRemoved).toBe(0);
	});

	it('offboards a disabled user and a company user', async () => {
		expect((await offboard({ userName: 'mroe' })).data.errorCode).toBe(0);
		expect(sim.state.subclients.find((s) => s.clientName === 'LT-MROE-02')?.backupEnabled).toBe(false);
		expect((await offboard({ userName: 'acme\\asmith' })).data.errorCode).toBe(0);
		expect(sim.state.vmClients.find((v) => v.vmName === 'acme-vm-sql01')?.ownerUserIds).toEqual([]);
	});

	it('routes case-insensitively under each documented base path', async () => {
		const cases: Array<[string, string]> = [
			['/commandcenter/api', '/User/Offboard'],
			['/webconsole/api', '/user/offboard'],
			['/SearchSvc/CVWebService.svc', '/USER/OFFBOARD'],
			['/CommandCenter/API', '/User/Offboard/'],
		];
		for (const [base, path] of cases) {
			const r = await offboard({ userName: 'rlee' }, base, path);
			expect(r.status).toBe(200);
			expect(r.data.errorCode).toBe(0);
		}
		expect(sim.requests.map((q) => q.endpoint)).toEqual(Array(cases.length).fill('user/offboard'));
		expect(sim.stats().byEndpoint).toEqual({ 'user/offboard': cases.length });
	});

	it('answers 404 outside the documented base paths, as a real Command Center does', async () => {
		for (const base of ['', '/some/proxy/prefix/commandcenter/api', '/commandcenter/apix', '/api']) {
			const r = await offboard({ userName: 'rlee' }, base, '/User/Offboard');
			expect([base, r.status]).toEqual([base, 404]);
		}
		expect((await apiClient(sim, '').get('/')).status).toBe(404);
		expect((await apiClient(sim, '/commandcenter/api').get('')).status).toBe(200);
		expect(sim.stats().offboardsByUser).toEqual({});
		expect(new Set(sim.requests.map((q) => q.endpoint))).toEqual(new Set(['unknown', 'root']));
	});

	it('answers unknown routes with 404 JSON and a wrong method with 405', async () => {
		const api = apiClient(sim);
		const missing = await api.get('/NoSuchThing', auth(ACCESS_AUTHTOKEN));
		expect(missing.status).toBe(404);
		expect(missing.data).toMatchObject({ errorCode: expect.any(Number), errorMessage: expect.stringContaining('NoSuchThing') });
		expect(sim.requests.at(-1)?.endpoint).toBe('unknown');
		const wrongMethod = await api.get('/User/Offboard', auth(ACCESS_AUTHTOKEN));
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers['allow']).toBe('POST');
	});

	it('answers the bare base URL (cvpysdk service check) without auth', async () => {
		for (const base of ['/commandcenter/api', '/webconsole/api/', '/SearchSvc/CVWebService.svc/']) {
			const r = await apiClient(sim, base).get('');
			expect(r.status).toBe(200);
		}
	});

	it('works with a session token from Login and records the caller in the event', async () => {
		const api = apiClient(sim, '/webconsole/api');
		const token = await login(api, 'jdoe', 'jdoe-password');
		const r = await api.post('/User/Offboard', { userName: 'rlee' }, auth(token));
		expect(r.data.errorCode).toBe(0);
		expect(sim.state.events[0].by).toBe('jdoe');
	});
});
