// HubSpot upserts as the CRM adapter makes them: 10,000 contacts (BENCH_HUBSPOT_RECORDS) written to the
// HubSpot stand-in with 100 ms latency per request, new and then again (all updates); the calls made
// against the target of one call per 100 records, 429s, and wall time. Then the same with a rate
// limit that forces waits (10 calls per rolling second), as another integration sharing the portal
// would. Then the whole CRM path (HubSpotStore under the upsert engine, as the CRM node writes leads):
// a read of the records by key and a conditional create or update, per 100. Prints figures; asserts nothing.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { HubSpotServer } = require('../vendors/hubspot/server');
const { fetchSend: send } = require('../vendors/fetch-send');

const CRM = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain', 'crm');
const DIST = path.join(CRM, 'hubspot', 'api');

/** Leads through the CRM node's write path on the HubSpot backend: what the calls were, per 100 records. */
async function storePass(server, store, writeRecords, count, message, label) {
	const before = server.log.length;
	const started = performance.now();
	const inputs = Array.from({ length: count }, (_, i) => ({ fields: { dedupeKey: `email:lead${i}@bench-store.example`, email: `lead${i}@bench-store.example`, firstName: `Lead ${i}`, message }, settings: { writer: { kind: 'rule', name: 'bench' } } }));
	// In batches of 500, as the CRM node hands items to the store.
	const out = [];
	for (let start = 0; start < inputs.length; start += 500) out.push(...(await writeRecords(store, 'lead', inputs.slice(start, start + 500), { matchAccounts: false, logSubmissions: false })));
	const ms = performance.now() - started;
	const log = server.log.slice(before);
	const reads = log.filter((l) => l.path.endsWith('/batch/read')).length;
	const writes = log.length - reads;
	const actions = {};
	for (const r of out) {
		const a = r instanceof Error ? 'error' : r.outcome.action;
		actions[a] = (actions[a] ?? 0) + 1;
	}
	return `${label}: ${count.toLocaleString('en-US')} leads ${JSON.stringify(actions)}, ${log.length} calls (${reads} reads by key + ${writes} writes; ${(writes / (count / 100)).toFixed(2)} writes and ${(log.length / (count / 100)).toFixed(2)} calls per 100 records), ${log.filter((l) => l.status === 429).length} answered 429, ${(ms / 1000).toFixed(1)} s`;
}

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
		server.reset();
		Object.assign(server, { tenSecondlyMax: 190, windowMs: 10_000 });
		const { HubSpotStore } = require(path.join(CRM, 'hubspot', 'store'));
		const { writeRecords } = require(path.join(CRM, 'service'));
		const store = new HubSpotStore({ api: new HubSpotApi({ baseUrl: server.baseUrl, accessToken: server.token, send, maxTries: 20 }) });
		const setup = performance.now();
		await store.ensureSchema();
		lines.push(`CRM path on HubSpot (HubSpotStore, merge rules kept): the first run's property check created ${server.log.filter((l) => l.method === 'POST' && l.path.startsWith('/crm/v3/properties/')).length} properties and groups in ${((performance.now() - setup) / 1000).toFixed(1)} s (once per portal)`);
		lines.push(await storePass(server, store, writeRecords, inputs.length, 'first message', 'CRM path, new leads'));
		lines.push(await storePass(server, store, writeRecords, inputs.length, 'second message', 'CRM path, the same leads again (conditional updates)'));
	} finally {
		await server.stop();
	}
	return lines;
}

module.exports = { run };
