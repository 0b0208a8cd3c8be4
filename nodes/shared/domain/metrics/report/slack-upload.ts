import { setTimeout as delay } from 'node:timers/promises';

/**
 * Posting the report to Slack with its charts as images: Slack's file upload in three steps
 * (files.getUploadURLExternal per file, the bytes to the URL it gives, then one
 * files.completeUploadExternal that shares them all in the channel with the text). The HTTP calls are
 * handed in (the node passes n8n's, with the Slack credential), so the protocol is tested directly.
 */

export interface SlackRequest {
	url: string;
	/** Form fields (Slack's Web API methods) or the file's bytes (the upload URL). */
	form?: Record<string, string>;
	bytes?: Buffer;
	/** Whether the call carries the Slack token (Web API methods do; the upload URL needs none). */
	authenticated: boolean;
}

export interface SlackResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type SlackHttp = (request: SlackRequest) => Promise<SlackResponse>;

export interface SlackFile {
	filename: string;
	title: string;
	bytes: Buffer;
}

export class SlackError extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'SlackError';
	}
}

const FIXES: Record<string, string> = {
	not_authed: 'Choose a Slack credential (a bot token) on the node',
	invalid_auth: 'The Slack token is not valid: create the credential again with the bot token of your Slack app',
	channel_not_found: 'Set channels.slackChannel in the company config to a channel id (e.g. C0123456789) the app was invited to',
	not_in_channel: 'Invite the Slack app to the channel (/invite @your-app)',
	missing_scope: 'Give the Slack app the files:write and chat:write scopes and reinstall it',
};

/** Waits Slack asks for on 429 (Retry-After, seconds), at most this many times per call. */
const MAX_RETRIES = 3;
const MAX_WAIT_S = 30;

async function call(http: SlackHttp, request: SlackRequest, sleep: (ms: number) => Promise<void>): Promise<Record<string, unknown>> {
	for (let attempt = 0; ; attempt++) {
		const res = await http(request);
		if (res.status === 429 && attempt < MAX_RETRIES) {
			const after = Number(Array.isArray(res.headers['retry-after']) ? res.headers['retry-after'][0] : res.headers['retry-after']);
			await sleep(Math.min(MAX_WAIT_S, Number.isFinite(after) && after >= 0 ? after : 1) * 1000);
			continue;
		}
		if (res.status === 429) throw new SlackError(`Slack kept answering 429 (rate limited) after ${MAX_RETRIES} waits`, 'Run the report again later, or post fewer reports at once');
		if (res.status >= 400) throw new SlackError(`Slack answered HTTP ${res.status} to ${request.url.replace(/\?.*/, '')}`, 'Check the API URL and the bot token of the RevOps Slack API credential');
		const body = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as Record<string, unknown> | null;
		if (request.bytes) return body ?? {};
		if (!body || body.ok !== true) {
			const error = String(body?.error ?? 'no answer');
			throw new SlackError(`Slack refused ${request.url.split('/').pop()}: ${error}`, FIXES[error] ?? 'See Slack\'s error list for this method');
		}
		return body;
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/** Uploads the files and shares them in the channel with the text, in one message. Answers the file ids. */
export async function postToSlack(http: SlackHttp, apiUrl: string, channel: string, text: string, files: readonly SlackFile[], sleep = async (ms: number) => await delay(ms)): Promise<{ fileIds: string[]; calls: number }> {
	const base = apiUrl.replace(/\/+$/, '');
	let calls = 0;
	const counted: SlackHttp = async (r) => {
		calls++;
		return await http(r);
	};
	if (files.length === 0) {
		await call(counted, { url: `${base}/chat.postMessage`, form: { channel, text, mrkdwn: 'true' }, authenticated: true }, sleep);
		return { fileIds: [], calls };
	}
	const uploaded: Array<{ id: string; title: string }> = [];
	for (const f of files) {
		const answer = await call(counted, { url: `${base}/files.getUploadURLExternal`, form: { filename: f.filename, length: String(f.bytes.length) }, authenticated: true }, sleep);
		if (typeof answer.upload_url !== 'string' || typeof answer.file_id !== 'string') throw new SlackError('Slack gave no upload URL', 'Check the API URL of the RevOps Slack API credential: it must be Slack\'s Web API (https://slack.com/api)');
		await call(counted, { url: answer.upload_url, bytes: f.bytes, authenticated: false }, sleep);
		uploaded.push({ id: answer.file_id, title: f.title });
	}
	await call(counted, { url: `${base}/files.completeUploadExternal`, form: { files: JSON.stringify(uploaded), channel_id: channel, initial_comment: text }, authenticated: true }, sleep);
	return { fileIds: uploaded.map((u) => u.id), calls };
}
