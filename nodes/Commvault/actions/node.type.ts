import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'delete' | 'disable' | 'enable' | 'get' | 'getAll' | 'logOffSessions' | 'offboard' | 'removeFromUserGroups' | 'revokeAccessTokens';
};

export type CommvaultType = AllEntities<NodeMap>;
