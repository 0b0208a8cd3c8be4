// Salesforce writes as the CRM adapter makes them: 10,000 leads (BENCH_SALESFORCE_RECORDS) through the
// CRM node's write path (SalesforceStore under the upsert engine) to the Salesforce stand-in with 100 ms
// latency per request, new and then again (conditional updates, each with its change lock in the same
// composite graph); the calls made against the target of one write call per 200 records, and wall
// time. Then the same leads with one record in 50 refused by Salesforce (its graph rolled back and the
// rest sent again): what the refusals cost in calls. Prints figures; asserts nothing.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { SalesforceServer } = require('../vendors/salesforce/server');
const { fetchSend: send } = require('../vendors/fetch-send');

const CRM = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain', 'crm');

async function storePass(server, store, writeRecords, count, message, label, bad = () => false) {
	const before = server.log.length;
	const started = performance.now();
	const inputs = Array.from({ length: count }, (_, i) => ({ fields: { dedupeKey: `email:lead${i}@bench-sf.example`, email: bad(i) ? `lead${i} at bench-sf.example` : `lead${i}@bench-sf.example`, firstName: `Lead ${i}`, message }, settings: { writer: { kind: 'rule', name: 'bench' } } }));
	const out = [];
	for (let start = 0; start < inputs.length; start += 500) out.push(...(await writeRecords(store, 'lead', inputs.slice(start, start + 500), { matchAccounts: false, logSubmissions: false })));
	const ms = performance.now() - started;
	const log = server.log.slice(before);
	const reads = log.filter((l) => l.path.includes('/query')).length;
	const graphs = log.filter((l) => l.path.endsWith('/composite/graph')).length;
	const actions = {};
	for (const r of out) {
		const a = r instanceof Error ? 'error' : r.outcome.action;
		actions[a] = (actions[a] ?? 0) + 1;
	}
	return `${label}: ${count.toLocaleString('en-US')} leads ${JSON.stringify(actions)}, ${log.length} calls (${reads} SOQL reads + ${graphs} composite graph writes + ${log.length - reads - graphs} other; ${(graphs / (count / 200)).toFixed(2)} write calls per 200 records, target at most 1), ${(ms / 1000).toFixed(1)} s`;
}

async function run() {
	const count = Number(process.env.BENCH_SALESFORCE_RECORDS || 10_000);
	const { SalesforceApi } = require(path.join(CRM, 'salesforce', 'api'));
	const { SalesforceStore } = require(path.join(CRM, 'salesforce', 'store'));
	const { neededFields } = require(path.join(CRM, 'salesforce', 'schema'));
	const { writeRecords } = require(path.join(CRM, 'service'));
	const client = { clientId: '3MVG9-bench', clientSecret: 'bench-secret' };
	const server = new SalesforceServer({ ...client, latencyMs: 100, dailyLimit: 1_000_000 });
	await server.start();
	const lines = [];
	try {
		server.provision(neededFields());
		const storeOf = () => new SalesforceStore({ api: new SalesforceApi({ instanceUrl: server.baseUrl, auth: { flow: 'clientCredentials', ...client }, send }) });
		const store = storeOf();
		await store.ensureSchema();
		lines.push(`Salesforce stand-in at 100 ms a request: the setup check read ${server.log.length} describes (once per org and process)`);
		lines.push(await storePass(server, store, writeRecords, count, 'first message', 'CRM path on Salesforce, new leads'));
		lines.push(await storePass(server, store, writeRecords, count, 'second message', 'the same leads again (conditional updates)'));
		server.reset();
		server.provision(neededFields());
		lines.push(await storePass(server, storeOf(), writeRecords, count, 'first message', 'new leads, one in 50 with an e-mail Salesforce refuses', (i) => i % 50 === 7));
	} finally {
		await server.stop();
	}
	return lines;
}

module.exports = { run };
