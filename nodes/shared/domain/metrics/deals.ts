/**
 * A deal as the metrics read it, from a canonical opportunity record (RevOps CRM) or any item with the
 * same field names. Reading never throws: a field that cannot be read leaves the deal out of the
 * figures that need it, with the reason.
 */

export type Outcome = 'open' | 'won' | 'lost';

export interface Deal {
	id: string;
	outcome: Outcome | null;
	amount: number | null;
	currency: string | null;
	/** Epoch ms; null when absent or not a date. */
	openedAt: number | null;
	closedAt: number | null;
	/** Expected (open) or actual close date, epoch ms. */
	closeDate: number | null;
	/** The canon stage (win probabilities are per canon stage). */
	stage: string | null;
	/** The CRM's own stage name. */
	crmStage: string | null;
	forecastCategory: string | null;
	/** Stage changes in time order: the stage entered and when (epoch ms), as two parallel lists (two
	 * arrays per deal instead of an object per change: millions of changes stay light). */
	stageTo: string[];
	stageAt: number[];
	/** The value the figures are grouped by (owner, tier, source...), or null. */
	group: string | null;
}

const OUTCOMES: Record<string, Outcome> = { open: 'open', won: 'won', lost: 'lost', closed_won: 'won', closed_lost: 'lost', 'closed won': 'won', 'closed lost': 'lost' };

const digit = (s: string, i: number) => {
	const d = s.charCodeAt(i) - 48;
	return d >= 0 && d <= 9 ? d : NaN;
};

/**
 * The UTC instant of "yyyy-MM-ddTHH:mm:ss.sssZ" (what stores and toISOString() write), read from its
 * digits: a third of Date.parse's time, which counts at millions of history rows. Anything else, and
 * days after the 28th (whether the day exists), go to Date.parse.
 */
function isoUtc(s: string): number {
	const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
	const mo = digit(s, 5) * 10 + digit(s, 6);
	const d = digit(s, 8) * 10 + digit(s, 9);
	const h = digit(s, 11) * 10 + digit(s, 12);
	const mi = digit(s, 14) * 10 + digit(s, 15);
	const se = digit(s, 17) * 10 + digit(s, 18);
	const ms = digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22);
	if (mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h <= 23 && mi <= 59 && se <= 59 && ms >= 0) return Date.UTC(y, mo - 1, d, h, mi, se, ms);
	return Date.parse(s);
}

export function toEpoch(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const fixed = value.length === 24 && value.charCodeAt(4) === 45 && value.charCodeAt(10) === 84 && value.charCodeAt(19) === 46 && value.charCodeAt(23) === 90;
	const ms = fixed ? isoUtc(value) : Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

/** A non-negative finite amount (numbers or numeric text), else null. */
export function toAmount(value: unknown): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/** A field's text (trimmed; numbers as text), else null. */
export const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null);

/** Reads one record's fields (`groupBy` names the field to group by; empty for one group). */
export function readDeal(fields: Record<string, unknown>, index: number, groupBy: string): Deal {
	let stageTo: string[] = [];
	let stageAt: number[] = [];
	if (Array.isArray(fields.stageHistory)) {
		let sorted = true;
		for (const entry of fields.stageHistory as Array<Record<string, unknown>>) {
			const to = text(entry?.to ?? entry?.stage);
			const at = toEpoch(entry?.at);
			if (!to || at === null) continue;
			if (stageAt.length && at < stageAt[stageAt.length - 1]) sorted = false;
			stageTo.push(to);
			stageAt.push(at);
		}
		if (!sorted) {
			const order = stageAt.map((_, k) => k).sort((a, b) => stageAt[a] - stageAt[b] || a - b);
			stageTo = order.map((k) => stageTo[k]);
			stageAt = order.map((k) => stageAt[k]);
		}
	}
	const rawOutcome = fields.outcome;
	const outcome = rawOutcome === 'open' || rawOutcome === 'won' || rawOutcome === 'lost' ? rawOutcome : (OUTCOMES[String(rawOutcome ?? '').trim().toLowerCase()] ?? null);
	return {
		id: text(fields.externalId ?? fields.id) ?? `#${index + 1}`,
		outcome,
		amount: toAmount(fields.amount),
		currency: text(fields.currency)?.toUpperCase() ?? null,
		openedAt: toEpoch(fields.openedAt ?? fields.createdAt),
		closedAt: toEpoch(fields.closedAt),
		closeDate: toEpoch(fields.closeDate),
		stage: text(fields.stage),
		crmStage: text(fields.crmStage),
		forecastCategory: text(fields.forecastCategory)?.toLowerCase() ?? null,
		stageTo,
		stageAt,
		group: groupBy ? text(fields[groupBy]) : null,
	};
}
