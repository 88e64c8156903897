import { createCommvaultSimulator, DEFAULTS } from '../../simulator';

export type Simulator = ReturnType<typeof createCommvaultSimulator>;
export type SimulatorOptions = NonNullable<Parameters<typeof createCommvaultSimulator>[0]>;

export { DEFAULTS };

export const ACCESS_TOKEN = DEFAULTS.accessToken;
export const ADMIN = DEFAULTS.account;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const sim = createCommvaultSimulator({ host: '127.0.0.1', port: 0, ...options });
	await sim.start();
	return sim;
}

/** The simulator's record of the requests a run sent to one endpoint. */
export function requestsTo(sim: Simulator, endpoint: string) {
	return sim.requests.filter((r) => r.endpoint === endpoint);
}

export function accessTokenCredential(sim: Simulator, extra: Record<string, unknown> = {}) {
	return { baseUrl: sim.baseUrl('/commandcenter/api'), authMethod: 'accessToken', accessToken: ACCESS_TOKEN, ...extra };
}

export function passwordCredential(sim: Simulator, extra: Record<string, unknown> = {}) {
	return {
		baseUrl: sim.baseUrl('/commandcenter/api'),
		authMethod: 'password',
		username: ADMIN.username,
		password: ADMIN.password,
		...extra,
	};
}
