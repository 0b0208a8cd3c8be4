import fc from 'fast-check';
import { activityFigures, readActivity, readLead } from '../../nodes/shared/domain/metrics/activity';
import { readDeal } from '../../nodes/shared/domain/metrics/table';
import { forecastAccuracy, forecastSnapshot, learnedProbabilities, mergedProbabilities } from '../../nodes/shared/domain/metrics/forecast';
import { computeMetrics, groupedMetrics, type MetricsOptions, type Period } from '../../nodes/shared/domain/metrics/kpis';
import { readAccount, retentionFigures, revenueAt } from '../../nodes/shared/domain/metrics/retention';
import { closeDatePushes, dealWarnings, pipelineAnomalies, readDealSignals, stageStayP75, type WarningRules } from '../../nodes/shared/domain/metrics/warnings';
import { winLoss } from '../../nodes/shared/domain/metrics/winloss';
import { IcpPlaybookSchema } from '../../nodes/shared/domain/scoring/playbook-schema';

const t = (s: string) => Date.parse(s);
const OCT: Period = { from: t('2026-10-01T00:00:00Z'), to: t('2026-11-01T00:00:00Z') };
const NOV: Period = { from: OCT.to, to: t('2026-12-01T00:00:00Z') };
const SEP: Period = { from: t('2026-09-01T00:00:00Z'), to: OCT.from };
const DAY = 86_400_000;

describe('activity figures (hand-computed)', () => {
	const leads = [
		// answered in 10 minutes, within its 15-minute deadline
		{ dedupeKey: 'a', owner: 'ana', firstTouchAt: '2026-10-02T10:00:00Z', firstRespondedAt: '2026-10-02T10:10:00Z', firstResponseDueAt: '2026-10-02T10:15:00Z' },
		// answered in 30 minutes, after its deadline
		{ dedupeKey: 'b', owner: 'ben', firstTouchAt: '2026-10-03T10:00:00Z', firstRespondedAt: '2026-10-03T10:30:00Z', firstResponseDueAt: '2026-10-03T10:15:00Z' },
		// never answered, deadline passed: a miss; and nobody owns it
		{ dedupeKey: 'c', firstTouchAt: '2026-10-04T10:00:00Z', firstResponseDueAt: '2026-10-04T10:15:00Z' },
		// never answered, deadline still ahead of asOf: neither
		{ dedupeKey: 'd', owner: 'ana', firstTouchAt: '2026-10-31T23:50:00Z', firstResponseDueAt: '2026-11-01T00:05:00Z' },
		// another period
		{ dedupeKey: 'e', owner: 'ana', firstTouchAt: '2026-09-30T10:00:00Z', firstRespondedAt: '2026-09-30T10:01:00Z', firstResponseDueAt: '2026-09-30T10:15:00Z' },
		// no first touch at all
		{ dedupeKey: 'f', owner: 'ana' },
	].map((f, i) => readLead(f, i, ''));
	const activities = [
		{ externalId: '1', type: 'call', occurredAt: '2026-10-05T10:00:00Z' },
		{ externalId: '2', type: 'Email', occurredAt: '2026-10-06T10:00:00Z' },
		{ externalId: '3', type: 'meeting', occurredAt: '2026-10-07T10:00:00Z' },
		{ externalId: '4', type: 'note', occurredAt: '2026-10-07T10:00:00Z' },
		{ externalId: '5', type: 'call', occurredAt: '2026-11-07T10:00:00Z' },
		{ externalId: '6', type: 'call' },
	].map((f, i) => readActivity(f, i, ''));
	const asOf = t('2026-11-01T00:01:00Z');

	it('counts touches per opened deal, median response, SLA hits among passed deadlines, leads without owner', () => {
		const f = activityFigures({ leads, activities, given: { leads: true, activities: true } }, OCT, 2, asOf);
		expect(f.activityToOpportunity.value).toBe(1.5); // 3 selling touches / 2 deals
		expect(f.activityToOpportunity.excluded.byReason).toEqual({ 'no occurredAt': 1 });
		expect(f.responseMinutesMedian.value).toBe(10); // 10 and 30: nearest-rank median is 10
		expect(f.responseMinutesMedian.count).toBe(2);
		expect(f.slaHitRate.value).toBeCloseTo(1 / 3, 4); // a hit; b late; c unanswered and past due
		expect(f.slaHitRate.excluded.byReason).toEqual({ 'deadline not reached yet': 1 });
		expect(f.noOwnerLeads.value).toBe(1);
		expect(f.noOwnerLeads.count).toBe(4);
	});

	it('says which records are missing rather than reporting zeros', () => {
		const f = activityFigures({ leads: [], activities: [], given: { leads: false, activities: false } }, OCT, 2, asOf);
		expect(f.activityToOpportunity.value).toBeNull();
		expect(f.activityToOpportunity.note).toMatch(/no activity records/);
		expect(f.noOwnerLeads.value).toBeNull();
		expect(f.slaHitRate.note).toMatch(/no lead records/);
	});
});

describe('retention from revenue snapshots (hand-computed)', () => {
	const accounts = [
		// 100 -> 120: expansion
		{ domain: 'a.com', arrHistory: [{ at: '2026-01-01T00:00:00Z', arr: 100 }, { at: '2026-10-10T00:00:00Z', arr: 120 }] },
		// 200 -> 0: churned in the period
		{ domain: 'b.com', arrHistory: [{ at: '2026-02-01T00:00:00Z', arr: 200 }, { at: '2026-10-20T00:00:00Z', arr: 0 }] },
		// 100 -> 80: contraction (snapshots out of order on purpose)
		{ domain: 'c.com', arrHistory: [{ at: '2026-10-15T00:00:00Z', arr: 80 }, { at: '2026-03-01T00:00:00Z', arr: '100' }] },
		// new in the period: never counts
		{ domain: 'd.com', arrHistory: [{ at: '2026-10-05T00:00:00Z', arr: 500 }] },
		// no snapshots
		{ domain: 'e.com' },
	].map((f, i) => readAccount(f, i, ''));

	it('NRR = 200/400, GRR = (100+0+80)/400', () => {
		const f = retentionFigures(accounts, OCT, true);
		expect(f.nrr.value).toBe(0.5);
		expect(f.grr.value).toBe(0.45);
		expect(f.nrr.count).toBe(3);
		expect(f.nrr.excluded.byReason).toEqual({ 'no revenue snapshots': 1 });
	});

	it('GRR never exceeds NRR nor 1 (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1_000 })), { maxLength: 6 }), { maxLength: 30 }), (hist) => {
				const list = hist.map((h, i) => readAccount({ domain: `x${i}`, arrHistory: h.map(([d, arr]) => ({ at: new Date(t('2026-01-01T00:00:00Z') + d * DAY).toISOString(), arr })) }, i, ''));
				const f = retentionFigures(list, OCT, true);
				if (f.nrr.value === null) return f.grr.value === null;
				return (f.grr.value as number) <= (f.nrr.value as number) + 1e-4 && (f.grr.value as number) <= 1;
			}),
			{ seed: 18, numRuns: 300 },
		);
	});

	it('revenue in force is the last snapshot at or before the moment', () => {
		expect(revenueAt(accounts[0], t('2025-12-31T00:00:00Z'))).toBeNull();
		expect(revenueAt(accounts[0], t('2026-10-10T00:00:00Z'))).toBe(120);
	});
});

const options: MetricsOptions = {
	currency: 'USD',
	quota: 100_000,
	stageProbabilities: { discovery: 0.1, proposal: 0.5 },
	stageOrder: ['discovery', 'proposal'],
	funnelField: 'crmStage',
	spend: 30_000,
};

describe('bookings, pipeline created, CAC', () => {
	const deals = [
		{ externalId: 'W1', outcome: 'won', openedAt: '2026-09-01T00:00:00Z', closedAt: '2026-10-05T00:00:00Z', amount: 10_000 },
		{ externalId: 'W2', outcome: 'won', openedAt: '2026-10-02T00:00:00Z', closedAt: '2026-10-25T00:00:00Z', amount: 20_000 },
		{ externalId: 'W3', outcome: 'won', openedAt: '2026-10-03T00:00:00Z', closedAt: '2026-10-26T00:00:00Z', amount: 5_000, currency: 'EUR' },
		{ externalId: 'O1', outcome: 'open', openedAt: '2026-10-09T00:00:00Z', amount: 7_000 },
		{ externalId: 'O2', outcome: 'open', openedAt: '2026-10-09T00:00:00Z' },
	].map((f, i) => readDeal(f, i, ''));
	it('sums won and opened amounts in the company currency; CAC = spend / deals won', () => {
		const m = computeMetrics(deals, OCT, NOV, options);
		expect(m.figures.bookings.value).toBe(30_000);
		expect(m.figures.pipelineCreated.value).toBe(27_000);
		expect(m.figures.pipelineCreated.excluded.byReason).toEqual({ 'amount in EUR, not USD': 1, 'no amount': 1 });
		expect(m.figures.cac.value).toBe(10_000);
		expect(computeMetrics(deals, OCT, NOV, { ...options, spend: null }).figures.cac.note).toMatch(/no spend/);
	});
	it('gives quota and spend to the company as a whole only, not to each group', () => {
		const grouped = groupedMetrics(deals.map((d, i) => ({ ...d, group: i % 2 ? 'ana' : 'ben' })), { current: OCT, previous: SEP, next: NOV }, options, true);
		expect(grouped[0].current.figures.cac.value).toBe(10_000);
		for (const g of grouped.slice(1)) expect(g.current.figures.cac.value).toBeNull();
	});
});

describe('pipeline anomalies', () => {
	const rules = { minCoverage: 3, maxCoverage: 5, creationDropShare: 0.7 };
	const deal = (id: string, opened: string, amount: number, extra: Record<string, unknown> = {}) => readDeal({ externalId: id, outcome: 'open', openedAt: opened, amount, ...extra }, 0, '');
	it('flags creation under 70% of the trailing mean and coverage under 3x, with the numbers', () => {
		const deals = [deal('a', '2026-07-05T00:00:00Z', 100_000), deal('b', '2026-08-05T00:00:00Z', 100_000), deal('c', '2026-09-05T00:00:00Z', 100_000), deal('d', '2026-10-05T00:00:00Z', 60_000, { closeDate: '2026-11-20' })];
		const trailing = [SEP, { from: t('2026-08-01T00:00:00Z'), to: SEP.from }, { from: t('2026-07-01T00:00:00Z'), to: t('2026-08-01T00:00:00Z') }];
		const [all] = groupedMetrics(deals, { current: OCT, previous: SEP, next: NOV }, options, false, undefined, rules, trailing);
		expect(all.anomalies.map((a) => a.code)).toEqual(['pipelineCreationDrop', 'coverageLow']);
		expect(all.anomalies[0].reason).toContain('60%');
		expect(all.anomalies[1].value).toBe(0.6);
	});
	it('says nothing at 70% or more of the norm, or inside the band', () => {
		const m = computeMetrics([deal('a', '2026-10-05T00:00:00Z', 70_000, { closeDate: '2026-11-20' })], OCT, NOV, { ...options, quota: 20_000 });
		expect(pipelineAnomalies(m, [100_000], rules)).toEqual([]);
		const high = computeMetrics([deal('a', '2026-10-05T00:00:00Z', 70_000, { closeDate: '2026-11-20' })], OCT, NOV, { ...options, quota: 10_000 });
		expect(pipelineAnomalies(high, [], rules).map((a) => a.code)).toEqual(['coverageHigh']);
	});
});

describe('deal warnings', () => {
	const rules: WarningRules = { stalledDays: 14, closeDatePushes: 2, minStaysForP75: 3, lateStages: new Set(['proposal']), manager: 'lead@acme.test' };
	const asOf = t('2026-11-01T00:00:00Z');
	// History: stays in discovery of 5, 10, 20 and 40 days -> p75 20 days.
	const history = [5, 10, 20, 40].map((days, i) =>
		readDeal({ externalId: `h${i}`, outcome: 'lost', closedAt: new Date(t('2026-03-01T00:00:00Z') + (days + 1) * DAY).toISOString(), stageHistory: [{ to: 'discovery', at: '2026-03-01T00:00:00Z' }, { to: 'proposal', at: new Date(t('2026-03-01T00:00:00Z') + days * DAY).toISOString() }] }, i, ''),
	);
	const p75 = stageStayP75(history, rules.minStaysForP75);
	it('learns each stage p75 only from enough completed stays', () => {
		expect(p75.get('discovery')).toBe(20);
		expect(p75.has('proposal')).toBe(true); // 4 stays of 1 day
		expect(stageStayP75(history, 5).size).toBe(0);
	});
	it('flags a stalled, stuck, pushed, single-threaded late deal without an economic buyer, each with its reason', () => {
		const fields = {
			externalId: 'X', outcome: 'open', crmStage: 'proposal', openedAt: '2026-08-01T00:00:00Z', lastActivityAt: '2026-10-01T00:00:00Z', closeDate: '2026-12-20',
			stageHistory: [{ to: 'discovery', at: '2026-08-01T00:00:00Z' }, { to: 'proposal', at: '2026-10-01T00:00:00Z' }],
			closeDateHistory: [{ at: '2026-08-01T00:00:00Z', to: '2026-10-01' }, { at: '2026-09-20T00:00:00Z', to: '2026-11-01' }, { at: '2026-10-20T00:00:00Z', to: '2026-10-25' }, { at: '2026-10-25T00:00:00Z', to: '2026-12-20' }],
			contactCount: 1, meddiccEconomicBuyer: 'unknown',
		};
		const w = dealWarnings(readDeal(fields, 0, ''), 'proposal', readDealSignals(fields), p75, rules, asOf);
		expect(w.map((x) => x.code)).toEqual(['stalled', 'stuckInStage', 'closeDatePushed', 'singleThreaded', 'noEconomicBuyer']);
		expect(w[0].reason).toContain('31 days');
		expect(w[2].reason).toContain('pushed 2 times');
	});
	it('flags nothing on a healthy deal, on a closed deal, or where the input says nothing', () => {
		const fields = { externalId: 'Y', outcome: 'open', crmStage: 'discovery', lastActivityAt: '2026-10-30T00:00:00Z', stageHistory: [{ to: 'discovery', at: '2026-10-25T00:00:00Z' }], contactCount: 3 };
		expect(dealWarnings(readDeal(fields, 0, ''), 'discovery', readDealSignals(fields), p75, rules, asOf)).toEqual([]);
		const closed = { ...fields, outcome: 'won', lastActivityAt: '2020-01-01T00:00:00Z', contactCount: 0 };
		expect(dealWarnings(readDeal(closed, 0, ''), 'discovery', readDealSignals(closed), p75, rules, asOf)).toEqual([]);
		const bare = { externalId: 'Z', outcome: 'open', crmStage: 'discovery', lastActivityAt: '2026-10-30T00:00:00Z' };
		expect(dealWarnings(readDeal(bare, 0, ''), 'discovery', readDealSignals(bare), p75, rules, asOf)).toEqual([]);
	});
	it('counts only moves of the close date to a later date as pushes (property: pushes <= changes)', () => {
		expect(closeDatePushes([1, 3, 2, 5])).toBe(2);
		fc.assert(fc.property(fc.array(fc.integer()), (xs) => closeDatePushes(xs) <= Math.max(0, xs.length - 1)), { seed: 7 });
	});
});

describe('forecast: learnt probabilities and accuracy', () => {
	const closed = (id: string, outcome: string, furthest: string[], closedAt = '2026-09-15T00:00:00Z') =>
		readDeal({ externalId: id, outcome, closedAt, stageHistory: furthest.map((to, k) => ({ to, at: new Date(t('2026-08-01T00:00:00Z') + k * DAY).toISOString() })) }, 0, '');
	const deals = [
		closed('1', 'won', ['discovery', 'proposal']),
		closed('2', 'won', ['discovery', 'proposal']),
		closed('3', 'lost', ['discovery', 'proposal']),
		closed('4', 'lost', ['discovery']),
		closed('5', 'lost', ['discovery']),
		closed('6', 'won', ['discovery', 'proposal'], '2026-10-15T00:00:00Z'), // after the cut-off
	];
	it('won / closed among deals that reached each stage, before the period end', () => {
		const l = learnedProbabilities(deals, OCT.from, ['discovery', 'proposal'], 'crmStage', 3);
		expect(l.discovery).toEqual({ probability: 0.4, closed: 5, won: 2 });
		expect(l.proposal.probability).toBe(0.6667);
		const few = learnedProbabilities(deals, OCT.from, ['discovery', 'proposal'], 'crmStage', 4);
		expect(few.proposal.probability).toBeNull();
		expect(few.proposal.note).toMatch(/only 3/);
		expect(mergedProbabilities({ discovery: 0.1, proposal: 0.5 }, few)).toEqual({ discovery: 0.4, proposal: 0.5 });
	});
	it('scores a stored forecast against bookings', () => {
		const m = computeMetrics([readDeal({ externalId: 'o', outcome: 'open', closeDate: '2026-11-10', amount: 40_000, crmStage: 'proposal', stage: 'proposal', forecastCategory: 'commit' }, 0, '')], OCT, NOV, { ...options, stageProbabilities: { proposal: 0.5 } });
		const snap = forecastSnapshot('acme', 'all', NOV, m, 'USD', new Date('2026-11-01T00:00:00Z'));
		expect(snap).toMatchObject({ weightedPipeline: 20_000, commit: 40_000, period: { from: '2026-11-01T00:00:00.000Z' } });
		const acc = forecastAccuracy(NOV, snap, 25_000);
		expect(acc.weightedPipeline).toEqual({ forecast: 20_000, accuracy: 0.8, bias: -0.2 });
		expect(acc.commit).toEqual({ forecast: 40_000, accuracy: 0.4, bias: 0.6 });
		expect(forecastAccuracy(NOV, null, 25_000).note).toMatch(/no forecast was stored/);
		expect(forecastAccuracy(NOV, snap, 0).commit.accuracy).toBeNull();
	});
});

describe('win/loss and ICP lift', () => {
	const playbook = IcpPlaybookSchema.parse({
		version: 'v3',
		criteria: [
			{ id: 'industry', field: 'industry', op: 'in', values: ['software'], weight: 30 },
			{ id: 'size', field: 'employeeCount', op: 'bands', bands: [{ max: 50, points: 10 }, { min: 50, points: 100 }], weight: 20 },
		],
	});
	// 40 deals: software wins 3 in 4, others 1 in 4; size has no relation (alternating).
	const closed = Array.from({ length: 40 }, (_, i) => {
		const software = i < 20;
		const won = software ? i % 4 !== 3 : i % 4 === 0;
		return {
			deal: readDeal({ externalId: `d${i}`, outcome: won ? 'won' : 'lost', closedAt: '2026-10-10T00:00:00Z' }, i, ''),
			dimensions: { reason: won ? 'value' : 'price', competitor: i % 2 ? 'Rival' : null, segment: 'T2', source: 'web' },
			account: { industry: software ? 'software' : 'retail', ...(i < 38 ? { employeeCount: i % 2 ? 100 : 10 } : {}) },
		};
	});
	it('breaks down by reason and competitor, and finds the lift of each criterion', () => {
		const w = winLoss(closed, OCT, playbook, 15, OCT.to);
		expect([w.won, w.lost, w.winRate]).toEqual([20, 20, 0.5]);
		expect(w.byDimension.reason).toEqual([{ value: 'price', won: 0, lost: 20, winRate: 0 }, { value: 'value', won: 20, lost: 0, winRate: 1 }]);
		expect(w.byDimension.competitor.map((b) => b.value).sort()).toEqual(['(none)', 'Rival']);
		const industry = w.icpLift.find((l) => l.criterion === 'industry')!;
		expect(industry).toMatchObject({ meets: { deals: 20, won: 15, winRate: 0.75 }, misses: { deals: 20, won: 5 }, lift: 1.5, confidence: 'enough data' });
		const size = w.icpLift.find((l) => l.criterion === 'size')!;
		expect(size.unknown).toBe(2);
		expect(w.changes).toEqual([{ criterion: 'industry', from: 30, to: 45, why: expect.stringContaining('lift 1.5') }, ...(size.lift !== null && size.lift !== 1 && size.confidence === 'enough data' ? [expect.objectContaining({ criterion: 'size' })] : [])]);
		expect(w.suggestedPlaybook!.criteria[0].weight).toBe(45);
		expect(w.suggestedPlaybook!.version).toContain('v3');
		expect(IcpPlaybookSchema.safeParse(w.suggestedPlaybook).success).toBe(true);
	});
	it('suggests nothing on a small sample, and says so', () => {
		const w = winLoss(closed.slice(0, 12), OCT, playbook, 15, OCT.to);
		expect(w.suggestedPlaybook).toBeNull();
		expect(w.icpLift[0].confidence).toBe('small sample');
		expect(w.icpLift[0].note).toMatch(/at least 15/);
	});
	it('keeps every suggested weight within half and double the current one (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 0, maxLength: 120 }), (rows) => {
				const list = rows.map(([software, won], i) => ({ deal: readDeal({ externalId: `p${i}`, outcome: won ? 'won' : 'lost', closedAt: '2026-10-10T00:00:00Z' }, i, ''), dimensions: {}, account: { industry: software ? 'software' : 'retail' } }));
				const w = winLoss(list, OCT, playbook, 5, OCT.to);
				return w.changes.every((c) => c.to >= c.from / 2 - 0.05 && c.to <= c.from * 2 + 0.05);
			}),
			{ seed: 21, numRuns: 200 },
		);
	});
});
