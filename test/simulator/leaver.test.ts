import type { AxiosInstance } from 'axios';

import { ACCESS_AUTHTOKEN, apiClient, startSimulator, type Simulator } from './helpers';

describe('simulator: what a leaver leaves behind (sessions, access tokens, user groups, laptops)', () => {
	let sim: Simulator;
	let api: AxiosInstance;

	beforeAll(async () => {
		sim = await startSimulator();
		api = apiClient(sim, '/commandcenter/api', { headers: { Accept: 'application/json', Authtoken: ACCESS_AUTHTOKEN } });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	it('GET /Session?userId= lists the sessions in the documented shape; DELETE /Sessions ends the listed ones and answers {}', async () => {
		const listed = await api.get('/Session', { params: { userId: 1301 } });
		expect(listed.status).toBe(200);
		expect(listed.data.user).toEqual({ userName: 'jdoe', userId: 1301 });
		// Two active sessions and one that ended ("logoutTime … 0, if the user did not log off").
		expect(listed.data.sessions.map((s: { logoutTime: number }) => s.logoutTime === 0)).toEqual([true, true, false]);
		expect(Object.keys(listed.data.sessions[0]).sort()).toEqual(
			['browserSessionId', 'consoleType', 'host', 'lastAccessedTime', 'location', 'loginTime', 'logoutTime', 'sessionId'].sort(),
		);
		const first = listed.data.sessions[0].sessionId as string;
		const ended = await api.delete('/Sessions', { data: { sessions: [{ val: first }] } });
		expect([ended.status, ended.data]).toEqual([200, {}]);
		// The ended session stays listed, with the time it ended.
		const after = await api.get('/Session', { params: { userId: 1301 } });
		const activeAfter = after.data.sessions.filter((s: { logoutTime: number }) => s.logoutTime === 0);
		expect(activeAfter.map((s: { sessionId: string }) => s.sessionId)).toEqual([listed.data.sessions[1].sessionId]);
		expect(after.data.sessions.find((s: { sessionId: string }) => s.sessionId === first).logoutTime).toBeGreaterThan(0);
	});

	it("DELETE /Sessions also takes the Postman collection's body, a list of session IDs", async () => {
		const ids = ['sess-1301-1', 'sess-1301-2'];
		const ended = await api.delete('/Sessions', { data: { sessions: ids } });
		expect([ended.status, ended.data]).toEqual([200, {}]);
		expect(sim.state.leaver.sessionsOf(1301)).toEqual([]);
	});

	it.each([
		['objects', { sessions: [{ val: 'sess-1301-1' }] }],
		['strings', { sessions: ['sess-1301-1'] }],
	] as const)('with logOffIgnores %s, answers {} to that body form and ends nothing', async (form, data) => {
		sim.setBehaviour({ logOffIgnores: form });
		const ended = await api.delete('/Sessions', { data });
		expect([ended.status, ended.data]).toEqual([200, {}]);
		expect(sim.state.leaver.sessionsOf(1301).map((s) => s.sessionId)).toEqual(['sess-1301-1', 'sess-1301-2']);
		// The other form still works; reset() turns the switch back.
		sim.reset();
		expect(sim.state.leaver.behaviour.logOffIgnores).toBeNull();
	});

	it('with laptopShape webConsole, GET /V4/Laptop answers the documented shape without owners', async () => {
		sim.setBehaviour({ laptopShape: 'webConsole' });
		const laptops = (await api.get('/V4/Laptop')).data as Array<Record<string, unknown>>;
		expect(laptops.length).toBeGreaterThan(0);
		for (const laptop of laptops) expect(Object.keys(laptop).sort()).toEqual(['id', 'lastBackupTime', 'name', 'totalBackupSize']);
	});

	it('refuses a session list for an unknown user and a DELETE /Sessions without sessions (errorCode 2)', async () => {
		expect((await api.get('/Session', { params: { userId: 4242 } })).data).toMatchObject({ errorCode: 2 });
		expect((await api.delete('/Sessions', { data: {} })).data).toMatchObject({ errorCode: 2 });
	});

	it('GET /V4/AccessToken/?userId= lists tokens; DELETE /V4/AccessToken/{id} revokes one; unknown → 404', async () => {
		const listed = await api.get('/V4/AccessToken/', { params: { userId: 1301 } });
		expect(listed.data.tokens.map((t: { tokenName: string }) => t.tokenName)).toEqual(['jdoe-reporting', 'jdoe-ci']);
		const id = listed.data.tokens[0].accessTokenId as number;
		expect((await api.delete(`/V4/AccessToken/${id}`)).data).toEqual({ errorCode: 0, errorMessage: '' });
		expect((await api.get('/V4/AccessToken/', { params: { userId: 1301 } })).data.tokens).toHaveLength(1);
		const again = await api.delete(`/V4/AccessToken/${id}`);
		expect([again.status, again.data.errorMessage]).toEqual([404, 'Requested Details not found']);
	});

	it("with revokeOthersAccessTokens: false, refuses to revoke another user's token", async () => {
		const strict = await startSimulator({ revokeOthersAccessTokens: false });
		try {
			const client = apiClient(strict, '/commandcenter/api', { headers: { Accept: 'application/json', Authtoken: ACCESS_AUTHTOKEN } });
			const [token] = strict.state.leaver.tokensOf(1301);
			const refused = await client.delete(`/V4/AccessToken/${token.accessTokenId}`);
			expect(refused.data).toMatchObject({ errorCode: 5 });
			expect(strict.state.leaver.tokensOf(1301)).toHaveLength(2);
		} finally {
			await strict.stop();
		}
	});

	it('PUT /V4/user/{id} with userGroupOperation DELETE removes the listed groups; an external user is refused', async () => {
		sim.state.getUser('jdoe')!.userGroupIds.push(3);
		const removed = await api.put('/V4/user/1301', { userGroupOperation: 'DELETE', userGroups: [{ id: 2 }, { name: 'View All' }] });
		expect(removed.data).toEqual({ errorMessage: '', errorCode: 0 });
		expect(sim.state.getUser('jdoe')?.userGroupIds).toEqual([]);
		const external = await api.put('/V4/user/1302', { userGroupOperation: 'DELETE', userGroups: [{ id: 6 }] });
		expect(external.status).toBe(400);
		expect(sim.state.getUser(1302)?.userGroupIds).toEqual([6]);
		const unknown = await api.put('/V4/user/1301', { userGroupOperation: 'DELETE', userGroups: [{ id: 99 }] });
		expect(unknown.status).toBe(400);
	});

	it('GET /V4/Laptop answers a bare array with owners, username and email', async () => {
		const laptops = await api.get('/V4/Laptop');
		expect(Array.isArray(laptops.data)).toBe(true);
		const jdoe = laptops.data.find((l: { name: string }) => l.name === 'LT-JDOE-01');
		expect(jdoe).toMatchObject({ owners: [{ id: 1301, name: 'jdoe' }], username: 'jdoe', email: 'jdoe@example.com', configured: true });
	});

	it('DELETE /Client/{id}/Retire answers {response: {errorCode}, jobId} (an object) and the laptop leaves the list', async () => {
		const [laptop] = sim.state.leaver.activeLaptops().filter((l) => l.name === 'LT-JDOE-01');
		const retired = await api.delete(`/Client/${laptop.clientId}/Retire`);
		expect(retired.data).toEqual({ response: { errorCode: 0, errorString: '' }, jobId: expect.any(Number) });
		expect((await api.get('/V4/Laptop')).data.map((l: { name: string }) => l.name)).not.toContain('LT-JDOE-01');
		expect((await api.delete(`/Client/${laptop.clientId}/Retire`)).data).toMatchObject({ response: { errorCode: 2 } });
	});

	it('POST /Client/{id} with ownerAssociations (ownersOperationType 1) replaces the owners; an unknown user is refused', async () => {
		const [laptop] = sim.state.leaver.activeLaptops().filter((l) => l.name === 'LT-JDOE-01');
		const body = (owners: object[]) => ({
			clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType: 1, owners } } } },
			association: { entity: [{ clientName: laptop.name }] },
		});
		expect((await api.post(`/Client/${laptop.clientId}`, body([{ userId: 1304, userName: 'rlee' }]))).data).toEqual({
			response: [{ errorCode: 0, errorString: '', entity: { clientId: laptop.clientId, clientName: 'LT-JDOE-01', _type_: 3 } }],
		});
		expect(sim.state.leaver.laptop(laptop.clientId)?.ownerUserIds).toEqual([1304]);
		expect((await api.post(`/Client/${laptop.clientId}`, body([{ userId: 4242 }]))).data).toMatchObject({ response: [{ errorCode: 2 }] });
		expect(sim.state.leaver.laptop(laptop.clientId)?.ownerUserIds).toEqual([1304]);
	});
});
