// The CRM's figures: lead-to-account matching in process (100,000 leads against 100,000 accounts),
// then 100,000 upserts into a real PostgreSQL the bench starts (new records, then repeat submissions
// that merge), in batches of 500 as the RevOps CRM node writes them, with the statements they took.
// REVOPS_BENCH_DATA_TABLES=1 also runs the n8n Data Tables backend against a real n8n 2.41.1 (slow:
// its public API takes one call per updated record). Prints figures; asserts nothing.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { mulberry } = require('./support');
const { performance } = require('node:perf_hooks');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain', 'crm');
const COUNT = Number(process.env.REVOPS_BENCH_CRM_COUNT || 100_000);
const BATCH = 500;


function leadRequests(count, round) {
	const rule = { kind: 'rule', name: 'bench' };
	return Array.from({ length: count }, (_, i) => ({
		object: 'lead',
		key: `lead-${i}`,
		fields: { dedupeKey: `lead-${i}`, email: `p${i}@company-${i % 40_000}.com`, status: 'new', leadSource: round ? 'linkedin' : 'google', lastTouchAt: new Date(Date.UTC(2026, 10, 1 + round)).toISOString(), message: `message ${round}` },
		writer: rule,
		repeatCounts: true,
	}));
}

async function upsertAll(store, requests, upsertMany) {
	const before = store.calls;
	const started = performance.now();
	const actions = {};
	for (let i = 0; i < requests.length; i += BATCH) {
		for (const o of await upsertMany(store, requests.slice(i, i + BATCH))) actions[o.action] = (actions[o.action] || 0) + 1;
	}
	const ms = performance.now() - started;
	return { ms, calls: store.calls - before, actions };
}

const line = (label, n, r) =>
	`${label}: ${n} in ${(r.ms / 1000).toFixed(1)} s = ${Math.round((n / r.ms) * 1000)} records/s, ${r.calls} statements or calls (${(r.calls / n).toFixed(3)} per record), ${JSON.stringify(r.actions)}`;

async function run() {
	const { AccountIndex } = require(path.join(DIST, 'matching'));
	const { upsertMany } = require(path.join(DIST, 'upsert'));
	const { PostgresStore } = require(path.join(DIST, 'postgres-store'));
	const lines = [];

	// Matching: 100,000 accounts (a third with an alias), 100,000 leads: 60% from known companies,
	// 20% free-mail, 20% unknown companies.
	const random = mulberry(7);
	const accounts = Array.from({ length: COUNT }, (_, i) => ({ domain: `account-${i}.com`, domains: i % 3 === 0 ? [`account-${i}.de`] : [], tier: ['T1', 'T2', 'T3'][i % 3] }));
	const leads = Array.from({ length: COUNT }, (_, i) => {
		const r = random();
		const n = Math.floor(random() * COUNT);
		return { email: r < 0.5 ? `x${i}@account-${n}.com` : r < 0.6 ? `x${i}@account-${n - (n % 3)}.de` : r < 0.8 ? `x${i}@gmail.com` : `x${i}@unknown-${i}.io` };
	});
	new AccountIndex(accounts.slice(0, 1000)).match(leads[0]);
	let started = performance.now();
	const index = new AccountIndex(accounts);
	const built = performance.now() - started;
	started = performance.now();
	let matched = 0;
	for (const lead of leads) if (index.match(lead)) matched++;
	const matchedMs = performance.now() - started;
	lines.push(`matching: index of ${COUNT} accounts built in ${built.toFixed(0)} ms; ${COUNT} leads matched in ${matchedMs.toFixed(0)} ms (${matched} matched); total ${(built + matchedMs).toFixed(0)} ms`);

	// PostgreSQL: a throwaway cluster, as the tests use.
	const { Postgres } = require('../harness/postgres');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-pg-'));
	const pg = new Postgres(dir);
	await pg.start();
	pg.createDatabase('bench');
	const store = new PostgresStore({ host: '127.0.0.1', port: pg.port, database: 'bench', user: 'postgres', schema: 'bench' });
	try {
		await store.ensureSchema();
		lines.push(line('postgres, new leads', COUNT, await upsertAll(store, leadRequests(COUNT, 0), upsertMany)));
		lines.push(line('postgres, repeat submissions (merge)', COUNT, await upsertAll(store, leadRequests(COUNT, 1), upsertMany)));
		lines.push(line('postgres, same items again (idempotent)', COUNT, await upsertAll(store, leadRequests(COUNT, 1), upsertMany)));
		lines.push(`postgres: ${pg.queryValue('bench', 'SELECT count(*) FROM bench.revops_record')} records, ${pg.queryValue('bench', 'SELECT count(*) FROM bench.revops_history')} history rows, ${pg.queryValue('bench', "SELECT pg_size_pretty(pg_database_size('bench'))")}`);
	} finally {
		await store.close();
		pg.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}

	if (process.env.REVOPS_BENCH_DATA_TABLES === '1') lines.push(...(await dataTables(upsertMany)));
	else lines.push('data tables: skipped (REVOPS_BENCH_DATA_TABLES=1 runs it against a real n8n 2.41.1)');
	return lines;
}

async function dataTables(upsertMany) {
	const { DataTableStore } = require(path.join(DIST, 'data-table-store'));
	const { ensureN8n, ensureNode24, LATEST_N8N } = require('../harness/runtime');
	const { N8nServer } = require('../harness/server');
	ensureNode24();
	ensureN8n(LATEST_N8N);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-n8n-'));
	const server = new N8nServer({ version: LATEST_N8N, port: 5890, userFolder });
	await server.start();
	try {
		await server.signIn();
		const apiKey = await server.createApiKey('bench');
		const base = `${server.baseUrl}/api/v1`;
		const http = async (request) => {
			const url = new URL(`${base}${request.path}`);
			for (const [k, v] of Object.entries(request.qs || {})) url.searchParams.set(k, String(v));
			const res = await fetch(url, { method: request.method, headers: { 'X-N8N-API-KEY': apiKey, 'content-type': 'application/json' }, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
			const text = await res.text();
			if (!res.ok) throw new Error(`${request.method} ${request.path} -> ${res.status}: ${text.slice(0, 200)}`);
			return text ? JSON.parse(text) : null;
		};
		const store = new DataTableStore(http, 'bench', base);
		await store.ensureSchema();
		const n = Number(process.env.REVOPS_BENCH_DATA_TABLES_COUNT || 10_000);
		return [
			line('data tables, new leads', n, await upsertAll(store, leadRequests(n, 0), upsertMany)),
			line('data tables, repeat submissions (merge)', n, await upsertAll(store, leadRequests(n, 1), upsertMany)),
		];
	} finally {
		await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
