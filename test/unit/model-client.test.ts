import { z } from 'zod';
import { ConfigError } from '../../nodes/shared/domain/config-error';
import { RequestLimiter } from '../../nodes/shared/domain/model/limiter';
import { StructuredModelClient } from '../../nodes/shared/domain/model/model-client';
import { ModelError } from '../../nodes/shared/domain/model/model-error';
import { backoffDelayMs, withRetries } from '../../nodes/shared/domain/model/retry';
import { parseModelOutput, strictJsonSchema } from '../../nodes/shared/domain/model/structured-output';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ModelServer } = require('../model-server/server') as typeof import('../model-server/server');

const Intent = z.object({
	category: z.enum(['pricing', 'support', 'other']),
	confidence: z.number().min(0).max(1),
	reason: z.string(),
	evidence: z.array(z.object({ quote: z.string(), speaker: z.string().nullable() })),
});

describe('strictJsonSchema', () => {
	it('produces a schema that strict structured output accepts, nested objects included', () => {
		const schema = strictJsonSchema(Intent) as any;
		expect(schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['category', 'confidence', 'reason', 'evidence'] });
		expect(schema.properties.evidence.items).toMatchObject({ additionalProperties: false, required: ['quote', 'speaker'] });
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { strictSchemaViolation } = require('../model-server/server');
		expect(strictSchemaViolation(schema)).toBeNull();
	});

	it('refuses optional fields, which strict mode cannot express', () => {
		expect(() => strictJsonSchema(z.object({ a: z.string().optional() }))).toThrow(ConfigError);
	});
});

describe('parseModelOutput', () => {
	it('accepts valid JSON, also fenced, and rejects anything else without a value', () => {
		expect(parseModelOutput('```json\n{"category":"pricing","confidence":0.9,"reason":"r","evidence":[]}\n```', Intent)).toMatchObject({ ok: true });
		expect(parseModelOutput('{"category":', Intent)).toEqual({ ok: false, error: expect.stringContaining('not valid JSON') });
		const wrong = parseModelOutput('{"category":"spam","confidence":2,"reason":"r","evidence":[]}', Intent);
		expect(wrong).toEqual({ ok: false, error: expect.stringMatching(/category.*confidence/s) });
		expect('value' in wrong).toBe(false);
	});
});

describe('retries', () => {
	it('backs off exponentially with jitter, or as long as Retry-After says', () => {
		const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 };
		expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, policy))).toEqual([100, 200, 400, 800, 1000]);
		expect(backoffDelayMs(1, { ...policy, random: () => 0 })).toBe(50);
		expect(backoffDelayMs(1, policy, new ModelError('rate_limit', 'slow down', 429, 3000))).toBe(3000);
		expect(backoffDelayMs(1, policy, new ModelError('rate_limit', 'slow down', 429, 700))).toBe(700);
	});

	it('retries only what can succeed on another attempt', async () => {
		const sleeps: number[] = [];
		const policy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, random: () => 1, sleep: async (ms: number) => void sleeps.push(ms) };
		let calls = 0;
		await expect(withRetries(async () => { calls++; throw Object.assign(new Error('boom'), { status: 500 }); }, policy)).rejects.toMatchObject({ kind: 'server', attempts: 3 });
		expect(calls).toBe(3);
		expect(sleeps).toEqual([10, 20]);
		calls = 0;
		await expect(withRetries(async () => { calls++; throw Object.assign(new Error('bad key'), { status: 401 }); }, policy)).rejects.toMatchObject({ kind: 'auth' });
		expect(calls).toBe(1);
		// A Retry-After beyond the policy's patience ends the retries rather than stalling the run.
		calls = 0;
		const headers = new Headers({ 'retry-after': '3600' });
		await expect(withRetries(async () => { calls++; throw Object.assign(new Error('quota'), { status: 429, headers }); }, policy)).rejects.toMatchObject({ kind: 'rate_limit', retryAfterMs: 3_600_000 });
		expect(calls).toBe(1);
	});
});

describe('RequestLimiter', () => {
	it('never runs more than the concurrency limit at once', async () => {
		const limiter = new RequestLimiter(2);
		let active = 0;
		let most = 0;
		await Promise.all(Array.from({ length: 7 }, () => limiter.run(async () => {
			active++;
			most = Math.max(most, active);
			await new Promise((r) => setTimeout(r, 10));
			active--;
		})));
		expect(most).toBe(2);
	});

	it('holds requests beyond the per-minute cap until the window frees', async () => {
		let now = 0;
		const waits: number[] = [];
		const limiter = new RequestLimiter(10, 2, () => now, async (ms) => { waits.push(ms); now += ms; });
		await Promise.all([1, 2, 3].map(() => limiter.run(async () => now)));
		expect(waits).toEqual([60_001]);
	});
});

describe('StructuredModelClient against the test model server', () => {
	const server = new ModelServer({ apiKey: 'sk-test' });
	let baseUrl: string;
	const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 };
	const client = (over = {}) => new StructuredModelClient({ baseUrl, apiKey: 'sk-test', model: 'gpt-4o-mini', timeoutMs: 1000, retry: fast, prices: { input: 0.15, output: 0.6 }, ...over });
	const answer = { category: 'pricing', confidence: 0.91, reason: 'asks for a quote', evidence: [{ quote: 'how much', speaker: null }] };
	const ask = (c: StructuredModelClient, user = 'How much for 50 seats?') => c.complete({ system: 'Classify the message.', user, schema: Intent, schemaName: 'intent' });

	beforeAll(async () => {
		baseUrl = await server.start();
	});
	afterAll(() => server.stop());
	beforeEach(() => server.reset());

	it('returns a validated value with tokens, latency, attempts and cost', async () => {
		server.script({ json: answer, usage: { prompt_tokens: 1000, completion_tokens: 100 } });
		const { value, meta } = await ask(client());
		expect(value).toEqual(answer);
		expect(meta).toMatchObject({ model: 'gpt-4o-mini', mode: 'json_schema', inputTokens: 1000, outputTokens: 100, attempts: 1, repaired: false, cached: false });
		expect(meta.costUsd).toBeCloseTo(0.00021, 8);
		expect(server.chatRequests()[0].body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'intent', strict: true } });
	});

	it('repairs one invalid answer, and never returns a value from an answer that stays invalid', async () => {
		server.script({ brokenJson: true }, { json: answer });
		const repaired = await ask(client());
		expect(repaired.value).toEqual(answer);
		expect(repaired.meta).toMatchObject({ repaired: true, attempts: 2 });
		expect(JSON.stringify(server.chatRequests()[1].body.messages)).toContain('That answer was invalid');

		server.reset();
		server.script({ json: { ...answer, category: 'spam' } }, { json: { ...answer, confidence: 7 } });
		await expect(ask(client())).rejects.toMatchObject({ kind: 'invalid_output', message: expect.stringContaining('after one repair attempt'), fix: expect.stringContaining('more capable model') });
		expect(server.chatRequests()).toHaveLength(2);
	});

	it('honours Retry-After on 429 and retries 500s, then succeeds', async () => {
		server.script({ status: 429, retryAfter: 0.2 }, { status: 500 }, { json: answer });
		const started = Date.now();
		const { meta } = await ask(client());
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(meta.attempts).toBe(3);
		expect(server.chatRequests().map((r) => r.status)).toEqual([429, 500, 200]);
	});

	it('gives up after the attempts with a classified error: a 429 storm, and hangs past the timeout', async () => {
		server.script({ status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 });
		// The error says which request, how many attempts of how many, the status, and what to do.
		await expect(ask(client())).rejects.toMatchObject({
			kind: 'rate_limit',
			retryable: true,
			attempts: 3,
			message: expect.stringMatching(/^Model request "intent" to gpt-4o-mini failed after 3 of 3 attempts \(the retry budget ran out\): rate-limited by the provider \(HTTP 429\)/),
			fix: expect.stringContaining('Requests per Minute'),
		});
		server.reset();
		server.script({ hang: true }, { hang: true }, { hang: true });
		await expect(ask(client({ timeoutMs: 150 }))).rejects.toMatchObject({ kind: expect.stringMatching(/timeout|network/), message: expect.stringMatching(/failed after 3 of 3 attempts/), fix: expect.stringMatching(/Timeout|Base URL/) });
		expect(server.chatRequests()).toHaveLength(3);
	});

	it('falls back to JSON mode with validation when the endpoint refuses json_schema', async () => {
		server.script({ status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." }, { json: answer });
		const c = client();
		const { value, meta } = await ask(c);
		expect(value).toEqual(answer);
		expect(meta.mode).toBe('json_object');
		const second = server.chatRequests()[1].body;
		expect(second.response_format).toEqual({ type: 'json_object' });
		expect(second.messages[0].content).toContain('JSON Schema');
	});

	it('answers identical requests in one run once', async () => {
		server.latencyMs = 50;
		server.script({ json: answer });
		const c = client();
		const [a, b] = await Promise.all([ask(c), ask(c)]);
		expect(a.value).toEqual(b.value);
		expect(server.chatRequests()).toHaveLength(1);
		expect([a.meta.cached, b.meta.cached].sort()).toEqual([false, true]);
		expect(b.meta.inputTokens + a.meta.inputTokens).toBe(server.chatRequests()[0].usage.prompt_tokens);
	});

	it('sends the configured headers and reports a wrong key as an auth error without retrying', async () => {
		await expect(ask(new StructuredModelClient({ baseUrl, apiKey: 'sk-wrong', model: 'gpt-4o-mini', retry: fast, headers: { 'x-team': 'revops' } }))).rejects.toMatchObject({ kind: 'auth' });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].headers['x-team']).toBe('revops');
	});
});

describe('StructuredModelClient with a connected chat model', () => {
	const answer = { category: 'support', confidence: 0.7, reason: 'bug report', evidence: [] };
	it('asks for JSON in the instructions, repairs once, and reads token usage from the reply', async () => {
		const calls: Array<Array<[string, string]>> = [];
		const replies = [
			{ content: 'Sure! Here it is: {"category": "support"', usage_metadata: { input_tokens: 50, output_tokens: 5 } },
			{ content: [{ type: 'text', text: JSON.stringify(answer) }], response_metadata: { tokenUsage: { promptTokens: 70, completionTokens: 20 } } },
		];
		const chatModel = { modelName: 'claude-test', invoke: async (messages: Array<[string, string]>) => (calls.push(messages), replies.shift()!) };
		const c = new StructuredModelClient({ baseUrl: '', apiKey: '', model: 'claude-test', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }, chatModel);
		const { value, meta } = await c.complete({ system: 'Classify.', user: 'it crashes', schema: Intent, schemaName: 'intent' });
		expect(value).toEqual(answer);
		expect(meta).toMatchObject({ model: 'claude-test', mode: 'json_object', repaired: true, attempts: 2, inputTokens: 120, outputTokens: 25 });
		expect(calls[0][0][0]).toBe('system');
		expect(calls[0][0][1]).toContain('JSON Schema');
		expect(calls[1].map((m) => m[0])).toEqual(['system', 'human', 'ai', 'human']);
	});

	it('retries a rate-limited chat model and classifies its errors', async () => {
		let n = 0;
		const chatModel = { invoke: async () => { n++; if (n === 1) throw Object.assign(new Error('Rate limit'), { status: 429 }); return { content: JSON.stringify(answer) }; } };
		const c = new StructuredModelClient({ baseUrl: '', apiKey: '', model: 'm', retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }, chatModel);
		expect((await c.complete({ system: 's', user: 'u', schema: Intent, schemaName: 'intent' })).meta.attempts).toBe(2);
	});
});
