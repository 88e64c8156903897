import { createCommvaultSimulator, DEFAULTS } from '../../simulator';
import { generatedUserName } from '../../simulator/seed-data';

export type Simulator = ReturnType<typeof createCommvaultSimulator>;
export type SimulatorOptions = NonNullable<Parameters<typeof createCommvaultSimulator>[0]>;

/** generatedUserName(1) is user00001, the first of the simulator's generatedUsers. */
export { DEFAULTS, generatedUserName };

export const ACCESS_TOKEN = DEFAULTS.accessToken;
export const ADMIN = DEFAULTS.account;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const sim = createCommvaultSimulator({ host: '127.0.0.1', port: 0, ...options });
	await sim.start();
	return sim;
}

/**
 * Starts a simulator for the enclosing `describe` and stops it after; by default resets it before each
 * test. What it returns stands for that simulator once it has started (a test file uses it like the
 * simulator itself).
 */
export function useSimulator(options: SimulatorOptions = {}, { reset = true }: { reset?: boolean } = {}): Simulator {
	let current: Simulator | undefined;
	beforeAll(async () => {
		current = await startSimulator(options);
	});
	afterAll(async () => {
		await current?.stop();
	});
	if (reset) beforeEach(() => current?.reset());
	return new Proxy({} as Simulator, {
		get(_target, key) {
			if (!current) throw new Error('The simulator is used before it started (outside a test or hook)');
			const value: unknown = Reflect.get(current, key);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
		},
	});
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

/**
 * The user an offboard (or another request naming a user in its body) was sent for, by name: the
 * body's `userName`, or the name the simulator holds for its `userId`.
 */
export function userNamedIn(sim: Simulator, body: unknown): string | undefined {
	const fields = (body ?? {}) as { userName?: unknown; userId?: unknown };
	if (typeof fields.userName === 'string') return fields.userName;
	return typeof fields.userId === 'number' ? sim.state.getUserById(fields.userId)?.userName : undefined;
}
