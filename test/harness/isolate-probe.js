// Loaded into the n8n under test with `node --require` (the bench's N8nServer `nodeArgs`), never into a
// user's n8n. It watches n8n 2.x's expression isolate pool from inside the process: each time a run
// (or a webhook's start) takes an isolate, whether the pool had a warm one or the run had to wait for
// a new one to be built (a cold start), and how long that wait was; and how many warm isolates the
// pool holds now. n8n's own /metrics counts the isolates taken but not the cold starts nor the waits,
// and nothing outside the process can see how full the pool is.
//
// It writes what it saw as JSON to REVOPS_ISOLATE_PROBE_FILE (replaced whole, by a rename, so a
// reader never sees half a file) whenever that changed, checked every 5 ms on a timer that does not
// keep n8n alive. Without that variable, or when n8n has no expression runtime (n8n 1.x), it does
// nothing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

/** Warm isolates in n8n's pool: IsolatePool keeps them in `bridges`; IdleScalingPool wraps one in `innerPool`. */
function warmIn(pool) {
	if (!pool) return 0;
	if (Array.isArray(pool.bridges)) return pool.bridges.length;
	return warmIn(pool.innerPool);
}

/**
 * Wraps an ExpressionEvaluator class's ways of taking an isolate (eager `acquire`, lazy
 * `acquireBridgeSync`) so that `stats` counts them; returns `stats`. Exported for its unit test.
 */
function instrument(ExpressionEvaluator, stats = { acquired: 0, cold: 0, waitMs: 0, size: 0 }) {
	const proto = ExpressionEvaluator.prototype;
	/** Before a take: the evaluator seen, whether its pool is empty, and when the take began. */
	const begin = (evaluator) => {
		stats.evaluator = evaluator;
		stats.size = evaluator.pool?.size ?? evaluator.config?.poolSize ?? 1;
		return { empty: warmIn(evaluator.pool) === 0, started: performance.now() };
	};
	/** After a take that got an isolate: counted, cold when the pool was empty, and its time. */
	const taken = ({ empty, started }) => {
		stats.acquired++;
		if (empty) stats.cold++;
		stats.waitMs += performance.now() - started;
	};
	const eager = proto.acquire;
	proto.acquire = async function acquire(caller) {
		const take = begin(this);
		const acquired = await eager.call(this, caller);
		// `false`: the caller already held an isolate, or (lazy) only a scope was opened: nothing taken.
		if (acquired && !this.config?.lazyAcquire) taken(take);
		return acquired;
	};
	const lazy = proto.acquireBridgeSync;
	if (typeof lazy === 'function') {
		proto.acquireBridgeSync = function acquireBridgeSync() {
			const take = begin(this);
			const bridge = lazy.call(this);
			taken(take);
			return bridge;
		};
	}
	return stats;
}

/** What the probe reports: counts so far and the pool's state now. */
function snapshot(stats) {
	return { acquired: stats.acquired, cold: stats.cold, waitMs: Math.round(stats.waitMs * 10) / 10, warm: warmIn(stats.evaluator?.pool), size: stats.size };
}

function attach(file) {
	let runtime;
	try {
		// From n8n's own install: the copy n8n-workflow loads, so its class is the one patched.
		runtime = require(require.resolve('@n8n/expression-runtime', { paths: [path.dirname(process.argv[1] ?? process.cwd())] }));
	} catch {
		return;
	}
	if (typeof runtime.ExpressionEvaluator !== 'function') return;
	const stats = instrument(runtime.ExpressionEvaluator);
	let last = '';
	const write = () => {
		const text = JSON.stringify(snapshot(stats));
		if (text === last) return;
		try {
			fs.writeFileSync(`${file}.tmp`, text);
			fs.renameSync(`${file}.tmp`, file);
			last = text;
		} catch {
			// The folder went away (the bench cleans up as n8n stops): the probe must never stop n8n.
		}
	};
	write();
	setInterval(write, 5).unref();
}

if (process.env.REVOPS_ISOLATE_PROBE_FILE) attach(process.env.REVOPS_ISOLATE_PROBE_FILE);

module.exports = { instrument, snapshot, warmIn };
