import { STAGE_DEFINITIONS, type KpiId } from './definitions';
import { activityFigures, type ActivityInput } from './activity';
import { DAY, Exclusions, figure, percentile, round, type Figure, type Period } from './figures';
import { OUTCOME_CODE, stagePositions, tableOfDeals, type DealTable } from './table';
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

/** The records besides deals: leads and activities (activity figures), accounts (retention). */
export interface OtherRecords {
	activity: ActivityInput;
	accounts: readonly Account[];
	accountsGiven: boolean;
	/** Now, epoch ms: a first-response deadline still ahead is neither hit nor missed. */
	asOf: number;
}

export const NO_OTHER_RECORDS: OtherRecords = { activity: { leads: [], activities: [], given: { leads: false, activities: false } }, accounts: [], accountsGiven: false, asOf: 0 };

/** Which deals of the table a computation looks at: all, or a group's indices. */
export type Members = Int32Array | null;

const isIn = (t: number, p: Period) => t >= p.from && t < p.to;
const WON = OUTCOME_CODE.won;
const LOST = OUTCOME_CODE.lost;
const OPEN = OUTCOME_CODE.open;

/** Whether deal i was open at a moment: not closed by then (a reopened deal is open again). */
function openAt(t: DealTable, i: number, at: number): boolean {
	if (t.openedAt[i] >= at) return false;
	const o = t.outcome[i];
	if (o === OPEN || o === 0) return true;
	return t.closedAt[i] >= at;
}

/** `next` is the period the forecast looks at (the following week, month or quarter). */
export function computeMetrics(deals: readonly Deal[], period: Period, next: Period, options: MetricsOptions, others: OtherRecords = NO_OTHER_RECORDS): PeriodMetrics {
	return computeTableMetrics(tableOfDeals(deals), null, period, next, options, others);
}

/** What the options say per dictionary id, worked out once per table (not once per group and period). */
export interface StageLookups {
	/** Win probability by stage id, NaN where the options give none. */
	probability: Float64Array;
	/** Place in the funnel's stage order by stage id, -1 outside it. */
	position: Int32Array;
}

export function stageLookups(t: DealTable, options: MetricsOptions): StageLookups {
	const probability = new Float64Array(t.dict.values.length).fill(NaN);
	for (const [stage, p] of Object.entries(options.stageProbabilities)) {
		const id = t.dict.find(stage);
		if (id >= 0) probability[id] = p;
	}
	return { probability, position: stagePositions(t, options.stageOrder) };
}

export function computeTableMetrics(t: DealTable, members: Members, period: Period, next: Period, options: MetricsOptions, others: OtherRecords = NO_OTHER_RECORDS, lookups: StageLookups = stageLookups(t, options)): PeriodMetrics {
	const currency = t.dict.find(options.currency);
	const otherCurrency = (i: number) => t.currency[i] !== -1 && t.currency[i] !== currency;
	const wrongCurrency = (i: number) => `amount in ${t.dict.values[t.currency[i]]}, not ${options.currency}`;
	const closedEx = new Exclusions();
	const cycleEx = new Exclusions();
	const acvEx = new Exclusions();
	const createdEx = new Exclusions();
	const pipeEx = new Exclusions();
	const weightEx = new Exclusions();
	const cycles: number[] = [];
	let won = 0;
	let lost = 0;
	let acvSum = 0;
	let acvCount = 0;
	let created = 0;
	let createdCount = 0;
	let opened = 0;
	let openAtEnd = 0;
	let pipeline = 0;
	let pipeCount = 0;
	let weighted = 0;
	let weightCount = 0;
	let commit = 0;
	let commitCount = 0;
	let bestCase = 0;
	let bestCount = 0;
	const commitId = t.dict.find('commit');
	const bestId = t.dict.find('best_case');
	const funnelColumn = (options.funnelField ?? 'stage') === 'crmStage' ? t.crmStage : t.stage;
	const { probability, position: slot } = lookups;
	const byStageAmount = new Float64Array(options.stageOrder.length + 1);
	const byStageDeals = new Int32Array(options.stageOrder.length + 1);

	// One pass over the deals for every figure.
	const count = members === null ? t.n : members.length;
	for (let m = 0; m < count; m++) {
		const i = members === null ? m : members[m];
		const o = t.outcome[i];
		const amount = t.amount[i];
		if (o === WON || o === LOST) {
			const closedAt = t.closedAt[i];
			if (Number.isNaN(closedAt)) closedEx.add(t.id[i], `${o === WON ? 'won' : 'lost'} without closedAt`);
			else if (isIn(closedAt, period)) {
				if (o === LOST) lost++;
				else {
					won++;
					const openedAt = t.openedAt[i];
					if (Number.isNaN(openedAt)) cycleEx.add(t.id[i], 'no openedAt');
					else if (closedAt < openedAt) cycleEx.add(t.id[i], 'closed before it opened');
					else cycles.push((closedAt - openedAt) / DAY);
					if (Number.isNaN(amount)) acvEx.add(t.id[i], 'no amount');
					else if (otherCurrency(i)) acvEx.add(t.id[i], wrongCurrency(i));
					else {
						acvSum += amount;
						acvCount++;
					}
				}
			}
		}
		if (isIn(t.openedAt[i], period)) {
			opened++;
			if (Number.isNaN(amount)) createdEx.add(t.id[i], 'no amount');
			else if (otherCurrency(i)) createdEx.add(t.id[i], wrongCurrency(i));
			else {
				created += amount;
				createdCount++;
			}
		}
		// The forecast: deals open at the period's end that are expected to close in the next period.
		if (!openAt(t, i, period.to)) continue;
		openAtEnd++;
		if (!Number.isNaN(amount) && !otherCurrency(i)) {
			const stage = funnelColumn[i];
			const k = stage >= 0 && slot[stage] >= 0 ? slot[stage] : options.stageOrder.length;
			byStageAmount[k] += amount;
			byStageDeals[k]++;
		}
		const closeDate = t.closeDate[i];
		if (Number.isNaN(closeDate)) {
			pipeEx.add(t.id[i], 'no expected close date');
			continue;
		}
		if (!isIn(closeDate, next)) continue;
		if (Number.isNaN(amount)) {
			pipeEx.add(t.id[i], 'no amount');
			continue;
		}
		if (otherCurrency(i)) {
			pipeEx.add(t.id[i], wrongCurrency(i));
			continue;
		}
		pipeline += amount;
		pipeCount++;
		const stage = t.stage[i];
		const p = stage >= 0 ? probability[stage] : NaN;
		if (Number.isNaN(p)) weightEx.add(t.id[i], stage < 0 ? 'no stage' : `no win probability for stage ${t.dict.values[stage]}`);
		else {
			weighted += amount * p;
			weightCount++;
		}
		const category = t.forecast[i];
		if (category === commitId && commitId >= 0) {
			commit += amount;
			commitCount++;
		}
		if ((category === commitId && commitId >= 0) || (category === bestId && bestId >= 0)) {
			bestCase += amount;
			bestCount++;
		}
	}
	const winRate = won + lost > 0 ? won / (won + lost) : null;
	cycles.sort((a, b) => a - b);
	const cycleMedian = percentile(cycles, 0.5);
	const acv = acvCount > 0 ? acvSum / acvCount : null;
	const velocity = winRate !== null && acv !== null && cycleMedian !== null && cycleMedian > 0 ? (openAtEnd * winRate * acv) / cycleMedian : null;
	const none = new Exclusions();
	const pipelineByStage = options.stageOrder.map((stage, k) => ({ stage, amount: round(byStageAmount[k], 2) as number, deals: byStageDeals[k] }));
	const last = options.stageOrder.length;
	if (byStageDeals[last] > 0) pipelineByStage.push({ stage: 'other', amount: round(byStageAmount[last], 2) as number, deals: byStageDeals[last] });

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
	return { period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() }, deals: count, pipelineByStage, figures, stages: stageFigures(t, members, period, options.stageOrder, funnelColumn, lookups.position), stageDefinitions: STAGE_DEFINITIONS };
}

/** Stage conversion among deals opened in the period, and time in stage for stays that began in it. */
function stageFigures(t: DealTable, members: Members, period: Period, order: readonly string[], funnelColumn: Int32Array, position: Int32Array): StageFigure[] {
	if (order.length === 0) return [];
	const reached = new Array<number>(order.length).fill(0);
	const stays: number[][] = order.map(() => []);
	const count = members === null ? t.n : members.length;
	for (let m = 0; m < count; m++) {
		const i = members === null ? m : members[m];
		const start = t.histStart[i];
		const end = t.histStart[i + 1];
		if (isIn(t.openedAt[i], period)) {
			let furthest = -1;
			for (let k = start; k < end; k++) furthest = Math.max(furthest, position[t.histStage[k]]);
			const current = funnelColumn[i];
			if (current >= 0) furthest = Math.max(furthest, position[current]);
			for (let k = 0; k <= furthest; k++) reached[k]++;
		}
		for (let k = start; k < end; k++) {
			const entered = t.histAt[k];
			if (!isIn(entered, period)) continue;
			const p = position[t.histStage[k]];
			if (p < 0) continue;
			const left = k + 1 < end ? t.histAt[k + 1] : t.closedAt[i];
			if (!Number.isNaN(left) && left >= entered) stays[p].push((left - entered) / DAY);
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

export function trendPoint(t: DealTable, members: Members, period: Period, currency: string): TrendPoint {
	const currencyId = t.dict.find(currency);
	let bookings = 0;
	let created = 0;
	let won = 0;
	let lost = 0;
	const count = members === null ? t.n : members.length;
	for (let m = 0; m < count; m++) {
		const i = members === null ? m : members[m];
		const amount = t.amount[i];
		const inCurrency = !Number.isNaN(amount) && (t.currency[i] === -1 || t.currency[i] === currencyId);
		if (inCurrency && isIn(t.openedAt[i], period)) created += amount;
		const o = t.outcome[i];
		if ((o === WON || o === LOST) && isIn(t.closedAt[i], period)) {
			if (o === WON) {
				won++;
				if (inCurrency) bookings += amount;
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
	deals: readonly Deal[] | DealTable,
	periods: Periods,
	options: MetricsOptions,
	grouped: boolean,
	others: OtherRecords = NO_OTHER_RECORDS,
	anomalyRules: AnomalyRules | null = null,
	trailing: readonly Period[] = [],
): GroupedMetrics[] {
	const t = Array.isArray(deals) ? tableOfDeals(deals as readonly Deal[]) : (deals as DealTable);
	// The deals of each group, as the table's indices (one pass).
	const dealGroups = new Map<string, number[]>();
	if (grouped) {
		for (let i = 0; i < t.n; i++) {
			const key = t.dict.value(t.group[i]) ?? '(none)';
			const list = dealGroups.get(key);
			if (list) list.push(i);
			else dealGroups.set(key, [i]);
		}
	}
	const leads = groupBy(others.activity.leads, grouped);
	const activities = groupBy(others.activity.activities, grouped);
	const accounts = groupBy(others.accounts, grouped);
	const lookups = stageLookups(t, options);
	const keys = ['all', ...new Set([...dealGroups.keys(), ...leads.byGroup.keys(), ...activities.byGroup.keys(), ...accounts.byGroup.keys()])];
	return keys.map((key) => {
		const all = key === 'all';
		const members: Members = all ? null : Int32Array.from(dealGroups.get(key) ?? []);
		const mine: OtherRecords = {
			activity: { leads: all ? leads.all : (leads.byGroup.get(key) ?? []), activities: all ? activities.all : (activities.byGroup.get(key) ?? []), given: others.activity.given },
			accounts: all ? accounts.all : (accounts.byGroup.get(key) ?? []),
			accountsGiven: others.accountsGiven,
			asOf: others.asOf,
		};
		// Quota and spend are the company's: a group's coverage or CAC against them would mislead.
		const groupOptions = all ? options : { ...options, quota: null, spend: null };
		const current = computeTableMetrics(t, members, periods.current, periods.next, groupOptions, mine, lookups);
		const before = computeTableMetrics(t, members, periods.previous, periods.current, groupOptions, mine, lookups);
		const change: Partial<Record<KpiId, number>> = {};
		for (const id of Object.keys(current.figures) as KpiId[]) {
			const a = current.figures[id].value;
			const b = before.figures[id].value;
			if (a !== null && b !== null) change[id] = round(a - b) as number;
		}
		const points = trailing.map((p) => trendPoint(t, members, p, options.currency));
		const anomalies = anomalyRules ? pipelineAnomalies(current, points.map((p) => p.pipelineCreated), anomalyRules) : [];
		const trend = [...points].reverse().concat(trendPoint(t, members, periods.current, options.currency));
		return { group: all ? 'all' : key, current, previous: before, change, anomalies, trend };
	});
}
