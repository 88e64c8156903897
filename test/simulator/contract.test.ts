import { commvaultFixture as fixture, commvaultFixtures } from '../support/commvault-fixtures';
import { ACCESS_AUTHTOKEN, apiClient, b64, useSimulator } from './helpers';

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/**
 * Where `actual` differs in shape from the documented `expected`: a key the documented body has and
 * the answer lacks, or a value of another JSON type (arrays compared by their first entries). With
 * `exact`, keys the documented body does not have count too.
 */
function shapeDifferences(expected: unknown, actual: unknown, exact: boolean, path = 'body'): string[] {
	if (typeOf(expected) !== typeOf(actual)) return [`${path}: ${typeOf(expected)} documented, ${typeOf(actual)} answered`];
	if (Array.isArray(expected) && Array.isArray(actual)) {
		if (expected.length === 0) return [];
		if (actual.length === 0) return [`${path}: an empty list answered`];
		return shapeDifferences(expected[0], actual[0], exact, `${path}[0]`);
	}
	if (typeOf(expected) !== 'object') return [];
	const documented = expected as Record<string, unknown>;
	const answered = actual as Record<string, unknown>;
	const missing = Object.keys(documented).flatMap((key) =>
		key in answered ? shapeDifferences(documented[key], answered[key], exact, `${path}.${key}`) : [`${path}.${key}: missing`],
	);
	const extra = exact ? Object.keys(answered).filter((key) => !(key in documented)).map((key) => `${path}.${key}: not documented`) : [];
	return [...missing, ...extra];
}

describe("simulator answers in the shape of Commvault's documented payloads (test/fixtures/commvault)", () => {
	// A second access token with a refresh token, for the renewal's documented reply.
	const RENEWABLE = { token: 'contract-renewable', userName: 'admin', refreshToken: 'contract-refresh' };
	const sim = useSimulator({ accessTokens: ['sim-access-token', RENEWABLE] });

	const api = () => apiClient(sim, '/commandcenter/api', { headers: { Accept: 'application/json', Authtoken: ACCESS_AUTHTOKEN } });
	const jdoeLaptopId = () => sim.state.leaver.activeLaptops().find((l) => l.name === 'LT-JDOE-01')?.clientId;
	const ownerBody = (userId: number) => ({
		clientProperties: { clientProps: { securityAssociations: { ownerAssociations: { ownersOperationType: 1, owners: [{ userId }] } } } },
	});

	// How the simulator is asked for each documented payload.
	const cases: Array<[string, () => Promise<{ status: number; data: unknown }>]> = [
		['user-offboard-reply.json', () => api().post('/User/Offboard', { userName: 'tapicompany/tapicompany' })],
		['user-offboard-failure.json', () => api().post('/User/Offboard', { userName: 'ghost' })],
		['user-disable-reply.json', () => api().put('/User/1301/Disable')],
		['user-delete-reply.json', () => api().delete('/User/1301', { params: { newUserId: 1304, newUserGroupId: 0 } })],
		['user-list-bare.json', () => api().get('/User')],
		['user-list-level10-xsoar.json', () => api().get('/User', { params: { level: 10 } })],
		['login-failure.json', () => apiClient(sim).post('/Login', { username: 'admin', password: b64('wrong') })],
		['v4-generic-error-404.json', () => api().get('/V4/user/999999')],
		['whoami-v1.json', () => api().post('/WhoAmI')],
		['session-list-reply.json', () => api().get('/Session', { params: { userId: 1301 } })],
		['sessions-delete-postman.json', () => api().delete('/Sessions', { data: fixture('sessions-delete-postman.json').requestBody })],
		['client-owner-reply.json', () => api().post(`/Client/${jdoeLaptopId()}`, ownerBody(1304))],
		['retire-client-reply.json', () => api().delete(`/Client/${jdoeLaptopId()}/Retire`)],
		[
			'access-token-renew-reply.json',
			() =>
				apiClient(sim, '/commandcenter/api', { headers: { Authorization: `Bearer ${RENEWABLE.token}` } }).post('/V4/AccessToken/Renew', {
					accessToken: RENEWABLE.token,
					refreshToken: RENEWABLE.refreshToken,
				}),
		],
	];

	it('covers every fixture that names a request', () => {
		const withRequest = commvaultFixtures().filter((f) => f.request !== undefined).map((f) => f.name);
		expect(cases.map(([name]) => name).sort()).toEqual(withRequest);
	});

	it.each(cases)('%s', async (name, ask) => {
		const documented = fixture(name);
		const answer = await ask();
		expect(answer.status).toBe(documented.status ?? 200);
		expect(shapeDifferences(documented.body, answer.data, false)).toEqual([]);
		// `_exactKeysOf`: a top-level list whose entries have exactly the documented keys.
		const exactly = documented._exactKeysOf;
		if (exactly) {
			const entries = (answer.data as Record<string, unknown[]>)[exactly];
			const model = (documented.body as Record<string, unknown[]>)[exactly][0];
			expect(entries.length).toBeGreaterThan(1);
			for (const entry of entries) expect(shapeDifferences(model, entry, true)).toEqual([]);
		}
	});

	it("answers the offboard example exactly as Commvault's page shows it", async () => {
		const answer = await api().post('/User/Offboard', { userName: 'tapicompany/tapicompany' });
		expect(answer.data).toEqual(fixture('user-offboard-reply.json').body);
	});

	it('the shape check itself sees a missing key, a wrong type and an undocumented key', () => {
		expect(shapeDifferences({ a: { b: 1 } }, { a: {} }, false)).toEqual(['body.a.b: missing']);
		expect(shapeDifferences({ a: [{ b: 1 }] }, { a: [{ b: '1' }] }, false)).toEqual(['body.a[0].b: number documented, string answered']);
		expect(shapeDifferences({ a: 1 }, { a: 1, c: 2 }, true)).toEqual(['body.c: not documented']);
	});
});
