import { lookup } from 'node:dns/promises';
import type { Readable } from 'node:stream';
import type { IExecuteFunctions } from 'n8n-workflow';
import { RequestLimiter } from '../../shared/domain/model/limiter';
import { RESEARCH_DEFAULTS } from '../../shared/domain/planning/catalogs';
import { isPrivateAddress } from '../../shared/domain/planning/urls';

/**
 * Reads an account's pages over HTTP with n8n's request helper (its proxy and TLS settings apply):
 * each page at most RESEARCH_DEFAULTS.maxPageBytes and the node's timeout, redirects followed by hand
 * (at most three, each address checked again), and no address on this machine or a private network
 * unless the builder allows it. A page that fails is reported on the item, never a failed item.
 */
export interface FetchedPage {
	url: string;
	status: number | null;
	html: string;
	bytes: number;
	cut: boolean;
	error: string | null;
}

export interface FetchSettings {
	timeoutMs: number;
	allowPrivate: boolean;
}

/** Pages of all items of one run: a few at a time, so a thousand accounts never open thousands of connections. */
export const pageLimiter = () => new RequestLimiter(8);

async function checkAddress(url: URL, allowPrivate: boolean): Promise<string | null> {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} addresses are not read`;
	if (allowPrivate) return null;
	const host = url.hostname.replace(/^\[|\]$/g, '');
	let addresses: Array<{ address: string }>;
	try {
		addresses = await lookup(host, { all: true, verbatim: true });
	} catch (error) {
		return `the host ${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`;
	}
	const inside = addresses.find((a) => isPrivateAddress(a.address));
	return inside ? `${host} resolves to ${inside.address}, on this machine or a private network (turn on "Allow Private Network Addresses" to read it)` : null;
}

async function readCapped(body: Readable, max: number): Promise<{ buffer: Buffer; cut: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	let cut = false;
	for await (const chunk of body) {
		const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		if (size + b.length > max) {
			chunks.push(b.subarray(0, max - size));
			size = max;
			cut = true;
			body.destroy();
			break;
		}
		chunks.push(b);
		size += b.length;
	}
	return { buffer: Buffer.concat(chunks), cut };
}

function charsetOf(contentType: unknown): string {
	const m = /charset=["']?([\w-]+)/i.exec(String(contentType ?? ''));
	const label = m?.[1]?.toLowerCase() ?? 'utf-8';
	try {
		new TextDecoder(label);
		return label;
	} catch {
		return 'utf-8';
	}
}

export async function fetchPage(ctx: IExecuteFunctions, url: string, settings: FetchSettings): Promise<FetchedPage> {
	let current = url;
	for (let hop = 0; hop <= RESEARCH_DEFAULTS.maxRedirects; hop++) {
		let parsed: URL;
		try {
			parsed = new URL(current);
		} catch {
			return { url: current, status: null, html: '', bytes: 0, cut: false, error: 'not a valid address' };
		}
		const refused = await checkAddress(parsed, settings.allowPrivate);
		if (refused) return { url: current, status: null, html: '', bytes: 0, cut: false, error: refused };
		try {
			const response = (await ctx.helpers.httpRequest({
				url: parsed.toString(),
				method: 'GET',
				headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', 'user-agent': 'n8n-nodes-revops account research' },
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: settings.timeoutMs,
			})) as { statusCode: number; headers: Record<string, unknown>; body: Readable };
			const status = response.statusCode;
			if (status >= 300 && status < 400 && response.headers.location) {
				response.body.destroy();
				current = new URL(String(response.headers.location), parsed).toString();
				continue;
			}
			if (status >= 400) {
				response.body.destroy();
				return { url: current, status, html: '', bytes: 0, cut: false, error: `HTTP ${status}` };
			}
			const type = String(response.headers['content-type'] ?? 'text/html');
			if (!/html|xml|text\/plain/i.test(type)) {
				response.body.destroy();
				return { url: current, status, html: '', bytes: 0, cut: false, error: `not a web page (${type.slice(0, 60)})` };
			}
			const { buffer, cut } = await readCapped(response.body, RESEARCH_DEFAULTS.maxPageBytes);
			return { url: current, status, html: new TextDecoder(charsetOf(type)).decode(buffer), bytes: buffer.length, cut, error: null };
		} catch (error) {
			const e = error as { code?: string; message?: string };
			return { url: current, status: null, html: '', bytes: 0, cut: false, error: e.code === 'ECONNABORTED' || /timeout/i.test(e.message ?? '') ? `no answer within ${settings.timeoutMs} ms` : (e.message ?? 'request failed').slice(0, 200) };
		}
	}
	return { url: current, status: null, html: '', bytes: 0, cut: false, error: `more than ${RESEARCH_DEFAULTS.maxRedirects} redirects` };
}
