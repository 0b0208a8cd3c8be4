import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeInputConfiguration, type INodeProperties } from 'n8n-workflow';
import { StructuredModelClient, type InvokableChatModel, type ModelCallMeta } from '../domain/model/model-client';

/**
 * The inputs of every model-based node: the items, and an optional Model input for any n8n Chat Model
 * sub-node (OpenAI, Anthropic, Gemini, Ollama...), used instead of the credential when connected.
 */
export const MODEL_NODE_INPUTS: Array<typeof NodeConnectionTypes.Main | INodeInputConfiguration> = [
	NodeConnectionTypes.Main,
	{ type: NodeConnectionTypes.AiLanguageModel, displayName: 'Model', required: false, maxConnections: 1 },
];

export interface ModelOptions {
	model?: string;
	concurrency?: number;
	requestsPerMinute?: number;
	timeoutSeconds?: number;
	maxAttempts?: number;
	inputPricePer1M?: number;
	outputPricePer1M?: number;
}

/**
 * The model client for a run, from the node's RevOps Model API credential. Throws a clear error when
 * no credential is set, because the caller only asks when an item really needs a model.
 */
export async function modelClientFor(ctx: IExecuteFunctions, options: ModelOptions): Promise<StructuredModelClient> {
	let credentials: IDataObject;
	try {
		credentials = await ctx.getCredentials('revOpsModelApi');
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'No model is configured', {
			description: 'Select a RevOps Model API credential (any OpenAI-compatible API), or switch Mode to "Rules Only".',
		});
	}
	let headers: Record<string, string> = {};
	const rawHeaders = credentials.headers;
	try {
		const parsed = typeof rawHeaders === 'string' ? JSON.parse(rawHeaders || '{}') : (rawHeaders ?? {});
		headers = Object.fromEntries(Object.entries(parsed as object).map(([k, v]) => [k, String(v)]));
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'The credential\'s Extra Headers are not a JSON object', {
			description: 'Open the RevOps Model API credential and write Extra Headers as {"Header-Name": "value"}.',
		});
	}
	const prices =
		options.inputPricePer1M || options.outputPricePer1M ? { input: Number(options.inputPricePer1M ?? 0), output: Number(options.outputPricePer1M ?? 0) } : undefined;
	return new StructuredModelClient({
		baseUrl: String(credentials.baseUrl ?? '').replace(/\/+$/, ''),
		apiKey: String(credentials.apiKey ?? ''),
		model: options.model || String(credentials.model || 'gpt-4o-mini'),
		headers,
		timeoutMs: Number(options.timeoutSeconds ?? 60) * 1000,
		retry: { maxAttempts: Number(options.maxAttempts ?? 4), baseDelayMs: 500, maxDelayMs: 20_000 },
		concurrency: Number(options.concurrency ?? 5),
		requestsPerMinute: Number(options.requestsPerMinute ?? 0),
		prices,
	});
}

/** The chat model connected to the node's Model input, if any (n8n hands over a LangChain chat model). */
export async function connectedModel(ctx: IExecuteFunctions): Promise<InvokableChatModel | null> {
	try {
		const data = (await ctx.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, 0)) as unknown;
		const model = Array.isArray(data) ? data[0] : data;
		return model && typeof (model as InvokableChatModel).invoke === 'function' ? (model as InvokableChatModel) : null;
	} catch {
		return null; // nothing connected
	}
}

export function chatModelClient(chatModel: InvokableChatModel, options: ModelOptions): StructuredModelClient {
	return new StructuredModelClient(
		{
			baseUrl: '',
			apiKey: '',
			model: String(chatModel.modelName ?? chatModel.model ?? 'connected chat model'),
			retry: { maxAttempts: Number(options.maxAttempts ?? 4), baseDelayMs: 500, maxDelayMs: 20_000 },
			concurrency: Number(options.concurrency ?? 5),
			requestsPerMinute: Number(options.requestsPerMinute ?? 0),
		},
		chatModel,
	);
}

/** The options every model-based node offers, in the Options collection. */
export function modelOptionFields(outputField: string): INodeProperties[] {
	return [
		{ displayName: 'Concurrent Requests', name: 'concurrency', type: 'number', default: 5, typeOptions: { minValue: 1 } },
		{ displayName: 'Input Price per 1M Tokens (USD)', name: 'inputPricePer1M', type: 'number', default: 0, description: 'Set both prices to get a cost on each item' },
		{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 4, typeOptions: { minValue: 1 }, description: 'Per request, retries on 429, 5xx and timeouts included' },
		{ displayName: 'Model', name: 'model', type: 'string', default: '', description: "Overrides the credential's default model" },
		{ displayName: 'Output Price per 1M Tokens (USD)', name: 'outputPricePer1M', type: 'number', default: 0 },
		{ displayName: 'Put Result In Field', name: 'outputField', type: 'string', default: outputField },
		{ displayName: 'Requests per Minute', name: 'requestsPerMinute', type: 'number', default: 0, description: 'Cap on model requests started per minute; 0 for none' },
		{ displayName: 'Timeout (Seconds)', name: 'timeoutSeconds', type: 'number', default: 60 },
	];
}

/** The editable prompt of a model-based node, pre-filled with its reviewed default from prompts/. */
export function promptProperty(defaultPrompt: string, placeholders: string, rows: number, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows },
		default: defaultPrompt,
		description: `Instructions for the model; ${placeholders}. The answer format is added by the node, so edits cannot break it; clear the field to restore the default.`,
		displayOptions,
	};
}

/** The model part of an item's audit entry, summed over the calls made for it (none: rules decided). */
export function modelAudit(calls: ModelCallMeta[], promptVersion: string): IDataObject {
	return {
		promptVersion: calls.length ? promptVersion : null,
		model: calls[0]?.model ?? null,
		inputTokens: calls.reduce((n, c) => n + c.inputTokens, 0),
		outputTokens: calls.reduce((n, c) => n + c.outputTokens, 0),
		attempts: calls.reduce((n, c) => n + c.attempts, 0),
		costUsd: calls.some((c) => c.costUsd !== null) ? calls.reduce((n, c) => n + (c.costUsd ?? 0), 0) : null,
	};
}

/**
 * The run's model client, created on first use: the Chat Model sub-node connected to the Model input
 * when there is one, else the RevOps Model API credential. Items decided by rules never create it, so
 * a rules-only run needs no model at all.
 */
export function lazyModelClient(ctx: IExecuteFunctions, options: ModelOptions): () => Promise<StructuredModelClient> {
	let client: Promise<StructuredModelClient> | null = null;
	return () => (client ??= connectedModel(ctx).then((chatModel) => (chatModel ? chatModelClient(chatModel, options) : modelClientFor(ctx, options))));
}
