// All the RevOps Metrics KPIs over 1,000,000 opportunities with 5,000,000 stage changes, in process
// (target: under 2 s), as the node runs them: records read into a columnar table, then the figures of the
// period and the one before it, for the company and per owner (50 owners). Generated with the
// company's own stages, amounts in two currencies, a share without amounts or dates. Prints figures;
// asserts nothing. BENCH_DEALS sets the number of opportunities.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain');
const N = Number(process.env.BENCH_DEALS ?? 1_000_000);
const DAY = 86_400_000;

// The generated pipeline, one formula per field of deal i (test/bench/metrics-n8n.bench.js writes the
// same deals into PostgreSQL with the same formulas in SQL).
const STAGES = ['Discovery', 'Demo Scheduled', 'Proposal Sent', 'Negotiation', 'Onboarding'];
const CANON = ['pipeline_progression', 'pipeline_progression', 'pipeline_progression', 'close_onboard', 'close_onboard'];
const OUTCOMES = ['open', 'won', 'lost', 'lost'];
const CATEGORIES = ['pipeline', 'best_case', 'commit', 'omitted'];
const START = Date.parse('2026-01-01T00:00:00Z');

function generate(n) {
	const records = new Array(n);
	let changes = 0;
	for (let i = 0; i < n; i++) {
		const openedAt = START + ((i * 7919) % 330) * DAY;
		const outcome = OUTCOMES[i % 4];
		const depth = 3 + (i % 5);
		const history = new Array(depth);
		// Up to seven changes: a deal may go back a stage and forward again.
		for (let k = 0; k < depth; k++) history[k] = { to: STAGES[k < 5 ? k : 7 - k], at: new Date(openedAt + k * 6 * DAY).toISOString() };
		changes += depth;
		records[i] = {
			externalId: `opp-${i}`,
			owner: `rep${i % 50}`,
			outcome,
			openedAt: new Date(openedAt).toISOString(),
			closedAt: outcome === 'open' ? null : new Date(openedAt + (20 + (i % 60)) * DAY).toISOString(),
			closeDate: new Date(openedAt + (30 + (i % 90)) * DAY).toISOString().slice(0, 10),
			amount: i % 23 === 0 ? null : 1000 + (i % 97) * 500,
			currency: i % 31 === 0 ? 'EUR' : 'USD',
			stage: CANON[Math.min(depth, 5) - 1],
			crmStage: STAGES[Math.min(depth, 5) - 1],
			forecastCategory: CATEGORIES[i % 4],
			stageHistory: history,
		};
	}
	return { records, changes };
}

/** The bench's periods (October 2026 and the months around it) and KPI options. */
const PERIODS = {
	previous: { from: Date.parse('2026-09-01T00:00:00Z'), to: Date.parse('2026-10-01T00:00:00Z') },
	current: { from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z') },
	next: { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') },
};
const OPTIONS = { currency: 'USD', quota: 5_000_000, stageProbabilities: { pipeline_progression: 0.3, close_onboard: 0.7 }, stageOrder: STAGES, funnelField: 'crmStage' };

async function run() {
	const { readDealTable, dealAt } = require(path.join(DIST, 'metrics', 'table.js'));
	const { groupedMetrics } = require(path.join(DIST, 'metrics', 'kpis.js'));
	const { dealWarnings, readDealSignals, stageStayP75 } = require(path.join(DIST, 'metrics', 'warnings.js'));
	const { CHART_KINDS, renderChart } = require(path.join(DIST, 'metrics', 'report', 'charts.js'));
	const { records, changes } = generate(N);
	const periods = PERIODS;
	const options = OPTIONS;
	const lines = [];
	const passes = [];
	for (let pass = 0; pass < 3; pass++) {
		const t0 = performance.now();
		const deals = readDealTable(records, 'owner');
		const t1 = performance.now();
		const groups = groupedMetrics(deals, periods, options, true);
		const t2 = performance.now();
		passes.push(`${(t1 - t0).toFixed(0)} + ${(t2 - t1).toFixed(0)} = ${(t2 - t0).toFixed(0)} ms`);
		if (pass === 2) {
			const all = groups[0].current.figures;
			lines.push(`metrics: ${N.toLocaleString('en-US')} opportunities, ${changes.toLocaleString('en-US')} stage changes, ${groups.length} groups (all + 50 owners), period and previous period, read + KPIs: ${passes.join(', ')} (passes 1-3; target 2,000 ms)`);
			lines.push('  (each read allocates about 120 MB of columns, which starts a full garbage collection of the 750 MB of input records: 0.4-0.7 s of the read under node --trace-gc)');
			lines.push(`  check: win rate ${all.winRate.value} over ${all.winRate.count.toLocaleString('en-US')} closed deals, pipeline ${Math.round(all.pipeline.value).toLocaleString('en-US')} USD from ${all.pipeline.count.toLocaleString('en-US')} deals (${all.pipeline.excluded.total.toLocaleString('en-US')} left out)`);
			// Side by side in the same pass: what the anomalies and the trend (4 trailing periods) add.
			const trailing = [0, 1, 2, 3].map((k) => ({ from: Date.parse(`2026-0${8 - k}-01T00:00:00Z`), to: Date.parse(`2026-0${9 - k}-01T00:00:00Z`) }));
			const t3 = performance.now();
			const withAnomalies = groupedMetrics(deals, periods, options, true, undefined, { minCoverage: 3, maxCoverage: 5, creationDropShare: 0.7 }, trailing);
			const t4 = performance.now();
			lines.push(`  with anomalies and a 5-period trend per group: KPIs ${(t4 - t3).toFixed(0)} ms (${((t4 - t3) / (t2 - t1)).toFixed(2)}x the KPIs alone); ${withAnomalies.reduce((n, g) => n + g.anomalies.length, 0)} anomalies`);
			// Deal warnings over every deal (p75 of stage stays learnt from all of them).
			const rules = { stalledDays: 14, closeDatePushes: 2, minStaysForP75: 5, lateStages: new Set(['Negotiation', 'Onboarding']), manager: 'manager@example.test' };
			const asOf = periods.current.to;
			const t5 = performance.now();
			const objects = Array.from({ length: deals.n }, (_, i) => dealAt(deals, i));
			const p75 = stageStayP75(objects, rules.minStaysForP75);
			let warned = 0;
			for (let i = 0; i < objects.length; i++) {
				const d = objects[i];
				if (dealWarnings(d, d.crmStage, readDealSignals(records[i]), p75, rules, asOf).length) warned++;
			}
			const t6 = performance.now();
			lines.push(`  deal warnings (deals as objects, p75 of stays, each deal's checks): ${N.toLocaleString('en-US')} deals in ${(t6 - t5).toFixed(0)} ms (${(((t6 - t5) * 1000) / N).toFixed(2)} µs per deal), ${warned.toLocaleString('en-US')} warned`);
		}
	}
	// The report's four charts (ECharts SVG + resvg PNG), first and later renders.
	const [all] = groupedMetrics(readDealTable(records.slice(0, 20_000), ''), periods, options, false);
	const times = [];
	let bytes = 0;
	for (let k = 0; k < 4; k++) {
		const t = performance.now();
		for (const kind of CHART_KINDS) bytes += (await renderChart(kind, all, 5_000_000, 'USD')).length;
		times.push(performance.now() - t);
	}
	lines.push(`report charts: four 1280x720 PNGs in ${times[0].toFixed(0)} ms the first time (loading ECharts and resvg), then ${Math.min(...times.slice(1)).toFixed(0)}-${Math.max(...times.slice(1)).toFixed(0)} ms; ${Math.round(bytes / 16 / 1024)} KB per chart`);
	return lines;
}

module.exports = { run, generate, PERIODS, OPTIONS, STAGES, CANON, OUTCOMES, CATEGORIES };
