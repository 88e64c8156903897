import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	laptop: 'changeOwner' | 'getAll' | 'retire';
	user: 'delete' | 'disable' | 'enable' | 'get' | 'getAll' | 'logOffSessions' | 'offboard' | 'removeFromUserGroups' | 'revokeAccessTokens';
};

export type CommvaultType = AllEntities<NodeMap>;
