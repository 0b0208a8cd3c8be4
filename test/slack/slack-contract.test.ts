import { WebClient, ErrorCode, LogLevel } from '@slack/web-api';
import { postToSlack, SlackError, type SlackHttp } from '../../nodes/shared/domain/metrics/report/slack-upload';
import { SlackStandIn } from './slack-server';

/**
 * The Slack stand-in is driven by Slack's own client first: if it drifted from Slack's protocol, the
 * official client would fail here. Then the report's own upload code runs against it.
 */

const TOKEN = 'xoxb-test-token';
let slack: SlackStandIn;

beforeAll(async () => {
	slack = new SlackStandIn(TOKEN, ['C0REPORTS']);
	await slack.start();
});
afterAll(async () => await slack.stop());

const client = (token = TOKEN) => new WebClient(token, { slackApiUrl: `${slack.apiUrl}/`, retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 }, logLevel: LogLevel.ERROR });

describe("the stand-in, through Slack's official client", () => {
	it('authenticates and refuses a wrong token as Slack does', async () => {
		await expect(client().auth.test()).resolves.toMatchObject({ ok: true, team_id: 'T0TEST' });
		await expect(client('xoxb-wrong').auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
	});

	it('takes a file upload in three steps and shares it in the channel with the comment', async () => {
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
		const before = slack.messages.length;
		const answer = await client().filesUploadV2({ channel_id: 'C0REPORTS', file: bytes, filename: 'chart.png', title: 'Chart', initial_comment: 'Weekly report' });
		expect(answer.ok).toBe(true);
		const message = slack.messages[before];
		expect(message).toMatchObject({ channel: 'C0REPORTS', text: 'Weekly report' });
		expect(message.files).toHaveLength(1);
		expect(message.files[0].bytes.equals(bytes)).toBe(true);
		expect(slack.calls.slice(-2)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
	});

	it('answers channel_not_found for a channel that does not exist', async () => {
		await expect(client().chat.postMessage({ channel: 'C0NOWHERE', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
	});

	it('rate limits with Retry-After, which the official client waits out', async () => {
		slack.rateLimit(1, 1);
		const started = Date.now();
		await expect(client().chat.postMessage({ channel: 'C0REPORTS', text: 'after a 429' })).resolves.toMatchObject({ ok: true });
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(slack.messages.at(-1)!.text).toBe('after a 429');
	});
});

/** What the node does with n8n's HTTP helper, done here with fetch. */
const fetchHttp =
	(token: string): SlackHttp =>
	async (r) => {
		const headers: Record<string, string> = {};
		if (r.authenticated) headers.authorization = `Bearer ${token}`;
		let body: BodyInit;
		if (r.bytes) {
			headers['content-type'] = 'application/octet-stream';
			body = new Uint8Array(r.bytes);
		} else {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(r.form ?? {}).toString();
		}
		const res = await fetch(r.url, { method: 'POST', headers, body });
		const text = await res.text();
		return { status: res.status, headers: { 'retry-after': res.headers.get('retry-after') ?? undefined }, body: text };
	};

describe("the report's Slack upload", () => {
	const png = (n: number) => Buffer.alloc(100 + n, n);

	it('uploads every chart and shares them in one message with the text', async () => {
		const before = slack.messages.length;
		const result = await postToSlack(fetchHttp(TOKEN), slack.apiUrl, 'C0REPORTS', '*Report*', [0, 1, 2, 3].map((n) => ({ filename: `c${n}.png`, title: `Chart ${n}`, bytes: png(n) })));
		expect(result.fileIds).toHaveLength(4);
		expect(result.calls).toBe(9); // 4 x (URL + bytes) + 1 complete
		expect(slack.messages).toHaveLength(before + 1);
		const message = slack.messages.at(-1)!;
		expect(message.text).toBe('*Report*');
		expect(message.files.map((f) => f.title)).toEqual(['Chart 0', 'Chart 1', 'Chart 2', 'Chart 3']);
		message.files.forEach((f, n) => expect(f.bytes.equals(png(n))).toBe(true));
	});

	it('waits out a 429 as long as Retry-After says, then goes on', async () => {
		slack.rateLimit(2, 0);
		const waits: number[] = [];
		const result = await postToSlack(fetchHttp(TOKEN), slack.apiUrl, 'C0REPORTS', 'x', [{ filename: 'a.png', title: 'A', bytes: png(9) }], async (ms) => void waits.push(ms));
		expect(waits).toEqual([0, 0]);
		expect(result.fileIds).toHaveLength(1);
	});

	it('names the fix when Slack refuses', async () => {
		const refused = postToSlack(fetchHttp(TOKEN), slack.apiUrl, 'C0NOWHERE', 'x', [{ filename: 'a.png', title: 'A', bytes: png(1) }]);
		await expect(refused).rejects.toThrow(SlackError);
		await expect(refused).rejects.toMatchObject({ message: expect.stringContaining('channel_not_found'), fix: expect.stringContaining('channels.slackChannel') });
		await expect(postToSlack(fetchHttp('xoxb-wrong'), slack.apiUrl, 'C0REPORTS', 'x', [])).rejects.toMatchObject({ fix: expect.stringContaining('bot token') });
	});

	it('gives up after three 429s in a row with a clear message', async () => {
		slack.rateLimit(4, 0);
		await expect(postToSlack(fetchHttp(TOKEN), slack.apiUrl, 'C0REPORTS', 'x', [], async () => undefined)).rejects.toThrow(/kept answering 429/);
		slack.rateLimit(0);
	});
});
