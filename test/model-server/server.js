// An OpenAI-compatible HTTP server for tests only (there is no internet here, and real models are
// not deterministic). It speaks enough of the Chat Completions API for the official `openai` client
// and n8n's OpenAI credential and OpenAI Chat Model node: /v1/models, /v1/chat/completions (also
// streamed), usage counts, OpenAI-shaped errors, and strict json_schema validation as OpenAI does it.
// Nothing shipped in the package uses it.
'use strict';
const http = require('node:http');

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'test-model'];

/** Rough token count (about four characters per token), enough for budget and cost assertions. */
function countTokens(text) {
	return Math.max(1, Math.ceil(String(text ?? '').length / 4));
}

function messagesText(messages = []) {
	return messages
		.map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p) => p.text ?? '').join('') : ''))
		.join('\n');
}

/**
 * OpenAI's strict structured outputs refuse a schema unless every object lists all its properties in
 * `required` and sets `additionalProperties: false`. Returns the first violation, or null.
 */
function strictSchemaViolation(schema, context = '()') {
	if (!schema || typeof schema !== 'object') return null;
	const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || schema.properties;
	if (isObject) {
		if (schema.additionalProperties !== false) {
			return `In context=${context}, 'additionalProperties' is required to be supplied and to be false.`;
		}
		const keys = Object.keys(schema.properties ?? {});
		const required = Array.isArray(schema.required) ? schema.required : null;
		const missing = keys.filter((k) => !required || !required.includes(k));
		if (!required || missing.length) {
			return `In context=${context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0] ?? keys[0]}'.`;
		}
		for (const k of keys) {
			const v = strictSchemaViolation(schema.properties[k], `('properties', '${k}')`);
			if (v) return v;
		}
	}
	if (schema.items) {
		const v = strictSchemaViolation(schema.items, `${context}, 'items'`);
		if (v) return v;
	}
	for (const key of ['anyOf', 'allOf', 'oneOf']) {
		for (const [i, sub] of (schema[key] ?? []).entries()) {
			const v = strictSchemaViolation(sub, `${context}, '${key}', ${i}`);
			if (v) return v;
		}
	}
	for (const [name, def] of Object.entries(schema.$defs ?? schema.definitions ?? {})) {
		const v = strictSchemaViolation(def, `('$defs', '${name}')`);
		if (v) return v;
	}
	return null;
}

/** A minimal value that satisfies a JSON schema, used when a test scripted no reply. */
function exampleFor(schema, root = schema) {
	if (!schema || typeof schema !== 'object') return null;
	if (schema.$ref) {
		const name = schema.$ref.split('/').pop();
		return exampleFor((root.$defs ?? root.definitions ?? {})[name], root);
	}
	if (schema.enum) return schema.enum[0];
	if (schema.const !== undefined) return schema.const;
	if (schema.anyOf) return exampleFor(schema.anyOf[0], root);
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'null' : schema.type;
	switch (type) {
		case 'object':
			return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, exampleFor(v, root)]));
		case 'array':
			return [];
		case 'string':
			return '';
		case 'number':
		case 'integer':
			return schema.minimum ?? 0;
		case 'boolean':
			return false;
		default:
			return null;
	}
}

function errorBody(status, message, type, code = null) {
	return { error: { message, type, param: null, code } };
}

class ModelServer {
	/**
	 * @param {{ latencyMs?: number, perOutputTokenMs?: number, perInputTokenMs?: number, models?: string[], apiKey?: string }} [options]
	 *   apiKey: when set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise).
	 *   perOutputTokenMs / perInputTokenMs: latency that grows with the answer's and the prompt's
	 *   tokens, as a real model's does (added to latencyMs for answers, not for faults).
	 */
	constructor(options = {}) {
		this.latencyMs = options.latencyMs ?? 0;
		this.perOutputTokenMs = options.perOutputTokenMs ?? 0;
		this.perInputTokenMs = options.perInputTokenMs ?? 0;
		this.models = options.models ?? DEFAULT_MODELS;
		this.apiKey = options.apiKey ?? null;
		this.requests = [];
		this.queue = [];
		this.responder = null;
		this.sockets = new Set();
		this.server = http.createServer((req, res) => this.handle(req, res));
		// Clients keep connections alive and reuse them; a server that closes an idle one at the moment a
		// client reuses it resets that request ("Connection error."). Property tests send tens of
		// thousands of requests: keep idle connections longer than any client does.
		this.server.keepAliveTimeout = 65_000;
		this.server.headersTimeout = 66_000;
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		this.completionCounter = 0;
		this.keepRequests = Infinity;
	}

	/** Keeps only the last `n` requests (property tests send tens of thousands). */
	keepLast(n) {
		this.keepRequests = n;
		return this;
	}

	/** Starts listening on 127.0.0.1 (port 0 picks a free one); resolves to the base URL ending in /v1. */
	async start(port = 0) {
		await new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
		this.port = this.server.address().port;
		this.baseUrl = `http://127.0.0.1:${this.port}/v1`;
		return this.baseUrl;
	}

	async stop() {
		for (const s of this.sockets) s.destroy();
		await new Promise((resolve) => this.server.close(() => resolve()));
	}

	/**
	 * Queues replies, consumed in order by the chat requests that match them. A reply is one of:
	 *   { content: 'text' }               a plain assistant message
	 *   { json: {...} }                   content is this value as JSON
	 *   { toolCalls: [{ name, arguments }] }
	 *   { status: 429, retryAfter: 2 }    an error response (any status), optional Retry-After seconds
	 *   { hang: true }                    never answers (the client's timeout must fire)
	 *   { malformed: true }               a 200 whose body is not valid JSON
	 *   { brokenJson: true }              content that is not valid JSON although JSON was requested
	 * Each may add `latencyMs`, `usage: { prompt_tokens, completion_tokens }`, and `match(request)`,
	 * a predicate on the parsed request body that must hold for the reply to be used.
	 */
	script(...replies) {
		this.queue.push(...replies.flat());
		return this;
	}

	/** Answers every chat request not taken by a scripted reply: (body) => reply. */
	respondWith(fn) {
		this.responder = fn;
		return this;
	}

	reset() {
		this.queue = [];
		this.requests = [];
		this.responder = null;
		this.latencyMs = 0;
		this.perOutputTokenMs = 0;
		this.perInputTokenMs = 0;
		this.keepRequests = Infinity;
	}

	chatRequests() {
		return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
	}

	nextReply(body) {
		const index = this.queue.findIndex((r) => !r.match || r.match(body));
		if (index >= 0) return this.queue.splice(index, 1)[0];
		if (this.responder) return this.responder(body);
		const format = body.response_format;
		if (format?.type === 'json_schema') return { json: exampleFor(format.json_schema?.schema) };
		if (format?.type === 'json_object') return { json: {} };
		return { content: 'OK' };
	}

	async handle(req, res) {
		const chunks = [];
		for await (const c of req) chunks.push(c);
		const raw = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url, 'http://x');
		const entry = { method: req.method, path: url.pathname, headers: req.headers, body: null, status: null, reply: null, at: Date.now() };
		this.requests.push(entry);
		if (this.requests.length > this.keepRequests) this.requests.shift();
		const send = (status, payload, headers = {}) => {
			entry.status = status;
			if (res.destroyed) return;
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
		};

		if (url.pathname.startsWith('/__control/')) return this.control(url, raw, send);

		if (this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) {
			return send(401, errorBody(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
		}
		const path = url.pathname.replace(/^\/v1/, '');
		if (req.method === 'GET' && path === '/models') {
			return send(200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'revops-test' })) });
		}
		if (req.method === 'GET' && path.startsWith('/models/')) {
			const id = decodeURIComponent(path.slice('/models/'.length));
			if (!this.models.includes(id)) return send(404, errorBody(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found'));
			return send(200, { id, object: 'model', created: 1700000000, owned_by: 'revops-test' });
		}
		if (req.method !== 'POST' || path !== '/chat/completions') {
			return send(404, errorBody(404, `Unknown request URL: ${req.method} ${url.pathname}`, 'invalid_request_error'));
		}

		let body;
		try {
			body = JSON.parse(raw);
		} catch {
			return send(400, errorBody(400, 'We could not parse the JSON body of your request.', 'invalid_request_error'));
		}
		entry.body = body;
		if (!Array.isArray(body.messages) || body.messages.length === 0) {
			return send(400, errorBody(400, "Missing required parameter: 'messages'.", 'invalid_request_error'));
		}
		if (!body.model) return send(400, errorBody(400, "Missing required parameter: 'model'.", 'invalid_request_error'));
		const format = body.response_format;
		if (format?.type === 'json_schema') {
			const js = format.json_schema;
			if (!js?.name || !js?.schema) {
				return send(400, errorBody(400, "Missing required parameter: 'response_format.json_schema.name'.", 'invalid_request_error'));
			}
			if (js.strict === true) {
				const violation = strictSchemaViolation(js.schema);
				if (violation) {
					return send(400, errorBody(400, `Invalid schema for response_format '${js.name}': ${violation}`, 'invalid_request_error', 'invalid_json_schema'));
				}
			}
		}

		const reply = this.nextReply(body);
		entry.reply = reply;
		const isFault = reply.hang || (reply.status && reply.status !== 200) || reply.malformed;
		if (isFault) {
			const delay = reply.latencyMs ?? this.latencyMs;
			if (delay) await new Promise((r) => setTimeout(r, delay));
		}
		if (reply.hang) return; // the socket stays open until the client gives up or the server stops

		if (reply.status && reply.status !== 200) {
			const headers = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {};
			const type = reply.status === 429 ? 'rate_limit_error' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
			const message = reply.message ?? (reply.status === 429 ? 'Rate limit reached for requests' : 'The server had an error while processing your request.');
			return send(reply.status, errorBody(reply.status, message, type), headers);
		}
		if (reply.malformed) return send(200, '{"id": "chatcmpl-broken", "choices": [ {"message": ');

		let content = null;
		if (reply.brokenJson) content = '{"category": "pricing", "confidence": ';
		else if (reply.json !== undefined) content = JSON.stringify(reply.json);
		else if (reply.content !== undefined) content = String(reply.content);
		const toolCalls = (reply.toolCalls ?? []).map((t, i) => ({
			id: `call_${i}`,
			type: 'function',
			function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments ?? {}) },
		}));
		const usage = {
			prompt_tokens: reply.usage?.prompt_tokens ?? countTokens(messagesText(body.messages)),
			completion_tokens: reply.usage?.completion_tokens ?? countTokens(content ?? JSON.stringify(toolCalls)),
		};
		const tokenDelay = reply.latencyMs ?? this.latencyMs + this.perOutputTokenMs * usage.completion_tokens + this.perInputTokenMs * usage.prompt_tokens;
		if (tokenDelay) await new Promise((r) => setTimeout(r, tokenDelay));
		usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
		entry.usage = usage;
		const id = `chatcmpl-test-${++this.completionCounter}`;
		const created = Math.floor(Date.now() / 1000);
		const message = { role: 'assistant', content, refusal: null };
		if (toolCalls.length) message.tool_calls = toolCalls;
		const finish = toolCalls.length ? 'tool_calls' : 'stop';

		if (body.stream) {
			entry.status = 200;
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const chunk = (delta, finishReason = null, extra = {}) =>
				res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`);
			chunk({ role: 'assistant', content: '' });
			if (content) chunk({ content });
			if (toolCalls.length) chunk({ tool_calls: toolCalls.map((t, index) => ({ index, ...t })) });
			chunk({}, finish);
			if (body.stream_options?.include_usage) {
				res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
			}
			res.end('data: [DONE]\n\n');
			return;
		}
		return send(200, {
			id,
			object: 'chat.completion',
			created,
			model: body.model,
			choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
			usage,
			system_fingerprint: 'fp_revops_test',
		});
	}

	/** Lets a test in another process script replies and read the log: POST /__control/script etc. */
	control(url, raw, send) {
		const action = url.pathname.slice('/__control/'.length);
		const data = raw ? JSON.parse(raw) : {};
		if (action === 'script') {
			this.script(data.replies ?? []);
			return send(200, { queued: this.queue.length });
		}
		if (action === 'latency') {
			this.latencyMs = Number(data.latencyMs ?? 0);
			return send(200, { latencyMs: this.latencyMs });
		}
		if (action === 'reset') {
			this.reset();
			return send(200, { ok: true });
		}
		if (action === 'log') {
			return send(200, { requests: this.requests.filter((r) => !r.path.startsWith('/__control/')).map(({ headers, ...r }) => r) });
		}
		return send(404, { error: `unknown control action ${action}` });
	}
}

module.exports = { ModelServer, strictSchemaViolation, exampleFor, countTokens };

if (require.main === module) {
	const port = Number(process.argv[2] ?? process.env.PORT ?? 8787);
	const server = new ModelServer({ latencyMs: Number(process.env.LATENCY_MS ?? 0) });
	server.start(port).then((url) => process.stdout.write(`test model server at ${url}\n`));
}
