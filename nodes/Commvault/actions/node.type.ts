import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'offboard';
};

export type CommvaultType = AllEntities<NodeMap>;
