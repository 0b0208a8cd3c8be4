// CPU profiles of a running n8n's main thread, taken from outside through its inspector (n8n started
// with `--inspect=127.0.0.1:<port>`, see N8nServer's `nodeArgs`), so that a bench can profile one
// stretch of work (a round of submissions) rather than n8n's whole life, and compare two stretches of
// the same process. The inspector speaks the Chrome DevTools protocol over a WebSocket: the client is
// the `ws` package of n8n's own install (the harness's Node 20 has no WebSocket of its own).
'use strict';
const path = require('node:path');
const { LATEST_N8N, ensureN8n } = require('./runtime');

class InspectorSession {
	constructor(port) {
		this.port = port;
		this.socket = null;
		this.nextId = 1;
		this.pending = new Map();
	}

	async connect() {
		const targets = await (await fetch(`http://127.0.0.1:${this.port}/json/list`)).json();
		const target = targets.find((t) => t.type === 'node') ?? targets[0];
		if (!target) throw new Error(`no inspector target on port ${this.port}`);
		const WebSocket = require(path.join(ensureN8n(LATEST_N8N).dir, 'node_modules', 'ws'));
		this.socket = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1024 * 1024 * 1024 });
		await new Promise((resolve, reject) => {
			this.socket.once('open', resolve);
			this.socket.once('error', reject);
		});
		this.socket.on('message', (data) => {
			const message = JSON.parse(String(data));
			const waiter = this.pending.get(message.id);
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.error) waiter.reject(new Error(`${message.error.message} (${message.error.code})`));
			else waiter.resolve(message.result);
		});
	}

	send(method, params = {}) {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.socket.send(JSON.stringify({ id, method, params }));
		});
	}

	close() {
		this.socket?.close();
	}
}

/**
 * Starts profiling n8n's main thread; `stopProfile` ends it and returns the V8 CPU profile
 * (`.cpuprofile` format). `intervalUs`: the sampling interval (V8's default is 1,000 µs).
 */
async function startProfile(session, { intervalUs = 200 } = {}) {
	await session.send('Profiler.enable');
	await session.send('Profiler.setSamplingInterval', { interval: intervalUs });
	await session.send('Profiler.start');
}

async function stopProfile(session) {
	return (await session.send('Profiler.stop')).profile;
}

/** Where a function lives, short: its package ("node" for Node's own files) and the file, with its line. */
function place(frame) {
	const url = frame.url.replace(/^file:\/\//, '');
	if (!url) return '(native)';
	const parts = url.split('/node_modules/');
	const tail = parts[parts.length - 1];
	const segments = tail.split('/');
	const pkg = segments[0].startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0];
	return `${parts.length > 1 ? pkg : 'node'}:${path.basename(url)}:${frame.lineNumber + 1}`;
}

/** The package a function belongs to ("node" for Node's own, "(native)" for V8's and the idle/GC markers). */
function packageOf(frame) {
	return place(frame).split(':')[0];
}

/**
 * Self and inclusive time (ms) by function and self time by package, from a V8 CPU profile; idle time
 * (the event loop waiting) is left out. Inclusive time counts a sample once for each distinct function
 * on its stack, so recursion does not count twice.
 */
function summarize(profile) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	// Each node's name and package once, not once per sample that has it on its stack.
	const keys = new Map(profile.nodes.map((n) => [n.id, `${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame)}`]));
	const key = (n) => keys.get(n.id);
	const packageName = (frame) => (packageOf(frame) === '(native)' ? frame.functionName : packageOf(frame));
	const self = new Map();
	const inclusive = new Map();
	const packages = new Map();
	let busy = 0;
	const add = (map, k, v) => map.set(k, (map.get(k) ?? 0) + v);
	profile.samples.forEach((id, i) => {
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const leaf = byId.get(id);
		if (!leaf || leaf.callFrame.functionName === '(idle)' || leaf.callFrame.functionName === '(program)') return;
		busy += ms;
		add(self, key(leaf), ms);
		add(packages, packageName(leaf.callFrame), ms);
		const seen = new Set();
		for (let n = leaf; n; n = byId.get(parent.get(n.id))) {
			const k = key(n);
			if (seen.has(k)) continue;
			seen.add(k);
			add(inclusive, k, ms);
		}
	});
	return { busy, self, inclusive, packages };
}

/** The sum of several summaries (e.g. one profile per submission). */
function mergeSummaries(summaries) {
	const out = { busy: 0, self: new Map(), inclusive: new Map(), packages: new Map() };
	for (const s of summaries) {
		out.busy += s.busy;
		for (const k of ['self', 'inclusive', 'packages']) for (const [name, ms] of s[k]) out[k].set(name, (out[k].get(name) ?? 0) + ms);
	}
	return out;
}

/**
 * Lines comparing two summaries per unit of work (e.g. per submission): the busy main-thread time, the
 * packages by self time, and the functions whose inclusive time differs most (`a` minus `b`).
 */
function compareSummaries(sa, sb, { perA = 1, perB = 1, labels = ['a', 'b'], top = 25 } = {}) {
	const fmt = (x) => x.toFixed(2);
	// Garbage collection lands in whichever stretch runs when the heap fills, not in the one that made the garbage.
	const gc = (s) => s.packages.get('(garbage collector)') ?? 0;
	const lines = [
		`main thread busy per unit: ${labels[0]} ${fmt(sa.busy / perA)} ms, ${labels[1]} ${fmt(sb.busy / perB)} ms; without garbage collection ${fmt((sa.busy - gc(sa)) / perA)} vs ${fmt((sb.busy - gc(sb)) / perB)} ms`,
	];
	const diff = (ma, mb) =>
		[...new Set([...ma.keys(), ...mb.keys()])]
			.map((k) => ({ k, a: (ma.get(k) ?? 0) / perA, b: (mb.get(k) ?? 0) / perB }))
			.sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b) || y.a - x.a);
	lines.push(`self time by package, ms per unit (${labels[0]} vs ${labels[1]}):`);
	for (const { k, a: x, b: y } of diff(sa.packages, sb.packages).slice(0, 15)) lines.push(`  ${fmt(x)} vs ${fmt(y)}  ${k}`);
	lines.push(`functions whose inclusive time differs most, ms per unit (${labels[0]} vs ${labels[1]}):`);
	for (const { k, a: x, b: y } of diff(sa.inclusive, sb.inclusive).slice(0, top)) lines.push(`  ${fmt(x)} vs ${fmt(y)}  ${k}`);
	lines.push(`functions by self time in ${labels[0]}, ms per unit (vs ${labels[1]}):`);
	const selfA = [...sa.self].sort((x, y) => y[1] - x[1]).slice(0, top);
	for (const [k, v] of selfA) lines.push(`  ${fmt(v / perA)} vs ${fmt((sb.self.get(k) ?? 0) / perB)}  ${k}`);
	return lines;
}

module.exports = { InspectorSession, startProfile, stopProfile, summarize, mergeSummaries, compareSummaries };
