import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'delete' | 'disable' | 'enable' | 'get' | 'getAll' | 'offboard';
};

export type CommvaultType = AllEntities<NodeMap>;
