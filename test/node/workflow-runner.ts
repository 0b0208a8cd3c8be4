// Runs workflow JSON through n8n's real execution engine (n8n-core's WorkflowExecute), in process.
// The engine, parameter resolution, expressions, pairedItem handling and error outputs are n8n's own;
// only the node-type registry is ours, so it holds exactly the nodes under test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// n8n-core reads its instance settings from the user folder when first loaded; keep that out of $HOME.
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'revops-n8n-'));

/* eslint-disable @typescript-eslint/no-require-imports */
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core') as typeof import('n8n-core');
import {
	createDeferredPromise,
	createRunExecutionData,
	NodeHelpers,
	Workflow,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IDataObject,
	type IExecuteFunctions,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ApprovalGate } from '../../nodes/ApprovalGate/ApprovalGate.node';
import { HealthScore } from '../../nodes/HealthScore/HealthScore.node';
import { IcpScorer } from '../../nodes/IcpScorer/IcpScorer.node';
import { IntentClassifier } from '../../nodes/IntentClassifier/IntentClassifier.node';
import { LeadNormalizer } from '../../nodes/LeadNormalizer/LeadNormalizer.node';
import { MeddiccExtractor } from '../../nodes/MeddiccExtractor/MeddiccExtractor.node';
import { LeadSummarizer } from '../../nodes/LeadSummarizer/LeadSummarizer.node';
import { CompanyConfig } from '../../nodes/CompanyConfig/CompanyConfig.node';
import { RevOpsCrm } from '../../nodes/RevOpsCrm/RevOpsCrm.node';
import { LeadRouter } from '../../nodes/LeadRouter/LeadRouter.node';
import { ChatHandoff } from '../../nodes/ChatHandoff/ChatHandoff.node';
import { RevOpsMetrics } from '../../nodes/RevOpsMetrics/RevOpsMetrics.node';
import { SalesDrafter } from '../../nodes/SalesDrafter/SalesDrafter.node';
import { AccountPlanner } from '../../nodes/AccountPlanner/AccountPlanner.node';
import { ReplyClassifier } from '../../nodes/ReplyClassifier/ReplyClassifier.node';
import { RevOpsN8nApi } from '../../credentials/RevOpsN8nApi.credentials';
import { RevOpsSlackApi } from '../../credentials/RevOpsSlackApi.credentials';
import type { ICredentialType } from 'n8n-workflow';

const PACKAGE_CREDENTIALS: Record<string, ICredentialType> = { revOpsSlackApi: new RevOpsSlackApi(), revOpsN8nApi: new RevOpsN8nApi() };

const PACKAGE = 'n8n-nodes-revops';

/** Hands its input on unchanged, so a node under test has a predecessor, as in any real workflow. */
class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((item, i) => ({ json: item.json, pairedItem: { item: i } }))];
	}
}

const registry: Record<string, INodeType | IVersionedNodeType> = {
	'test.passThrough': new PassThrough(),
	[`${PACKAGE}.leadNormalizer`]: new LeadNormalizer(),
	[`${PACKAGE}.icpScorer`]: new IcpScorer(),
	[`${PACKAGE}.healthScore`]: new HealthScore(),
	[`${PACKAGE}.intentClassifier`]: new IntentClassifier(),
	[`${PACKAGE}.leadSummarizer`]: new LeadSummarizer(),
	[`${PACKAGE}.approvalGate`]: new ApprovalGate(),
	[`${PACKAGE}.meddiccExtractor`]: new MeddiccExtractor(),
	[`${PACKAGE}.companyConfig`]: new CompanyConfig(),
	[`${PACKAGE}.revOpsCrm`]: new RevOpsCrm(),
	[`${PACKAGE}.leadRouter`]: new LeadRouter(),
	[`${PACKAGE}.chatHandoff`]: new ChatHandoff(),
	[`${PACKAGE}.revOpsMetrics`]: new RevOpsMetrics(),
	[`${PACKAGE}.salesDrafter`]: new SalesDrafter(),
	[`${PACKAGE}.accountPlanner`]: new AccountPlanner(),
	[`${PACKAGE}.replyClassifier`]: new ReplyClassifier(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(registry[type], version),
	getKnownTypes: () => ({}),
};

export interface RunResult {
	run: IRun;
	/** Output arrays of one node's first run, main outputs first, then the error output when present. */
	outputs(nodeName: string): INodeExecutionData[][];
	/** The same, over every run of the node (a node fed by several outputs runs once per feeding output). */
	allOutputs(nodeName: string): INodeExecutionData[][];
}

/**
 * Runs one node behind an "Input" pass-through node that receives `items`, the way a trigger hands data
 * to the first node of a workflow.
 */
export async function runNode(nodeUnderTest: INode, items: INodeExecutionData[], credentials: Record<string, IDataObject> = {}): Promise<RunResult> {
	const input = node('Input', 'test.passThrough', {});
	const connections: IConnections = { Input: { main: [[{ node: nodeUnderTest.name, type: 'main', index: 0 }]] } };
	return await runWorkflow([input, nodeUnderTest], connections, 'Input', items, credentials);
}

/**
 * Executes `nodes` starting at `startNode`, which receives `items` as its input.
 */
export async function runWorkflow(
	nodes: INode[],
	connections: IConnections,
	startNode: string,
	items: INodeExecutionData[],
	credentials: Record<string, IDataObject> = {},
): Promise<RunResult> {
	const workflow = new Workflow({ id: 'test', nodes, connections, nodeTypes, active: false, settings: { executionOrder: 'v1' } });
	const workflowData = { id: 'test', name: 'test', nodes, connections, active: false } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));

	const additionalData = {
		hooks,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
		// Stands in for n8n's encrypted credential store: decrypted data by credential type.
		credentialsHelper: {
			getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) => {
				if (!credentials[type]) throw new Error(`no test credentials of type ${type}`);
				return credentials[type];
			},
			getParentTypes: () => [],
			// The package's generic credentials (headers with {{$credentials.x}}) applied as n8n applies them.
			authenticate: async (data: IDataObject, type: string, request: { headers?: IDataObject }) => {
				const auth = PACKAGE_CREDENTIALS[type]?.authenticate;
				if (!auth || typeof auth === 'function' || auth.type !== 'generic') return request;
				const headers = { ...(request.headers ?? {}) };
				for (const [name, value] of Object.entries(auth.properties.headers ?? {})) headers[name] = String(value).replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(data[key] ?? ''));
				return { ...request, headers };
			},
			preAuthentication: async () => undefined,
			updateCredentials: async () => undefined,
			updateCredentialsOauthTokenData: async () => undefined,
			getCredentialsProperties: () => [],
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: workflow.getNode(startNode)!, data: { main: [items] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done.promise;
	return {
		run,
		outputs(nodeName) {
			const taskData = run.data.resultData.runData[nodeName]?.[0];
			if (!taskData) {
				throw new Error(`node "${nodeName}" did not run: ${run.data.resultData.error?.message ?? 'no error recorded'}`);
			}
			return (taskData.data?.main ?? []).map((o) => o ?? []);
		},
		allOutputs(nodeName) {
			const runs = run.data.resultData.runData[nodeName] ?? [];
			if (!runs.length) throw new Error(`node "${nodeName}" did not run: ${run.data.resultData.error?.message ?? 'no error recorded'}`);
			const merged: INodeExecutionData[][] = [];
			for (const taskData of runs) (taskData.data?.main ?? []).forEach((o, i) => (merged[i] = [...(merged[i] ?? []), ...(o ?? [])]));
			return merged;
		},
	};
}

export function node(name: string, type: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
	return {
		id: `${name}-id`,
		name,
		type: type.includes('.') ? type : `${PACKAGE}.${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...extra,
	};
}
