import { setTimeout as delay } from 'node:timers/promises';
import { inChunks, type HttpRequest, type HttpResponse, type HttpSend } from '../http';

/**
 * HubSpot's CRM v3 API as the CRM adapter needs it: batch upserts by a unique property, 100 records a
 * call, one result per record (a record HubSpot refuses never fails its batch), search paged to the
 * end, and HubSpot's rate limits honoured (the rolling ten seconds and the search API's second are
 * waited out; the daily limit stops and says so). The HTTP call is handed in (n8n's request helper
 * in a node, fetch in tests), so this module has no n8n import and runs in the unit tests against the
 * HubSpot stand-in (test/vendors/hubspot) that HubSpot's own client keeps honest.
 */

/** HubSpot's largest batch for create, read and upsert. */
export const HUBSPOT_BATCH_SIZE = 100;
/** HubSpot's largest search page. */
export const HUBSPOT_SEARCH_PAGE = 200;

export type { HttpRequest, HttpResponse, HttpSend } from '../http';

export interface HubSpotApiOptions {
	baseUrl?: string;
	/** The private app's token; empty when `send` signs the requests itself (n8n's OAuth 2.0 credential). */
	accessToken: string;
	send: HttpSend;
	/** Tries per call on 429 (ten-second and secondly limits), 5xx and lost connections; default 6. */
	maxTries?: number;
	/** Batches in flight at once; default 4. */
	concurrency?: number;
	sleep?: (ms: number) => Promise<void>;
}

export interface UpsertInput {
	/** The unique-value property that finds the record (contacts: email; others: a custom one). */
	idProperty: string;
	id: string;
	properties: Record<string, string | number | boolean | null>;
}

export type UpsertResult =
	| { ok: true; id: string; isNew: boolean; properties: Record<string, unknown> }
	| { ok: false; category: string; message: string };

export interface SearchFilter {
	propertyName: string;
	operator: 'EQ' | 'NEQ' | 'IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'CONTAINS_TOKEN';
	value?: string;
	values?: string[];
}

export interface HubSpotRecord {
	id: string;
	properties: Record<string, string | null>;
	createdAt: string;
	updatedAt: string;
}

/** A call HubSpot refused as a whole (auth, a bad request, the daily limit): status and HubSpot's words. */
export class HubSpotError extends Error {
	constructor(
		readonly status: number,
		readonly category: string,
		message: string,
		readonly policyName: string | null = null,
	) {
		super(message);
		this.name = 'HubSpotError';
	}
}

export interface BatchError {
	message?: string;
	category?: string;
	context?: Record<string, string[]>;
}

export interface BatchAnswer {
	results: HubSpotRecord[];
	errors: BatchError[];
}

interface HubSpotErrorBody {
	message?: string;
	category?: string;
	policyName?: string;
	errors?: Array<{ message?: string; category?: string; context?: Record<string, string[]> }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class HubSpotApi {
	private readonly baseUrl: string;
	private readonly maxTries: number;
	private readonly concurrency: number;
	private readonly sleep: (ms: number) => Promise<void>;
	/** Requests sent, retries included (for `npm run bench` and the tests). */
	calls = 0;
	/** Requests answered 429. */
	throttled = 0;
	/** What HubSpot's headers said last: calls left in the ten-second window, and today. */
	remaining: { window: number | null; daily: number | null } = { window: null, daily: null };
	/** HubSpot's rolling window as its headers give it, once an answer came. */
	private window: { max: number; intervalMs: number } | null = null;
	/** When our calls of the current window went out. */
	private readonly sent: number[] = [];
	/** The slowest answer so far, ms: how much later than its sending HubSpot may have counted a call. */
	private roundTripMs = 0;

	constructor(private readonly options: HubSpotApiOptions) {
		this.baseUrl = (options.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
		this.maxTries = options.maxTries ?? 6;
		this.concurrency = Math.max(1, options.concurrency ?? 4);
		this.sleep = options.sleep ?? ((ms) => delay(ms));
	}

	/**
	 * One call, with HubSpot's limits honoured: a 429 of the ten-second window waits until the window
	 * has room (its interval, at most), the search API's secondly 429 a second, a 5xx or a lost
	 * connection a growing pause; the daily limit and every 4xx answer at once.
	 */
	async call(method: HttpRequest['method'], path: string, body?: unknown): Promise<HttpResponse> {
		for (let attempt = 1; ; attempt++) {
			await this.pace();
			this.calls++;
			let res: HttpResponse | null = null;
			let lost: unknown = null;
			const sentAt = Date.now();
			try {
				res = await this.options.send({ method, url: `${this.baseUrl}${path}`, headers: { ...(this.options.accessToken ? { authorization: `Bearer ${this.options.accessToken}` } : {}), 'content-type': 'application/json' }, body });
			} catch (error) {
				lost = error;
			}
			if (res) {
				this.roundTripMs = Math.min(2000, Math.max(this.roundTripMs, Date.now() - sentAt));
				this.readLimits(res.headers);
			}
			const last = attempt >= this.maxTries;
			if (res && res.status < 400) return res;
			const err = isObject(res?.body) ? (res!.body as HubSpotErrorBody) : {};
			if (res?.status === 429) {
				this.throttled++;
				if (err.policyName === 'DAILY' || last) throw new HubSpotError(429, 'RATE_LIMITS', this.limitMessage(err), err.policyName ?? null);
				const interval = Number(res.headers['x-hubspot-ratelimit-interval-milliseconds']) || 10_000;
				const secondly = /secondly/i.test(err.message ?? '');
				await this.sleep(secondly ? 1000 : Math.min(interval, 1000 * 2 ** (attempt - 1)));
				continue;
			}
			if (!res || res.status >= 500) {
				if (last) throw lost instanceof Error ? new HubSpotError(0, 'CONNECTION', `HubSpot did not answer: ${lost.message}`) : new HubSpotError(res?.status ?? 0, err.category ?? 'INTERNAL_ERROR', err.message ?? `HubSpot answered ${res?.status}`);
				await this.sleep(200 * 2 ** (attempt - 1));
				continue;
			}
			throw new HubSpotError(res.status, err.category ?? 'ERROR', err.message ?? `HubSpot answered ${res.status}`);
		}
	}

	private limitMessage(err: HubSpotErrorBody): string {
		if (err.policyName === 'DAILY') return `HubSpot's daily API limit for this portal is used up (${this.remaining.daily ?? 0} calls left); writes go on after midnight in the portal's time zone, or raise the limit in HubSpot`;
		return `HubSpot kept answering 429 (${err.policyName ?? err.message ?? 'rate limit'}) after ${this.maxTries} tries; other integrations of the portal may use its limit`;
	}

	private readLimits(headers: Record<string, string>): void {
		const window = headers['x-hubspot-ratelimit-remaining'];
		const daily = headers['x-hubspot-ratelimit-daily-remaining'];
		const max = Number(headers['x-hubspot-ratelimit-max']);
		const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
		if (window !== undefined) this.remaining.window = Number(window);
		if (daily !== undefined) this.remaining.daily = Number(daily);
		if (max > 0 && interval > 0) this.window = { max, intervalMs: interval };
	}

	/**
	 * Waits, before a call, until HubSpot's rolling window has room, as its headers described it: our
	 * own calls of the window, and what the last answer said was left (other integrations of the portal
	 * use the same limit). Calls that still meet a 429 wait in `call`.
	 */
	private async pace(): Promise<void> {
		for (;;) {
			const w = this.window;
			const now = Date.now();
			if (!w) {
				this.sent.push(now);
				return;
			}
			// HubSpot counts a call when it arrives, up to a round trip after we sent it.
			const span = w.intervalMs + this.roundTripMs;
			while (this.sent.length && now - this.sent[0] >= span) this.sent.shift();
			const left = this.remaining.window;
			// What was left when the last answer was written does not yet count our calls still in flight.
			const allowed = Math.min(w.max, left === null ? w.max : this.sent.length + left - (this.concurrency - 1));
			// Taken in the same step as the check, so calls in flight together never share one slot.
			if (this.sent.length < allowed) {
				this.sent.push(now);
				if (left !== null) this.remaining.window = left - 1;
				return;
			}
			await this.sleep(this.sent.length ? Math.max(1, this.sent[0] + span - now) : Math.ceil(w.intervalMs / w.max));
			// What was left was read before the wait: after it, only our own calls count.
			this.remaining.window = null;
		}
	}

	/**
	 * Upserts records by their unique property, HUBSPOT_BATCH_SIZE a call; one result per input, in
	 * input order. A record HubSpot refuses (207 Multi-Status) gets its error; the others are written.
	 * A batch that fails as a whole (the daily limit, say) gives each of its records that error, and
	 * the batches after it are still tried.
	 */
	async batchUpsert(objectType: string, inputs: readonly UpsertInput[]): Promise<UpsertResult[]> {
		return await this.inChunks(inputs, HUBSPOT_BATCH_SIZE, async (chunk) => await this.upsertChunk(objectType, chunk));
	}

	/**
	 * `work` over the inputs in chunks of `size`, a few chunks in flight (HubSpot allows 100-190 calls
	 * per ten seconds, and a 429 waits per call); the results in input order.
	 */
	async inChunks<T, R>(inputs: readonly T[], size: number, work: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
		return await inChunks(inputs, size, this.concurrency, work);
	}

	/**
	 * One batch call (at most HUBSPOT_BATCH_SIZE inputs): HubSpot's results and per-record errors (200
	 * or 207), or the HubSpotError of a call refused as a whole.
	 */
	async batch(path: string, body: Record<string, unknown>): Promise<BatchAnswer | HubSpotError> {
		try {
			const res = await this.call('POST', path, body);
			const b = isObject(res.body) ? res.body : {};
			return { results: (Array.isArray(b.results) ? b.results : []) as HubSpotRecord[], errors: (Array.isArray(b.errors) ? b.errors : []) as BatchError[] };
		} catch (error) {
			return error instanceof HubSpotError ? error : new HubSpotError(0, 'ERROR', (error as Error).message);
		}
	}

	private async upsertChunk(objectType: string, chunk: readonly UpsertInput[]): Promise<UpsertResult[]> {
		try {
			const res = await this.call('POST', `/crm/v3/objects/${encodeURIComponent(objectType)}/batch/upsert`, { inputs: chunk.map(({ idProperty, id, properties }) => ({ idProperty, id, properties })) });
			const matched = matchResults(chunk, res.body);
			return matched.some((r) => r === null) ? await this.readBack(objectType, chunk, matched) : (matched as UpsertResult[]);
		} catch (error) {
			const e = error instanceof HubSpotError ? error : new HubSpotError(0, 'ERROR', (error as Error).message);
			return chunk.map(() => ({ ok: false, category: e.category, message: e.message }));
		}
	}

	/**
	 * Inputs HubSpot's answer neither returned nor refused: read back by their unique property (one
	 * call per property), so a record is reported written only when HubSpot has it.
	 */
	private async readBack(objectType: string, chunk: readonly UpsertInput[], matched: Array<UpsertResult | null>): Promise<UpsertResult[]> {
		const out = [...matched];
		const byProperty = new Map<string, number[]>();
		matched.forEach((r, i) => r === null && byProperty.set(chunk[i].idProperty, [...(byProperty.get(chunk[i].idProperty) ?? []), i]));
		for (const [idProperty, indexes] of byProperty) {
			const res = await this.call('POST', `/crm/v3/objects/${encodeURIComponent(objectType)}/batch/read`, { idProperty, inputs: indexes.map((i) => ({ id: chunk[i].id })), properties: [idProperty], propertiesWithHistory: [] });
			const body = isObject(res.body) ? res.body : {};
			const found = (Array.isArray(body.results) ? body.results : []) as Array<{ id: string; properties?: Record<string, unknown> }>;
			for (const i of indexes) {
				const paired = pairResult(found, chunk[i]);
				out[i] = paired?.ok ? { ...paired, isNew: false } : { ok: false, category: 'NOT_WRITTEN', message: 'HubSpot answered the batch without this record, and it is not in HubSpot' };
			}
		}
		return out as UpsertResult[];
	}

	/** Every record that matches, page by page (HUBSPOT_SEARCH_PAGE a call) until HubSpot has no next page. */
	async *search(objectType: string, filterGroups: Array<{ filters: SearchFilter[] }>, properties: string[], pageSize = HUBSPOT_SEARCH_PAGE): AsyncGenerator<HubSpotRecord[]> {
		let after: string | undefined;
		do {
			const res = await this.call('POST', `/crm/v3/objects/${encodeURIComponent(objectType)}/search`, { filterGroups, properties, limit: Math.min(pageSize, HUBSPOT_SEARCH_PAGE), after, sorts: [] });
			const body = isObject(res.body) ? res.body : {};
			yield (Array.isArray(body.results) ? body.results : []) as HubSpotRecord[];
			const paging = isObject(body.paging) && isObject(body.paging.next) ? body.paging.next : null;
			after = paging && typeof paging.after === 'string' ? paging.after : undefined;
		} while (after);
	}
}

/** The input's result when HubSpot's answer has it: its unique property's value matches (any case, as HubSpot compares e-mails). */
function pairResult(results: ReadonlyArray<{ id: string; new?: boolean; properties?: Record<string, unknown> }>, input: UpsertInput): UpsertResult | null {
	const want = input.id.toLowerCase();
	const r = results.find((x) => String(x.properties?.[input.idProperty] ?? '').toLowerCase() === want);
	return r ? { ok: true, id: String(r.id), isNew: r.new === true, properties: r.properties ?? {} } : null;
}

/**
 * Pairs HubSpot's results with the inputs by the unique property's value. An input without a result
 * gets the error that names it (its id or one of its properties in the error's context), else the one
 * error of the batch; null where nothing explains it (the caller reads it back).
 */
function matchResults(chunk: readonly UpsertInput[], body: unknown): Array<UpsertResult | null> {
	const b = isObject(body) ? body : {};
	const results = (Array.isArray(b.results) ? b.results : []) as Array<{ id: string; new?: boolean; properties?: Record<string, unknown> }>;
	const errors = (Array.isArray(b.errors) ? b.errors : []) as NonNullable<HubSpotErrorBody['errors']>;
	return chunk.map((input) => {
		const paired = pairResult(results, input);
		if (paired) return paired;
		const id = input.id.toLowerCase();
		const named = errors.find((e) => Object.entries(e.context ?? {}).some(([k, values]) => k !== 'propertyName' && values.some((x) => x.toLowerCase() === id)));
		const byProperty = errors.find((e) => (e.context?.propertyName ?? []).some((p) => p in input.properties));
		const e = named ?? byProperty ?? (errors.length === 1 && results.length === chunk.length - 1 ? errors[0] : undefined);
		return e ? { ok: false, category: e.category ?? 'ERROR', message: e.message ?? 'HubSpot refused the record' } : null;
	});
}
