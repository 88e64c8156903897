import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { CredentialStore, TestCredentialsHelper } from './credentials';
import { credentialData } from './engine';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * Runs the credential's `test` request the way n8n's "Test" button does (CredentialsTester
 * .runRequestTest in n8n 2.41): a temporary No-Op node whose only parameter routes the test request
 * through n8n-core's RoutingNode, so preAuthentication, authenticate and the test request all run for
 * real. The error-to-message mapping below copies what that method shows to the user.
 */
export async function testCommvaultCredential(
	data: ICredentialDataDecryptedObject,
	// What n8n stores from the test (its session), for a test that edits the credential afterwards.
	store = new CredentialStore(),
): Promise<CredentialTestResult> {
	const credentialType = new CommvaultApi();
	store.set('commvaultApi', credentialData(data));

	const testNodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: 'credential test',
			defaults: { name: 'Temp' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'commvaultApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { commvaultApi: { id: '1', name: 'Commvault' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => testNodeType,
			getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(testNodeType, 1),
			getKnownTypes: () => ({}),
		},
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ commvaultApi: credentialType }, store),
		restApiUrl: 'http://localhost',
		instanceBaseUrl: 'http://localhost',
		webhookBaseUrl: 'http://localhost',
		webhookWaitingBaseUrl: 'http://localhost',
		webhookTestBaseUrl: 'http://localhost',
		formWaitingBaseUrl: 'http://localhost',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const workflowNode = workflow.getNode('Temp-Node')!;
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node: workflowNode, data: {}, source: null },
		[],
	);
	await workflow.expression.acquireIsolate();
	try {
		await new RoutingNode(context, testNodeType, {
			id: '1',
			name: 'Commvault',
			type: 'commvaultApi',
			data: store.get('commvaultApi'),
		}).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			const rule = credentialType.test.rules?.find(
				(r) => r.type === 'responseCode' && r.properties.value === cause.response?.status,
			);
			if (rule) return { status: 'Error', message: String(rule.properties.message) };
			if (cause.response.status < 199 || cause.response.status > 299) {
				return {
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
				};
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: String((error as Error).message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}
