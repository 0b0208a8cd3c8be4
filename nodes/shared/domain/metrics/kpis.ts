import { STAGE_DEFINITIONS, type KpiId } from './definitions';
import { activityFigures, type ActivityInput } from './activity';
import { DAY, Exclusions, figure, inPeriod, percentile, round, type Figure, type Period } from './figures';
import { retentionFigures, type Account } from './retention';
import { pipelineAnomalies, type Anomaly, type AnomalyRules } from './warnings';
import type { Deal } from './deals';

/**
 * The sales KPIs of a group of deals for a period [from, to), deterministic and explained: each figure
 * carries its definition, the number of records behind it and the records it left out with the
 * reason (an opportunity without an amount, in another currency, closed without a close time...).
 * The forecast figures look at the next period of the same length.
 */

export type { Excluded, Figure, Period } from './figures';
export { percentile } from './figures';

export interface MetricsOptions {
	/** The company currency: amounts in another are left out, never converted. */
	currency: string;
	/** Quota of the next period, for coverage; null when not given. */
	quota: number | null;
	/** Win probability per stage (the config's stageProbabilities, or learnt from history). */
	stageProbabilities: Record<string, number>;
	/** Stages in funnel order, for conversion and time in stage. */
	stageOrder: string[];
	/** Which stage the funnel reads: the canon stage, or the CRM's own stage names (stageHistory in the same names). */
	funnelField?: 'stage' | 'crmStage';
	/** Sales and marketing spend of a period, for CAC; null when not given. */
	spend?: number | null;
}

export interface StageFigure {
	stage: string;
	/** Deals opened in the period that reached this stage. */
	reached: number;
	/** Share of them that reached the next stage (null for the last stage or when none reached this one). */
	conversion: number | null;
	timeInStageDaysMedian: number | null;
	timeInStageDaysP75: number | null;
	/** Stage stays measured. */
	stays: number;
}

export interface PeriodMetrics {
	period: { from: string; to: string };
	deals: number;
	/** Deals open at the period end by funnel stage (company currency; stages outside the funnel as "other"). */
	pipelineByStage: Array<{ stage: string; amount: number; deals: number }>;
	figures: Record<KpiId, Figure>;
	stages: StageFigure[];
	stageDefinitions: typeof STAGE_DEFINITIONS;
}

/** Whether a deal was open at a moment: not closed by then (a reopened deal is open again). */
function openAt(deal: Deal, at: number): boolean {
	if (deal.openedAt !== null && deal.openedAt >= at) return false;
	if (deal.outcome === 'open' || deal.outcome === null) return true;
	return deal.closedAt !== null && deal.closedAt >= at;
}

/** `next` is the period the forecast looks at (the following week, month or quarter). */
/** The records besides deals: leads and activities (activity figures), accounts (retention). */
export interface OtherRecords {
	activity: ActivityInput;
	accounts: readonly Account[];
	accountsGiven: boolean;
	/** Now, epoch ms: a first-response deadline still ahead is neither hit nor missed. */
	asOf: number;
}

export const NO_OTHER_RECORDS: OtherRecords = { activity: { leads: [], activities: [], given: { leads: false, activities: false } }, accounts: [], accountsGiven: false, asOf: 0 };

export function computeMetrics(deals: readonly Deal[], period: Period, next: Period, options: MetricsOptions, others: OtherRecords = NO_OTHER_RECORDS): PeriodMetrics {
	const closedEx = new Exclusions();
	let won = 0;
	let lost = 0;
	const wonDeals: Deal[] = [];
	for (const d of deals) {
		if (d.outcome !== 'won' && d.outcome !== 'lost') continue;
		if (d.closedAt === null) {
			closedEx.add(d.id, `${d.outcome} without closedAt`);
			continue;
		}
		if (!inPeriod(d.closedAt, period)) continue;
		if (d.outcome === 'won') {
			won++;
			wonDeals.push(d);
		} else lost++;
	}
	const winRate = won + lost > 0 ? won / (won + lost) : null;

	const cycleEx = new Exclusions();
	const cycles: number[] = [];
	for (const d of wonDeals) {
		if (d.openedAt === null) cycleEx.add(d.id, 'no openedAt');
		else if ((d.closedAt as number) < d.openedAt) cycleEx.add(d.id, 'closed before it opened');
		else cycles.push(((d.closedAt as number) - d.openedAt) / DAY);
	}
	cycles.sort((a, b) => a - b);
	const cycleMedian = percentile(cycles, 0.5);

	const acvEx = new Exclusions();
	let acvSum = 0;
	let acvCount = 0;
	for (const d of wonDeals) {
		if (d.amount === null) acvEx.add(d.id, 'no amount');
		else if (d.currency !== null && d.currency !== options.currency) acvEx.add(d.id, `amount in ${d.currency}, not ${options.currency}`);
		else {
			acvSum += d.amount;
			acvCount++;
		}
	}
	const acv = acvCount > 0 ? acvSum / acvCount : null;

	const createdEx = new Exclusions();
	let created = 0;
	let createdCount = 0;
	let opened = 0;
	for (const d of deals) {
		if (!inPeriod(d.openedAt, period)) continue;
		opened++;
		if (d.amount === null) createdEx.add(d.id, 'no amount');
		else if (d.currency !== null && d.currency !== options.currency) createdEx.add(d.id, `amount in ${d.currency}, not ${options.currency}`);
		else {
			created += d.amount;
			createdCount++;
		}
	}

	// The forecast: deals open at the period's end that are expected to close in the next period.
	const pipeEx = new Exclusions();
	const weightEx = new Exclusions();
	let openAtEnd = 0;
	let pipeline = 0;
	let pipeCount = 0;
	let weighted = 0;
	let weightCount = 0;
	let commit = 0;
	let commitCount = 0;
	let bestCase = 0;
	let bestCount = 0;
	const field = options.funnelField ?? 'stage';
	const byStage = new Map<string, { amount: number; deals: number }>(options.stageOrder.map((st) => [st, { amount: 0, deals: 0 }]));
	for (const d of deals) {
		if (!openAt(d, period.to)) continue;
		openAtEnd++;
		if (d.amount !== null && (d.currency === null || d.currency === options.currency)) {
			const at = byStage.get(d[field] ?? '') ?? byStage.get('other') ?? byStage.set('other', { amount: 0, deals: 0 }).get('other')!;
			at.amount += d.amount;
			at.deals++;
		}
		if (d.closeDate === null) {
			pipeEx.add(d.id, 'no expected close date');
			continue;
		}
		if (!inPeriod(d.closeDate, next)) continue;
		if (d.amount === null) {
			pipeEx.add(d.id, 'no amount');
			continue;
		}
		if (d.currency !== null && d.currency !== options.currency) {
			pipeEx.add(d.id, `amount in ${d.currency}, not ${options.currency}`);
			continue;
		}
		pipeline += d.amount;
		pipeCount++;
		const p = d.stage !== null ? options.stageProbabilities[d.stage] : undefined;
		if (p === undefined) weightEx.add(d.id, d.stage === null ? 'no stage' : `no win probability for stage ${d.stage}`);
		else {
			weighted += d.amount * p;
			weightCount++;
		}
		if (d.forecastCategory === 'commit') {
			commit += d.amount;
			commitCount++;
		}
		if (d.forecastCategory === 'commit' || d.forecastCategory === 'best_case') {
			bestCase += d.amount;
			bestCount++;
		}
	}
	const velocity = winRate !== null && acv !== null && cycleMedian !== null && cycleMedian > 0 ? (openAtEnd * winRate * acv) / cycleMedian : null;
	const none = new Exclusions();

	const figures: Record<KpiId, Figure> = {
		winRate: figure('winRate', winRate, won + lost, closedEx, 'no deal was won or lost in the period'),
		cycleDaysMedian: figure('cycleDaysMedian', cycleMedian, cycles.length, cycleEx, 'no won deal with an opening date'),
		cycleDaysP75: figure('cycleDaysP75', percentile(cycles, 0.75), cycles.length, cycleEx, 'no won deal with an opening date'),
		acv: figure('acv', acv, acvCount, acvEx, 'no won deal with an amount'),
		velocity: figure('velocity', velocity, openAtEnd, none, 'needs a win rate, an ACV and a sales cycle'),
		pipeline: figure('pipeline', pipeline, pipeCount, pipeEx),
		coverage: figure('coverage', options.quota && options.quota > 0 ? pipeline / options.quota : null, pipeCount, pipeEx, 'no quota given for the next period'),
		weightedPipeline: figure('weightedPipeline', weighted, weightCount, weightEx),
		commit: figure('commit', commit, commitCount, none),
		bestCase: figure('bestCase', bestCase, bestCount, none),
		bookings: figure('bookings', acvSum, acvCount, acvEx),
		pipelineCreated: figure('pipelineCreated', created, createdCount, createdEx),
		cac: figure('cac', options.spend && options.spend > 0 && won > 0 ? options.spend / won : null, won, none, options.spend ? 'no deal won in the period' : 'no spend for the period (config metrics.spend)'),
		...activityFigures(others.activity, period, opened, others.asOf),
		...retentionFigures(others.accounts, period, others.accountsGiven),
	};
	const pipelineByStage = [...byStage.entries()].map(([stage, v]) => ({ stage, amount: round(v.amount, 2) as number, deals: v.deals }));
	return { period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() }, deals: deals.length, pipelineByStage, figures, stages: stageFigures(deals, period, options.stageOrder, field), stageDefinitions: STAGE_DEFINITIONS };
}

/** Stage conversion among deals opened in the period, and time in stage for stays that began in it. */
function stageFigures(deals: readonly Deal[], period: Period, order: readonly string[], field: 'stage' | 'crmStage'): StageFigure[] {
	if (order.length === 0) return [];
	const index = new Map(order.map((s, i) => [s, i]));
	const reached = new Array<number>(order.length).fill(0);
	const stays: number[][] = order.map(() => []);
	for (const d of deals) {
		if (inPeriod(d.openedAt, period)) {
			let furthest = -1;
			for (const to of d.stageTo) furthest = Math.max(furthest, index.get(to) ?? -1);
			const current = d[field];
			if (current !== null) furthest = Math.max(furthest, index.get(current) ?? -1);
			for (let i = 0; i <= furthest; i++) reached[i]++;
		}
		const n = d.stageAt.length;
		for (let k = 0; k < n; k++) {
			const entered = d.stageAt[k];
			if (!inPeriod(entered, period)) continue;
			const i = index.get(d.stageTo[k]);
			if (i === undefined) continue;
			const left = k + 1 < n ? d.stageAt[k + 1] : d.closedAt;
			if (left !== null && left >= entered) stays[i].push((left - entered) / DAY);
		}
	}
	return order.map((stage, i) => {
		const sorted = stays[i].sort((a, b) => a - b);
		return {
			stage,
			reached: reached[i],
			conversion: i + 1 < order.length && reached[i] > 0 ? round(reached[i + 1] / reached[i]) : null,
			timeInStageDaysMedian: round(percentile(sorted, 0.5), 2),
			timeInStageDaysP75: round(percentile(sorted, 0.75), 2),
			stays: sorted.length,
		};
	});
}

export interface GroupedMetrics {
	group: string;
	current: PeriodMetrics;
	previous: PeriodMetrics;
	/** Current minus previous, per figure with both values. */
	change: Partial<Record<KpiId, number>>;
	/** Pipeline-level flags (creation under its trailing norm, coverage outside the healthy band). */
	anomalies: Anomaly[];
	/** Headline figures of the trailing periods and the current one, oldest first. */
	trend: TrendPoint[];
}

/** A period, the one before it and the one after it (calendar weeks, months or quarters). */
export interface Periods {
	current: Period;
	previous: Period;
	next: Period;
}

/** The headline figures of one period, for trends and the creation norm (same rules as the figures). */
export interface TrendPoint {
	from: string;
	to: string;
	bookings: number;
	pipelineCreated: number;
	won: number;
	lost: number;
	winRate: number | null;
}

export function trendPoint(deals: readonly Deal[], period: Period, currency: string): TrendPoint {
	let bookings = 0;
	let created = 0;
	let won = 0;
	let lost = 0;
	for (const d of deals) {
		const inCurrency = d.amount !== null && (d.currency === null || d.currency === currency);
		if (inCurrency && inPeriod(d.openedAt, period)) created += d.amount as number;
		if ((d.outcome === 'won' || d.outcome === 'lost') && inPeriod(d.closedAt, period)) {
			if (d.outcome === 'won') {
				won++;
				if (inCurrency) bookings += d.amount as number;
			} else lost++;
		}
	}
	return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), bookings: round(bookings, 2) as number, pipelineCreated: round(created, 2) as number, won, lost, winRate: won + lost ? round(won / (won + lost)) : null };
}

interface Grouped<T extends { group: string | null }> {
	all: readonly T[];
	byGroup: Map<string, T[]>;
}

function groupBy<T extends { group: string | null }>(list: readonly T[], grouped: boolean): Grouped<T> {
	const byGroup = new Map<string, T[]>();
	if (grouped) {
		for (const x of list) {
			const key = x.group ?? '(none)';
			const members = byGroup.get(key);
			if (members) members.push(x);
			else byGroup.set(key, [x]);
		}
	}
	return { all: list, byGroup };
}

/**
 * The metrics of every group (and "all"), for the period and the one before it, with the pipeline
 * anomalies of each (`trailing`: the periods before the current one, newest first, for the creation
 * norm).
 */
export function groupedMetrics(
	deals: readonly Deal[],
	periods: Periods,
	options: MetricsOptions,
	grouped: boolean,
	others: OtherRecords = NO_OTHER_RECORDS,
	anomalyRules: AnomalyRules | null = null,
	trailing: readonly Period[] = [],
): GroupedMetrics[] {
	const d = groupBy(deals, grouped);
	const leads = groupBy(others.activity.leads, grouped);
	const activities = groupBy(others.activity.activities, grouped);
	const accounts = groupBy(others.accounts, grouped);
	const keys = ['all', ...new Set([...d.byGroup.keys(), ...leads.byGroup.keys(), ...activities.byGroup.keys(), ...accounts.byGroup.keys()])];
	return keys.map((key) => {
		const all = key === 'all';
		const list = all ? d.all : (d.byGroup.get(key) ?? []);
		const mine: OtherRecords = {
			activity: { leads: all ? leads.all : (leads.byGroup.get(key) ?? []), activities: all ? activities.all : (activities.byGroup.get(key) ?? []), given: others.activity.given },
			accounts: all ? accounts.all : (accounts.byGroup.get(key) ?? []),
			accountsGiven: others.accountsGiven,
			asOf: others.asOf,
		};
		// Quota and spend are the company's: a group's coverage or CAC against them would mislead.
		const groupOptions = all ? options : { ...options, quota: null, spend: null };
		const current = computeMetrics(list, periods.current, periods.next, groupOptions, mine);
		const before = computeMetrics(list, periods.previous, periods.current, groupOptions, mine);
		const change: Partial<Record<KpiId, number>> = {};
		for (const id of Object.keys(current.figures) as KpiId[]) {
			const a = current.figures[id].value;
			const b = before.figures[id].value;
			if (a !== null && b !== null) change[id] = round(a - b) as number;
		}
		const points = trailing.map((p) => trendPoint(list, p, options.currency));
		const anomalies = anomalyRules ? pipelineAnomalies(current, points.map((p) => p.pipelineCreated), anomalyRules) : [];
		const trend = [...points].reverse().concat(trendPoint(list, periods.current, options.currency));
		return { group: all ? 'all' : key, current, previous: before, change, anomalies, trend };
	});
}
