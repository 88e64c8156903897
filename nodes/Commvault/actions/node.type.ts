import type { AllEntities } from 'n8n-workflow';

import type * as user from './user/User.resource';

/** The operations of a resource: what its index exports, except its description. */
type OperationsOf<Index> = Exclude<keyof Index, 'description'> & string;

type NodeMap = {
	user: OperationsOf<typeof user>;
};

export type CommvaultType = AllEntities<NodeMap>;
