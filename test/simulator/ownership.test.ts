import { ACCESS_AUTHTOKEN, apiClient, auth, useSimulator } from './helpers';

describe('simulator: client owners, backup flags, role associations and VM offboard', () => {
	const sim = useSimulator();
	const api = () => apiClient(sim);
	const get = (path: string) => api().get(path, auth(ACCESS_AUTHTOKEN));
	const post = (path: string, body: unknown) => api().post(path, body, auth(ACCESS_AUTHTOKEN));
	const clientIdOf = (name: string) => {
		const sc = sim.state.subclients.find((s) => s.clientName === name);
		const vm = sim.state.vmClients.find((v) => v.vmName === name);
		const id = sc?.clientId ?? vm?.clientId;
		if (id === undefined) throw new Error(`no client ${name}`);
		return id;
	};
	const ownersBody = (ownersOperationType: number | string, owners: object[]) => ({
		clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType, owners } } } },
	});
	const ownerNames = async (clientId: number) => {
		const r = await get(`/Client/${clientId}`);
		return (r.data.clientProperties[0].clientProps.securityAssociations.ownerAssociations.owners as Array<{ userName?: string; userGroupName?: string }>).map(
			(o) => o.userName ?? `group:${o.userGroupName}`,
		);
	};

	it('GET /Client/{id} carries the owners (ownerAssociations and clientSecurity) and the backup activity', async () => {
		const r = await get(`/Client/${clientIdOf('vm-jdoe-dev01')}`);
		expect(r.status).toBe(200);
		const props = r.data.clientProperties[0];
		expect(props.client.clientEntity).toMatchObject({ clientName: 'vm-jdoe-dev01', _type_: 3 });
		expect(props.clientProps.securityAssociations.ownerAssociations.owners).toEqual([{ userId: 1301, userName: 'jdoe' }]);
		expect(props.clientProps.clientSecurity.clientOwners).toBe('jdoe');
		expect(props.clientProps.clientActivityControl.activityControlOptions).toEqual([{ activityType: 1, enableActivityType: true, enableAfterADelay: false }]);
		expect((await get('/Client/99999')).data).toMatchObject({ errorCode: 2 });
	});

	it('POST /Client/{id} owners: ADD keeps the others, DELETE removes the named, OVERWRITE replaces; laptops follow', async () => {
		const laptop = clientIdOf('LT-JDOE-01');
		expect((await post(`/Client/${laptop}`, ownersBody('ADD', [{ userName: 'rlee' }, { userGroupName: 'Helpdesk' }]))).data).toEqual({
			response: [{ errorCode: 0, errorString: '', entity: { clientId: laptop, clientName: 'LT-JDOE-01', _type_: 3 } }],
		});
		expect(await ownerNames(laptop)).toEqual(['jdoe', 'rlee', 'group:Helpdesk']);
		expect((await post(`/Client/${laptop}`, ownersBody(2, [{ userId: 1304 }]))).data.response[0].errorCode).toBe(0);
		expect(await ownerNames(laptop)).toEqual(['jdoe', 'rlee', 'group:Helpdesk']);
		expect((await post(`/Client/${laptop}`, ownersBody('DELETE', [{ userId: 1301 }]))).data.response[0].errorCode).toBe(0);
		expect(await ownerNames(laptop)).toEqual(['rlee', 'group:Helpdesk']);
		expect(sim.state.leaver.laptop(laptop)?.ownerUserIds).toEqual([1304]);
		expect((await post(`/Client/${laptop}`, ownersBody(1, [{ userId: 1301 }]))).data.response[0].errorCode).toBe(0);
		expect(await ownerNames(laptop)).toEqual(['jdoe']);
		expect(sim.state.subclientsOwnedBy(1304)).toEqual([]);
	});

	it('POST /Client/{id} refuses an unknown owner or operation and changes nothing', async () => {
		const laptop = clientIdOf('LT-JDOE-01');
		expect((await post(`/Client/${laptop}`, ownersBody('ADD', [{ userName: 'rlee' }, { userId: 4242 }]))).data).toMatchObject({ response: [{ errorCode: 2 }] });
		expect((await post(`/Client/${laptop}`, ownersBody('MERGE', [{ userName: 'rlee' }]))).data).toMatchObject({ response: [{ errorCode: 2 }] });
		expect(await ownerNames(laptop)).toEqual(['jdoe']);
	});

	it('GET /Subclient?clientId= and POST /Subclient/{id} enableBackup (cvpysdk enable_backup) turn a subclient back on', async () => {
		const laptop = clientIdOf('LT-JDOE-01');
		const list = await get(`/Subclient?clientId=${laptop}`);
		expect(list.data.subClientProperties).toHaveLength(2);
		const [first] = list.data.subClientProperties as Array<{ subClientEntity: { subclientId: number; _type_: number }; commonProperties: { enableBackup: boolean } }>;
		expect(first.subClientEntity._type_).toBe(7);
		expect(first.commonProperties.enableBackup).toBe(true);
		const id = first.subClientEntity.subclientId;
		expect((await post(`/Subclient/${id}`, { subClientProperties: { commonProperties: { enableBackup: false } } })).data).toEqual({ response: [{ errorCode: 0, errorString: '' }] });
		expect((await get(`/Subclient/${id}`)).data.subClientProperties[0].commonProperties.enableBackup).toBe(false);
		await post(`/Subclient/${id}`, { subClientProperties: { commonProperties: { enableBackup: true } } });
		expect(sim.state.subclientsById.get(id)?.backupEnabled).toBe(true);
		expect((await post('/Subclient/99999', { subClientProperties: { commonProperties: { enableBackup: true } } })).data).toMatchObject({ response: [{ errorCode: 2 }] });
	});

	it('POST /Client/{id} clientActivityControl turns a VM client backup back on', async () => {
		const vm = sim.state.vmClients.find((v) => v.vmName === 'vm-jdoe-dev01');
		if (!vm) throw new Error('seed');
		vm.backupEnabled = false;
		const body = { clientProperties: { clientProps: { clientActivityControl: { activityControlOptions: [{ activityType: 1, enableAfterADelay: false, enableActivityType: true }] } } } };
		expect((await post(`/Client/${vm.clientId}`, body)).data.response[0].errorCode).toBe(0);
		expect(vm.backupEnabled).toBe(true);
	});

	it('POST /Security adds (UPDATE 2) and deletes (3) a role association, visible at level 40', async () => {
		const sc = sim.state.subclients.find((s) => s.clientName === 'LT-MROE-02');
		if (!sc) throw new Error('seed');
		const body = (type: number) => ({
			entityAssociated: { entity: [{ subclientId: sc.subclientId, _type_: 7 }] },
			securityAssociations: { associationsOperationType: type, associations: [{ userOrGroup: [{ userName: 'rlee' }], properties: { role: { roleName: 'View', _type_: 120 } } }] },
		});
		expect((await post('/Security', body(2))).data).toEqual({ response: [{ errorCode: 0, errorString: '' }] });
		const roles = async () => (await get('/User/1304?level=40')).data.users[0].securityAssociations.associations;
		expect(await roles()).toEqual([expect.objectContaining({ entities: { entity: [expect.objectContaining({ subclientId: sc.subclientId })] }, properties: expect.objectContaining({ role: expect.objectContaining({ roleName: 'View' }) }) })]);
		expect((await post('/Security', body(2))).data.response[0].errorCode).toBe(0);
		expect(await roles()).toHaveLength(1);
		expect((await post('/Security', body(3))).data.response[0].errorCode).toBe(0);
		expect(await roles()).toEqual([]);
		const unknownRole = { ...body(2), securityAssociations: { associationsOperationType: 2, associations: [{ userOrGroup: [{ userName: 'rlee' }], properties: { role: { roleName: 'Nope' } } }] } };
		expect((await post('/Security', unknownRole)).data).toMatchObject({ response: [{ errorCode: 2 }] });
	});

	it('User Offboard changes exactly what the docs say: owner removed, backup disabled, role removed; laptop owner gone; nothing else', async () => {
		type Entity = { ownerUserIds: number[]; backupEnabled: boolean; securityAssociations: Array<{ userId?: number }> };
		const copy = () => JSON.parse(JSON.stringify([...sim.state.subclients, ...sim.state.vmClients])) as Entity[];
		const before = copy();
		const userBefore = JSON.stringify(sim.state.getUser(1301));
		await post('/User/Offboard', { userId: 1301 });
		const after = copy();
		after.forEach((entity, i) => {
			const was = before[i];
			if (!was.ownerUserIds.includes(1301)) {
				expect(entity).toEqual(was);
				return;
			}
			expect(entity.ownerUserIds).toEqual(was.ownerUserIds.filter((id) => id !== 1301));
			expect(entity.backupEnabled).toBe(false);
			expect(entity.securityAssociations).toEqual(was.securityAssociations.filter((a) => a.userId !== 1301));
		});
		const laptop = clientIdOf('LT-JDOE-01');
		expect(await ownerNames(laptop)).toEqual([]);
		expect(sim.state.leaver.laptop(laptop)?.ownerUserIds).toEqual([]);
		expect(JSON.stringify(sim.state.getUser(1301))).toBe(userBefore);
	});

	it('the knob offboardLeavesOwner: Offboard answers success but one owner stays', async () => {
		sim.state.offboardLeavesOwner = true;
		const r = await post('/User/Offboard', { userId: 1301 });
		expect(r.data).toEqual({ errorMessage: 'Successfully offboarded user 1301', errorCode: 0 });
		const left = [...sim.state.subclientsOwnedBy(1301), ...sim.state.vmClientsOwnedBy(1301)];
		expect(left).toHaveLength(1);
		sim.reset();
		expect(sim.state.offboardLeavesOwner).toBe(false);
	});

	it('GET /VM lists VM GUIDs; POST /VM/{GUID}/Offboard changes only that VM', async () => {
		const list = (await get('/VM')).data.vmStatusInfoList as Array<{ strGUID: string; name: string }>;
		const target = list.find((v) => v.name === 'vm-jdoe-dev01');
		if (!target) throw new Error('GET /VM lacks vm-jdoe-dev01');
		const other = sim.state.vmClients.find((v) => v.vmName === 'vm-jdoe-test02');
		const r = await post(`/VM/${target.strGUID}/Offboard`, { vmName: '' });
		expect(r.data).toMatchObject({ errorCode: 0 });
		const vm = sim.state.vmClients.find((v) => v.vmName === 'vm-jdoe-dev01');
		expect(vm).toMatchObject({ ownerUserIds: [], backupEnabled: false });
		expect(vm?.securityAssociations.some((a) => a.userId === 1301)).toBe(false);
		expect(other).toMatchObject({ ownerUserIds: [1301], backupEnabled: true });
		expect(sim.state.subclientsOwnedBy(1301)).toHaveLength(2);
		expect((await post('/VM/00000000-0000-0000-0000-000000000000/Offboard', { vmName: '' })).data).toMatchObject({ errorCode: 2 });
	});
});
