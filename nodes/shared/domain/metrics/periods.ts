import { DateTime } from 'luxon';
import type { Periods } from './kpis';

/**
 * Calendar periods in the company's time zone: the last complete week (Monday to Monday), month or
 * quarter before a moment, with the one before it (for the comparison) and the one after it (for the
 * forecast).
 */
export const PERIOD_KINDS = ['week', 'month', 'quarter'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export function lastCompletePeriods(kind: PeriodKind, asOf: Date, timezone: string): Periods {
	const unit = kind === 'week' ? 'week' : kind === 'month' ? 'month' : 'quarter';
	const end = DateTime.fromJSDate(asOf, { zone: timezone }).startOf(unit);
	const start = end.minus({ [`${unit}s`]: 1 });
	const before = start.minus({ [`${unit}s`]: 1 });
	const after = end.plus({ [`${unit}s`]: 1 });
	return {
		current: { from: start.toMillis(), to: end.toMillis() },
		previous: { from: before.toMillis(), to: start.toMillis() },
		next: { from: end.toMillis(), to: after.toMillis() },
	};
}
