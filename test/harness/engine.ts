import { ExecuteContext, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { CommvaultApi } from '../../credentials/CommvaultApi.credentials';
import { Commvault } from '../../nodes/Commvault/Commvault.node';
import { DEFAULT_SETTINGS, bindRequestState } from '../../nodes/Commvault/transport/retry';
import { CredentialStore, TestCredentialsHelper } from './credentials';

export const NODE_TYPE = 'n8n-nodes-commvault.commvault';
export const NODE_NAME = 'Commvault';
const INPUT_TYPE = 'test.input';
const INPUT_NAME = 'Input';

/**
 * The node in front of the Commvault node. In a workflow the Commvault node always has a parent, and
 * n8n's error-output routing resolves each failed item's pairedItem through it, so the tests do too.
 */
function inputNode(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Input',
			name: INPUT_TYPE,
			group: ['input'],
			version: 1,
			description: 'Outputs the items the test gives it',
			defaults: { name: INPUT_NAME },
			inputs: [],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'],
		// n8n calls execute with its own context as `this`, so the items come from the closure.
		execute: async () => [items],
	};
}

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string) {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.types[type], version);
	}

	getKnownTypes() {
		return {};
	}
}

/** What n8n-core needs of the instance: the credential store and the URLs it puts in context. */
function engineAdditionalData(store: CredentialStore): IWorkflowExecuteAdditionalData {
	return {
		executionId: '1',
		credentialsHelper: new TestCredentialsHelper({ commvaultApi: new CommvaultApi() }, store),
		restApiUrl: 'http://localhost',
		webhookBaseUrl: 'http://localhost',
		webhookWaitingBaseUrl: 'http://localhost',
		webhookTestBaseUrl: 'http://localhost',
		formWaitingBaseUrl: 'http://localhost',
		instanceBaseUrl: 'http://localhost',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: IDataObject;
	items?: INodeExecutionData[];
	onError?: OnError;
	/** Reuse a store to carry the session token from one execution to the next. */
	store?: CredentialStore;
	credentials?: ICredentialDataDecryptedObject;
}

export interface RunResult {
	run: IRun;
	store: CredentialStore;
	/** Items on the regular output. */
	output: INodeExecutionData[];
	/** Items on the error output ("Continue (using error output)"). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: IRun['data']['resultData']['error'];
}

/** The credential as a user saves it, before n8n has stored a session token. */
export function credentialData(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { allowUnauthorizedCerts: false, sessionToken: '', sessionOwner: '', ...data };
}

/**
 * Runs the Commvault node inside n8n-core's real WorkflowExecute: real parameter and expression
 * resolution, real httpRequestWithAuthentication (preAuthentication, 401 re-login, retry), real
 * continue-on-fail and error-output routing. Only the credential database is an in-memory stand-in.
 */
export async function runCommvaultNode(options: RunOptions): Promise<RunResult> {
	return await runNodeInEngine(new Commvault(), NODE_TYPE, options);
}

/** The node under test in a workflow: named NODE_NAME, with the Commvault credential. */
export function nodeUnderTest(type: string, parameters: IDataObject, onError?: INode['onError']): INode {
	return {
		id: 'commvault-node',
		name: NODE_NAME,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { commvaultApi: { id: '1', name: 'Commvault' } },
		...(onError ? { onError } : {}),
	};
}

/** Runs a node of any type as `runCommvaultNode` runs the Commvault node (the benchmark's comparison nodes). */
export async function runNodeInEngine(nodeType: INodeType, typeName: string, options: RunOptions): Promise<RunResult> {
	const store = options.store ?? new CredentialStore();
	if (options.credentials) store.set('commvaultApi', credentialData(options.credentials));

	const node = nodeUnderTest(typeName, options.parameters, options.onError);
	const workflowData: IWorkflowBase = {
		id: 'engine-test',
		name: 'engine test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [{ id: 'input-node', name: INPUT_NAME, type: INPUT_TYPE, typeVersion: 1, position: [-200, 0], parameters: {} }, node],
		connections: { [INPUT_NAME]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;

	const input = options.items ?? [{ json: {} }];
	const nodeTypes = new NodeTypes({ [typeName]: nodeType, [INPUT_TYPE]: inputNode(input) });
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		settings: workflowData.settings,
		active: false,
	});

	const hooks = new ExecutionLifecycleHooks('manual', '1', workflowData);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = { ...engineAdditionalData(store), hooks } as IWorkflowExecuteAdditionalData;

	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: workflow.getNode(INPUT_NAME)!, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecutionSource: null,
		},
	});
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await done;

	const nodeRun = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		run,
		store,
		output: nodeRun?.data?.main?.[0] ?? [],
		errorOutput: nodeRun?.data?.main?.[1] ?? [],
		error: run.data.resultData.error,
	};
}

/** The user locator value as the editor stores it. */
export function userByName(value: string) {
	return { __rl: true, mode: 'name', value };
}

export function userById(value: string | number) {
	return { __rl: true, mode: 'id', value };
}

/**
 * A real n8n-core ExecuteContext for the Commvault node, for unit tests that call one function
 * (e.g. the transport) the way an operation would, with n8n's own request helpers underneath.
 */
/**
 * An execution context for calling the transport directly. Its request state is bound with the default
 * settings, as the router binds it, unless `unbound` is set.
 */
export function createExecuteContext(options: {
	credentials: ICredentialDataDecryptedObject;
	parameters?: IDataObject;
	unbound?: boolean;
}) {
	const store = new CredentialStore();
	store.set('commvaultApi', credentialData(options.credentials));
	const node = nodeUnderTest(NODE_TYPE, options.parameters ?? { resource: 'user', operation: 'offboard', user: userByName('jdoe') });
	const workflow = new Workflow({
		id: 'unit',
		nodes: [node],
		connections: {},
		nodeTypes: new NodeTypes({ [NODE_TYPE]: new Commvault() }),
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = engineAdditionalData(store);
	const workflowNode = workflow.getNode(NODE_NAME)!;
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node: workflowNode, data: { main: [[{ json: {} }]] }, source: null },
		[],
	);
	if (!options.unbound) bindRequestState(context, DEFAULT_SETTINGS);
	return { context, store };
}

export function userByEmail(value: string) {
	return { __rl: true, mode: 'email', value };
}

/** A user picked in "From List": the list stores the user ID. */
export function userFromList(value: string | number, cachedResultName?: string) {
	return { __rl: true, mode: 'list', value, ...(cachedResultName ? { cachedResultName } : {}) };
}

export { NO_RAW, audited, shaped } from '../support/expectations';

/**
 * The continue-on-fail run every user operation's tests share: items jdoe (1301), an ID Commvault does not
 * know (4242) and rlee (1304), by ID. Checks what is common (every item out, in order, the unknown one
 * failed as userNotFound) and returns the output for the operation's own checks of items 0 and 2.
 */
export async function runWithAnUnknownUser(parameters: (user: IDataObject) => IDataObject, credentials: ICredentialDataDecryptedObject) {
	const items = [{ json: { id: 1301 } }, { json: { id: 4242 } }, { json: { id: 1304 } }];
	const { output, error } = await runCommvaultNode({
		parameters: parameters(userById('={{ $json.id }}')),
		items,
		onError: 'continueRegularOutput',
		credentials,
	});
	expect(error).toBeUndefined();
	expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(output[1].json).toMatchObject({ error: 'User ID 4242 not found in Commvault', details: { reason: 'userNotFound' } });
	return output;
}
