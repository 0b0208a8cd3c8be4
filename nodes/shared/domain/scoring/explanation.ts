import { isBlankText, safeText, unpadText } from '../text';
import type { ReasonEntry } from './reason-cache';
import { fitsMask, MAX_COMBINATIONS } from './shared-lists';
import { round1, TENTH_TEXTS, tenthsIndex } from './tenths';

/**
 * The one-sentence explanation of a weighted score: the score, the two criteria that added the most,
 * the two that cost the most, and those not scored for lack of data. It is written for every account
 * of a whole-CRM re-score, so it is built in one pass, with phrases of shared reasons written once.
 */

/**
 * The score and point texts are written once, up front, with what surrounds them in the sentence:
 * "38.5/100", " (+17.5)", " (-24)". Each piece joined costs a fragment that the final flattening
 * copies again, and the sentence is written for every account.
 */
const SCORE_TEXTS = TENTH_TEXTS.map((t) => `${t}/100`);
const GAIN_TEXTS = TENTH_TEXTS.map((t) => ` (+${t})`);
const LOSS_TEXTS = TENTH_TEXTS.map((t) => ` (-${t})`);

/** "0" to "999", and the same padded to three digits ("007") for the groups after the first. */
const GROUPS = Array.from({ length: 1000 }, (_, i) => String(i));
const PADDED_GROUPS = GROUPS.map((t) => t.padStart(3, '0'));

/**
 * The digits of a whole number from 1,000 up, as String() writes them, from groups of three. Revenue
 * and head-count columns have as many values as accounts, so String() mostly misses V8's cache of
 * number texts; pieces from tables made a realistic re-score 1.03-1.05x as fast (side by side).
 */
function wholeNumberText(n: number): string {
	let text = PADDED_GROUPS[n % 1000];
	let rest = Math.floor(n / 1000);
	while (rest >= 1000) {
		text = PADDED_GROUPS[rest % 1000] + text;
		rest = Math.floor(rest / 1000);
	}
	return GROUPS[rest] + text;
}

/** The text of a number; for a score or points, without turning a fraction into text again. */
function numberText(n: number): string {
	const i = tenthsIndex(n);
	if (i >= 0) return TENTH_TEXTS[i];
	return n >= 1000 && Number.isSafeInteger(n) ? wholeNumberText(n) : String(n);
}

/** A number's text from one of the tables, or written with the same surroundings when it is not in it. */
function tableText(table: readonly string[], n: number, before: string, after: string): string {
	const i = tenthsIndex(n);
	return i >= 0 ? table[i] : before + String(n) + after;
}

/**
 * A value as the explanation shows it: a number's digits, a list's first three entries, a text cut at
 * 30 after any padding is taken off ("  germany " is shown as "germany"; the reason keeps it as it came).
 */
export function shortValue(v: unknown): string {
	if (typeof v === 'number') return numberText(v);
	if (Array.isArray(v)) return v.slice(0, 3).map(String).join(', ') + (v.length > 3 ? ', ...' : '');
	return safeText(typeof v === 'string' ? unpadText(v) : v, 30);
}

/**
 * A yes-or-no criterion ("Work e-mail", "Company domain known") is said as met or not, never by the
 * raw field behind it: "Work e-mail: yes" rather than "Work e-mail = false" (the field was freeMail).
 */
const isYesNo = (v: unknown) => typeof v === 'boolean' || v === null || v === undefined || (typeof v === 'string' && isBlankText(v));

/** Where a phrase stands in the sentence: first or next of the gains, first or next of the losses. */
const UP_FIRST = 0;
const UP_NEXT = 1;
const DOWN_FIRST = 2;
const DOWN_NEXT = 3;
const LEADS = ['; up: ', ', ', '; down: ', ', '];

/**
 * How each phrase of one criterion starts, with what comes before it in the sentence: "; up: Industry = ",
 * ", Work e-mail: yes", "; down: Employees unknown". Written once per criterion, so a phrase is its
 * start, the value and the points: every piece joined is a fragment that the final flattening copies again.
 */
interface PhraseStarts {
	/** By position: the start of "Label = value". */
	equals: string[];
	/** By position: "Label: yes" for a gain, "Label: no" for a loss. */
	yesNo: string[];
	/** By position: "Label unknown", for a criterion without data (a gain when missing data scores as neutral). */
	unknown: string[];
}

function phraseStarts(label: string): PhraseStarts {
	return {
		equals: LEADS.map((lead) => `${lead}${label} = `),
		yesNo: LEADS.map((lead, at) => `${lead}${label}${at < DOWN_FIRST ? ': yes' : ': no'}`),
		unknown: LEADS.map((lead) => `${lead}${label} unknown`),
	};
}

/** The indexes of the two largest amounts above 0 offered, the earlier one on a tie; -1 when none. */
class TopTwo {
	first = -1;
	second = -1;
	private firstAmount = 0;
	private secondAmount = 0;

	reset(): this {
		this.first = -1;
		this.second = -1;
		return this;
	}

	offer(i: number, amount: number): void {
		if (!(amount > 0)) return;
		if (this.first < 0 || amount > this.firstAmount) {
			this.second = this.first;
			this.secondAmount = this.firstAmount;
			this.first = i;
			this.firstAmount = amount;
		} else if (this.second < 0 || amount > this.secondAmount) {
			this.second = i;
			this.secondAmount = amount;
		}
	}
}

/**
 * The explanation of one playbook's criteria. A reason's phrase is built from the criterion's start, its
 * value and its points; a shared reason's is kept on its entry for the next account. The sentence's end
 * ("; not scored (no data): Funded.") depends only on which criteria had no data, so it is kept per set.
 */
export class Explainer {
	private readonly starts: PhraseStarts[];
	/** The sentence's end per set of criteria without data (as a bit mask), when a mask can name them. */
	private readonly tails: Map<number, string> | null;
	/** Scratch for the top gains and losses of the account being explained (scoring is synchronous). */
	private readonly ups = new TopTwo();
	private readonly downs = new TopTwo();

	constructor(private readonly labels: readonly string[]) {
		this.starts = labels.map(phraseStarts);
		this.tails = fitsMask(labels.length) ? new Map() : null;
	}

	/** One phrase: its start, then the value (unless yes or no, or unknown), then the points. */
	private phrase(e: ReasonEntry, i: number, at: number): string {
		const known = e.phrases?.[at];
		if (known !== undefined) return known;
		const r = e.reason;
		const starts = this.starts[i];
		const points = at < DOWN_FIRST ? tableText(GAIN_TEXTS, r.points, ' (+', ')') : tableText(LOSS_TEXTS, round1(r.maxPoints - r.points), ' (-', ')');
		const text =
			r.status === 'missing' ? starts.unknown[at] + points : isYesNo(r.value) ? starts.yesNo[at] + points : starts.equals[at] + shortValue(r.value) + points;
		if (e.phrases) e.phrases[at] = text;
		return text;
	}

	/** "; not scored (no data): A, B, C, ..." and the full stop, for the criteria of the mask. */
	private tail(entries: readonly ReasonEntry[], excluded: number, mask: number): string {
		if (!excluded) return '.';
		const known = this.tails?.get(mask);
		if (known !== undefined) return known;
		let text = '';
		let named = 0;
		for (let i = 0; i < entries.length && named < 3; i++) {
			if (entries[i].reason.status !== 'excluded') continue;
			text += (named++ ? ', ' : '; not scored (no data): ') + this.labels[i];
		}
		if (excluded > 3) text += ', ...';
		text = `${text}.`.trim();
		if (this.tails && this.tails.size < MAX_COMBINATIONS) this.tails.set(mask, text);
		return text;
	}

	/** The sentence for a score and its reasons, one entry per criterion in playbook order. */
	explain(score: number | null, entries: readonly ReasonEntry[]): string {
		if (score === null) return 'No score: none of the criteria had data.';
		// Top two gains and losses in input order on ties; criteria that gained or lost nothing are left out.
		const ups = this.ups.reset();
		const downs = this.downs.reset();
		let excluded = 0;
		let mask = 0;
		for (let i = 0; i < entries.length; i++) {
			const r = entries[i].reason;
			if (r.status === 'excluded') {
				excluded++;
				mask |= 1 << i;
				continue;
			}
			ups.offer(i, r.points);
			downs.offer(i, r.maxPoints - r.points);
		}
		let text = tableText(SCORE_TEXTS, score, '', '/100');
		if (ups.first >= 0) text += this.phrase(entries[ups.first], ups.first, UP_FIRST);
		if (ups.second >= 0) text += this.phrase(entries[ups.second], ups.second, UP_NEXT);
		if (downs.first >= 0) text += this.phrase(entries[downs.first], downs.first, DOWN_FIRST);
		if (downs.second >= 0) text += this.phrase(entries[downs.second], downs.second, DOWN_NEXT);
		// Concatenation leaves a chain of fragments; trim() hands the sentence back as one flat string, a
		// third of the memory, and it is kept on every item.
		return (text + this.tail(entries, excluded, mask)).trim();
	}
}
