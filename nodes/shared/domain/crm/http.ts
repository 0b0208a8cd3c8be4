/**
 * What the vendor CRM adapters (HubSpot, Salesforce) need of HTTP, handed in by the caller: n8n's
 * request helper in a node, fetch in tests. No n8n import, so the adapters run in the unit tests
 * against the vendors' stand-ins.
 */

export interface HttpRequest {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	url: string;
	headers: Record<string, string>;
	/** Sent as JSON. */
	body?: unknown;
	/** Sent as application/x-www-form-urlencoded instead of `body` (OAuth token requests). */
	form?: Record<string, string>;
}

export interface HttpResponse {
	status: number;
	/** Lower-case header names. */
	headers: Record<string, string>;
	body: unknown;
}

/** Sends one request; rejects only when no answer came (connection refused or dropped, timeout). */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * `work` over the inputs in chunks of `size`, `concurrency` chunks in flight; the results in input
 * order (each chunk answers one result per input).
 */
export async function inChunks<T, R>(inputs: readonly T[], size: number, concurrency: number, work: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
	const out: R[] = new Array(inputs.length);
	const starts: number[] = [];
	for (let start = 0; start < inputs.length; start += size) starts.push(start);
	let next = 0;
	const worker = async () => {
		while (next < starts.length) {
			const start = starts[next++];
			const results = await work(inputs.slice(start, start + size));
			results.forEach((r, i) => (out[start + i] = r));
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), starts.length) }, worker));
	return out;
}
