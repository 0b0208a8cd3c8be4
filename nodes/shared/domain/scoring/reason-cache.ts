import type { Reason } from './weighted-score';

/**
 * A reason and the two phrases the explanation may use for it, kept together so a reason that many
 * accounts share is phrased once.
 */
export interface ReasonEntry {
	reason: Reason;
	up: string | null;
	down: string | null;
}

/** Values longer than this are not worth keeping as keys (free text, not a CRM picklist value). */
const MAX_KEY_LENGTH = 64;
/** Distinct values remembered per criterion and weighting: a picklist fits, a revenue column does not. */
const MAX_VALUES = 512;
/** Distinct weightings remembered (which criteria had data decides how weights renormalize). */
const MAX_WEIGHTINGS = 64;

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
	private readonly byWeights = new Map<object | undefined, Map<number, Array<Map<unknown, ReasonEntry>>>>();
	private now = Number.NaN;
	/** Accounts of one CRM mostly have the same fields filled, so the last weighting is usually the next. */
	private last: { weights: object | undefined; totalWeight: number; maps: Array<Map<unknown, ReasonEntry>> } | null = null;

	constructor(private readonly criteriaCount: number) {}

	/**
	 * The per-criterion value maps for one weighting. Time-window criteria depend on "now", so the
	 * cache starts afresh when the clock of the run changes.
	 */
	valuesFor(now: number, weights: object | undefined, totalWeight: number): Array<Map<unknown, ReasonEntry>> {
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
			maps = Array.from({ length: this.criteriaCount }, () => new Map<unknown, ReasonEntry>());
			byTotal.set(totalWeight, maps);
		}
		this.last = { weights, totalWeight, maps };
		return maps;
	}

	/** A reason seen before with this value, status and sub-score, if any. */
	known(values: Map<unknown, ReasonEntry>, value: unknown, status: Reason['status'], subScore: number | null): ReasonEntry | undefined {
		if (!cacheable(value)) return undefined;
		const known = values.get(value);
		// The status and sub-score follow from the value; checking them keeps a sharing mistake from
		// ever showing another account's reason.
		return known && known.reason.status === status && known.reason.subScore === subScore ? known : undefined;
	}

	/**
	 * Remembers a new reason (frozen, as items will share it) when its value can be a key and there is
	 * room; returns its entry then, else null (the reason is the account's own).
	 */
	remember(values: Map<unknown, ReasonEntry>, value: unknown, reason: Reason): ReasonEntry | null {
		if (!cacheable(value) || values.size >= MAX_VALUES || values.has(value)) return null;
		const entry: ReasonEntry = { reason: Object.freeze(reason), up: null, down: null };
		values.set(value, entry);
		return entry;
	}
}
