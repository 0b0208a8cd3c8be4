import type { HttpSend } from '../../nodes/shared/domain/crm/hubspot/api';

/** The adapters' HTTP call over fetch, for tests and benchmarks (a node hands in n8n's request helper). */
export const fetchSend: HttpSend = async (request) => {
	const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: kept as text
	}
	const headers: Record<string, string> = {};
	res.headers.forEach((value, name) => (headers[name] = value));
	return { status: res.status, headers, body };
};
