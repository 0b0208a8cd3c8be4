// The adapters' HTTP call over fetch, for tests and benchmarks (a node hands in n8n's request helper).
'use strict';

/** @type {import('../../nodes/shared/domain/crm/hubspot/api').HttpSend} */
async function fetchSend(request) {
	const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
	const text = await res.text();
	/** @type {unknown} */
	let body = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: kept as text
	}
	/** @type {Record<string, string>} */
	const headers = {};
	res.headers.forEach((value, name) => (headers[name] = value));
	return { status: res.status, headers, body };
}

module.exports = { fetchSend };
