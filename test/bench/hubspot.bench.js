// HubSpot upserts as the CRM adapter makes them: 10,000 contacts (BENCH_HUBSPOT_RECORDS) written to the
// HubSpot stand-in with 100 ms latency per request, new and then again (all updates); the calls made
// against the target of one call per 100 records, 429s, and wall time. Then the same with a rate
// limit that forces waits (10 calls per rolling second), as another integration sharing the portal
// would. Prints figures; asserts nothing.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { HubSpotServer } = require('../vendors/hubspot/server');
const { fetchSend: send } = require('../vendors/fetch-send');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain', 'crm', 'hubspot', 'api');

async function pass(server, HubSpotApi, inputs, label) {
	const api = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: server.token, send, maxTries: 20 });
	const started = performance.now();
	const out = await api.batchUpsert('contacts', inputs);
	const ms = performance.now() - started;
	const written = out.filter((r) => r.ok).length;
	return `${label}: ${inputs.length.toLocaleString('en-US')} records, ${written.toLocaleString('en-US')} written, ${api.calls} calls (${(api.calls / (inputs.length / 100)).toFixed(2)} per 100 records; target at most 1), ${api.throttled} answered 429, ${(ms / 1000).toFixed(1)} s`;
}

async function run() {
	const count = Number(process.env.BENCH_HUBSPOT_RECORDS || 10_000);
	const { HubSpotApi } = require(DIST);
	const inputs = Array.from({ length: count }, (_, i) => ({ idProperty: 'email', id: `lead${i}@bench-hubspot.example`, properties: { firstname: `Lead ${i}`, lastname: 'Bench', country: i % 2 ? 'DE' : 'US' } }));
	const lines = [];
	const server = new HubSpotServer({ token: 'pat-bench', latencyMs: 100 });
	await server.start();
	try {
		lines.push(await pass(server, HubSpotApi, inputs, 'HubSpot stand-in at 100 ms a request, new contacts'));
		lines.push(await pass(server, HubSpotApi, inputs.map((c) => ({ ...c, properties: { ...c.properties, lastname: 'Again' } })), 'the same contacts again (updates)'));
		server.reset();
		Object.assign(server, { tenSecondlyMax: 10, windowMs: 1000 });
		lines.push(await pass(server, HubSpotApi, inputs, 'new contacts with 10 calls per rolling second allowed'));
	} finally {
		await server.stop();
	}
	return lines;
}

module.exports = { run };
