import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { requestOptions } from './descriptions/requestOptions.description';
import * as laptop from './actions/laptop/Laptop.resource';
import * as user from './actions/user/User.resource';
import * as virtualMachine from './actions/virtualMachine/VirtualMachine.resource';
import { searchUserGroups, searchUsers, searchVirtualMachines } from './methods/listSearch';

export class Commvault implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commvault',
		name: 'commvault',
		icon: { light: 'file:../../icons/commvault.svg', dark: 'file:../../icons/commvault.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Offboard leavers and manage users in Commvault',
		defaults: { name: 'Commvault' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'commvaultApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Laptop', value: 'laptop' },
					{ name: 'User', value: 'user' },
					{ name: 'Virtual Machine', value: 'virtualMachine' },
				],
				default: 'user',
			},
			...laptop.description,
			...user.description,
			...virtualMachine.description,
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchUsers, searchUserGroups, searchVirtualMachines },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
