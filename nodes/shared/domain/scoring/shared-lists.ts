/**
 * Lists that many scored accounts have in common, handed out as one frozen array instead of one array
 * per account. Re-scoring a whole CRM keeps every result in n8n's memory until the run ends, and most
 * accounts have no flags, no knock-outs and one of a few combinations of missing fields. Frozen because
 * items share them: a later node that wants to change one must copy it, as with shared reasons.
 */
export const NO_ITEMS: readonly never[] = Object.freeze([]);

/** Combinations of criteria remembered per scorer: a CRM has a few; a bound keeps odd data cheap. */
export const MAX_COMBINATIONS = 1024;

/** Whether a bit mask (bit i for criterion i, in 32-bit integers) can name every criterion. */
export const fitsMask = (criteria: number): boolean => criteria <= 30;

/**
 * The missing fields of an account, by which criteria were missing (bit i for criterion i), as one
 * frozen list per combination. Scorers with more than 30 criteria get a new list per account.
 */
export class MissingFieldLists {
	private readonly known = new Map<number, readonly string[]>();
	/** Whether a bit mask can name the criteria (32-bit integers). */
	readonly usable: boolean;

	constructor(private readonly fields: string[]) {
		this.usable = fitsMask(fields.length);
	}

	forMask(mask: number): readonly string[] {
		if (mask === 0) return NO_ITEMS;
		let list = this.known.get(mask);
		if (list === undefined) {
			const fields: string[] = [];
			for (let i = 0; i < this.fields.length; i++) if (mask & (1 << i)) fields.push(this.fields[i]);
			list = Object.freeze(fields);
			if (this.known.size < MAX_COMBINATIONS) this.known.set(mask, list);
		}
		return list;
	}
}
