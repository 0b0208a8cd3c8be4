import { safeText } from '../text';
import type { ReasonEntry } from './reason-cache';
import { round1, TENTH_TEXTS, tenthsIndex } from './tenths';
import type { Reason } from './weighted-score';

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

/** The text of a number; for a score or points, without turning a fraction into text again. */
const numberText = (n: number): string => tableText(TENTH_TEXTS, n, '', '');

/** A number's text from one of the tables, or written with the same surroundings when it is not in it. */
function tableText(table: readonly string[], n: number, before: string, after: string): string {
	const i = tenthsIndex(n);
	return i >= 0 ? table[i] : before + String(n) + after;
}

function shortValue(v: unknown): string {
	if (typeof v === 'number') return numberText(v);
	if (Array.isArray(v)) return v.slice(0, 3).map(String).join(', ') + (v.length > 3 ? ', ...' : '');
	return safeText(v, 30);
}

/** "Industry = ": a criterion's label as a phrase starts it, one per label. */
const LABEL_EQUALS = new Map<string, string>();
function labelEquals(label: string): string {
	let text = LABEL_EQUALS.get(label);
	if (text === undefined) {
		text = `${label} = `;
		if (LABEL_EQUALS.size < 1024) LABEL_EQUALS.set(label, text);
	}
	return text;
}

/**
 * A yes-or-no criterion ("Work e-mail", "Company domain known") is said as met or not, never by the
 * raw field behind it: "Work e-mail: yes" rather than "Work e-mail = false" (the field was freeMail).
 */
const isYesNo = (v: unknown) => typeof v === 'boolean' || v === null || v === undefined;

/** What a phrase says of the criterion's value: "Industry = Retail", or met or not for a yes-or-no one. */
function saidOf(r: Reason, met: ': yes' | ': no'): string {
	return isYesNo(r.value) ? r.label + met : labelEquals(r.label) + shortValue(r.value);
}

function upPart(e: ReasonEntry): string {
	const r = e.reason;
	return (e.up ??= saidOf(r, ': yes') + tableText(GAIN_TEXTS, r.points, ' (+', ')'));
}

function downPart(e: ReasonEntry): string {
	const r = e.reason;
	return (e.down ??= (r.status === 'missing' ? `${r.label} unknown` : saidOf(r, ': no')) + tableText(LOSS_TEXTS, round1(r.maxPoints - r.points), ' (-', ')'));
}

const lost = (r: Reason) => (r.status === 'excluded' ? 0 : r.maxPoints - r.points);

export function explain(score: number | null, entries: ReasonEntry[]): string {
	if (score === null) return 'No score: none of the criteria had data.';
	// Top two gains and losses in input order on ties; criteria that gained or lost nothing are left out.
	let up1 = -1;
	let up2 = -1;
	let down1 = -1;
	let down2 = -1;
	let excluded = 0;
	for (let i = 0; i < entries.length; i++) {
		const r = entries[i].reason;
		if (r.status === 'excluded') {
			excluded++;
			continue;
		}
		const gain = r.points;
		if (gain > 0) {
			if (up1 < 0 || gain > entries[up1].reason.points) {
				up2 = up1;
				up1 = i;
			} else if (up2 < 0 || gain > entries[up2].reason.points) up2 = i;
		}
		const loss = lost(r);
		if (loss > 0) {
			if (down1 < 0 || loss > lost(entries[down1].reason)) {
				down2 = down1;
				down1 = i;
			} else if (down2 < 0 || loss > lost(entries[down2].reason)) down2 = i;
		}
	}
	let text = tableText(SCORE_TEXTS, score, '', '/100');
	if (up1 >= 0) text += `; up: ${upPart(entries[up1])}`;
	if (up2 >= 0) text += `, ${upPart(entries[up2])}`;
	if (down1 >= 0) text += `; down: ${downPart(entries[down1])}`;
	if (down2 >= 0) text += `, ${downPart(entries[down2])}`;
	if (excluded) {
		let named = 0;
		for (let i = 0; i < entries.length && named < 3; i++) {
			const r = entries[i].reason;
			if (r.status !== 'excluded') continue;
			text += (named++ ? ', ' : '; not scored (no data): ') + r.label;
		}
		if (excluded > 3) text += ', ...';
	}
	// Concatenation leaves a chain of fragments; trim() hands the sentence back as one flat string, a
	// third of the memory, and it is kept on every item.
	return `${text}.`.trim();
}
