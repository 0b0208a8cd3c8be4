/**
 * A deal as the metrics read it, from a canonical opportunity record (RevOps CRM) or any item with the
 * same field names (read in table.ts, the one reader). Reading never throws: a field that cannot be
 * read leaves the deal out of the figures that need it, with the reason.
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

const digit = (s: string, i: number) => {
	const d = s.charCodeAt(i) - 48;
	return d >= 0 && d <= 9 ? d : NaN;
};

/** Days in each month of a common year; February gets its leap day below. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil, integer arithmetic only). */
function daysFromCivil(y: number, m: number, d: number): number {
	const yy = m <= 2 ? y - 1 : y;
	const era = Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146_097 + doe - 719_468;
}

/**
 * The UTC instant of "yyyy-MM-ddTHH:mm:ss.sssZ" (what stores and toISOString() write), read from its
 * digits with integer arithmetic: a fraction of Date.parse's time, which counts at millions of history
 * rows. Anything else (and a day the month does not have) goes to Date.parse.
 */
function isoUtc(s: string): number {
	// Each c is a digit's value, or out of 0-9 for any other character (checked once, with bad).
	const c0 = s.charCodeAt(0) - 48, c1 = s.charCodeAt(1) - 48, c2 = s.charCodeAt(2) - 48, c3 = s.charCodeAt(3) - 48;
	const c5 = s.charCodeAt(5) - 48, c6 = s.charCodeAt(6) - 48, c8 = s.charCodeAt(8) - 48, c9 = s.charCodeAt(9) - 48;
	const c11 = s.charCodeAt(11) - 48, c12 = s.charCodeAt(12) - 48, c14 = s.charCodeAt(14) - 48, c15 = s.charCodeAt(15) - 48;
	const c17 = s.charCodeAt(17) - 48, c18 = s.charCodeAt(18) - 48, c20 = s.charCodeAt(20) - 48, c21 = s.charCodeAt(21) - 48, c22 = s.charCodeAt(22) - 48;
	const bad = (c0 | c1 | c2 | c3 | c5 | c6 | c8 | c9 | c11 | c12 | c14 | c15 | c17 | c18 | c20 | c21 | c22) & ~15;
	if (bad === 0 && c0 <= 9 && c1 <= 9 && c2 <= 9 && c3 <= 9 && c5 <= 9 && c6 <= 9 && c8 <= 9 && c9 <= 9 && c11 <= 9 && c12 <= 9 && c14 <= 9 && c15 <= 9 && c17 <= 9 && c18 <= 9 && c20 <= 9 && c21 <= 9 && c22 <= 9) {
		const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3;
		const mo = c5 * 10 + c6;
		const d = c8 * 10 + c9;
		const h = c11 * 10 + c12;
		const mi = c14 * 10 + c15;
		const se = c17 * 10 + c18;
		if (mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && se <= 59) {
			const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
			if (d <= MONTH_DAYS[mo - 1] + leap) return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + c20 * 100 + c21 * 10 + c22;
		}
	}
	return Date.parse(s);
}

/** Midnight UTC of "yyyy-MM-dd" from its digits; anything else (and a day the month lacks) to Date.parse. */
function dateUtc(s: string): number {
	const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
	const mo = digit(s, 5) * 10 + digit(s, 6);
	const d = digit(s, 8) * 10 + digit(s, 9);
	if (mo >= 1 && mo <= 12 && d >= 1) {
		const leap = mo === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0;
		if (d <= MONTH_DAYS[mo - 1] + leap) return daysFromCivil(y, mo, d) * 86_400_000;
	}
	return Date.parse(s);
}

export function toEpoch(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const fixed = value.length === 24 && value.charCodeAt(4) === 45 && value.charCodeAt(10) === 84 && value.charCodeAt(19) === 46 && value.charCodeAt(23) === 90;
	// A date alone ("2026-11-20", as close dates are written) is midnight UTC, as Date.parse reads it.
	const dateOnly = value.length === 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45;
	const ms = fixed ? isoUtc(value) : dateOnly ? dateUtc(value) : Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

/** Above this an amount is not a deal's (sums of a million of them must stay finite): none. */
export const LARGEST_AMOUNT = 1e15;

/** A non-negative finite amount up to LARGEST_AMOUNT (numbers or numeric text), else null. */
export function toAmount(value: unknown): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= LARGEST_AMOUNT ? n : null;
}

/** A field that must be text (an owner, a reason, a competitor): trimmed, else null; a number is not one. */
export const textOnly = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** A field's text (trimmed; numbers as text), else null. Printable ASCII at both ends needs no trim. */
export function text(value: unknown): string | null {
	if (typeof value === 'string') {
		const n = value.length;
		if (n === 0) return null;
		const a = value.charCodeAt(0);
		const b = value.charCodeAt(n - 1);
		if (a > 32 && a < 127 && b > 32 && b < 127) return value;
		const t = value.trim();
		return t === '' ? null : t;
	}
	return typeof value === 'number' ? String(value) : null;
}
