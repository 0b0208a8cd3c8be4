// In a real n8n 2.41.1: 100,000 accounts scored in one execution by the ICP Scorer, and by the same
// scoring written in an n8n Code node, side by side. Prints each scoring node's execution time (from
// n8n's own run data), the ratio, and the peak memory of n8n's processes (main plus task runner)
// during each execution.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LATEST_N8N } = require('../harness/runtime');
const { REPO_DIR } = require('../harness/package');
const { installTarball, packTarball } = require('../harness/package');
const { isDeepStrictEqual } = require('node:util');
const { N8nServer } = require('../harness/server');
const { BENCH_ICP_PLAYBOOK } = require('./generated-accounts');
const { GENERATE_ACCOUNTS, SAME_OUTPUT, SCORES_ONLY } = require('./icp-code-nodes');

function workflow(id, path, scoringNode) {
	const node = (name, type, typeVersion, position, parameters) => ({ id: `${id}-${name}`.replace(/\W/g, '-'), name, type, typeVersion, position, parameters });
	return {
		id,
		name: `Bench: ${path}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ ...node('Start', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }), webhookId: `${id}-hook` },
			node('Generate Accounts', 'n8n-nodes-base.code', 2, [200, 0], { jsCode: GENERATE_ACCOUNTS }),
			{ ...scoringNode, id: `${id}-score`, name: 'Score', position: [400, 0] },
		],
		connections: {
			Start: { main: [[{ node: 'Generate Accounts', type: 'main', index: 0 }]] },
			'Generate Accounts': { main: [[{ node: 'Score', type: 'main', index: 0 }]] },
		},
	};
}

/** Child processes from /proc: sampling every 100 ms must not spawn processes that compete with n8n for the CPU. */
function childPids(pid) {
	const children = [];
	for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
		children.push(...fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
	}
	return children;
}

function treeRssMb(pid) {
	let total = 0;
	const visit = (p) => {
		try {
			const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
			total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
			for (const child of childPids(p)) visit(child);
		} catch {
			// process ended
		}
	};
	visit(pid);
	return total;
}

async function execute(server, wfId, webhook, count) {
	const before = (await server.executions(wfId)).length;
	const res = await server.fetchWhenRegistered(`/webhook/${webhook}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }) });
	await res.text();
	return await server.waitForExecution(wfId, before, { timeoutMs: 600_000 });
}

/** Milliseconds between n8n's last 'Running node "Score" started' and 'finished' debug lines. */
function scoreNodeMs(logFile) {
	const lines = fs.readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
	const at = (needle) => {
		for (let i = lines.length - 1; i >= 0; i--) {
			if (!lines[i].includes(needle)) continue;
			const m = /^(\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(lines[i].trim());
			if (m) return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
		}
		return Number.NaN;
	};
	return at('Running node "Score" finished') - at('Running node "Score" started');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Accounts in the warm-up run, whose output items are kept to compare the nodes' results. */
const SAMPLE = 1_000;

/**
 * On a freshly started n8n: a warm-up run of SAMPLE accounts (its output items are returned as the
 * sample), then RUNS measured runs. The node's time comes from n8n's own debug log (n8n keeps no
 * run data for executions this large); memory is sampled every 100 ms over the measured runs.
 */
/** Measured runs per node: garbage collection moves single runs by a third either way, so 5 for the median. */
const RUNS = 5;

async function measure(server, wfId, webhook, count, runs = RUNS) {
	await server.start();
	try {
		await server.signIn();
		const warmUp = await execute(server, wfId, webhook, SAMPLE);
		const sample = ((await server.executionRuns(warmUp.id)).Score?.[0] ?? []).flat().map((item) => item.json);
		const baseline = treeRssMb(server.child.pid);
		let peak = baseline;
		const timer = setInterval(() => {
			peak = Math.max(peak, treeRssMb(server.child.pid));
		}, 100);
		const nodeMs = [];
		const wall = [];
		let status = 'success';
		for (let r = 0; r < runs; r++) {
			const execution = await execute(server, wfId, webhook, count);
			if (execution.status !== 'success') status = execution.status;
			wall.push(new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime());
			nodeMs.push(scoreNodeMs(server.logFile));
		}
		clearInterval(timer);
		return { status, sample, nodeMs: median(nodeMs), allNodeMs: nodeMs, wall: median(wall), baseline, peak };
	} finally {
		await server.stop();
	}
}

/**
 * Whether two runs gave the same items, account by account (the ICP Scorer spreads them over its
 * tier outputs, a Code node returns one list). Only the run's clock (audit time and latency) may differ.
 */
function compareSamples(a, b) {
	const byId = (items) => new Map(items.map((json) => [json.id, json]));
	const left = byId(a);
	const right = byId(b);
	if (left.size !== SAMPLE || right.size !== SAMPLE) return `not comparable: ${left.size} and ${right.size} items instead of ${SAMPLE}`;
	const clockless = (json) => ({ ...json, _meta: { ...json._meta, at: null, latencyMs: null }, auditTrail: null });
	for (const [id, json] of left) {
		if (!isDeepStrictEqual(clockless(json), clockless(right.get(id)))) {
			return `DIFFERENT, first at account ${id}: ${JSON.stringify(json.icp)} vs ${JSON.stringify(right.get(id)?.icp)}`;
		}
	}
	return `equal item for item on the ${SAMPLE.toLocaleString('en-US')}-account warm-up run (all fields but the audit clock)`;
}

async function run() {
	const count = Number(process.env.BENCH_ACCOUNTS || 100_000);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-'));
	installTarball(userFolder, packTarball(path.join(userFolder, 'pack')));
	const server = new N8nServer({ version: LATEST_N8N, port: 5790, userFolder, env: { N8N_LOG_LEVEL: 'debug', N8N_PAYLOAD_SIZE_MAX: '1024', N8N_RUNNERS_MAX_PAYLOAD: '2147483648', NODE_OPTIONS: '--max-old-space-size=8192' } });
	const ours = workflow('RvOpsBenchIcp001', 'bench-icp-scorer', {
		type: 'n8n-nodes-revops.icpScorer',
		typeVersion: 1,
		parameters: { configSource: 'playbook', playbook: JSON.stringify(BENCH_ICP_PLAYBOOK), options: {} },
	});
	const { rulesetVersion } = new (require(path.join(REPO_DIR, 'dist', 'nodes', 'shared', 'domain', 'scoring', 'icp-scorer')).IcpScorer)(BENCH_ICP_PLAYBOOK);
	const code = (id, webhook, jsCode) => workflow(id, webhook, { type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } });
	const same = code('RvOpsBenchCode01', 'bench-code-node', SAME_OUTPUT.replace('__RULESET__', rulesetVersion));
	const light = code('RvOpsBenchCode02', 'bench-code-scores-only', SCORES_ONLY);
	// n8n's own cost of taking 100,000 items through one node that does nothing: the floor for any node.
	const floor = workflow('RvOpsBenchNoOp01', 'bench-no-op', { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
	for (const wf of [floor, ours, same, light]) {
		const file = path.join(userFolder, `${wf.id}.json`);
		fs.writeFileSync(file, JSON.stringify(wf));
		server.importWorkflow(file);
		server.activate(wf.id);
	}
	try {
		const f = await measure(server, floor.id, 'bench-no-op', count);
		const a = await measure(server, ours.id, 'bench-icp-scorer', count);
		const b = await measure(server, same.id, 'bench-code-node', count);
		const c = await measure(server, light.id, 'bench-code-scores-only', count);
		const fmt = (label, r) =>
			`${label}: ${r.status}; scoring node ${r.nodeMs} ms median of ${JSON.stringify(r.allNodeMs)} (${Math.round((count / r.nodeMs) * 1000).toLocaleString('en-US')} items/s); whole execution ${r.wall} ms; n8n memory (main + task runner) ${Math.round(r.baseline)} MB before, peak ${Math.round(r.peak)} MB`;
		return [
			`n8n ${LATEST_N8N}, ${count} accounts per execution; each workflow on a freshly started n8n, a warm-up run, then ${RUNS} measured runs; times are medians`,
			fmt('No Op (n8n floor)', f),
			fmt('ICP Scorer', a),
			fmt('Code node, same output', b),
			fmt('Code node, scores only (less output than the node)', c),
			`items of ICP Scorer and Code node (same output): ${compareSamples(a.sample, b.sample)}`,
			`ratio (Code node, same output / ICP Scorer): ${(b.nodeMs / a.nodeMs).toFixed(1)}x (target at least 10x)`,
			`ratio (Code node, scores only / ICP Scorer): ${(c.nodeMs / a.nodeMs).toFixed(1)}x`,
			`peak memory (Code node, same output / ICP Scorer): ${(b.peak / a.peak).toFixed(2)}x`,
		];
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
