import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { closeLocal, listenLocal } from '../support/local-server';

/**
 * Stands in for Slack's Web API in the tests (no Slack can be reached here): the methods the report
 * uses, as Slack documents them. Bearer token auth (ok: false, "not_authed" / "invalid_auth" with
 * HTTP 200, as Slack answers), form-encoded or JSON arguments, the three-step file upload (the upload
 * URL takes raw bytes or multipart form data; completing names files that must have been uploaded),
 * channels that must exist, and 429 with Retry-After when told to rate limit. Kept honest by
 * slack-contract.test.ts, which drives it with Slack's own client (@slack/web-api).
 */

export interface SlackMessage {
	channel: string;
	text: string;
	files: Array<{ id: string; title: string; filename: string; bytes: Buffer }>;
}

export class SlackStandIn {
	readonly messages: SlackMessage[] = [];
	/** Web API calls by method name, in order. */
	readonly calls: string[] = [];
	private readonly pending = new Map<string, { filename: string; length: number; bytes: Buffer | null }>();
	private rateLimited = 0;
	url = '';
	private readonly server = http.createServer((req, res) => void this.handle(req, res));

	constructor(
		readonly token: string,
		readonly channels: readonly string[],
	) {}

	/** The next `n` Web API calls answer 429 with Retry-After: `seconds`. */
	rateLimit(n: number, seconds = 1): void {
		this.rateLimited = n;
		this.retryAfter = seconds;
	}
	private retryAfter = 1;

	async start(): Promise<string> {
		this.url = await listenLocal(this.server);
		return this.url;
	}

	async stop(): Promise<void> {
		await closeLocal(this.server);
	}

	get apiUrl(): string {
		return `${this.url}/api`;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks);
		const path = (req.url ?? '').split('?')[0];
		const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
			res.end(JSON.stringify(body));
		};
		if (req.method !== 'POST') return json(405, { ok: false, error: 'method_not_allowed' });
		const upload = /^\/upload\/([A-Za-z0-9]+)$/.exec(path);
		if (upload) {
			const file = this.pending.get(upload[1]);
			if (!file) return json(404, { ok: false });
			const bytes = fileBytes(raw, String(req.headers['content-type'] ?? ''));
			if (bytes.length !== file.length) {
				res.writeHead(400, { 'content-type': 'text/plain' });
				res.end(`length ${bytes.length} is not the declared ${file.length}`);
				return;
			}
			file.bytes = bytes;
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end(`OK - ${bytes.length}`);
			return;
		}
		const method = /^\/api\/([A-Za-z.]+)$/.exec(path)?.[1];
		if (!method) return json(404, { ok: false, error: 'unknown_method' });
		this.calls.push(method);
		if (this.rateLimited > 0) {
			this.rateLimited--;
			return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(this.retryAfter) });
		}
		const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
		const auth = String(req.headers.authorization ?? '');
		const given = auth.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : '';
		if (!given) return json(200, { ok: false, error: 'not_authed' });
		if (given !== this.token) return json(200, { ok: false, error: 'invalid_auth' });
		if (method === 'auth.test') return json(200, { ok: true, url: 'https://revops-test.slack.com/', team: 'RevOps Test', user: 'revops-bot', team_id: 'T0TEST', user_id: 'U0BOT' });
		if (method === 'files.getUploadURLExternal') {
			const length = Number(args.length);
			if (typeof args.filename !== 'string' || !args.filename) return json(200, { ok: false, error: 'invalid_arguments' });
			if (!Number.isInteger(length) || length <= 0) return json(200, { ok: false, error: 'invalid_arguments' });
			const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
			this.pending.set(id, { filename: args.filename, length, bytes: null });
			return json(200, { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id });
		}
		if (method === 'files.completeUploadExternal') {
			let files: Array<{ id: string; title?: string }>;
			try {
				files = typeof args.files === 'string' ? JSON.parse(args.files) : (args.files as typeof files);
			} catch {
				return json(200, { ok: false, error: 'invalid_arguments' });
			}
			if (!Array.isArray(files) || files.length === 0) return json(200, { ok: false, error: 'invalid_arguments' });
			const channel = typeof args.channel_id === 'string' ? args.channel_id : typeof args.channels === 'string' ? args.channels : '';
			if (channel && !this.channels.includes(channel)) return json(200, { ok: false, error: 'channel_not_found' });
			const done: SlackMessage['files'] = [];
			for (const f of files) {
				const p = this.pending.get(f.id);
				if (!p || !p.bytes) return json(200, { ok: false, error: 'file_not_found' });
				done.push({ id: f.id, title: f.title ?? p.filename, filename: p.filename, bytes: p.bytes });
			}
			for (const f of files) this.pending.delete(f.id);
			if (channel) this.messages.push({ channel, text: typeof args.initial_comment === 'string' ? args.initial_comment : '', files: done });
			return json(200, { ok: true, files: done.map((f) => ({ id: f.id, title: f.title, name: f.filename })) });
		}
		if (method === 'chat.postMessage') {
			const channel = String(args.channel ?? '');
			if (!this.channels.includes(channel)) return json(200, { ok: false, error: 'channel_not_found' });
			if (typeof args.text !== 'string' || !args.text) return json(200, { ok: false, error: 'no_text' });
			this.messages.push({ channel, text: args.text, files: [] });
			return json(200, { ok: true, channel, ts: `${Date.now() / 1000}` });
		}
		return json(200, { ok: false, error: 'unknown_method' });
	}
}

function parseArgs(raw: Buffer, type: string): Record<string, unknown> {
	const text = raw.toString('utf8');
	if (type.includes('application/json')) {
		try {
			return JSON.parse(text) as Record<string, unknown>;
		} catch {
			return {};
		}
	}
	if (type.includes('multipart/form-data')) {
		const out: Record<string, unknown> = {};
		for (const part of multipartParts(raw, type)) if (!part.filename) out[part.name] = part.body.toString('utf8');
		return out;
	}
	return Object.fromEntries(new URLSearchParams(text));
}

function fileBytes(raw: Buffer, type: string): Buffer {
	if (!type.includes('multipart/form-data')) return raw;
	const file = multipartParts(raw, type).find((p) => p.filename !== null);
	return file ? file.body : Buffer.alloc(0);
}

/** The parts of a multipart/form-data body (RFC 7578), enough for what Slack's clients send. */
function multipartParts(raw: Buffer, type: string): Array<{ name: string; filename: string | null; body: Buffer }> {
	const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
	if (!boundary) return [];
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Array<{ name: string; filename: string | null; body: Buffer }> = [];
	let at = raw.indexOf(delimiter);
	while (at !== -1) {
		const start = at + delimiter.length;
		if (raw.subarray(start, start + 2).toString() === '--') break;
		const next = raw.indexOf(delimiter, start);
		if (next === -1) break;
		const part = raw.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		const headers = part.subarray(0, headerEnd).toString('utf8');
		parts.push({ name: /name="([^"]*)"/.exec(headers)?.[1] ?? '', filename: /filename="([^"]*)"/.exec(headers)?.[1] ?? null, body: part.subarray(headerEnd + 4) });
		at = next;
	}
	return parts;
}
