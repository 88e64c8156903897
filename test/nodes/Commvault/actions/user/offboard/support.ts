import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runCommvaultNode, userByName } from '../../../../../harness/engine';
import type { Simulator } from '../../../../../support/simulator';
import { accessTokenCredential } from '../../../../../support/simulator';

/** What the offboard tests share: the node's parameters, input items, and a run against one simulator. */

export const offboard = (user: IDataObject) => ({ resource: 'user', operation: 'offboard', user });
export const byExpression = userByName('={{ $json.login }}');
export const itemsFor = (...logins: Array<string | null>): INodeExecutionData[] => logins.map((login) => ({ json: { login } }));

export function offboardRuns(sim: Simulator) {
	return {
		run: async (user: IDataObject, options: IDataObject = {}, extra: Partial<Parameters<typeof runCommvaultNode>[0]> = {}) =>
			await runCommvaultNode({ parameters: { ...offboard(user), options }, credentials: accessTokenCredential(sim), ...extra }),
		calls: () => sim.requests.filter((r) => r.endpoint !== 'v2/whoami').map((r) => `${r.method} ${r.endpoint}`),
		writes: () => sim.requests.filter((r) => r.method !== 'GET'),
		reasonOf: (error: unknown) => (error as { errorResponse?: IDataObject }).errorResponse?.reason,
	};
}
