import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';

import { createCommvaultSimulator, DEFAULTS } from '../../simulator';

export type Simulator = ReturnType<typeof createCommvaultSimulator>;
export type SimulatorOptions = NonNullable<Parameters<typeof createCommvaultSimulator>[0]>;

export { createCommvaultSimulator, DEFAULTS };

/** `Authtoken` value for the default API access token. */
export const ACCESS_AUTHTOKEN = `QSDK ${DEFAULTS.accessToken}`;

export function b64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

export { startSimulator, useSimulator } from '../support/simulator';

/** An axios instance on a base path that never throws on HTTP status. */
export function apiClient(sim: Simulator, basePath = '/commandcenter/api', config: AxiosRequestConfig = {}): AxiosInstance {
	return axios.create({
		baseURL: sim.baseUrl(basePath),
		validateStatus: () => true,
		headers: { Accept: 'application/json' },
		...config,
	});
}

/** POST /Login and return the token (throws if the login fails). */
export async function login(
	api: AxiosInstance,
	username: string = DEFAULTS.account.username,
	secret: string = DEFAULTS.account.password,
	extra: Record<string, unknown> = {},
): Promise<string> {
	const response = await api.post('/Login', { username, password: b64(secret), ...extra });
	const token = (response.data as { token?: string }).token;
	if (response.status !== 200 || !token) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.data)}`);
	return token;
}

/** Request config with an Authtoken header. */
export function auth(token: string, config: AxiosRequestConfig = {}): AxiosRequestConfig {
	return { ...config, headers: { ...(config.headers ?? {}), Authtoken: token } };
}
