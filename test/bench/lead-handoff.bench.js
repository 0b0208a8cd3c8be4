// The submitter's wait and speed to lead in a real n8n 2.41.1: the inbound template as shipped (its
// page after validation; the processing workflow it hands the lead to matches, scores, classifies,
// summarizes, saves and assigns), Nordwind's config on a real PostgreSQL, a stand-in model, and a local
// receiver standing in for the company's Slack; beside it, in the same n8n, a bare form with the same
// fields whose completion page follows its trigger. Each submission is made as a browser makes it
// (POST; status checks 1 s after the answer, then 10% later each time, as n8n's form page does; the
// page loaded; its script posts to it, which lets the run go on). For each: the time until the page is
// ready (until n8n's database showed the run waiting on its page, read by the bench every 5 ms rather
// than asked of n8n, whose status check loads the whole run; plus the page's load), the time a person
// sees it (when the browser had the page), and the time until the owner's message arrives.
// Sequential (one lead at a time, the next submitted once the owner was told, no run of the
// previous lead still runs and n8n's expression isolate pool is full again, for either form), then
// 4 clients on open schedules that both forms share, set from this machine's own figure: a
// submission as often as keeps half a core of n8n busy with the bare form, then a whole core (whether
// or not the earlier ones are done); with a model that answers at once and with one that takes 2 s;
// 60 submissions each. Also the processing run's time after the page (it shares n8n with the next
// submitter), and n8n's CPU time per submission for each form (from /proc: what a load of N
// submissions a second asks of the machine), split by n8n's threads, and the expression isolates it
// built per submission (n8n 2.41's own counter, on /metrics: the bench's n8n runs with
// N8N_METRICS=true), how many of those found
// the pool empty and how long the runs waited for them (test/harness/isolate-probe.js, loaded into the
// bench's n8n), beside what one isolate costs here. N8N_EXPRESSION_ENGINE_POOL_SIZE, when set, reaches
// the bench's n8n. Prints figures; asserts nothing.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');
const { LATEST_N8N, ensureN8n, ensureNode24 } = require('../harness/runtime');
const { installTarball, packTarball } = require('../harness/package');
const { N8nServer, sleep } = require('../harness/server');
const { Postgres } = require('../harness/postgres');
const { N8nDatabase } = require('../harness/n8n-db');
const { InspectorSession, compareSummaries, mergeSummaries, startProfile, stopProfile, summarize } = require('../harness/cpu-profile');
const { activateTemplates, importTemplates } = require('../harness/templates');
const { ModelServer } = require('../model-server/server');

const COMPANIES = path.resolve(__dirname, '..', '..', 'workflows', 'companies');

function receiver() {
	const waiting = new Map();
	const arrived = new Map();
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const at = performance.now();
			res.end('ok');
			const text = String(JSON.parse(raw || '{}').text ?? '');
			// Owner messages name the lead's e-mail; approval requests and reminders are not counted.
			const m = /lead for you[\s\S]*?E-mail: (\S+)/.exec(text);
			if (!m) return;
			arrived.set(m[1], at);
			waiting.get(m[1])?.(at);
		});
	});
	return {
		async start() {
			await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${server.address().port}`;
		},
		/** When the owner message for this e-mail arrived (performance.now()), waiting up to a minute. */
		arrival(email) {
			if (arrived.has(email)) return Promise.resolve(arrived.get(email));
			return new Promise((resolve) => {
				const timer = setTimeout(() => resolve(Number.NaN), 60_000);
				waiting.set(email, (at) => {
					clearTimeout(timer);
					resolve(at);
				});
			});
		},
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

const BARE_FORM = {
	id: 'RvOpsBenchBare01',
	name: 'Bench: bare form',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'bench-bare-form', name: 'Form', type: 'n8n-nodes-base.formTrigger', typeVersion: 2.3, position: [0, 0], webhookId: 'bench-bare-form-hook', parameters: { formTitle: 'Talk to sales', formFields: { values: ['Name', 'Email', 'Phone', 'Company', 'Job Title', 'Website', 'Country', 'Message'].map((fieldLabel) => ({ fieldLabel })) }, options: { path: 'bench-bare-form' } } },
		{ id: 'bench-bare-done', name: 'Thanks', type: 'n8n-nodes-base.form', typeVersion: 2.3, position: [220, 0], webhookId: 'bench-bare-done-hook', parameters: { operation: 'completion', respondWith: 'text', completionTitle: 'Thank you!', completionMessage: "=We received your request, {{ $json.Name }}." } },
	],
	connections: { Form: { main: [[{ node: 'Thanks', type: 'main', index: 0 }]] } },
};

/**
 * BENCH_HANDOFF_BASELINE_TEMPLATES=<an earlier checkout's workflows/ folder>: its inbound templates
 * (the form, processing and, where it had one, the first reply) imported beside ours under other ids,
 * webhook ids and form path, so that each round also runs the earlier layout in the same n8n with the
 * same package: a template change compared side by side, not across runs of a noisy machine.
 */
const BASELINE_DIR = process.env.BENCH_HANDOFF_BASELINE_TEMPLATES;
const BASELINE_FORM = 'revops-inbound-lead-baseline';
function baselineFiles(dir, outDir) {
	const ids = { RvOpsInboundLd01: 'RvOpsInboundBL01', RvOpsLeadProcess: 'RvOpsLeadProcBL1', RvOpsFirstReply1: 'RvOpsFirstRepBL1' };
	// Called before callers: n8n 2.x publishes a workflow only once the sub-workflows it calls are.
	return ['first-reply-approval.json', 'inbound-lead-processing.json', 'inbound-lead-handoff.json']
		.filter((f) => fs.existsSync(path.join(dir, f)))
		.map((f) => {
			let text = fs.readFileSync(path.join(dir, f), 'utf8');
			for (const [from, to] of Object.entries(ids)) text = text.split(`"${from}"`).join(`"${to}"`);
			text = text.split('"path": "revops-inbound-lead"').join(`"path": "${BASELINE_FORM}"`);
			const workflow = JSON.parse(text);
			workflow.name += ' (baseline)';
			for (const node of workflow.nodes) if (node.webhookId) node.webhookId = `${node.webhookId.slice(0, 30)}-bl`;
			const file = path.join(outDir, `baseline-${f}`);
			fs.writeFileSync(file, JSON.stringify(workflow));
			return file;
		});
}

/**
 * n8n's database, read from outside n8n (set once n8n has started): the bench learns that a run waits
 * on its page, or that no run is left, without adding requests to the n8n it measures.
 */
let n8nDb = null;

/** The run a form page belongs to: the last part of its address (`/form-waiting/<execution id>`). */
const runOf = (formWaitingUrl) => new URL(formWaitingUrl).pathname.split('/').pop();

/** The form's fields as n8n's form page posts them (multipart, field-0, field-1, ...). */
function formBody(email, company) {
	const body = new FormData();
	['Bench Lead', email, '', company, 'Head of Operations', '', 'Germany', 'What would maintenance for three sites cost?'].forEach((v, n) => body.append(`field-${n}`, v));
	return body;
}

/**
 * One submission, as a person's browser makes it: the form posted; n8n's form page then checks the
 * run's status 1 s after the answer and 10% longer after each check (n8n's form-trigger page script),
 * loads the page once n8n says it waits there, and the page posts to its own address (which lets the
 * run go on: the inbound template hands the lead over there). Page ready: when n8n's database first
 * showed the run waiting on its page (read every 5 ms by the bench, not asked of n8n), plus the time
 * the page took to load; seen: when the browser had the page.
 */
async function submit(server, formPath, i, tag, hooks = {}) {
	const email = `lead${i}.${tag}@bench-${tag}-${i}.com`;
	const body = formBody(email, `Bench ${i} GmbH`);
	const failed = (answered) => ({ email, t0, answered, page: Number.NaN, seen: Number.NaN, ok: false });
	await hooks.before?.();
	const t0 = performance.now();
	const res = await fetch(`${server.baseUrl}/form/${formPath}`, { method: 'POST', body });
	const answered = performance.now() - t0;
	if (res.status !== 200) return failed(answered);
	const { formWaitingUrl } = await res.json();
	const executionId = runOf(formWaitingUrl);
	const settled = n8nDb.settled(executionId, { timeoutMs: 60_000 });
	const status = new URL(formWaitingUrl);
	status.pathname += '/n8n-execution-status';
	let state = '';
	for (let interval = 1000; !['form-waiting', 'success', 'error', 'crashed', 'canceled'].includes(state); interval = Math.round(interval * 1.1)) {
		if (performance.now() - t0 > 60_000) return failed(answered);
		await sleep(interval);
		state = (await (await fetch(status)).text()).trim();
	}
	const ready = await settled;
	const fetchStart = performance.now();
	const page = await fetch(formWaitingUrl);
	const html = await page.text();
	const fetchMs = performance.now() - fetchStart;
	const ok = ready?.status === 'waiting' && page.status === 200 && /We received your request/.test(html);
	await hooks.seen?.();
	if (state === 'form-waiting') await (await fetch(formWaitingUrl, { method: 'POST' })).text();
	const waiting = ready ? ready.at - t0 : Number.NaN;
	return { email, t0, answered, waiting, load: fetchMs, page: waiting + fetchMs, seen: fetchStart + fetchMs - t0, ok, executionId };
}

/**
 * What a visitor's requests after the POST cost n8n, on a run of `formPath` waiting at its page: CPU
 * per status check of the form page (n8n loads and parses the whole run for each: the reason the
 * bench learns that a page is ready from n8n's database rather than by asking n8n every few
 * milliseconds) and per load of the page itself (the run loaded again, the page's texts evaluated).
 */
async function requestCpu(server, formPath, times = 100) {
	const { formWaitingUrl } = await (await fetch(`${server.baseUrl}/form/${formPath}`, { method: 'POST', body: formBody(`requests@${formPath}.com`, 'Requests GmbH') })).json();
	const ready = await n8nDb.settled(runOf(formWaitingUrl), { timeoutMs: 60_000 });
	if (ready?.status !== 'waiting') return { statusCheck: Number.NaN, pageLoad: Number.NaN };
	await untilNothingRuns();
	const status = new URL(formWaitingUrl);
	status.pathname += '/n8n-execution-status';
	const cpuPer = async (url) => {
		const before = cpuMs(server.child?.pid);
		for (let i = 0; i < times; i++) await (await fetch(url)).text();
		return (cpuMs(server.child?.pid) - before) / times;
	};
	const out = { statusCheck: await cpuPer(status), pageLoad: await cpuPer(formWaitingUrl) };
	await (await fetch(formWaitingUrl, { method: 'POST' })).text();
	await untilNothingRuns();
	return out;
}

/**
 * BENCH_HANDOFF_CPU_PROFILE=<dir>: n8n runs with its inspector open, and instead of the rounds the bench
 * profiles n8n's main thread over `count` submissions of each form (and of the baseline's, with
 * BENCH_HANDOFF_BASELINE_TEMPLATES), one of each in turn and in turn first, from the POST until the
 * browser had the page (the processing run a lead starts after its page is not in it), and prints
 * where ours differs per submission; the last profile of each form is written to <dir> for a closer
 * look (Chrome's DevTools open `.cpuprofile` files). With BENCH_HANDOFF_CPU_PROFILE_SPAN=lead, from the
 * POST until no run of the submission is left (ours: its processing run and the owner's message too):
 * all the CPU a submission asks of n8n's main thread, which is what bounds the schedules it keeps up with.
 */
const PROFILE_DIR = process.env.BENCH_HANDOFF_CPU_PROFILE;
const PROFILE_WHOLE_LEAD = process.env.BENCH_HANDOFF_CPU_PROFILE_SPAN === 'lead';
async function profileForms(server, inbox, count, port) {
	const session = new InspectorSession(port);
	await session.connect();
	const forms = { ours: 'revops-inbound-lead', bare: 'bench-bare-form', ...(BASELINE_DIR ? { baseline: BASELINE_FORM } : {}) };
	const labels = Object.keys(forms);
	const summaries = Object.fromEntries(labels.map((label) => [label, []]));
	const last = {};
	try {
		for (let i = 0; i < count; i++) {
			// Each form first in turn: garbage collection and the previous lead's leftovers favour none.
			for (const label of [...labels.slice(i % labels.length), ...labels.slice(0, i % labels.length)]) {
				let profiling = false;
				const stop = async () => {
					if (!profiling) return;
					profiling = false;
					last[label] = await stopProfile(session);
					summaries[label].push(summarize(last[label]));
				};
				const before = async () => {
					await startProfile(session);
					profiling = true;
				};
				const r = await submit(server, forms[label], i, `prof${label}`, { before, seen: PROFILE_WHOLE_LEAD ? undefined : stop });
				if (!PROFILE_WHOLE_LEAD) await stop();
				if (label !== 'bare') await inbox.arrival(r.email);
				await untilNothingRuns();
				await stop();
			}
		}
	} finally {
		session.close();
	}
	fs.mkdirSync(PROFILE_DIR, { recursive: true });
	for (const [label, profile] of Object.entries(last)) fs.writeFileSync(path.join(PROFILE_DIR, `${label}.cpuprofile`), JSON.stringify(profile));
	const against = (other) => compareSummaries(mergeSummaries(summaries.ours), mergeSummaries(summaries[other]), { perA: summaries.ours.length, perB: summaries[other].length, labels: ['ours', other] });
	return [
		`n8n's main thread profiled (every 200 µs) over ${count} submissions of each form, from the POST until ${PROFILE_WHOLE_LEAD ? 'no run of the submission was left (the whole lead)' : 'the browser had the page'}; last profiles in ${PROFILE_DIR}:`,
		...against('bare'),
		...(BASELINE_DIR ? ['Ours against the baseline templates:', ...against('baseline')] : []),
	];
}

/** n8n's latest executions, newest first; its list answers at most 100 (a larger limit is refused). */
async function latestExecutions(server, limit = 100) {
	const list = await server.rest('GET', `/executions?limit=${limit}`);
	return Array.isArray(list) ? list : list?.results ?? [];
}

/** The id of n8n's latest execution (ids are numbers that count up); NaN when the list cannot be read. */
async function latestExecutionId(server) {
	const rows = await latestExecutions(server, 1).catch(() => []);
	return rows.length ? Number(rows[0].id) : Number.NaN;
}

/**
 * The expression isolate pool as seen from inside n8n (`test/harness/isolate-probe.js`, loaded into
 * the bench's n8n with --require): isolates taken so far, how many of them found the pool empty (the
 * run waited while a new one was built), the milliseconds waited, and the warm isolates now; null
 * when the probe wrote nothing (n8n without an expression runtime).
 */
let probeFile = null;
function isolateProbe() {
	try {
		return JSON.parse(fs.readFileSync(probeFile, 'utf8'));
	} catch {
		return null;
	}
}

/**
 * Waits (up to 10 s, read every 5 ms) until n8n's expression pool holds as many warm isolates as it
 * is set to: between sequential submissions, as it is when leads come minutes apart. Without it the
 * round whose client waits least between submissions (the bare form's) finds the pool emptier.
 */
async function untilPoolFull() {
	const deadline = performance.now() + 10_000;
	for (let p = isolateProbe(); p && p.warm < p.size && performance.now() < deadline; p = isolateProbe()) await new Promise((r) => setTimeout(r, 5));
}

/** Waits (up to 30 s) until n8n has no execution running (the runs a lead started have ended or wait), from its database. */
async function untilNothingRuns() {
	const deadline = performance.now() + 30_000;
	while (performance.now() < deadline && (await n8nDb.running()) > 0) await new Promise((r) => setTimeout(r, 50));
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** User + system CPU time (ms) in a /proc stat line (of a process, or of one of its threads). */
function statCpuMs(stat) {
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux): n8n's own work, isolates included. */
function cpuMs(pid) {
	try {
		return statCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return Number.NaN;
	}
}

const THREAD_NAMES = { MainThread: 'isolate threads', V8Worker: 'V8 helpers', 'libuv-worker': 'libuv pool' };

/**
 * n8n's CPU time so far by thread, from /proc/<pid>/task (Linux), summed by the thread's name: n8n's
 * own thread (the process's first), isolated-vm's threads (they take the name of the thread that
 * started them, "MainThread" on Node 24: they build and run the expression isolates), V8's helpers
 * ("V8Worker": garbage collection, compiling), libuv's pool ("libuv-worker": files, crypto, SQLite),
 * and the rest; `all` is the whole process, threads that have ended included.
 */
function threadCpuMs(pid) {
	const byName = new Map([['all', cpuMs(pid)]]);
	let tids = [];
	try {
		tids = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return byName;
	}
	for (const tid of tids) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const name = tid === String(pid) ? 'n8n main thread' : (THREAD_NAMES[comm] ?? comm);
			byName.set(name, (byName.get(name) ?? 0) + statCpuMs(stat));
		} catch {
			// The thread ended between the listing and the read: its time stays in `all`.
		}
	}
	return byName;
}

/** Per submission, by thread name, between two threadCpuMs readings; what ended threads used is "ended". */
function threadCpuPerSubmission(before, after, count) {
	const out = {};
	let named = 0;
	for (const [name, ms] of after) {
		if (name === 'all') continue;
		const d = ms - (before.get(name) ?? 0);
		named += d;
		out[name] = d / count;
	}
	out.ended = Math.max(0, after.get('all') - before.get('all') - named) / count;
	return out;
}

/**
 * Waits until n8n has settled: its CPU use under 50 ms a second over a 2 s window (measured: after
 * `ready` and the warm-up, n8n 2.41.1 worked on at about 300 ms a second for about 10 s). The first
 * round's CPU per submission sets the 4-client schedules, so it must not carry that work. Gives up
 * after a minute and says so; returns what it saw.
 */
async function untilSettled(pid) {
	const started = performance.now();
	let rate = Number.NaN;
	while (performance.now() - started < 60_000) {
		const before = cpuMs(pid);
		await new Promise((r) => setTimeout(r, 2000));
		rate = (cpuMs(pid) - before) / 2;
		if (!(rate >= 50)) break;
	}
	return `n8n settled before the first round: ${rate.toFixed(0)} ms of CPU a second after ${((performance.now() - started) / 1000).toFixed(0)} s${rate >= 50 ? ' (not under 50 within a minute: the first round may carry n8n\'s own work)' : ''}.`;
}

/**
 * Expression isolates n8n has handed out so far: n8n 2.41's counter `expression.pool.acquired`, on
 * its /metrics (N8N_METRICS=true). Each one is a fresh V8 isolate (n8n disposes an isolate when its
 * run lets go of it and builds the next in the background); NaN when n8n does not publish it.
 */
async function isolatesAcquired(server) {
	try {
		const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
		const line = text.split('\n').find((l) => /^n8n_expression_pool_acquired(_total)?(\{[^}]*\})? /.test(l));
		return line ? Number(line.split(' ').pop()) : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

/**
 * What one expression isolate costs on this machine: n8n's own IsolatedVmBridge, from its install,
 * built and disposed 20 times in a Node 24 process of its own (after one to warm up): CPU of every
 * thread, and wall time, per isolate; then the memory (RSS) each of 4 built and kept holds.
 */
function isolateCost() {
	const script = `const rt = require('@n8n/expression-runtime');
(async () => {
	const one = async () => { const b = new rt.IsolatedVmBridge({ timeout: 5000, memoryLimit: 128 }); await b.initialize(); await b.dispose(); };
	await one();
	const c0 = process.cpuUsage(); const t0 = performance.now();
	for (let i = 0; i < 20; i++) await one();
	const c = process.cpuUsage(c0);
	const cpu = (c.user + c.system) / 1000 / 20, wall = (performance.now() - t0) / 20;
	// What a warm one holds, as n8n's pool keeps them: 4 built and kept, the process's memory before and after.
	const rss0 = process.memoryUsage().rss;
	const kept = [];
	for (let i = 0; i < 4; i++) { const b = new rt.IsolatedVmBridge({ timeout: 5000, memoryLimit: 128 }); await b.initialize(); kept.push(b); }
	const mb = (process.memoryUsage().rss - rss0) / 4 / 1048576;
	for (const b of kept) await b.dispose();
	console.log(JSON.stringify({ cpu, wall, mb }));
})();`;
	const r = spawnSync(ensureNode24().bin, ['-e', script], { cwd: ensureN8n(LATEST_N8N).dir, encoding: 'utf8', timeout: 120_000 });
	try {
		const { cpu, wall, mb } = JSON.parse(r.stdout.trim().split('\n').pop());
		return `One expression isolate (n8n's IsolatedVmBridge, built and disposed 20 times in a process of its own): ${cpu.toFixed(0)} ms of CPU, ${wall.toFixed(0)} ms wall, each; a warm one kept (4 built and kept) holds ${mb.toFixed(1)} MB of the process's memory: what each isolate more in N8N_EXPRESSION_ENGINE_POOL_SIZE costs at rest.`;
	} catch {
		return `One expression isolate: not measured (${(r.stderr || r.error?.message || 'no output').trim().split('\n').pop()}).`;
	}
}

const pct = (xs, p) => {
	const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

/**
 * Submits `count` forms; the figures of one form path. One client: one lead at a time through the
 * whole path (the next once the owner was told, no run of the lead still runs and n8n's isolate pool
 * is full again; the bare form's next likewise). More clients: an
 * open schedule, the same for both forms: a submission every `periodMs / clients` ms whether or not
 * the earlier ones have finished, as people on a website submit (before, each client waited for its
 * own lead, so the two forms were loaded at different rates). n8n has no run of the previous round
 * left when a round starts.
 */
async function round(server, inbox, formPath, count, clients, tag, periodMs) {
	const results = [];
	const one = async (i) => {
		const r = await submit(server, formPath, i, tag);
		if (inbox) r.owner = (await inbox.arrival(r.email)) - r.t0;
		results.push(r);
	};
	await untilNothingRuns();
	const runsBefore = await latestExecutionId(server);
	const isolatesBefore = await isolatesAcquired(server);
	const probeBefore = isolateProbe();
	const threadsBefore = threadCpuMs(server.child?.pid);
	if (clients === 1) {
		for (let i = 0; i < count; i++) {
			await one(i);
			// Sequential means one lead through the whole path: its processing run too, first reply
			// included, has stopped running (ended, or waits on a person at the first reply's gate);
			// and, for either form, n8n's isolate pool full again, as leads minutes apart find it.
			await untilNothingRuns();
			await untilPoolFull();
		}
	} else {
		const start = performance.now();
		const pending = [];
		for (let i = 0; i < count; i++) {
			await new Promise((r) => setTimeout(r, Math.max(0, start + (i * periodMs) / clients - performance.now())));
			pending.push(one(i));
		}
		await Promise.all(pending);
	}
	// What n8n spent per submission, every run of the lead included (those waiting on a person stop here).
	await untilNothingRuns();
	// One reading of n8n's CPU at each end: the whole process (`all`) and its threads from the same moment.
	const threadsAfter = threadCpuMs(server.child?.pid);
	const cpuPerSubmission = (threadsAfter.get('all') - threadsBefore.get('all')) / count;
	const threads = threadCpuPerSubmission(threadsBefore, threadsAfter, count);
	// n8n's execution ids count up: the executions (runs and sub-runs) n8n created during the round, per
	// submission (a run a previous round's lead started late counts here too: ±1 over the round).
	const runsPerSubmission = ((await latestExecutionId(server)) - runsBefore) / count;
	const isolatesPerSubmission = ((await isolatesAcquired(server)) - isolatesBefore) / count;
	const probeAfter = isolateProbe();
	// Of those, the ones a run waited for because the pool was empty, and how long it waited.
	const coldPerSubmission = probeBefore && probeAfter ? (probeAfter.cold - probeBefore.cold) / count : Number.NaN;
	const isolateWaitMs = probeBefore && probeAfter ? (probeAfter.waitMs - probeBefore.waitMs) / count : Number.NaN;
	const of = (k) => results.map((r) => r[k]);
	// Where the page's run spends its time: each node's own time, from n8n's record of the last run.
	const last = results[results.length - 1];
	// The run goes on after its page (the client posted to it): read it once it has ended.
	for (let tries = 0; last?.executionId && tries < 200; tries++) {
		const status = await server.executionStatus(last.executionId).catch(() => undefined);
		if (status && !['new', 'running', 'waiting'].includes(status)) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	const runData = last?.executionId ? await server.executionRunData(last.executionId).catch(() => null) : null;
	const nodes = runData ? nodeTimes(runData) : 'unavailable';
	return { nodes, cpuPerSubmission, threads, runsPerSubmission, isolatesPerSubmission, coldPerSubmission, isolateWaitMs, page: of('page'), answered: of('answered'), waiting: of('waiting'), load: of('load'), seen: of('seen'), owner: inbox ? of('owner') : [], failed: results.filter((r) => !r.ok).length, lost: inbox ? of('owner').filter((x) => !Number.isFinite(x)).length : 0 };
}

/**
 * What one lead left in n8n's database: each of its runs' stored execution data (the flatted text n8n
 * saves and loads again to resume or show it), by workflow. Read right after the warm-up lead, when
 * its runs are the only ones.
 */
async function storedPerLead(server) {
	const rows = (await latestExecutions(server)).filter((e) => e.workflowId !== BARE_FORM.id);
	const byWorkflow = new Map();
	for (const row of rows) {
		const execution = await server.rest('GET', `/executions/${row.id}`);
		const text = typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data);
		const name = `${row.workflowName ?? execution.workflowData?.name ?? row.workflowId}${row.status === 'waiting' ? ' (waiting)' : ''}`;
		byWorkflow.set(name, (byWorkflow.get(name) ?? 0) + Buffer.byteLength(text));
	}
	const total = [...byWorkflow.values()].reduce((a, b) => a + b, 0);
	const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
	return `What one lead stores in n8n's database (execution data, config on items: ${process.env.BENCH_HANDOFF_WHOLE_CONFIG ? 'whole' : 'reference, as shipped'}): ${kb(total)} in ${rows.length} runs (${[...byWorkflow].map(([name, n]) => `${name} ${kb(n)}`).join(', ')})`;
}

/** Each node's own time and when it started after the run's first node (the gaps are n8n's work between nodes). */
function nodeTimes(runData) {
	const first = Math.min(...Object.values(runData).map((runs) => runs[0]?.startTime ?? Number.POSITIVE_INFINITY));
	return Object.entries(runData)
		.map(([name, runs]) => `${name} ${runs[0]?.executionTime ?? '?'} ms${Number.isFinite(runs[0]?.startTime - first) ? ` at +${runs[0].startTime - first}` : ''}`)
		.join(', ');
}

/**
 * The processing runs the page's runs handed their leads to (the work after the page, which shares
 * n8n with the next submitter): whole-run time of the round's last `count` (until each ended or began
 * to wait at its first reply's gate), and the last one's nodes. n8n lists the gates' clocks under the
 * same workflow, so a run counts when its nodes are the template's. Only n8n's latest 100 runs are
 * read (about 33 leads), so a larger round prints fewer.
 */
async function processing(server, count) {
	// The latest 100 runs: about 33 leads' form, processing and clock runs.
	const rows = (await latestExecutions(server).catch(() => [])).filter((e) => e.workflowId === 'RvOpsLeadProcess' && e.startedAt && e.stoppedAt);
	const runs = [];
	for (const row of rows) {
		if (runs.length === count) break;
		const runData = await server.executionRunData(row.id).catch(() => null);
		if (runData?.['Lead Handed Over']) runs.push({ row, runData });
	}
	if (runs.length === 0) return 'unavailable';
	const whole = runs.map(({ row }) => Date.parse(row.stoppedAt) - Date.parse(row.startedAt));
	return `median ${ms(whole, 50)} ms, p95 ${ms(whole, 95)} ms (last ${runs.length}); its nodes: ${nodeTimes(runs[0].runData)}`;
}

/** The threads that used at least 1 ms per submission in either round, busiest first. */
function byThread(ours, bare) {
	const names = [...new Set([...Object.keys(ours), ...Object.keys(bare)])].filter((n) => (ours[n] ?? 0) >= 1 || (bare[n] ?? 0) >= 1);
	names.sort((a, b) => (ours[b] ?? 0) - (ours[a] ?? 0));
	return names.map((n) => `${n} ${(ours[n] ?? 0).toFixed(0)} vs ${(bare[n] ?? 0).toFixed(0)}`).join(', ');
}

const ms = (xs, p) => `${pct(xs, p).toFixed(0)}`;
const ratio = (a, b, p) => `${(pct(a, p) / pct(b, p)).toFixed(2)}x`;

let comparisons = 0;

/** One line per load: the template beside the bare form. */
async function compare(server, inbox, count, clients, tag, periodMs) {
	const bare = await round(server, null, 'bench-bare-form', count, clients, `${tag}b`, periodMs);
	// With a baseline, every other comparison runs it before ours, so a machine that drifts favours neither.
	const runBaseline = () => round(server, inbox, BASELINE_FORM, count, clients, `${tag}bl`, periodMs);
	const early = BASELINE_DIR && comparisons++ % 2 === 1 ? await runBaseline() : null;
	const ours = await round(server, inbox, 'revops-inbound-lead', count, clients, tag, periodMs);
	// Read before a baseline round adds its own runs to n8n's list.
	const afterPage = await processing(server, count);
	const baseline = BASELINE_DIR ? (early ?? (await runBaseline())) : null;
	const load = clients === 1 ? 'sequential' : `${clients} clients (a submission every ${Math.round(periodMs / clients)} ms, whether or not the earlier ones are done)`;
	const lines = [
		`${load}, ${count} submissions each: page ready median ${ms(ours.page, 50)} ms vs bare form ${ms(bare.page, 50)} ms (${ratio(ours.page, bare.page, 50)}), p95 ${ms(ours.page, 95)} vs ${ms(bare.page, 95)} (${ratio(ours.page, bare.page, 95)})`,
		`  of which, medians: the POST answered ${ms(ours.answered, 50)} vs ${ms(bare.answered, 50)} ms, the run waiting at its page ${ms(ours.waiting, 50)} vs ${ms(bare.waiting, 50)} ms after submit, the page's load ${ms(ours.load, 50)} vs ${ms(bare.load, 50)} ms`,
		`  as a person sees it (n8n's page polls at 1 s, 2.1 s, ...): median ${ms(ours.seen, 50)} vs ${ms(bare.seen, 50)} ms (${ratio(ours.seen, bare.seen, 50)}), p95 ${ms(ours.seen, 95)} vs ${ms(bare.seen, 95)} (${ratio(ours.seen, bare.seen, 95)})`,
		`  n8n's CPU per submission, every run of it included (the page's status checks too): ${ours.cpuPerSubmission.toFixed(0)} vs ${bare.cpuPerSubmission.toFixed(0)} ms (${(ours.cpuPerSubmission / bare.cpuPerSubmission).toFixed(2)}x)${clients > 1 ? `; at a submission every ${Math.round(periodMs / clients)} ms that is ${((ours.cpuPerSubmission * clients) / periodMs).toFixed(2)} vs ${((bare.cpuPerSubmission * clients) / periodMs).toFixed(2)} of a core` : ''}; n8n executions per submission ${ours.runsPerSubmission.toFixed(1)} vs ${bare.runsPerSubmission.toFixed(1)}; expression isolates per submission ${ours.isolatesPerSubmission.toFixed(1)} vs ${bare.isolatesPerSubmission.toFixed(1)}, of which found n8n's pool empty ${ours.coldPerSubmission.toFixed(1)} vs ${bare.coldPerSubmission.toFixed(1)} (taking them cost the runs ${ours.isolateWaitMs.toFixed(0)} vs ${bare.isolateWaitMs.toFixed(0)} ms per submission, nearly all of it waiting for new ones)`,
		`  that CPU by n8n's threads, ours vs bare, ms per submission: ${byThread(ours.threads, bare.threads)}`,
		`  node times in the page's last run: ${ours.nodes} (bare form: ${bare.nodes})`,
		`  the processing run after the page: ${afterPage}`,
		`  owner message median ${ms(ours.owner, 50)} ms (p95 ${ms(ours.owner, 95)}) after submit${ours.lost ? `; ${ours.lost} did not arrive within a minute` : ''}${ours.failed + bare.failed ? `; ${ours.failed} template and ${bare.failed} bare submissions failed` : ''}`,
	];
	if (baseline) {
		lines.push(
			`  the baseline templates in the same n8n, same schedule: page ready median ${ms(baseline.page, 50)} ms (${ratio(baseline.page, bare.page, 50)} the bare form's), p95 ${ms(baseline.page, 95)} (${ratio(baseline.page, bare.page, 95)}); CPU per submission ${baseline.cpuPerSubmission.toFixed(0)} ms (${(baseline.cpuPerSubmission / bare.cpuPerSubmission).toFixed(2)}x the bare form's), ${baseline.runsPerSubmission.toFixed(1)} executions per submission; ours against them: CPU ${(ours.cpuPerSubmission / baseline.cpuPerSubmission).toFixed(2)}x, page ready median ${ratio(ours.page, baseline.page, 50)}, p95 ${ratio(ours.page, baseline.page, 95)}${baseline.lost + baseline.failed ? `; ${baseline.failed} failed, ${baseline.lost} owner messages missing` : ''}`,
		);
	}
	return { lines, bareCpu: bare.cpuPerSubmission };
}

/**
 * The 4-client schedule, from this machine's own figure: one submission every `bareCpuMs / cores` ms,
 * so the bare form alone keeps that many cores of n8n busy (half a core, then a whole one). A fixed
 * rate overloads a slow machine even for the bare form, and the latency then measures n8n's queue,
 * not the template. BENCH_HANDOFF_PERIOD_MS sets the period of each client instead.
 */
function schedule(bareCpuMs, clients, cores) {
	if (process.env.BENCH_HANDOFF_PERIOD_MS) return Number(process.env.BENCH_HANDOFF_PERIOD_MS);
	return Math.max(50, Math.round(bareCpuMs / cores)) * clients;
}

const scheduleLine = (periodMs, bareCpuMs, cores) =>
	process.env.BENCH_HANDOFF_PERIOD_MS
		? `4 clients: each submits every ${periodMs} ms (BENCH_HANDOFF_PERIOD_MS).`
		: `4 clients: one submission every ${periodMs / 4} ms, the bare form's sequential CPU per submission (${bareCpuMs.toFixed(0)} ms) over ${cores}, so the bare form alone keeps ${cores === 1 ? 'a whole core' : `${cores} of a core`} of n8n busy on this machine.`;

async function run() {
	// 60 a round: a p95 that rests on three submissions rather than one or two.
	const count = Number(process.env.BENCH_HANDOFF_LEADS || 60);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-handoff-'));
	const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-handoff-pg-'));
	const pg = new Postgres(pgDir);
	await pg.start();
	pg.createDatabase('revops_crm');
	const model = new ModelServer({ apiKey: 'sk-bench', latencyMs: 0 });
	const modelUrl = await model.start();
	const inbox = receiver();
	const inboxUrl = await inbox.start();
	const configDir = path.join(userFolder, 'revops-companies');
	fs.mkdirSync(configDir, { recursive: true });
	const config = JSON.parse(fs.readFileSync(path.join(COMPANIES, 'nordwind-services-eu.json'), 'utf8'));
	config.channels = { slackWebhookUrl: `${inboxUrl}/slack`, notifyEmail: config.channels.notifyEmail };
	// No caps: the bench measures time, not who is full.
	config.routing.reps = config.routing.reps.map(({ dailyCap: _d, openCap: _o, ...rep }) => rep);
	fs.writeFileSync(path.join(configDir, 'nordwind.json'), JSON.stringify(config));

	installTarball(userFolder, packTarball(path.join(userFolder, 'pack')));
	const inspectPort = 5792 + 31000;
	probeFile = path.join(userFolder, 'isolate-probe.json');
	const nodeArgs = ['--require', path.resolve(__dirname, '..', 'harness', 'isolate-probe.js'), ...(PROFILE_DIR ? [`--inspect=127.0.0.1:${inspectPort}`] : [])];
	const server = new N8nServer({ version: LATEST_N8N, port: 5792, userFolder, env: { REVOPS_COMPANY: 'nordwind_services', REVOPS_CONFIG_DIR: configDir, N8N_METRICS: 'true', REVOPS_ISOLATE_PROBE_FILE: probeFile }, nodeArgs });
	const credentialsFile = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: 'RevOpsModel00001', name: 'RevOps Model', type: 'revOpsModelApi', data: { baseUrl: modelUrl, apiKey: 'sk-bench', model: 'gpt-4o-mini', headers: '{}' } },
			{ id: 'RevOpsApproval01', name: 'RevOps Approval', type: 'revOpsApprovalApi', data: { secret: 'bench-approval-secret-0123456789' } },
			{ id: 'RevOpsPostgres01', name: 'RevOps PostgreSQL', type: 'revOpsPostgresApi', data: { host: '127.0.0.1', port: pg.port, database: 'revops_crm', user: 'postgres', password: '', ssl: false } },
			{ id: 'RevOpsN8nApi0001', name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: 'http://127.0.0.1/api/v1', apiKey: 'unused' } },
		]),
	);
	server.importCredentials(credentialsFile);
	const bareFile = path.join(userFolder, 'bare-form.json');
	fs.writeFileSync(bareFile, JSON.stringify(BARE_FORM));
	// BENCH_HANDOFF_WHOLE_CONFIG=1: the templates' Company Config nodes put the whole config on items.
	const onItems = process.env.BENCH_HANDOFF_WHOLE_CONFIG ? { '"configOnItems":"reference"': '"configOnItems":"whole"' } : {};
	// BENCH_HANDOFF_NO_FIRST_REPLY=1: the processing workflow's Assign Owner's Reply Owed output leads nowhere, so no
	// first reply is drafted or waits for approval and no approval clock runs: what the first reply costs.
	if (process.env.BENCH_HANDOFF_NO_FIRST_REPLY) onItems['"Assign Owner":{"main":[[{"node":"Draft First Reply","type":"main","index":0}],[]]}'] = '"Assign Owner":{"main":[[],[]]}';
	// BENCH_HANDOFF_REPLACE='{"from":"to"}': more literal text replaced in the templates at import, for an experiment.
	Object.assign(onItems, JSON.parse(process.env.BENCH_HANDOFF_REPLACE || '{}'));
	const extraFiles = [bareFile, ...(BASELINE_DIR ? baselineFiles(path.resolve(BASELINE_DIR), userFolder) : [])];
	const workflows = await importTemplates(server, { extraFiles, replace: { 'https://hooks.slack.com/services/REPLACE/WITH/YOURS': `${inboxUrl}/slack`, ...onItems } });
	try {
		await server.start();
		n8nDb = new N8nDatabase(userFolder);
		await server.signIn();
		await activateTemplates(server, workflows);
		// The forms registered (activation registers their webhooks), then one submission: the CRM
		// schema created, code paths warm. A failure stops the bench saying so.
		await (await server.fetchWhenRegistered('/form/revops-inbound-lead')).text();
		await (await server.fetchWhenRegistered('/form/bench-bare-form')).text();
		const warm = await submit(server, 'revops-inbound-lead', 0, 'warm');
		if (!warm.ok || !Number.isFinite(await inbox.arrival(warm.email))) throw new Error(`the warm-up lead ${warm.ok ? 'got no owner message within a minute' : 'got no thank-you page'}; see n8n's log: ${server.logTail(20)}`);
		await untilNothingRuns();
		const stored = await storedPerLead(server);
		const [oursCost, bareCost] = [await requestCpu(server, 'revops-inbound-lead'), await requestCpu(server, 'bench-bare-form')];
		const requests = `What a visitor's requests cost n8n, on a run waiting at its page (n8n loads and parses the whole run for each): one status check of the form page ${oursCost.statusCheck.toFixed(2)} ms of CPU for ours, ${bareCost.statusCheck.toFixed(2)} ms for the bare form; one load of the page ${oursCost.pageLoad.toFixed(2)} vs ${bareCost.pageLoad.toFixed(2)} ms. The client checks as the page does (1 s after the answer, then 10% later each time); when a page was ready it reads from n8n's database, every 5 ms, without asking n8n.`;
		if (process.env.BENCH_HANDOFF_STORAGE_ONLY) return [stored, requests];
		// The baseline warmed after what one lead of ours stores was read.
		if (BASELINE_DIR) {
			await (await server.fetchWhenRegistered(`/form/${BASELINE_FORM}`)).text();
			const warmed = await submit(server, BASELINE_FORM, 0, 'warmbl');
			if (!warmed.ok || !Number.isFinite(await inbox.arrival(warmed.email))) throw new Error(`the baseline templates' warm-up lead got no ${warmed.ok ? 'owner message' : 'thank-you page'}; see n8n's log: ${server.logTail(20)}`);
			await untilNothingRuns();
		}
		if (!(await submit(server, 'bench-bare-form', 0, 'warmb')).ok) throw new Error(`the bare form gave no page; see n8n's log: ${server.logTail(20)}`);
		if (PROFILE_DIR) return [await untilSettled(server.child?.pid), ...(await profileForms(server, inbox, count, inspectPort))];
		const pool = isolateProbe();
		const lines = [`n8n ${LATEST_N8N}, expression isolate pool of ${pool?.size ?? '?'} (N8N_EXPRESSION_ENGINE_POOL_SIZE ${process.env.N8N_EXPRESSION_ENGINE_POOL_SIZE ? `= ${process.env.N8N_EXPRESSION_ENGINE_POOL_SIZE}` : 'unset: n8n\'s default'}), inbound template ${process.env.BENCH_HANDOFF_NO_FIRST_REPLY ? 'WITHOUT its first reply (Assign Owner\'s Reply Owed connected to nothing)' : 'as shipped'} beside a bare form (trigger -> completion page) in the same n8n, Nordwind config on PostgreSQL, load average ${os.loadavg()[0].toFixed(1)} at the start`];
		if (BASELINE_DIR) lines.push(`Baseline: the inbound templates of ${BASELINE_DIR}, imported beside ours (form /form/${BASELINE_FORM}); each comparison runs the bare form, then ours and the baseline, in turn first.`);
		lines.push('Page ready: until the thank-you page came back. Owner message: until the rep message reached the stand-in Slack.');
		lines.push(stored, requests);
		lines.push(isolateCost());
		lines.push(await untilSettled(server.child?.pid));
		lines.push('Stand-in model at 0 ms:');
		const seq = await compare(server, inbox, count, 1, 'seq');
		lines.push(...seq.lines);
		// The same schedules for both forms, and the lighter one for both models.
		const halfCore = schedule(seq.bareCpu, 4, 0.5);
		lines.push(scheduleLine(halfCore, seq.bareCpu, 0.5));
		lines.push(...(await compare(server, inbox, count, 4, 'par', halfCore)).lines);
		if (!process.env.BENCH_HANDOFF_PERIOD_MS) {
			const wholeCore = schedule(seq.bareCpu, 4, 1);
			lines.push(scheduleLine(wholeCore, seq.bareCpu, 1));
			lines.push(...(await compare(server, inbox, count, 4, 'parfull', wholeCore)).lines);
		}
		model.latencyMs = 2000;
		lines.push('Stand-in model at 2,000 ms per call (two calls per lead at most: intent when rules cannot decide, and the summary):');
		lines.push(...(await compare(server, inbox, count, 1, 'slowseq')).lines);
		lines.push(scheduleLine(halfCore, seq.bareCpu, 0.5));
		lines.push(...(await compare(server, inbox, count, 4, 'slowpar', halfCore)).lines);
		lines.push(`Load average at the end ${os.loadavg()[0].toFixed(1)}.`);
		return lines;
	} finally {
		n8nDb?.close();
		await server.stop();
		await model.stop();
		await inbox.stop();
		pg.stop();
		fs.rmSync(pgDir, { recursive: true, force: true });
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
