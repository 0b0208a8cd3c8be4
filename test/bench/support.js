// Shared by the benchmarks: a seeded generator (the same data every run), quantiles of sorted timings,
// a full garbage collection on demand, and this build side by side with another one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const v8 = require('node:v8');
const vm = require('node:vm');

/** mulberry32: a small, fast seeded generator of numbers in [0, 1). */
function mulberry(seed) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The q-quantile of ascending `sorted` values. */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * A full garbage collection. `npm run bench` starts each benchmark with --expose-gc; run on its own
 * (node -e "require('./x.bench').run()"), the flag is set here.
 */
const collectGarbage =
	typeof globalThis.gc === 'function'
		? globalThis.gc
		: (() => {
				v8.setFlagsFromString('--expose-gc');
				return vm.runInNewContext('gc');
			})();

/**
 * The dist/ folder of another build to compare with, side by side in this run: BENCH_BASELINE names a
 * checkout of another commit, built (`npx tsc -p tsconfig.build.json` there). Null when unset.
 */
function baselineDist() {
	const dir = process.env.BENCH_BASELINE;
	if (!dir) return null;
	const dist = path.resolve(dir, 'dist', 'nodes');
	if (!fs.existsSync(dist)) throw new Error(`BENCH_BASELINE=${dir} has no dist/nodes: build that checkout first (npx tsc -p tsconfig.build.json in it)`);
	return dist;
}

/**
 * This build against the baseline on the same inputs in one process: passes alternate (which goes
 * first alternates too), each from a collected heap with its results kept, so the machine's noise
 * falls on both alike. Says whether the two gave the same results (as JSON) and the speed ratio.
 */
function sideBySide(label, inputs, ours, baseline, passes = 12) {
	let differing = 0;
	for (const input of inputs.slice(0, 3000)) if (JSON.stringify(ours(input)) !== JSON.stringify(baseline(input))) differing++;
	const total = { ours: 0, baseline: 0 };
	for (let pass = 0; pass < passes; pass++) {
		const order = pass % 2 ? [['ours', ours], ['baseline', baseline]] : [['baseline', baseline], ['ours', ours]];
		for (const [name, fn] of order) {
			collectGarbage();
			const kept = new Array(inputs.length);
			const started = performance.now();
			for (let i = 0; i < inputs.length; i++) kept[i] = fn(inputs[i]);
			total[name] += performance.now() - started;
		}
	}
	const rate = (ms) => Math.round(((inputs.length * passes) / ms) * 1000).toLocaleString('en-US');
	return `${label}, side by side with BENCH_BASELINE (${passes} alternating passes of ${inputs.length.toLocaleString('en-US')}): ${rate(total.ours)}/s vs ${rate(total.baseline)}/s = ${(total.baseline / total.ours).toFixed(2)}x as fast; ${differing ? `${differing} of the first ${Math.min(3000, inputs.length)} results DIFFER` : 'the same results'}`;
}

module.exports = { mulberry, quantile, collectGarbage, baselineDist, sideBySide };
