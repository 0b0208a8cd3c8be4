// Shared by the benchmarks: a seeded generator (the same data every run) and quantiles of sorted timings.
'use strict';

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

module.exports = { mulberry, quantile };
