import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { userByName } from '../harness/engine';
import type { Simulator } from './simulator';
import { generatedUserName as nthGeneratedUserName } from './simulator';

/**
 * Batches of the simulator's generated users (`generatedUsers` option), by item index from 0: item i is
 * `user0000(i+1)`, with ID 100001 + i (simulator/README.md, "Options").
 */
export const generatedUserName = (i: number) => nthGeneratedUserName(i + 1);
export const generatedUserId = (i: number) => 100001 + i;

/** One item per generated user, the first `count` of them, each naming its user in `login`. */
export const batch = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { login: generatedUserName(i) } }));

// Batches above the default Max Users per Run (500) say so, as the README tells users to.
const BATCH_LIMIT = { maxUsersPerRun: 10_000 };

/** Offboard each item's `login`, with these request settings. */
export const offboardEach = (requestOptions: IDataObject) => ({
	resource: 'user',
	operation: 'offboard',
	user: userByName('={{ $json.login }}'),
	options: BATCH_LIMIT,
	requestOptions,
});

type SimRequest = Simulator['requests'][number];

/** Offboard requests per user ID (the body's `userId`), in the order they reached the simulator. */
export function requestsByUserId(requests: SimRequest[]): Map<number, SimRequest[]> {
	const byUser = new Map<number, SimRequest[]>();
	for (const r of requests) {
		const user = Number((r.body as IDataObject | undefined)?.userId);
		byUser.set(user, [...(byUser.get(user) ?? []), r]);
	}
	return byUser;
}
