// In a real n8n 2.41.1: 100,000 accounts scored in one execution by the ICP Scorer, and by the same
// scoring written in an n8n Code node, side by side. Prints each scoring node's execution time (from
// n8n's own run data), the ratio, and the peak memory of n8n's processes (main plus task runner)
// during each execution.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execSync } = require('node:child_process');
const { LATEST_N8N, CACHE_DIR } = require('../harness/runtime');
const { installTarball, packTarball } = require('../harness/package');
const { N8nServer } = require('../harness/server');
const { BENCH_ICP_PLAYBOOK } = require('./generated-accounts');

// The same generator as generated-accounts.js, inlined because a Code node cannot require it.
const GENERATE = `
const count = $input.first().json.body.count;
let s = 7;
const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const pick = (l) => l[Math.floor(r() * l.length)];
const IND = ['software','fintech','retail','manufacturing','healthcare','education','Software',''];
const CTY = ['US','GB','DE','FR','BR','IN','JP','CA','NL',''];
const STK = ['salesforce,slack','hubspot','pipedrive,zoom','','salesforce','zendesk,jira'];
const now = Date.parse('2026-11-21T00:00:00Z');
const out = [];
for (let i = 0; i < count; i++) out.push({ json: { id: i, name: 'Account ' + i, domain: 'account-' + i + '.example', industry: pick(IND),
  employees: r() < 0.1 ? null : Math.floor(r() ** 2 * 20000), annualRevenue: r() < 0.3 ? null : Math.floor(r() * 2e9), country: pick(CTY),
  techStack: pick(STK), lastFundingAt: r() < 0.5 ? null : new Date(now - Math.floor(r() * 1500) * 86400000).toISOString(), isCompetitor: r() < 0.01 } });
return out;`;

// What a builder would write by hand for the same playbook: same criteria, weights, missing-data
// rule (exclude and renormalize), knock-out and tiers, with per-criterion points in the output.
const CODE_SCORING = `
const criteria = [
  { id: 'industry', w: 30, f: (a) => a.industry ? (['software','fintech'].includes(String(a.industry).trim().toLowerCase()) ? 100 : 20) : null },
  { id: 'size', w: 25, f: (a) => { const n = Number(a.employees); if (a.employees === null || a.employees === undefined || Number.isNaN(n)) return null;
      return n < 20 ? 10 : n < 200 ? 60 : n < 5000 ? 100 : 70; } },
  { id: 'revenue', w: 15, f: (a) => { const n = Number(a.annualRevenue); if (a.annualRevenue === null || a.annualRevenue === undefined || Number.isNaN(n)) return null;
      return n >= 1e7 && n <= 1e9 ? 100 : 0; } },
  { id: 'region', w: 15, f: (a) => a.country ? (['us','ca','gb','de','nl','fr'].includes(String(a.country).toLowerCase()) ? 100 : 0) : null },
  { id: 'stack', w: 10, f: (a) => a.techStack ? (String(a.techStack).toLowerCase().split(',').some((t) => t === 'salesforce' || t === 'hubspot') ? 100 : 0) : null },
  { id: 'funding', w: 5, f: (a) => { if (!a.lastFundingAt) return null; const t = Date.parse(a.lastFundingAt); if (Number.isNaN(t)) return null;
      return Date.now() - t <= 548 * 86400000 ? 100 : 0; } },
];
return $input.all().map((item) => {
  const a = item.json;
  const subs = criteria.map((c) => ({ id: c.id, w: c.w, sub: c.f(a) }));
  const total = subs.reduce((s, x) => s + (x.sub === null ? 0 : x.w), 0);
  const reasons = subs.map((x) => ({ criterion: x.id, value: a[x.id] ?? null, points: x.sub === null || !total ? 0 : Math.round((x.w / total) * x.sub * 10) / 10 }));
  const fitScore = total ? Math.round(reasons.reduce((s, x) => s + x.points, 0) * 10) / 10 : null;
  const tier = a.isCompetitor === true ? 'Disqualified' : fitScore === null ? 'Disqualified' : fitScore >= 75 ? 'T1' : fitScore >= 55 ? 'T2' : fitScore >= 35 ? 'T3' : 'Disqualified';
  return { json: { ...a, icp: { fitScore, tier, reasons } }, pairedItem: item.pairedItem };
});`;

function workflow(id, path, scoringNode) {
	const node = (name, type, typeVersion, position, parameters) => ({ id: `${id}-${name}`.replace(/\W/g, '-'), name, type, typeVersion, position, parameters });
	return {
		id,
		name: `Bench: ${path}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ ...node('Start', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }), webhookId: `${id}-hook` },
			node('Generate Accounts', 'n8n-nodes-base.code', 2, [200, 0], { jsCode: GENERATE }),
			{ ...scoringNode, id: `${id}-score`, name: 'Score', position: [400, 0] },
		],
		connections: {
			Start: { main: [[{ node: 'Generate Accounts', type: 'main', index: 0 }]] },
			'Generate Accounts': { main: [[{ node: 'Score', type: 'main', index: 0 }]] },
		},
	};
}

function treeRssMb(pid) {
	let total = 0;
	const visit = (p) => {
		try {
			const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
			total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
			for (const child of execSync(`pgrep -P ${p} || true`).toString().split('\n').filter(Boolean)) visit(Number(child));
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

/**
 * On a freshly started n8n: a warm-up run, then three measured runs. The node's time comes from
 * n8n's own debug log (n8n keeps no run data for executions this large); memory is sampled every
 * 100 ms over the measured runs.
 */
async function measure(server, wfId, webhook, count, runs = 3) {
	await server.start();
	try {
		await server.signIn();
		await execute(server, wfId, webhook, 100);
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
		return { status, nodeMs: median(nodeMs), allNodeMs: nodeMs, wall: median(wall), baseline, peak };
	} finally {
		await server.stop();
	}
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
	const code = workflow('RvOpsBenchCode01', 'bench-code-node', { type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: CODE_SCORING } });
	// n8n's own cost of taking 100,000 items through one node that does nothing: the floor for any node.
	const floor = workflow('RvOpsBenchNoOp01', 'bench-no-op', { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
	for (const wf of [floor, ours, code]) {
		const file = path.join(userFolder, `${wf.id}.json`);
		fs.writeFileSync(file, JSON.stringify(wf));
		server.importWorkflow(file);
		server.activate(wf.id);
	}
	try {
		const f = await measure(server, floor.id, 'bench-no-op', count);
		const a = await measure(server, ours.id, 'bench-icp-scorer', count);
		const b = await measure(server, code.id, 'bench-code-node', count);
		const fmt = (label, r) =>
			`${label}: ${r.status}; scoring node ${r.nodeMs} ms median of ${JSON.stringify(r.allNodeMs)} (${Math.round((count / r.nodeMs) * 1000).toLocaleString('en-US')} items/s); whole execution ${r.wall} ms; n8n memory (main + task runner) ${Math.round(r.baseline)} MB before, peak ${Math.round(r.peak)} MB`;
		return [
			`n8n ${LATEST_N8N}, ${count} accounts per execution; each workflow on a freshly started n8n, a warm-up run, then 3 measured runs`,
			fmt('No Op (n8n floor)', f),
			fmt('ICP Scorer', a),
			fmt('Code node ', b),
			`ratio (Code node time / ICP Scorer time): ${(b.nodeMs / a.nodeMs).toFixed(1)}x (target at least 10x)`,
			`peak memory (Code node / ICP Scorer): ${(b.peak / a.peak).toFixed(2)}x`,
		];
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
