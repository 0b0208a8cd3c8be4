import { KPI_DEFINITIONS, type KpiId } from './definitions';

/** What every figure is made of: its definition, the records behind it, those left out and why. */

export interface Period {
	from: number;
	to: number;
}

export interface Excluded {
	total: number;
	byReason: Record<string, number>;
	/** The first few records left out, with why. */
	examples: Array<{ id: string; reason: string }>;
}

export interface Figure {
	id: KpiId;
	name: string;
	unit: string;
	definition: string;
	value: number | null;
	/** Records behind the value. */
	count: number;
	excluded: Excluded;
	/** Why there is no value, when there is none, or that the sample is small. */
	note?: string;
}

export const DAY = 86_400_000;
const MAX_EXAMPLES = 10;

export class Exclusions {
	readonly byReason: Record<string, number> = {};
	readonly examples: Array<{ id: string; reason: string }> = [];
	total = 0;
	add(id: string, reason: string): void {
		this.total++;
		this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
		if (this.examples.length < MAX_EXAMPLES) this.examples.push({ id, reason });
	}
	view(): Excluded {
		return { total: this.total, byReason: this.byReason, examples: this.examples };
	}
}

/** Nearest-rank percentile of sorted values (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number | null {
	if (sorted.length === 0) return null;
	return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export const round = (value: number | null, digits = 4) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

export function figure(id: KpiId, value: number | null, count: number, excluded: Exclusions, note?: string): Figure {
	const d = KPI_DEFINITIONS[id];
	return { id, name: d.name, unit: d.unit, definition: d.formula, value: round(value), count, excluded: excluded.view(), ...(value === null && note ? { note } : {}) };
}

export const inPeriod = (t: number | null, p: Period) => t !== null && t >= p.from && t < p.to;
