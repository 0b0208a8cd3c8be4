import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ModelServer } = require('./server') as typeof import('./server');

describe('test model server, driven by the official openai client', () => {
	const server = new ModelServer({ apiKey: 'sk-test' });
	let client: OpenAI;

	beforeAll(async () => {
		const baseURL = await server.start();
		client = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 2, timeout: 2000 });
	});
	afterAll(() => server.stop());
	beforeEach(() => {
		server.reset();
	});

	it('lists models and answers chat completions with usage counted', async () => {
		const models = await client.models.list();
		expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');

		server.script({ content: 'Hello, Jane.' });
		const completion = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Say hello to Jane.' }],
		});
		expect(completion.choices[0].message.content).toBe('Hello, Jane.');
		expect(completion.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 3 });
		const [logged] = server.chatRequests();
		expect(logged.body.messages[0].content).toBe('Say hello to Jane.');
		expect(logged.usage.total_tokens).toBe(completion.usage!.total_tokens);
	});

	it('rejects a wrong API key the way OpenAI does', async () => {
		const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: server.baseUrl, maxRetries: 0 });
		await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
	});

	it('returns structured output that the client parses with a zod schema', async () => {
		const Intent = z.object({ category: z.enum(['pricing', 'support']), confidence: z.number() });
		server.script({ json: { category: 'pricing', confidence: 0.92 } });
		const completion = await client.chat.completions.parse({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'How much for 50 seats?' }],
			response_format: zodResponseFormat(Intent, 'intent'),
		});
		expect(completion.choices[0].message.parsed).toEqual({ category: 'pricing', confidence: 0.92 });
		expect(server.chatRequests()[0].body.response_format.json_schema.strict).toBe(true);
	});

	it('refuses a strict json_schema that OpenAI would refuse', async () => {
		const request = (schema: Record<string, unknown>) =>
			client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x' }],
				response_format: { type: 'json_schema', json_schema: { name: 'lead', strict: true, schema } },
			});
		await expect(
			request({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false }),
		).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Missing 'b'") });
		await expect(request({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('additionalProperties'),
		});
		await expect(
			request({
				type: 'object',
				properties: { inner: { type: 'object', properties: { x: { type: 'number' } }, required: [], additionalProperties: false } },
				required: ['inner'],
				additionalProperties: false,
			}),
		).rejects.toMatchObject({ status: 400, message: expect.stringContaining("'inner'") });
		// A valid strict schema with no scripted reply gets a minimal conforming answer.
		const ok = await request({ type: 'object', properties: { a: { type: 'string', enum: ['x', 'y'] } }, required: ['a'], additionalProperties: false });
		expect(JSON.parse(ok.choices[0].message.content!)).toEqual({ a: 'x' });
	});

	it('injects 429 with Retry-After and 500s, which the client retries', async () => {
		server.script({ status: 429, retryAfter: 0 }, { status: 500 }, { content: 'after retries' });
		const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
		expect(completion.choices[0].message.content).toBe('after retries');
		expect(server.chatRequests().map((r) => r.status)).toEqual([429, 500, 200]);
		expect(server.chatRequests()[0].reply.retryAfter).toBe(0);
	});

	it('gives up with the error once retries are spent', async () => {
		server.script({ status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 });
		await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429 });
		expect(server.chatRequests()).toHaveLength(3);
	});

	it('hangs past the client timeout', async () => {
		server.script({ hang: true });
		const started = Date.now();
		await expect(
			client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { timeout: 300, maxRetries: 0 }),
		).rejects.toBeInstanceOf(OpenAI.APIConnectionError); // the client's abort surfaces as a connection error
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(290);
		expect(elapsed).toBeLessThan(2000);
		expect(server.chatRequests()[0].status).toBeNull(); // never answered
	});

	it('sends malformed JSON bodies and JSON content that breaks the requested schema', async () => {
		server.script({ malformed: true });
		await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { maxRetries: 0 })).rejects.toThrow();

		server.script({ brokenJson: true }, { json: { category: 'not-a-category', confidence: 'high' } });
		const broken = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } });
		expect(() => JSON.parse(broken.choices[0].message.content!)).toThrow();
		const wrongShape = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } });
		expect(z.object({ category: z.enum(['pricing']), confidence: z.number() }).safeParse(JSON.parse(wrongShape.choices[0].message.content!)).success).toBe(false);
	});

	it('applies latency and matches scripted replies to the requests they are for', async () => {
		server.latencyMs = 120;
		server.script(
			{ match: (body: any) => JSON.stringify(body.messages).includes('second'), content: 'for second' },
			{ content: 'for first' },
		);
		const started = Date.now();
		const [first, second] = await Promise.all([
			client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'first' }] }),
			client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'second' }] }),
		]);
		expect(first.choices[0].message.content).toBe('for first');
		expect(second.choices[0].message.content).toBe('for second');
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('takes longer for longer answers and prompts when latency per token is set, as a real model does', async () => {
		server.perOutputTokenMs = 5;
		server.script({ content: 'ok' }, { content: Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ') });
		const time = async () => {
			const started = Date.now();
			const c = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
			return { ms: Date.now() - started, tokens: c.usage!.completion_tokens };
		};
		const short = await time();
		const long = await time();
		expect(long.tokens).toBeGreaterThan(short.tokens + 150);
		// At least 5 ms per output token; a loaded machine only adds to it.
		expect(long.ms).toBeGreaterThanOrEqual(5 * long.tokens - 5);
		server.perOutputTokenMs = 0;
		server.perInputTokenMs = 2;
		server.script({ content: 'ok' });
		const started = Date.now();
		const c = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'many words '.repeat(300) }] });
		expect(Date.now() - started).toBeGreaterThanOrEqual(2 * c.usage!.prompt_tokens - 5);
	});

	it('streams completions as server-sent events', async () => {
		server.script({ content: 'streamed reply' });
		const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
		let text = '';
		let usage;
		for await (const chunk of stream) {
			text += chunk.choices[0]?.delta?.content ?? '';
			usage = chunk.usage ?? usage;
		}
		expect(text).toBe('streamed reply');
		expect(usage).toMatchObject({ completion_tokens: 4 });
	});

	it('can be scripted over HTTP by a test in another process', async () => {
		const control = (action: string, body?: object) =>
			fetch(`http://127.0.0.1:${server.port}/__control/${action}`, { method: 'POST', body: JSON.stringify(body ?? {}) }).then((r) => r.json() as Promise<any>);
		await control('script', { replies: [{ content: 'from control' }] });
		const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
		expect(completion.choices[0].message.content).toBe('from control');
		const log = await control('log');
		expect(log.requests.map((r: any) => r.path)).toEqual(['/v1/chat/completions']);
	});
});
