import fc from 'fast-check';
import { toEpoch, type Deal } from '../../nodes/shared/domain/metrics/deals';
import { DealTableBuilder, readDeal, readDealTable, dealAt } from '../../nodes/shared/domain/metrics/table';
import { computeMetrics, groupedMetrics, percentile, type MetricsOptions, type Period } from '../../nodes/shared/domain/metrics/kpis';
import { lastCompletePeriods } from '../../nodes/shared/domain/metrics/periods';

// Hand-computed expected values on a small history: October 2026, the forecast looking at November.
const OCT: Period = { from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z') };
const NOV: Period = { from: OCT.to, to: Date.parse('2026-12-01T00:00:00Z') };
const SEP: Period = { from: Date.parse('2026-09-01T00:00:00Z'), to: OCT.from };
const options: MetricsOptions = {
	currency: 'USD',
	quota: 25_000,
	stageProbabilities: { pipeline_generation: 0.1, pipeline_progression: 0.4, close_onboard: 0.8 },
	stageOrder: ['pipeline_generation', 'pipeline_progression', 'close_onboard'],
};

const records: Array<Record<string, unknown>> = [
	{ externalId: 'A', owner: 'ana', outcome: 'won', openedAt: '2026-09-01T12:00:00Z', closedAt: '2026-10-11T12:00:00Z', amount: 10_000, currency: 'USD' },
	{
		externalId: 'B', owner: 'ana', outcome: 'won', openedAt: '2026-10-01T12:00:00Z', closedAt: '2026-10-21T12:00:00Z', amount: 30_000, currency: 'USD',
		stageHistory: [{ to: 'pipeline_generation', at: '2026-10-02T12:00:00Z' }, { to: 'close_onboard', at: '2026-10-15T12:00:00Z' }, { to: 'pipeline_progression', at: '2026-10-08T12:00:00Z' }],
	},
	{ externalId: 'C', owner: 'ben', outcome: 'lost', openedAt: '2026-08-01T12:00:00Z', closedAt: '2026-10-15T12:00:00Z', amount: 5_000, currency: 'USD' },
	{ externalId: 'D', owner: 'ben', outcome: 'won', openedAt: '2026-09-20T12:00:00Z', closedAt: '2026-10-20T12:00:00Z', amount: 20_000, currency: 'EUR' },
	{ externalId: 'E', owner: 'ben', outcome: 'won', amount: 1_000, currency: 'USD' },
	{ externalId: 'F', owner: 'ana', outcome: 'open', closeDate: '2026-11-15', amount: 50_000, currency: 'USD', stage: 'pipeline_progression', forecastCategory: 'commit' },
	{ externalId: 'G', outcome: 'open', closeDate: '2026-11-20', amount: '20000', stage: 'close_onboard', forecastCategory: 'best_case' },
	{ externalId: 'H', outcome: 'open', closeDate: '2026-12-15', amount: 99_999, stage: 'close_onboard' },
	{ externalId: 'I', outcome: 'open', openedAt: '2026-10-12T12:00:00Z', amount: 4_000, stage: 'pipeline_generation', stageHistory: [{ to: 'pipeline_generation', at: '2026-10-12T12:00:00Z' }] },
	{ externalId: 'J', outcome: 'open', closeDate: '2026-11-05', stage: 'close_onboard' },
	{ externalId: 'K', outcome: 'lost', openedAt: '2026-07-01T12:00:00Z', closedAt: '2026-09-10T12:00:00Z', amount: 7_000 },
	// Reopened: lost in October once, open again; its old closedAt no longer counts.
	{ externalId: 'L', outcome: 'open', closedAt: '2026-10-05T12:00:00Z', closeDate: '2026-11-25', amount: 10_000, stage: 'pipeline_generation', forecastCategory: 'pipeline' },
	// Won after the period: open at its end, in the forecast.
	{
		externalId: 'M', outcome: 'won', openedAt: '2026-10-10T12:00:00Z', closedAt: '2026-11-03T12:00:00Z', closeDate: '2026-11-03', amount: 8_000, currency: 'usd', stage: 'close_onboard', forecastCategory: 'commit',
		stageHistory: [{ to: 'pipeline_generation', at: '2026-10-10T12:00:00Z' }, { to: 'close_onboard', at: '2026-10-25T12:00:00Z' }],
	},
];
const deals = records.map((r, i) => readDeal(r, i, 'owner'));

describe('sales metrics: hand-computed on a small history', () => {
	const m = computeMetrics(deals, OCT, NOV, options);
	const value = (id: keyof typeof m.figures) => m.figures[id].value;

	it('win rate, cycle and ACV from the deals closed in the period, with what was left out and why', () => {
		// Won A, B, D; lost C; E has no closedAt; K closed in September; M in November; L is open again.
		expect(m.figures.winRate).toMatchObject({ value: 0.75, count: 4, excluded: { total: 1, byReason: { 'won without closedAt': 1 } } });
		// Cycles of A (40 days), B (20), D (30): median 30, p75 40 (nearest rank).
		expect([value('cycleDaysMedian'), value('cycleDaysP75'), m.figures.cycleDaysMedian.count]).toEqual([30, 40, 3]);
		// ACV of A and B; D is in EUR and never converted.
		expect(m.figures.acv).toMatchObject({ value: 20_000, count: 2, excluded: { total: 1, examples: [{ id: 'D', reason: 'amount in EUR, not USD' }] } });
	});

	it('the forecast of the next period from the deals open at the period\'s end', () => {
		// Open at 1 Nov: F, G, H, I, J, L (reopened), M (won on 3 Nov). In November: F, G, L, M; H is December,
		// I has no close date, J no amount.
		expect(m.figures.pipeline).toMatchObject({ value: 88_000, count: 4, excluded: { total: 2, byReason: { 'no expected close date': 1, 'no amount': 1 } } });
		expect(value('coverage')).toBe(3.52);
		expect(value('weightedPipeline')).toBe(50_000 * 0.4 + 20_000 * 0.8 + 10_000 * 0.1 + 8_000 * 0.8);
		expect([value('commit'), value('bestCase')]).toEqual([58_000, 78_000]);
		// 7 open deals x 0.75 x 20,000 / 30 days.
		expect(value('velocity')).toBe(3_500);
	});

	it('stage conversion among the deals opened in the period, and time in each stage', () => {
		// Opened in October: B (reached close_onboard), I (generation), M (skipped progression to close_onboard).
		expect(m.stages.map((s) => [s.stage, s.reached, s.conversion])).toEqual([
			['pipeline_generation', 3, 0.6667],
			['pipeline_progression', 2, 1],
			['close_onboard', 2, null],
		]);
		// B: 6, 7 and 6 days; M: 15 days in generation, 9 in close_onboard until it was won. I is still in its stage.
		expect(m.stages.map((s) => [s.timeInStageDaysMedian, s.timeInStageDaysP75, s.stays])).toEqual([
			[6, 15, 2],
			[7, 7, 1],
			[6, 9, 2],
		]);
	});

	it('every figure says what it means', () => {
		expect(m.figures.winRate.definition).toBe('won / (won + lost), deals closed in the period');
		expect(m.figures.coverage).toMatchObject({ name: 'Pipeline coverage', unit: 'ratio' });
	});

	it('groups, with the previous period beside', () => {
		const groups = groupedMetrics(deals, { current: OCT, previous: SEP, next: NOV }, options, true);
		expect(groups.map((g) => g.group)).toEqual(['all', 'ana', 'ben', '(none)']);
		const all = groups[0];
		// September: K lost, nothing won.
		expect(all.previous.figures.winRate.value).toBe(0);
		expect(all.change.winRate).toBe(0.75);
		const ana = groups[1];
		expect(ana.current.figures.winRate).toMatchObject({ value: 1, count: 2 });
		expect(groups[2].current.figures.winRate).toMatchObject({ value: 0.5, count: 2 });
	});

	it('says why there is no value: no closed deals, no quota', () => {
		const empty = computeMetrics(deals.filter((d) => d.outcome === 'open'), OCT, NOV, { ...options, quota: null });
		expect(empty.figures.winRate).toMatchObject({ value: null, count: 0, note: 'no deal was won or lost in the period' });
		expect(empty.figures.velocity.value).toBeNull();
		expect(empty.figures.coverage).toMatchObject({ value: null, note: 'no quota given for the next period' });
	});

	it('reads hostile records without throwing, leaving out what cannot be read', () => {
		const hostile = [{}, { outcome: 42, amount: -5, openedAt: 'not a date', closedAt: {} }, { outcome: 'WON', closedAt: 'yesterday', amount: '1e400' }, { stageHistory: [null, { to: {}, at: 'x' }, 'text'] }];
		const read = hostile.map((r, i) => readDeal(r as Record<string, unknown>, i, 'owner'));
		expect(read.map((d) => [d.id, d.outcome, d.amount, d.openedAt, d.stageTo.length])).toEqual([
			['#1', null, null, null, 0],
			['#2', null, null, null, 0],
			['#3', 'won', null, null, 0],
			['#4', null, null, null, 0],
		]);
		expect(() => computeMetrics(read, OCT, NOV, options)).not.toThrow();
	});
});

describe('sales metrics: properties on generated histories (fast-check, seeded)', () => {
	const stages = options.stageOrder;
	const dealArb = fc.record({
		opened: fc.integer({ min: 0, max: 120 }),
		path: fc.subarray(stages, { minLength: 0 }),
		outcome: fc.constantFrom('open', 'won', 'lost'),
		closedAfter: fc.integer({ min: 0, max: 90 }),
		amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
	});
	const toDeal = (g: { opened: number; path: string[]; outcome: string; closedAfter: number; amount: number | null }, i: number): Deal => {
		const openedAt = SEP.from + g.opened * 86_400_000;
		return readDeal(
			{ externalId: `g${i}`, outcome: g.outcome, openedAt, closedAt: g.outcome === 'open' ? null : openedAt + g.closedAfter * 86_400_000, amount: g.amount, stage: g.path[g.path.length - 1], stageHistory: g.path.map((to, k) => ({ to, at: openedAt + k * 3_600_000 })) },
			i,
			'',
		);
	};

	it('stage conversions multiply to the funnel\'s end-to-end rate', () => {
		fc.assert(
			fc.property(fc.array(dealArb, { maxLength: 60 }), (generated) => {
				const m = computeMetrics(generated.map(toDeal), OCT, NOV, options);
				const [first, , last] = m.stages;
				if (m.stages.some((s, i) => i < m.stages.length - 1 && s.reached === 0)) return;
				const product = m.stages.slice(0, -1).reduce((p, s) => p * (s.conversion as number), 1);
				expect(product).toBeCloseTo(last.reached / first.reached, 3);
			}),
			{ seed: 18, numRuns: 300 },
		);
	});

	it('win rate is won over closed; each record behind a figure or left out with a reason', () => {
		fc.assert(
			fc.property(fc.array(dealArb, { maxLength: 60 }), (generated) => {
				const list = generated.map(toDeal);
				const m = computeMetrics(list, OCT, NOV, options);
				const closed = list.filter((d) => d.outcome !== 'open' && d.closedAt !== null && d.closedAt >= OCT.from && d.closedAt < OCT.to);
				const won = closed.filter((d) => d.outcome === 'won');
				expect(m.figures.winRate.count).toBe(closed.length);
				expect(m.figures.winRate.value).toBe(closed.length ? Math.round((won.length / closed.length) * 1e4) / 1e4 : null);
				expect(m.figures.acv.count + m.figures.acv.excluded.total).toBe(won.length);
			}),
			{ seed: 19, numRuns: 300 },
		);
	});
});

describe('periods and percentiles', () => {
	it('takes the last complete calendar period in the company\'s time zone', () => {
		const p = lastCompletePeriods('month', new Date('2026-12-03T06:00:00Z'), 'America/New_York');
		expect(new Date(p.current.from).toISOString()).toBe('2026-11-01T04:00:00.000Z');
		expect(new Date(p.current.to).toISOString()).toBe('2026-12-01T05:00:00.000Z');
		expect(new Date(p.next.to).toISOString()).toBe('2027-01-01T05:00:00.000Z');
		const q = lastCompletePeriods('quarter', new Date('2026-12-03T06:00:00Z'), 'Europe/Berlin');
		expect(new Date(q.current.from).toISOString()).toBe('2026-06-30T22:00:00.000Z');
		const w = lastCompletePeriods('week', new Date('2026-12-03T06:00:00Z'), 'UTC');
		expect(new Date(w.current.from).toISOString()).toBe('2026-11-23T00:00:00.000Z');
	});

	it('uses the nearest rank', () => {
		expect([percentile([], 0.5), percentile([5], 0.75), percentile([1, 2, 3, 4], 0.5), percentile([1, 2, 3, 4], 0.75)]).toEqual([null, 5, 2, 3]);
	});
});

describe('reading dates', () => {
	it('reads toISOString() text exactly as Date.parse does, and everything else through Date.parse (fast-check, seeded)', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
				const iso = d.toISOString();
				expect(readDeal({ closedAt: iso }, 0, '').closedAt).toBe(Date.parse(iso));
			}),
			{ seed: 3, numRuns: 2000 },
		);
		for (const text of ['2026-02-30T10:00:00.000Z', '2026-13-01T10:00:00.000Z', '2026-1x-01T10:00:00.000Z', '2026-10-01', '2026-10-01T10:00:00+02:00', 'Thu, 01 Oct 2026 10:00:00 GMT']) {
			const parsed = Date.parse(text);
			expect(readDeal({ closedAt: text }, 0, '').closedAt).toBe(Number.isFinite(parsed) ? parsed : null);
		}
	});
});

describe('the fast ISO reader', () => {
	it('reads every toISOString() instant exactly as Date.parse does (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => toEpoch(new Date(ms).toISOString()) === ms),
			{ seed: 1803, numRuns: 20_000 },
		);
	});
	it('agrees with Date.parse on any string of that shape, days a month lacks included', () => {
		const two = (n: number) => String(n).padStart(2, '0');
		fc.assert(
			fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), (y, mo, d, h, mi) => {
				const iso = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:59.999Z`;
				const parsed = Date.parse(iso);
				return toEpoch(iso) === (Number.isFinite(parsed) ? parsed : null);
			}),
			{ seed: 1804, numRuns: 20_000 },
		);
		expect(toEpoch('2024-02-29T12:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 12));
		// Dates alone, as close dates are written: midnight UTC, as Date.parse reads them.
		fc.assert(
			fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, mo, d) => {
				const day = `${y}-${two(mo)}-${two(d)}`;
				const parsed = Date.parse(day);
				return toEpoch(day) === (Number.isFinite(parsed) ? parsed : null);
			}),
			{ seed: 1807, numRuns: 20_000 },
		);
		expect(toEpoch('2000-02-29T00:00:00.000Z')).toBe(Date.UTC(2000, 1, 29));
	});
});

describe('the columnar table', () => {
	const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 100_000 }), fc.constantFrom('won', 'lost', 'open', 'Closed Won', ' USD ', 'eur', 'commit', 'Best_Case', 'Discovery'), fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
	const history = fc.array(fc.record({ to: fc.constantFrom('Discovery', 'Demo', 'Proposal', '', 'x'), at: value }), { maxLength: 6 });
	const record = fc.record({ externalId: value, outcome: value, amount: value, currency: value, openedAt: value, closedAt: value, closeDate: value, stage: value, crmStage: value, forecastCategory: value, owner: value, stageHistory: fc.oneof(history, value) }, { requiredKeys: [] });

	it('reads many records exactly as it reads each one (property)', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 30 }), (records) => {
				const table = readDealTable(records as Array<Record<string, unknown>>, 'owner');
				return records.every((r, i) => JSON.stringify(dealAt(table, i)) === JSON.stringify(readDeal(r as Record<string, unknown>, i, 'owner')));
			}),
			{ seed: 1805, numRuns: 300 },
		);
	});

	it('builds the same table from records added in batches (pages of a CRM scan) as from all at once, however small it starts (property)', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }), fc.integer({ min: 0, max: 4 }), (records, cuts, capacity) => {
				const list = records as Array<Record<string, unknown>>;
				const builder = new DealTableBuilder('owner', capacity, capacity);
				const bounds = [0, ...cuts.map((c) => Math.min(c, list.length)).sort((a, b) => a - b), list.length];
				for (let b = 1; b < bounds.length; b++) builder.add(list.slice(bounds[b - 1], bounds[b]), (k) => bounds[b - 1] + k);
				const table = builder.finish();
				const whole = readDealTable(list, 'owner');
				const plain = (t: typeof table) => JSON.stringify({ ...t, dict: t.dict.values }, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
				return plain(table) === plain(whole);
			}),
			{ seed: 1808, numRuns: 300 },
		);
	});

	it('gives the same figures from records read as a table as from deals read one by one (property)', () => {
		const periods = { current: OCT, previous: SEP, next: NOV };
		fc.assert(
			fc.property(fc.array(record, { maxLength: 40 }), (records) => {
				const list = records as Array<Record<string, unknown>>;
				const fromTable = groupedMetrics(readDealTable(list, 'owner'), periods, options, true);
				const fromDeals = groupedMetrics(list.map((r, i) => readDeal(r, i, 'owner')), periods, options, true);
				return JSON.stringify(fromTable) === JSON.stringify(fromDeals);
			}),
			{ seed: 1806, numRuns: 200 },
		);
	});
});
