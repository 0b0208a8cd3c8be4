// ICP Scorer and Health Score throughput in process: the compiled scorers on generated accounts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { baselineDist, collectGarbage, sideBySide } = require('./support');
const { generateAccounts, generateRealisticAccounts, BENCH_ICP_PLAYBOOK, BENCH_REALISTIC_ICP_PLAYBOOK } = require('./generated-accounts');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain', 'scoring');
const REPO = path.resolve(__dirname, '..', '..');

/**
 * Results are kept until the end of a run, as a node keeps them for its output: scoring a whole CRM
 * retains every result, and that memory (and the garbage collection it causes) is part of the cost.
 * Garbage collection moves single runs by a fifth or more, so the figure is the median of five, and
 * each run starts from a collected heap (the previous run's results released), as a node's run does.
 */
function measure(label, count, fn, target = 200_000, runs = 5) {
	for (let i = 0; i < Math.min(5000, count); i++) fn(i); // warm-up
	const times = [];
	for (let r = 0; r < runs; r++) {
		collectGarbage();
		const kept = new Array(count);
		const started = performance.now();
		for (let i = 0; i < count; i++) kept[i] = fn(i);
		times.push(performance.now() - started);
	}
	const ms = times.sort((a, b) => a - b)[Math.floor(runs / 2)];
	// What a node's output holds for each account: the heap kept by one more run's results.
	collectGarbage();
	const base = process.memoryUsage().heapUsed;
	const kept = new Array(count);
	for (let i = 0; i < count; i++) kept[i] = fn(i);
	collectGarbage();
	const held = process.memoryUsage().heapUsed - base;
	kept.length = 0; // held until the figure above was taken
	return `${label}: ${count} accounts in ${ms.toFixed(0)} ms (median of ${runs} runs, ${times[0].toFixed(0)}-${times[runs - 1].toFixed(0)} ms) = ${Math.round((count / ms) * 1000).toLocaleString('en-US')} items/s, results kept (target ${target.toLocaleString('en-US')}); ${Math.round(held / count)} bytes kept per result`;
}

/**
 * The accounts of one measurement only: generated before it and released after it. A heap that also
 * held another set's accounts would make every full collection walk both, which no single re-score
 * carries.
 */
function withAccounts(generate, count, use) {
	return use(generate(count));
}

async function run() {
	const count = Number(process.env.BENCH_ACCOUNTS || 100_000);
	const { IcpScorer } = require(path.join(DIST, 'icp-scorer'));
	const { HealthScorer } = require(path.join(DIST, 'health-scorer'));
	const icp = new IcpScorer(BENCH_ICP_PLAYBOOK);
	const icpRealistic = new IcpScorer(BENCH_REALISTIC_ICP_PLAYBOOK);
	const healthPlaybook = JSON.parse(fs.readFileSync(path.join(REPO, 'workflows', 'playbooks', 'health-playbook.example.json'), 'utf8'));
	// The example's JSONata churn rule is asynchronous by nature; measured separately below.
	const syncHealth = new HealthScorer({ ...healthPlaybook, churnRisks: healthPlaybook.churnRisks.filter((c) => c.op !== 'jsonata') });
	const fullHealth = new HealthScorer(healthPlaybook);
	const now = Date.now();
	const lines = [];
	// First, while neither build's code has run: the figures below warm this build's code alone.
	const baseline = baselineDist();
	if (baseline) {
		const IcpBefore = require(path.join(baseline, 'shared', 'domain', 'scoring', 'icp-scorer')).IcpScorer;
		const n = Math.min(count, 50_000);
		for (const [label, generate, playbook] of [
			['ICP Scorer, generator values', generateAccounts, BENCH_ICP_PLAYBOOK],
			['ICP Scorer, realistic values', generateRealisticAccounts, BENCH_REALISTIC_ICP_PLAYBOOK],
		]) {
			const [ours, before] = [new IcpScorer(playbook), new IcpBefore(playbook)];
			lines.push(sideBySide(label, generate(n), (a) => ours.score(a, now), (a) => before.score(a, now)));
		}
	}
	lines.push(withAccounts(generateAccounts, count, (accounts) => measure('ICP Scorer (6 criteria, 1 knock-out), generator values (8 industries, 10 countries)', count, (i) => icp.score(accounts[i], now))));
	lines.push(
		withAccounts(generateRealisticAccounts, count, (realistic) => {
			const distinct = (k) => new Set(realistic.map((a) => a[k])).size.toLocaleString('en-US');
			return measure(`ICP Scorer, realistic values (${distinct('industry')} industries, ${distinct('country')} country spellings, ${distinct('techStack')} tech stacks)`, count, (i) => icpRealistic.score(realistic[i], now), 300_000);
		}),
	);
	const accounts = generateAccounts(count);
	lines.push(measure('Health Score (6 measures, segments, trend, 4 rules)', count, (i) => syncHealth.score(accounts[i], now)));
	const jsonataCount = Math.min(count, 20_000);
	const started = performance.now();
	for (let i = 0; i < jsonataCount; i++) fullHealth.score(accounts[i], now, await fullHealth.jsonata.evaluate(accounts[i]));
	const ms = performance.now() - started;
	lines.push(`Health Score with its JSONata churn rule: ${jsonataCount} accounts in ${ms.toFixed(0)} ms = ${Math.round((jsonataCount / ms) * 1000).toLocaleString('en-US')} items/s (JSONata is the cost)`);
	return lines;
}

module.exports = { run };
