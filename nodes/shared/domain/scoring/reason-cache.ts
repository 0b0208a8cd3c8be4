import { HitRate } from './hit-rate';
import type { Reason } from './weighted-score';

/**
 * A reason and, for one that accounts share, the phrases the explanation wrote for it (by their place in
 * the sentence), so a reason that many accounts share is phrased once.
 */
export interface ReasonEntry {
	reason: Reason;
	/** A shared reason's phrases once written; null for a reason of one account alone. */
	phrases: Array<string | undefined> | null;
}

/** Values longer than this are not worth keeping as keys (free text, not a CRM picklist value). */
const MAX_KEY_LENGTH = 64;
/** Distinct values remembered per criterion and weighting: a picklist fits, a revenue column does not. */
const MAX_VALUES = 512;
/** Distinct weightings remembered (which criteria had data decides how weights renormalize). */
const MAX_WEIGHTINGS = 64;

/**
 * One criterion's remembered reasons under one weighting. Once the table is full, its lookups are
 * judged (HitRate): a column whose values mostly miss stops being looked up for the rest of the run.
 * A lookup that misses costs more than the reason it would have saved (measured: a fifth of a re-score
 * of realistic accounts), and such columns hand out their own reasons anyway.
 */
export class ReasonTable extends HitRate {
	readonly byValue = new Map<unknown, ReasonEntry>();

	/** Counts a lookup once the table is full. */
	judge(hit: boolean): void {
		if (this.byValue.size >= MAX_VALUES) this.count(hit);
	}
}

function cacheable(value: unknown): boolean {
	const t = typeof value;
	return value === null || t === 'number' || t === 'boolean' || (t === 'string' && (value as string).length <= MAX_KEY_LENGTH);
}

/**
 * Reasons are a pure function of the criterion, the value seen and the weighting, and CRM columns
 * mostly hold a few distinct values (industry, country, stack, tier). Scoring a whole CRM therefore
 * hands out one frozen reason object per (criterion, value, weighting) instead of one per account:
 * most of a re-score's memory, and the garbage collection it causes, was these small objects. They
 * are frozen because items share them: a later node that wants to change one must copy it, as n8n's
 * own nodes do.
 */
export class ReasonCache {
	private readonly byWeights = new Map<object | undefined, Map<number, ReasonTable[]>>();
	private now = Number.NaN;
	/** Accounts of one CRM mostly have the same fields filled, so the last weighting is usually the next. */
	private last: { weights: object | undefined; totalWeight: number; maps: ReasonTable[] } | null = null;

	constructor(private readonly criteriaCount: number) {}

	/**
	 * The per-criterion reason tables for one weighting. Time-window criteria depend on "now", so the
	 * cache starts afresh when the clock of the run changes.
	 */
	valuesFor(now: number, weights: object | undefined, totalWeight: number): ReasonTable[] {
		const last = this.last;
		if (last && now === this.now && weights === last.weights && totalWeight === last.totalWeight) return last.maps;
		if (now !== this.now) {
			this.byWeights.clear();
			this.now = now;
		}
		let byTotal = this.byWeights.get(weights);
		if (!byTotal) {
			if (this.byWeights.size >= MAX_WEIGHTINGS) this.byWeights.clear();
			byTotal = new Map();
			this.byWeights.set(weights, byTotal);
		}
		let maps = byTotal.get(totalWeight);
		if (!maps) {
			if (byTotal.size >= MAX_WEIGHTINGS) byTotal.clear();
			maps = Array.from({ length: this.criteriaCount }, () => new ReasonTable());
			byTotal.set(totalWeight, maps);
		}
		this.last = { weights, totalWeight, maps };
		return maps;
	}

	/** A reason seen before with this value, status and sub-score, if any. */
	known(table: ReasonTable, value: unknown, status: Reason['status'], subScore: number | null): ReasonEntry | undefined {
		if (!table.open || !cacheable(value)) return undefined;
		const known = table.byValue.get(value);
		// The status and sub-score follow from the value; checking them keeps a sharing mistake from
		// ever showing another account's reason.
		const hit = known !== undefined && known.reason.status === status && known.reason.subScore === subScore;
		table.judge(hit);
		return hit ? known : undefined;
	}

	/**
	 * Remembers a new reason (frozen, as items will share it) when its value can be a key and there is
	 * room; returns its entry then, else null (the reason is the account's own).
	 */
	remember(table: ReasonTable, value: unknown, reason: Reason): ReasonEntry | null {
		const values = table.byValue;
		if (!table.open || values.size >= MAX_VALUES || !cacheable(value) || values.has(value)) return null;
		const entry: ReasonEntry = { reason: Object.freeze(reason), phrases: [] };
		values.set(value, entry);
		return entry;
	}
}
