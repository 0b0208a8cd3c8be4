import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { z } from 'zod';
import { RequestLimiter } from './limiter';
import { classifyModelError, explainModelFailure, ModelError } from './model-error';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry';
import { parseModelOutput, strictJsonSchema } from './structured-output';

export interface ModelConfig {
	baseUrl: string;
	apiKey: string;
	model: string;
	headers?: Record<string, string>;
	/** Per request, milliseconds. */
	timeoutMs?: number;
	retry?: RetryPolicy;
	concurrency?: number;
	requestsPerMinute?: number;
	/** US dollars per million tokens, for a cost on each item when set. */
	prices?: { input: number; output: number };
}

export interface ModelCallMeta {
	model: string;
	mode: 'json_schema' | 'json_object';
	inputTokens: number;
	outputTokens: number;
	latencyMs: number;
	/** HTTP requests made, retries and the repair request included. */
	attempts: number;
	repaired: boolean;
	/** Answered from an identical request earlier in the same run. */
	cached: boolean;
	costUsd: number | null;
}

/** A chat model that answers `invoke(messages)`, e.g. a LangChain chat model n8n hands to a node. */
export interface InvokableChatModel {
	invoke(messages: Array<[string, string]>): Promise<{
		content: unknown;
		usage_metadata?: { input_tokens?: number; output_tokens?: number };
		response_metadata?: { tokenUsage?: { promptTokens?: number; completionTokens?: number }; model_name?: string; model?: string };
	}>;
	modelName?: string;
	model?: string;
}

export interface StructuredRequest<T> {
	system: string;
	user: string;
	schema: z.ZodType<T>;
	schemaName: string;
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/**
 * Structured answers from any OpenAI-compatible endpoint: strict json_schema where the endpoint
 * supports it, JSON mode plus validation where it does not, one repair request for an invalid answer,
 * retries with backoff on 429/5xx/timeouts, a concurrency and requests-per-minute cap, and identical
 * requests in one run answered once. A value is returned only when it passed validation.
 */
export class StructuredModelClient {
	private readonly client: OpenAI | null;
	private readonly chatModel: InvokableChatModel | null;
	private readonly limiter: RequestLimiter;
	private readonly retry: RetryPolicy;
	private mode: 'json_schema' | 'json_object' = 'json_schema';
	private readonly inFlight = new Map<string, Promise<{ value: unknown; meta: ModelCallMeta }>>();

	/**
	 * With `chatModel`, requests go to that model (JSON answers asked for in the instructions, since a
	 * generic chat model may not support response_format); otherwise to the OpenAI-compatible API.
	 */
	constructor(
		private readonly config: ModelConfig,
		chatModel?: InvokableChatModel,
	) {
		this.chatModel = chatModel ?? null;
		if (this.chatModel) this.mode = 'json_object';
		this.client = this.chatModel
			? null
			: new OpenAI({
					apiKey: config.apiKey || 'none',
					baseURL: config.baseUrl,
					defaultHeaders: config.headers,
					timeout: config.timeoutMs ?? 60_000,
					maxRetries: 0, // retries are ours, so Retry-After, jitter and attempt counts are under our control
				});
		this.limiter = new RequestLimiter(config.concurrency ?? 5, config.requestsPerMinute ?? 0);
		this.retry = config.retry ?? DEFAULT_RETRY_POLICY;
	}

	async complete<T>(request: StructuredRequest<T>): Promise<{ value: T; meta: ModelCallMeta }> {
		const jsonSchema = strictJsonSchema(request.schema);
		const key = createHash('sha256')
			.update(JSON.stringify([this.config.model, request.system, request.user, request.schemaName, jsonSchema]))
			.digest('hex');
		const earlier = this.inFlight.get(key);
		if (earlier) {
			const { value, meta } = await earlier;
			return { value: value as T, meta: { ...meta, cached: true, inputTokens: 0, outputTokens: 0, costUsd: meta.costUsd === null ? null : 0 } };
		}
		const call = this.run(request, jsonSchema);
		this.inFlight.set(key, call);
		try {
			return (await call) as { value: T; meta: ModelCallMeta };
		} catch (error) {
			this.inFlight.delete(key); // a failure is not remembered: a later identical request may succeed
			throw explainModelFailure(error, { request: request.schemaName, model: this.config.model, maxAttempts: this.retry.maxAttempts });
		}
	}

	private async run<T>(request: StructuredRequest<T>, jsonSchema: Record<string, unknown>): Promise<{ value: T; meta: ModelCallMeta }> {
		const started = Date.now();
		const meta: ModelCallMeta = { model: this.config.model, mode: this.mode, inputTokens: 0, outputTokens: 0, latencyMs: 0, attempts: 0, repaired: false, cached: false, costUsd: null };
		const messages: Message[] = [
			{ role: 'system', content: request.system },
			{ role: 'user', content: request.user },
		];
		let text = await this.send(messages, request.schemaName, jsonSchema, meta);
		let parsed = parseModelOutput(text, request.schema);
		if (!parsed.ok) {
			meta.repaired = true;
			const repair: Message[] = [
				...messages,
				{ role: 'assistant', content: text ?? '' },
				{ role: 'user', content: `That answer was invalid: ${parsed.error}. Answer again with only a JSON object that matches the schema.` },
			];
			text = await this.send(repair, request.schemaName, jsonSchema, meta);
			parsed = parseModelOutput(text, request.schema);
		}
		meta.latencyMs = Date.now() - started;
		meta.mode = this.mode;
		if (this.config.prices) meta.costUsd = (meta.inputTokens * this.config.prices.input + meta.outputTokens * this.config.prices.output) / 1e6;
		if (!parsed.ok) {
			const error = new ModelError('invalid_output', `The model's answer was invalid after one repair attempt: ${parsed.error}`);
			(error as ModelError & { meta?: ModelCallMeta }).meta = meta;
			throw error;
		}
		return { value: parsed.value, meta };
	}

	/** One logical request: limited, retried, and switched to JSON mode if the endpoint refuses json_schema. */
	private async send(messages: Message[], name: string, jsonSchema: Record<string, unknown>, meta: ModelCallMeta): Promise<string | null> {
		for (;;) {
			const mode = this.mode;
			try {
				const { value } = await this.limiter.run(() =>
					withRetries(async () => {
						meta.attempts++;
						return this.chatModel ? await this.invokeChatModel(withSchemaInstructions(messages, jsonSchema)) : await this.requestApi(messages, mode, name, jsonSchema);
					}, this.retry),
				);
				meta.inputTokens += value.inputTokens;
				meta.outputTokens += value.outputTokens;
				return value.text;
			} catch (raw) {
				const error = classifyModelError(raw);
				if (mode === 'json_schema' && error.kind === 'bad_request' && /response_format|json_schema|structured/i.test(error.message)) {
					this.mode = 'json_object';
					continue;
				}
				throw error;
			}
		}
	}

	private async requestApi(messages: Message[], mode: 'json_schema' | 'json_object', name: string, jsonSchema: Record<string, unknown>): Promise<Answer> {
		const completion = await (this.client as OpenAI).chat.completions.create({
			model: this.config.model,
			messages: mode === 'json_schema' ? messages : withSchemaInstructions(messages, jsonSchema),
			response_format: mode === 'json_schema' ? { type: 'json_schema', json_schema: { name, strict: true, schema: jsonSchema } } : { type: 'json_object' },
		});
		return { text: completion.choices[0]?.message?.content ?? null, inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 };
	}

	private async invokeChatModel(messages: Message[]): Promise<Answer> {
		const roles: Record<string, string> = { system: 'system', user: 'human', assistant: 'ai' };
		const reply = await (this.chatModel as InvokableChatModel).invoke(messages.map((m) => [roles[m.role] ?? 'human', String(m.content ?? '')]));
		const usage = reply.usage_metadata;
		const legacy = reply.response_metadata?.tokenUsage;
		return {
			text: contentText(reply.content),
			inputTokens: usage?.input_tokens ?? legacy?.promptTokens ?? 0,
			outputTokens: usage?.output_tokens ?? legacy?.completionTokens ?? 0,
		};
	}
}

type Answer = { text: string | null; inputTokens: number; outputTokens: number };

function contentText(content: unknown): string | null {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : ((part as { text?: string }).text ?? ''))).join('');
	return null;
}

function withSchemaInstructions(messages: Message[], jsonSchema: Record<string, unknown>): Message[] {
	const [system, ...rest] = messages;
	return [{ role: 'system', content: `${String(system.content)}\n\nReply with one JSON object that matches this JSON Schema:\n${JSON.stringify(jsonSchema)}` }, ...rest];
}
