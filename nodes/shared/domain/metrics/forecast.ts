import type { Deal } from './deals';
import { OUTCOME_CODE, stagePositions, tableOfDeals, type DealTable } from './table';
import { round, type Period } from './figures';
import type { PeriodMetrics } from './kpis';

/**
 * The forecast's memory: win probabilities learnt from closed deals, the forecast a run stores for the
 * next period, and how far off the stored forecast of a finished period was.
 */

export interface LearnedProbability {
	probability: number | null;
	/** Closed deals that reached the stage. */
	closed: number;
	won: number;
	note?: string;
}

/**
 * Per stage in funnel order: among deals closed before `before` that reached the stage (every stage up
 * to the furthest they entered), the share won. Stages with fewer than `minSample` closed deals keep a
 * null probability (the config's applies there) with a note.
 */
export function learnedProbabilities(deals: readonly Deal[] | DealTable, before: number, stageOrder: readonly string[], field: 'stage' | 'crmStage', minSample: number): Record<string, LearnedProbability> {
	const t = Array.isArray(deals) ? tableOfDeals(deals as readonly Deal[]) : (deals as DealTable);
	const position = stagePositions(t, stageOrder);
	const column = field === 'crmStage' ? t.crmStage : t.stage;
	const closed = new Array<number>(stageOrder.length).fill(0);
	const won = new Array<number>(stageOrder.length).fill(0);
	for (let i = 0; i < t.n; i++) {
		const o = t.outcome[i];
		if ((o !== OUTCOME_CODE.won && o !== OUTCOME_CODE.lost) || !(t.closedAt[i] < before)) continue;
		let furthest = -1;
		for (let k = t.histStart[i]; k < t.histStart[i + 1]; k++) furthest = Math.max(furthest, position[t.histStage[k]]);
		if (column[i] >= 0) furthest = Math.max(furthest, position[column[i]]);
		for (let k = 0; k <= furthest; k++) {
			closed[k]++;
			if (o === OUTCOME_CODE.won) won[k]++;
		}
	}
	return Object.fromEntries(
		stageOrder.map((stage, i) => [
			stage,
			closed[i] >= minSample
				? { probability: round(won[i] / closed[i]) as number, closed: closed[i], won: won[i] }
				: { probability: null, closed: closed[i], won: won[i], note: `only ${closed[i]} closed deal(s) reached this stage (at least ${minSample} needed): the config's probability applies` },
		]),
	);
}

/** Learnt probabilities where there are enough deals, the config's elsewhere. */
export function mergedProbabilities(configured: Record<string, number>, learnt: Record<string, LearnedProbability>): Record<string, number> {
	const out = { ...configured };
	for (const [stage, l] of Object.entries(learnt)) if (l.probability !== null) out[stage] = l.probability;
	return out;
}

export interface ForecastSnapshot {
	company: string;
	group: string;
	/** The period forecast (the "next" period of the run that stored it). */
	period: { from: string; to: string };
	madeAt: string;
	currency: string;
	weightedPipeline: number | null;
	commit: number | null;
	bestCase: number | null;
	pipeline: number | null;
}

export function forecastSnapshot(company: string, group: string, next: Period, metrics: PeriodMetrics, currency: string, madeAt: Date): ForecastSnapshot {
	const f = metrics.figures;
	return {
		company,
		group,
		period: { from: new Date(next.from).toISOString(), to: new Date(next.to).toISOString() },
		madeAt: madeAt.toISOString(),
		currency,
		weightedPipeline: f.weightedPipeline.value,
		commit: f.commit.value,
		bestCase: f.bestCase.value,
		pipeline: f.pipeline.value,
	};
}

/** The state key a forecast is stored under: one per company, group and forecast period. */
export const forecastKey = (company: string, group: string, period: Period) => `forecast:${company}:${group}:${new Date(period.from).toISOString()}:${new Date(period.to).toISOString()}`;

export interface CategoryAccuracy {
	forecast: number | null;
	accuracy: number | null;
	bias: number | null;
}

export interface ForecastAccuracy {
	period: { from: string; to: string };
	bookings: number | null;
	madeAt: string | null;
	weightedPipeline: CategoryAccuracy;
	commit: CategoryAccuracy;
	bestCase: CategoryAccuracy;
	note?: string;
}

function category(forecast: number | null, bookings: number | null): CategoryAccuracy {
	if (forecast === null || bookings === null || bookings <= 0) return { forecast, accuracy: null, bias: null };
	return { forecast, accuracy: round(Math.max(0, 1 - Math.abs(forecast - bookings) / bookings)), bias: round((forecast - bookings) / bookings) };
}

/** How the forecast stored for a finished period compares with what was booked in it. */
export function forecastAccuracy(period: Period, stored: ForecastSnapshot | null, bookings: number | null): ForecastAccuracy {
	const p = { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() };
	const note = !stored ? 'no forecast was stored for this period; a run with Keep Forecasts stores one for the next' : bookings === null || bookings <= 0 ? 'nothing was booked in the period: accuracy is not defined' : undefined;
	return {
		period: p,
		bookings,
		madeAt: stored?.madeAt ?? null,
		weightedPipeline: category(stored?.weightedPipeline ?? null, bookings),
		commit: category(stored?.commit ?? null, bookings),
		bestCase: category(stored?.bestCase ?? null, bookings),
		...(note ? { note } : {}),
	};
}
