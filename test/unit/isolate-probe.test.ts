// The lead-handoff bench counts, from inside its n8n, the expression isolates a run had to wait for
// because n8n's pool was empty (test/harness/isolate-probe.js). Its counting is tested here on an
// evaluator with n8n 2.41's contract (ExpressionEvaluator in @n8n/expression-runtime): `acquire`
// takes a warm isolate from `pool.bridges` or, when there is none, waits for a new one, and returns
// false when the caller already holds one; under lazy acquisition it only opens a scope, and the
// isolate is taken later by `acquireBridgeSync`. The bench runs the probe on n8n's real class.
const { instrument, snapshot, warmIn } = require('../harness/isolate-probe');

function evaluatorClass() {
	return class Evaluator {
		pool: { size: number; bridges: object[] };
		held = new Map<object, object>();
		constructor(
			public config: { poolSize: number; lazyAcquire?: boolean },
			public coldMs = 0,
		) {
			this.pool = { size: config.poolSize, bridges: Array.from({ length: config.poolSize }, () => ({})) };
		}
		async acquire(caller: object) {
			if (this.held.has(caller)) return false;
			if (this.config.lazyAcquire) return true;
			let bridge = this.pool.bridges.shift();
			if (!bridge) {
				await new Promise((r) => setTimeout(r, this.coldMs));
				bridge = {};
			}
			this.held.set(caller, bridge);
			return true;
		}
		acquireBridgeSync() {
			return this.pool.bridges.shift() ?? {};
		}
		refill() {
			while (this.pool.bridges.length < this.pool.size) this.pool.bridges.push({});
		}
	};
}

test('an acquisition that finds the pool empty counts as cold, with its wait; one that finds a warm isolate does not', async () => {
	const Evaluator = evaluatorClass();
	const stats = instrument(Evaluator);
	const evaluator = new Evaluator({ poolSize: 1 }, 30);
	expect(await evaluator.acquire({})).toBe(true);
	expect(snapshot(stats)).toMatchObject({ acquired: 1, cold: 0, warm: 0, size: 1 });
	const before = snapshot(stats).waitMs;
	expect(await evaluator.acquire({})).toBe(true);
	const after = snapshot(stats);
	expect(after).toMatchObject({ acquired: 2, cold: 1 });
	expect(after.waitMs - before).toBeGreaterThanOrEqual(25);
	evaluator.refill();
	expect(snapshot(stats)).toMatchObject({ warm: 1, size: 1 });
});

test('a caller that already holds an isolate takes none, and counts nothing', async () => {
	const Evaluator = evaluatorClass();
	const stats = instrument(Evaluator);
	const evaluator = new Evaluator({ poolSize: 2 });
	const caller = {};
	await evaluator.acquire(caller);
	expect(await evaluator.acquire(caller)).toBe(false);
	expect(snapshot(stats)).toMatchObject({ acquired: 1, cold: 0, warm: 1, size: 2 });
});

test('under lazy acquisition the isolate is counted when an expression takes it, not when the scope opens', async () => {
	const Evaluator = evaluatorClass();
	const stats = instrument(Evaluator);
	const evaluator = new Evaluator({ poolSize: 1, lazyAcquire: true });
	await evaluator.acquire({});
	expect(snapshot(stats)).toMatchObject({ acquired: 0, cold: 0 });
	evaluator.acquireBridgeSync();
	evaluator.acquireBridgeSync();
	expect(snapshot(stats)).toMatchObject({ acquired: 2, cold: 1, warm: 0 });
});

test("the warm isolates are read through n8n's idle-scaling wrapper too", () => {
	expect(warmIn({ innerPool: { bridges: [{}, {}] } })).toBe(2);
	expect(warmIn({ innerPool: null })).toBe(0);
});
