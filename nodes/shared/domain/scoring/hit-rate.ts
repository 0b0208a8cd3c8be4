/** Lookups in a full table after which its hit rate is judged. */
const JUDGE_EVERY = 1024;

/**
 * The judgement of a full lookup table: every JUDGE_EVERY lookups, a table of which half or more
 * missed closes for the rest of the run. A column with as many values as accounts (revenue figures,
 * head counts, typed-in industries, tech stacks) would otherwise pay a failed lookup on every account,
 * on top of the work the table was there to save.
 */
export class HitRate {
	/** False once a judgement found that fewer than half of the lookups hit. */
	open = true;
	private lookups = 0;
	private hits = 0;

	/** Counts one lookup in the full table; closes it when half or more of the last JUDGE_EVERY missed. */
	count(hit: boolean): void {
		this.lookups++;
		if (hit) this.hits++;
		if (this.lookups < JUDGE_EVERY) return;
		if (this.hits * 2 < this.lookups) this.open = false;
		this.lookups = 0;
		this.hits = 0;
	}
}
