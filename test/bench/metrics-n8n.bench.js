// The KPIs of a whole CRM in a real n8n 2.41.1 execution: 1,000,000 opportunities and 5,000,000 stage
// changes in the CRM node's PostgreSQL store (the deals of metrics.bench.js, written by SQL with the
// same formulas), read by RevOps Metrics with Records From "The Company's CRM Store", grouped by owner.
// Beside it, in the same run (after n8n has stopped): the same store read and the same KPIs in process
// (no n8n), and the figures of both compared. Prints figures; asserts nothing. BENCH_DEALS sets the number of deals.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { LATEST_N8N, ensureN8n, ensureNode24 } = require('../harness/runtime');
const { REPO_DIR, installTarball, packTarball } = require('../harness/package');
const { Postgres } = require('../harness/postgres');
const { N8nServer } = require('../harness/server');
const { STAGES, CANON, OUTCOMES, CATEGORIES, generate } = require('./metrics.bench');

const N = Number(process.env.BENCH_DEALS ?? 1_000_000);
const RUNS = 3;
const DIST = path.join(REPO_DIR, 'dist', 'nodes');
const SCHEMA = 'bench';
const arr = (values) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;
const iso = (ts) => `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The deals of metrics.bench.js's generate(), field for field, as SQL over generate_series. */
function loadSql(n) {
	const opened = `(timestamptz '2026-01-01 00:00:00+00' + ((i * 7919) % 330) * interval '1 day')`;
	const depth = '(3 + i % 5)';
	return `
INSERT INTO ${SCHEMA}.revops_record (id, object, match_key, fields, revision, created_at, updated_at)
SELECT gen_random_uuid(), 'opportunity', 'opp-' || i, jsonb_build_object(
	'externalId', 'opp-' || i,
	'owner', 'rep' || (i % 50),
	'outcome', (${arr(OUTCOMES)})[(i % 4 + 1)::int],
	'openedAt', ${iso(opened)},
	'closedAt', CASE WHEN i % 4 = 0 THEN NULL ELSE ${iso(`${opened} + (20 + i % 60) * interval '1 day'`)} END,
	'closeDate', to_char((${opened} + (30 + i % 90) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
	'amount', CASE WHEN i % 23 = 0 THEN NULL ELSE 1000 + (i % 97) * 500 END,
	'currency', CASE WHEN i % 31 = 0 THEN 'EUR' ELSE 'USD' END,
	'stage', (${arr(CANON)})[least(${depth}, 5)::int],
	'crmStage', (${arr(STAGES)})[least(${depth}, 5)::int],
	'forecastCategory', (${arr(CATEGORIES)})[(i % 4 + 1)::int]
), 1, now(), now()
FROM generate_series(0::bigint, ${n - 1}) AS i;
INSERT INTO ${SCHEMA}.revops_history (object, record_id, field, before, after, change, writer, at)
SELECT 'opportunity', r.id, 'crmStage', NULL, to_jsonb((${arr(STAGES)})[(CASE WHEN k < 5 THEN k ELSE 7 - k END + 1)::int]), 'created', 'rule:bench',
	${opened.replace(/\bi\b/g, 'r.i')} + k * 6 * interval '1 day'
FROM (SELECT id, substr(match_key, 5)::bigint AS i FROM ${SCHEMA}.revops_record WHERE object = 'opportunity') AS r,
	generate_series(0, 2 + r.i % 5) AS k;
ANALYZE ${SCHEMA}.revops_record; ANALYZE ${SCHEMA}.revops_history;`;
}

function workflow(config) {
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({ id: `bench-metrics-${name}`.replace(/\W/g, '-'), name, type, typeVersion, position, parameters, ...extra });
	return {
		id: 'RvOpsBenchMetric',
		name: 'Bench: KPIs of the whole CRM',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ ...node('Start', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'bench-metrics', responseMode: 'onReceived', options: {} }), webhookId: 'bench-metrics-hook' },
			node('Company Config', 'n8n-nodes-revops.companyConfig', 1, [220, 0], { source: 'here', config: JSON.stringify(config) }),
			node(
				'KPIs',
				'n8n-nodes-revops.revOpsMetrics',
				1,
				[440, 0],
				{ operation: 'kpis', recordsFrom: 'crm', period: 'custom', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', groupBy: 'owner', quota: 5_000_000, options: { asOf: '2026-11-02T00:00:00Z' } },
				{ credentials: { revOpsPostgresApi: { id: 'RvOpsBenchPg0001', name: 'Bench PostgreSQL' } } },
			),
		],
		connections: {
			Start: { main: [[{ node: 'Company Config', type: 'main', index: 0 }]] },
			'Company Config': { main: [[{ node: 'KPIs', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * The figures two reads must share: the company's figures and stages. Read order differs (the store
 * reads by record id), so the excluded examples (the first deals read) are left out and keys sorted.
 */
const headline = (m) =>
	JSON.stringify({ current: m.current.figures, previous: m.previous.figures, stages: m.current.stages }, (key, value) =>
		key === 'examples' ? undefined : value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value,
	);

async function inProcess(pg, config, settings) {
	const { PostgresStore } = require(path.join(DIST, 'shared', 'domain', 'crm', 'postgres-store.js'));
	const { readCrm } = require(path.join(DIST, 'RevOpsMetrics', 'v1', 'records.js'));
	const { groupedMetrics } = require(path.join(DIST, 'shared', 'domain', 'metrics', 'kpis.js'));
	const store = new PostgresStore({ host: '127.0.0.1', port: pg.port, database: 'bench', user: 'postgres', schema: SCHEMA });
	try {
		const t0 = performance.now();
		const crm = await readCrm(store, 'crmStage', 'owner');
		const t1 = performance.now();
		const groups = groupedMetrics(crm.deals, settings.periods, { ...settings.options, stageProbabilities: config.stageProbabilities ?? {} }, true, { activity: { leads: [], activities: [], given: { leads: false, activities: false } }, accounts: [], accountsGiven: false, asOf: settings.asOf });
		const t2 = performance.now();
		return { readMs: t1 - t0, kpiMs: t2 - t1, calls: store.calls, deals: crm.deals.n, changes: crm.deals.histAt.length, groups };
	} finally {
		await store.close();
	}
}

async function run() {
	const lines = [];
	ensureNode24();
	ensureN8n(LATEST_N8N);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-metrics-'));
	// Its own folder: initdb runs as the postgres user, who cannot enter the private n8n folder.
	const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-metrics-pg-'));
	const pg = new Postgres(pgDir);
	await pg.start();
	let server = null;
	try {
		pg.createDatabase('bench');
		const config = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'workflows', 'companies', 'acme-saas-us.json'), 'utf8'));
		config.crm = { backend: 'postgres', schema: SCHEMA };
		const { PostgresStore } = require(path.join(DIST, 'shared', 'domain', 'crm', 'postgres-store.js'));
		const schemaStore = new PostgresStore({ host: '127.0.0.1', port: pg.port, database: 'bench', user: 'postgres', schema: SCHEMA });
		await schemaStore.ensureSchema();
		await schemaStore.close();
		const tLoad = performance.now();
		pg.queryValue('bench', loadSql(N));
		const size = pg.queryValue('bench', "SELECT pg_size_pretty(pg_database_size('bench'))");
		const history = Number(pg.queryValue('bench', `SELECT count(*) FROM ${SCHEMA}.revops_history`));
		lines.push(`store: ${N.toLocaleString('en-US')} opportunities and ${history.toLocaleString('en-US')} stage changes written by SQL in ${((performance.now() - tLoad) / 1000).toFixed(0)} s (${size})`);

		// In n8n: the workflow on a freshly started n8n, RUNS executions; the node's time from n8n's run data.
		const userFolder = path.join(dir, 'n8n');
		fs.mkdirSync(userFolder);
		installTarball(userFolder, packTarball(path.join(userFolder, 'pack')));
		server = new N8nServer({ version: LATEST_N8N, port: 5791, userFolder, env: { NODE_OPTIONS: '--max-old-space-size=4096' } });
		const credentials = path.join(dir, 'credentials.json');
		fs.writeFileSync(credentials, JSON.stringify([{ id: 'RvOpsBenchPg0001', name: 'Bench PostgreSQL', type: 'revOpsPostgresApi', data: { host: '127.0.0.1', port: pg.port, database: 'bench', user: 'postgres', password: '', ssl: false } }]));
		server.importCredentials(credentials);
		const file = path.join(dir, 'workflow.json');
		fs.writeFileSync(file, JSON.stringify(workflow(config)));
		server.importWorkflow(file);
		server.activate('RvOpsBenchMetric');
		await server.start();
		await server.signIn();
		const nodeMs = [];
		const wall = [];
		let n8nAll = null;
		let n8nGroups = 0;
		let stageOrder = null;
		for (let r = 0; r < RUNS; r++) {
			const before = (await server.executions('RvOpsBenchMetric')).length;
			await (await server.fetchWhenRegistered('/webhook/bench-metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
			const execution = await server.waitForExecution('RvOpsBenchMetric', before, { timeoutMs: 900_000 });
			if (execution.status !== 'success') {
				lines.push(`n8n run ${r + 1}: ${execution.status}`);
				continue;
			}
			const runData = await server.executionRunData(execution.id);
			nodeMs.push(runData.KPIs[0].executionTime);
			wall.push(new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime());
			const out = runData.KPIs[0].data.main[0];
			n8nAll = out.find((item) => item.json.metrics.group === 'all').json.metrics;
			n8nGroups = out.length;
			stageOrder = n8nAll.current.stages.map((st) => st.stage);
		}
		lines.push(`n8n ${LATEST_N8N}, RevOps Metrics reading the whole CRM store: node ${nodeMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}; whole execution ${wall.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (${RUNS} runs)`);
		await server.stop();
		server = null;
		// In process: the same read (RevOps Metrics' readCrm over the PostgreSQL store) and the same KPIs, no n8n.
		const settings = {
			// A custom period: the previous and next ones of the same length on either side, as the node sets them.
			periods: {
				previous: { from: Date.parse('2026-08-31T00:00:00Z'), to: Date.parse('2026-10-01T00:00:00Z') },
				current: { from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z') },
				next: { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-02T00:00:00Z') },
			},
			// The funnel as the node read it from Acme's stage map (its stages, closed ones left out).
			options: { currency: config.company.currency, quota: 5_000_000, stageOrder: stageOrder ?? STAGES, funnelField: 'crmStage' },
			asOf: Date.parse('2026-11-02T00:00:00Z'),
		};
		const local = await inProcess(pg, config, settings);
		const same = n8nAll ? (headline(n8nAll) === headline(local.groups[0]) ? `equal (${n8nGroups} groups; win rate ${n8nAll.current.figures.winRate.value}, bookings ${n8nAll.current.figures.bookings.value.toLocaleString('en-US')})` : 'DIFFERENT') : 'no n8n run to compare';
		lines.push(
			`in process (no n8n): read ${local.deals.toLocaleString('en-US')} deals and ${local.changes.toLocaleString('en-US')} changes from PostgreSQL in ${(local.readMs / 1000).toFixed(1)} s (${local.calls} statements) + KPIs ${local.kpiMs.toFixed(0)} ms for ${local.groups.length} groups`,
		);

		lines.push(`  figures in n8n vs in process (company-wide, period and previous, stages): ${same}`);
		// The SQL above must have written the deals metrics.bench.js generates: the same figures from them.
		const { readDealTable } = require(path.join(DIST, 'shared', 'domain', 'metrics', 'table.js'));
		const { groupedMetrics } = require(path.join(DIST, 'shared', 'domain', 'metrics', 'kpis.js'));
		const [generated] = groupedMetrics(readDealTable(generate(N).records, 'owner'), settings.periods, { ...settings.options, stageProbabilities: config.stageProbabilities ?? {} }, true, { activity: { leads: [], activities: [], given: { leads: false, activities: false } }, accounts: [], accountsGiven: false, asOf: settings.asOf });
		lines.push(`  figures from the store vs from metrics.bench.js's generated records: ${headline(generated) === headline(local.groups[0]) ? 'equal' : 'DIFFERENT'}`);
		if (nodeMs.length) lines.push(`  ratio (n8n node / in process read + KPIs): ${(Math.min(...nodeMs) / (local.readMs + local.kpiMs)).toFixed(2)}x`);
	} finally {
		if (server) await server.stop();
		pg.stop();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(pgDir, { recursive: true, force: true });
	}
	return lines;
}

module.exports = { run };
