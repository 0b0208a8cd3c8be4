// The adapters' HTTP call over fetch, for tests and benchmarks (a node hands in n8n's request helper).
'use strict';

/** @type {import('../../nodes/shared/domain/crm/http').HttpSend} */
async function fetchSend(request) {
	const body_ = request.form ? new URLSearchParams(request.form).toString() : request.body === undefined ? undefined : JSON.stringify(request.body);
	const headers_ = request.form ? { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' } : request.headers;
	const res = await fetch(request.url, { method: request.method, headers: headers_, body: body_ });
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
