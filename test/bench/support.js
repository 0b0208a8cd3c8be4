// Shared by the benchmarks: a seeded generator (the same data every run), quantiles of sorted timings,
// and a full garbage collection on demand.
'use strict';
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

module.exports = { mulberry, quantile, collectGarbage };
