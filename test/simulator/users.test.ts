import type { AxiosInstance } from 'axios';

import { ACCESS_AUTHTOKEN, apiClient, createCommvaultSimulator, startSimulator, type Simulator } from './helpers';

describe('simulator: user endpoints', () => {
	let sim: Simulator;
	let api: AxiosInstance;

	beforeAll(async () => {
		sim = await startSimulator({ generatedUsers: 25, seed: 7 });
		api = apiClient(sim, '/commandcenter/api', { headers: { Accept: 'application/json', Authtoken: ACCESS_AUTHTOKEN } });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	const v1Names = (data: { users: Array<{ userEntity: { userName: string } }> }) => data.users.map((u) => u.userEntity.userName);

	it('GET /User lists users in the v1 shape, disabled users with enableUser: false', async () => {
		const r = await api.get('/User', { params: { level: 10 } });
		expect(r.status).toBe(200);
		expect(r.data.users).toHaveLength(10 + 25);
		expect(r.data.filterQueryCount).toBe(35);
		const jdoe = r.data.users.find((u: { userEntity: { userName: string } }) => u.userEntity.userName === 'jdoe');
		expect(jdoe).toMatchObject({
			userEntity: { userId: 1301, userName: 'jdoe', userGUID: expect.any(String) },
			enableUser: true,
			email: 'jdoe@example.com',
			fullName: 'John Doe',
			description: 'Finance',
		});
		const mroe = r.data.users.find((u: { userEntity: { userName: string } }) => u.userEntity.userName === 'mroe');
		expect(mroe.enableUser).toBe(false);
		const asmith = r.data.users.find((u: { userEntity: { userId: number } }) => u.userEntity.userId === 1302);
		expect(asmith.userEntity.entityInfo).toEqual({ companyId: 12, companyName: 'Acme Corp' });
	});

	it('GET /User without level or fl answers only userEntity {userName, userId}, as documented', async () => {
		const bare = await api.get('/User');
		expect(bare.data.filterQueryCount).toBe(35);
		for (const entry of bare.data.users) {
			expect(Object.keys(entry)).toEqual(['userEntity']);
			expect(Object.keys(entry.userEntity).sort()).toEqual(['userId', 'userName']);
		}
		// level 1 is below 10: still the bare list
		const level1 = await api.get('/User', { params: { level: 1 } });
		expect(Object.keys(level1.data.users[0])).toEqual(['userEntity']);
		// The filters work on the bare list too: the columns a filter reads are not the columns returned.
		const byEmail = await api.get('/User', { params: { fq: 'users.email:eq:jdoe@example.com' } });
		expect(byEmail.data.users).toEqual([{ userEntity: { userName: 'jdoe', userId: 1301 } }]);
	});

	it('GET /User?level=10 adds email, fullName, description, UPN and enableUser; level 40 adds user groups', async () => {
		const level10 = await api.get('/User', { params: { Level: '10', fq: 'name:eq:acme\\asmith' } });
		expect(level10.data.users).toHaveLength(1);
		expect(Object.keys(level10.data.users[0]).sort()).toEqual(['UPN', 'description', 'email', 'enableUser', 'fullName', 'userEntity']);
		expect(level10.data.users[0]).toMatchObject({ email: 'asmith@acme.example.com', UPN: 'asmith@acme.example.com', enableUser: true });
		expect(level10.data.users[0].associatedUserGroups).toBeUndefined();
		const level40 = await api.get('/User', { params: { level: 40, fq: 'name:eq:acme\\asmith' } });
		expect(level40.data.users[0].associatedUserGroups).toEqual([{ userGroupId: 6, userGroupName: 'acme\\Tenant Users', _type_: 15 }]);
	});

	it("GET /User with cvpysdk's fl columns answers exactly those columns", async () => {
		const fl = 'users.userEntity,users.email,users.enableUser,users.isAccountLocked,users.userEntity.entityInfo.companyName';
		const r = await api.get('/User', { params: { fl, fq: 'name:eq:kfrost' } });
		expect(r.data.users).toEqual([
			{
				userEntity: { userName: 'kfrost', userId: 1306, userGUID: expect.any(String), _type_: 13, entityInfo: { companyName: 'Commcell' } },
				email: 'kfrost@example.com',
				enableUser: true,
				isAccountLocked: true,
			},
		]);
	});

	it('GET /User/{id} returns user groups and security associations only from level 40', async () => {
		for (const level of [undefined, 10, 30]) {
			const user = (await api.get('/User/1302', { params: level === undefined ? {} : { level } })).data.users[0];
			expect(user).toMatchObject({ userEntity: { userId: 1302 }, email: 'asmith@acme.example.com' });
			expect(user.associatedUserGroups).toBeUndefined();
			expect(user.securityAssociations).toBeUndefined();
		}
		for (const params of [{ level: 40 }, { Level: 50 }]) {
			const user = (await api.get('/User/1302', { params })).data.users[0];
			expect(user.associatedUserGroups).toEqual([{ userGroupId: 6, userGroupName: 'acme\\Tenant Users', _type_: 15 }]);
			expect(user.securityAssociations.associations).toHaveLength(2);
		}
	});

	it('pages GET /User with start/limit (cvpysdk) and with limit/offset or pagingInfo headers (PowerShell SDK)', async () => {
		const all = v1Names((await api.get('/User')).data);
		const page = await api.get('/User', { params: { start: 5, limit: 10 } });
		expect(v1Names(page.data)).toEqual(all.slice(5, 15));
		expect(page.data.filterQueryCount).toBe(35);
		const headers = await api.get('/User', { headers: { limit: '4', offset: '30' } });
		expect(v1Names(headers.data)).toEqual(all.slice(30, 34));
		const pagingInfo = await api.get('/User', { headers: { pagingInfo: '2,10' } });
		expect(v1Names(pagingInfo.data)).toEqual(all.slice(20, 30));
		const beyond = await api.get('/User', { params: { start: 100, limit: 10 } });
		expect(beyond.data.users).toEqual([]);
	});

	it('filters GET /User with fq (eq / contains) and search, like cvpysdk and the Terraform provider', async () => {
		const byEmail = await api.get('/User', { params: { fq: 'users.email:eq:JDOE@example.com' } });
		expect(v1Names(byEmail.data)).toEqual(['jdoe']);
		const byName = await api.get('/User', { params: { fq: 'name:eq:acme\\asmith' } });
		expect(v1Names(byName.data)).toEqual(['acme\\asmith']);
		const contains = await api.get('/User', { params: { fq: 'users.userEntity.userName:contains:user0001' } });
		expect(v1Names(contains.data)).toEqual(Array.from({ length: 10 }, (_, i) => `user000${String(10 + i)}`));
		const disabled = await api.get('/User', { params: { fq: 'users.enableUser:eq:false' } });
		expect(v1Names(disabled.data)).toEqual(['mroe']);
		const search = await api.get('/User', { params: { search: 'users.userEntity.userName,users.email,users.fullName:contains:ROE' } });
		expect(v1Names(search.data)).toEqual(['mroe']);
		const nobody = await api.get('/User', { params: { fq: 'users.email:eq:nobody@example.com' } });
		expect(nobody.data).toEqual({ users: [], filterQueryCount: 0 });
	});

	it('GET /User/{id} and GET /User/byName(...) return the full user; unknown → errorCode without users', async () => {
		const byId = await api.get('/User/1302', { params: { level: 40 } });
		expect(byId.status).toBe(200);
		expect(byId.data.users).toHaveLength(1);
		expect(byId.data.users[0]).toMatchObject({
			userEntity: { userId: 1302, userName: 'acme\\asmith' },
			email: 'asmith@acme.example.com',
			UPN: 'asmith@acme.example.com',
			associatedUserGroups: [{ userGroupId: 6, userGroupName: 'acme\\Tenant Users' }],
		});
		expect(byId.data.users[0].securityAssociations.associations.length).toBe(2);
		const byName = await api.get("/User/byName(userName='acme%5Casmith')");
		expect(byName.data.users[0].userEntity.userId).toBe(1302);
		const byNameCase = await api.get("/user/BYNAME(USERNAME='TAPICOMPANY%2FTAPICOMPANY')");
		expect(byNameCase.data.users[0].userEntity.userId).toBe(1251);
		expect(sim.requests.at(-1)?.endpoint).toBe('user/byname');
		for (const path of ['/User/999999', "/User/byName(userName='ghost')"]) {
			const r = await api.get(path);
			expect(r.status).toBe(200);
			expect(r.data.users).toBeUndefined();
			expect(r.data.errorCode).toBe(2);
		}
	});

	it('GET /V4/user lists users in the V4 shape with numberOfUsers and limit/offset paging', async () => {
		const all = await api.get('/V4/user');
		expect(all.data.numberOfUsers).toBe(35);
		expect(all.data.users).toHaveLength(35);
		expect(all.data.users.find((u: { id: number }) => u.id === 1302)).toMatchObject({
			id: 1302,
			name: 'acme\\asmith',
			GUID: expect.any(String),
			email: 'asmith@acme.example.com',
			fullName: 'Alice Smith',
			enabled: true,
			company: { id: 12, name: 'Acme Corp' },
			userPrincipalName: 'asmith@acme.example.com',
			lockInfo: { isLocked: false },
		});
		expect(all.data.users.find((u: { name: string }) => u.name === 'kfrost').lockInfo.isLocked).toBe(true);
		expect(all.data.users.find((u: { name: string }) => u.name === 'mroe').enabled).toBe(false);
		const collected: number[] = [];
		for (let offset = 0; ; offset += 10) {
			const page = await api.get('/v4/User', { params: { limit: 10, offset } });
			expect(page.data.numberOfUsers).toBe(35);
			collected.push(...page.data.users.map((u: { id: number }) => u.id));
			if (page.data.users.length < 10) break;
		}
		expect(collected).toEqual(all.data.users.map((u: { id: number }) => u.id));
		const group = await api.get('/V4/user', { params: { userGroupId: 6 } });
		expect(group.data.users.map((u: { name: string }) => u.name)).toEqual(['acme\\asmith', 'acme\\erin']);
	});

	it('GET /V4/user/{id} returns the detail; unknown → 404', async () => {
		const r = await api.get('/V4/user/1301');
		expect(r.data).toMatchObject({ id: 1301, name: 'jdoe', enabled: true, associatedUserGroups: [{ id: 2, name: 'Laptop Users' }] });
		const missing = await api.get('/V4/user/424242');
		expect(missing.status).toBe(404);
		expect(missing.data.errorMessage).toBe('Requested Details not found');
	});

	it('PUT /User/{id}/Disable and /Enable change enableUser / enabled everywhere', async () => {
		const disabled = await api.put('/User/1301/Disable');
		expect(disabled.data).toEqual({ response: [{ errorString: '', errorCode: 0, entity: { userId: 1301, userName: 'jdoe' } }] });
		expect((await api.get('/User/1301')).data.users[0].enableUser).toBe(false);
		expect((await api.get('/V4/user/1301')).data.enabled).toBe(false);
		expect((await api.get('/User', { params: { fq: 'users.enableUser:eq:false' } })).data.users).toHaveLength(2);
		expect(sim.state.getUser(1301)?.enabled).toBe(false);
		// idempotent
		expect((await api.put('/user/1301/disable')).data.response[0].errorCode).toBe(0);
		const enabled = await api.put('/User/1301/Enable');
		expect(enabled.data.response[0]).toMatchObject({ errorCode: 0, entity: { userId: 1301 } });
		expect((await api.get('/V4/user/1301')).data.enabled).toBe(true);
		const unknown = await api.put('/User/999999/Disable');
		expect(unknown.status).toBe(200);
		expect(unknown.data.response[0].errorCode).not.toBe(0);
		expect(unknown.data.response[0].errorString).toMatch(/does not exist/);
		expect(sim.stats()).toMatchObject({ disablesByUser: { jdoe: 2 }, enablesByUser: { jdoe: 1 } });
		expect(sim.requests.map((q) => q.endpoint)).toContain('user/{id}/disable');
	});

	it('POST /User/{id} and PUT /V4/user/{id} update properties (enableUser / enabled)', async () => {
		const v1 = await api.post('/User/1304', { users: [{ enableUser: false, description: 'on leave' }] });
		expect(v1.data.response[0].errorCode).toBe(0);
		expect(sim.state.getUser('rlee')).toMatchObject({ enabled: false, description: 'on leave' });
		const v4 = await api.put('/V4/user/1304', { enabled: true, email: 'robert.lee@example.com' });
		expect(v4.data).toEqual({ errorMessage: '', errorCode: 0 });
		expect((await api.get('/User', { params: { fq: 'users.email:eq:robert.lee@example.com' } })).data.users[0].userEntity.userId).toBe(1304);
	});

	it('DELETE /User/{id} requires a new owner, transfers ownership and removes the user from every list', async () => {
		const jdoeEntities = [...sim.state.subclientsOwnedBy(1301), ...sim.state.vmClientsOwnedBy(1301)];
		const noOwner = await api.delete('/User/1301');
		expect(noOwner.status).toBe(200);
		expect(noOwner.data.response[0].errorCode).not.toBe(0);
		expect(noOwner.data.response[0].errorString).toMatch(/owner/i);
		const bothZero = await api.delete('/User/1301', { params: { newUserId: 0, newUserGroupId: 0 } });
		expect(bothZero.data.response[0].errorCode).not.toBe(0);
		const badOwner = await api.delete('/User/1301', { params: { newUserId: 555555, newUserGroupId: 0 } });
		expect(badOwner.data.response[0].errorString).toMatch(/does not exist/);
		expect(sim.state.getUser(1301)).toBeDefined();

		const deleted = await api.delete('/User/1301', { params: { newUserId: 1, newUserGroupId: 0 } });
		expect(deleted.data.response[0]).toMatchObject({ errorString: 'Success', errorCode: 0, warningMessage: '', entity: { userId: 1301, userName: 'jdoe' } });
		for (const e of jdoeEntities) expect(e.ownerUserIds).toEqual([1]);
		expect(sim.state.subclientsOwnedBy(1).length).toBe(1 + 2);
		expect(sim.state.getUser(1301)).toBeUndefined();
		expect(sim.state.subclients.some((s) => s.securityAssociations.some((a) => a.userId === 1301))).toBe(false);

		expect(v1Names((await api.get('/User')).data)).not.toContain('jdoe');
		expect((await api.get('/V4/user')).data.numberOfUsers).toBe(34);
		expect((await api.get('/User/1301')).data.errorCode).toBe(2);
		expect((await api.get("/User/byName(userName='jdoe')")).data.errorCode).toBe(2);
		expect((await api.get('/V4/user/1301')).status).toBe(404);
		expect((await api.get('/User', { params: { fq: 'users.email:eq:jdoe@example.com' } })).data.users).toEqual([]);
		expect((await api.post('/User/Offboard', { userName: 'jdoe' })).data.errorCode).toBe(2);
		expect((await api.put('/User/1301/Disable')).data.response[0].errorCode).not.toBe(0);

		const second = await api.delete('/User/1301', { params: { newUserId: 1, newUserGroupId: 0 } });
		expect(second.data.response[0].errorCode).not.toBe(0);
		expect(sim.stats().deletesByUser).toEqual({ jdoe: 1 });
		expect(sim.state.deletedUsers.map((u) => u.userName)).toEqual(['jdoe']);
	});

	it('DELETE transfers to a user group, and supports the byName forms', async () => {
		const r = await api.delete('/User/1302', { params: { newUserId: 0, newUserGroupId: 4 } });
		expect(r.data.response[0].errorCode).toBe(0);
		expect(sim.state.vmClients.find((v) => v.vmName === 'acme-vm-sql01')).toMatchObject({ ownerUserIds: [], ownerUserGroupIds: [4] });
		const both = await api.delete('/User/1303', { params: { newUserId: 1, newUserGroupId: 4 } });
		expect(both.data.response[0].errorCode).not.toBe(0);
		// The ID path takes IDs only: a byName(...) owner there is a form the docs do not describe.
		const mixed = await api.delete('/User/1303', { params: { newUserId: "byName(userName='admin')", newUserGroupId: 0 } });
		expect(mixed.data.response[0]).toMatchObject({ errorCode: 2, errorString: "Invalid newUserId [byName(userName='admin')]." });
		expect(sim.state.getUser(1303)).toBeDefined();
		// The by-name path, with empty quotation marks for the owner not sent, as documented.
		const byName = await api.delete("/User/byName(userName='mroe')", {
			params: { newUserId: "byName(userName='admin')", newUserGroupId: "byName(userGroupName='')" },
		});
		expect(byName.data.response[0].errorCode).toBe(0);
		expect(sim.state.subclients.find((s) => s.clientName === 'LT-MROE-02')?.ownerUserIds).toEqual([1]);
		const admin = await api.delete('/User/1', { params: { newUserId: 1304, newUserGroupId: 0 } });
		expect(admin.data.response[0].errorCode).not.toBe(0);
	});

	it('DELETE /V4/user/{id} with transferToUser', async () => {
		const r = await api.delete('/V4/user/1304', { params: { transferToUser: 1 } });
		expect(r.data).toEqual({ errorMessage: '', errorCode: 0 });
		expect((await api.get('/V4/user/1304')).status).toBe(404);
		const missing = await api.delete('/V4/user/1304', { params: { transferToUser: 1 } });
		expect(missing.status).toBe(404);
	});

	it('GET /UserGroup and /V4/UserGroup', async () => {
		const v1 = await api.get('/UserGroup');
		expect(v1.data.userGroups[0]).toMatchObject({ userGroupEntity: { userGroupId: 1, userGroupName: 'master' } });
		const v4 = await api.get('/V4/UserGroup');
		expect(v4.data.userGroups.map((g: { name: string }) => g.name)).toContain('Helpdesk');
	});

	it("level 40 lists a user's AD groups (associatedExternalUserGroups) only for users in one; V4 serviceType uses the documented values", async () => {
		const asmith = (await api.get('/User/1302', { params: { level: 40 } })).data.users[0];
		expect(asmith.associatedExternalUserGroups).toEqual([{ externalGroupName: 'Finance Admins', providerDomainName: 'acme' }]);
		expect((await api.get('/User/1301', { params: { level: 40 } })).data.users[0].associatedExternalUserGroups).toBeUndefined();
		expect((await api.get('/User/1302', { params: { level: 10 } })).data.users[0].associatedExternalUserGroups).toBeUndefined();
		// PSv2 OpenAPI3.yaml ServiceTypes: COMMSERVE (commserver users), ACTIVE_DIRECTORY, ORGANIZATIONS (company users).
		const serviceType = async (id: number) => (await api.get(`/V4/user/${id}`)).data.serviceType;
		expect([await serviceType(1301), await serviceType(1302), await serviceType(1251)]).toEqual(['COMMSERVE', 'ACTIVE_DIRECTORY', 'ORGANIZATIONS']);
	});
});

describe('simulator: generated users', () => {
	it('creates user00001… with emails, 1–3 subclients and 0–2 VMs each, deterministically per seed', () => {
		const a = createCommvaultSimulator({ generatedUsers: 200, seed: 3 });
		const b = createCommvaultSimulator({ generatedUsers: 200, seed: 3 });
		const c = createCommvaultSimulator({ generatedUsers: 200, seed: 4 });
		const u1 = a.state.getUser('user00001');
		expect(u1).toMatchObject({ userId: 100001, email: 'user00001@example.com', enabled: true });
		expect(a.state.getUser('USER00200')?.userId).toBe(100200);
		for (const user of a.state.users.filter((u) => u.userName.startsWith('user'))) {
			const subclients = a.state.subclientsOwnedBy(user.userId).length;
			const vms = a.state.vmClientsOwnedBy(user.userId).length;
			expect(subclients).toBeGreaterThanOrEqual(1);
			expect(subclients).toBeLessThanOrEqual(3);
			expect(vms).toBeGreaterThanOrEqual(0);
			expect(vms).toBeLessThanOrEqual(2);
		}
		const shape = (s: Simulator) => s.state.users.map((u) => [u.userName, u.userGUID, u.fullName, s.state.subclientsOwnedBy(u.userId).length, s.state.vmClientsOwnedBy(u.userId).length]);
		expect(shape(a)).toEqual(shape(b));
		expect(shape(a)).not.toEqual(shape(c));
		// reset() rebuilds the identical seed state
		a.state.offboard(u1!, null, 'userName');
		a.reset();
		expect(shape(a)).toEqual(shape(b));
	});

	it('accepts a custom seed user list', () => {
		const sim = createCommvaultSimulator({
			users: [
				{ userName: 'alpha', email: 'alpha@corp.test', subclients: [{ clientName: 'alpha-pc' }] },
				{ userName: 'beta', userId: 77, offboardError: { errorCode: 9, errorMessage: 'nope' } },
			],
		});
		expect(sim.state.users.map((u) => [u.userId, u.userName])).toEqual([
			[77, 'beta'],
			[78, 'alpha'],
		]);
		expect(sim.state.subclientsOwnedBy(78)).toHaveLength(1);
	});
});
