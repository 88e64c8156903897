import type { AllEntities } from 'n8n-workflow';

import type * as laptop from './laptop/Laptop.resource';
import type * as user from './user/User.resource';
import type * as virtualMachine from './virtualMachine/VirtualMachine.resource';

/** The operations of a resource: what its index exports, except its description. */
type OperationsOf<Index> = Exclude<keyof Index, 'description'> & string;

type NodeMap = {
	laptop: OperationsOf<typeof laptop>;
	user: OperationsOf<typeof user>;
	virtualMachine: OperationsOf<typeof virtualMachine>;
};

export type CommvaultType = AllEntities<NodeMap>;
