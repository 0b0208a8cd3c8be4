import { inputText } from '../text';
import { contentTerms } from './sources';

/**
 * Rules second to the model: the model's answer reaches the user only sentence by sentence, each one
 * supported by one sentence of the sources it was given. A sentence is supported when one source
 * sentence holds every number it states (prices, percentages, counts, dates) and most of its content
 * words. Unsupported sentences are removed and named; links and e-mail addresses the sources do not
 * contain go too. When too little is left, the user gets the best source's own words instead.
 */

export interface GroundingResult {
	text: string;
	/** The model's answer survived (fully or in part). */
	usedModel: boolean;
	removed: Array<{ sentence: string; reason: string }>;
	/** Source ids that support the kept sentences. */
	citations: string[];
}

export const GROUNDING_DEFAULTS = {
	/** Share of a sentence's content words one source sentence must hold. */
	minWordSupport: 0.6,
	/** Share of the answer's content words that must survive, else the source's own words are used. */
	minKept: 0.5,
	maxAnswerChars: 1_500,
};

interface Passage {
	id: string;
	text: string;
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const LINK = /\b(?:https?:\/\/|www\.)\S+|[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/gi;

function splitSentences(text: string): string[] {
	return text
		.split(/(?<=[.!?。])\s+|\n+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

const numbersOf = (text: string) => (text.match(NUMBER) ?? []).map((n) => n.replace(/[.,]/g, ''));

interface SourceSentence {
	id: string;
	text: string;
	terms: Set<string>;
	numbers: Set<string>;
}

export function checkGrounding(answer: unknown, passages: Passage[], fallback: (passage: string) => string): GroundingResult {
	const text = inputText(answer).slice(0, 20_000);
	const sourceSentences: SourceSentence[] = passages.flatMap((p) => splitSentences(p.text).map((s) => ({ id: p.id, text: s, terms: new Set(contentTerms(s)), numbers: new Set(numbersOf(s)) })));
	const sourceText = passages.map((p) => p.text.toLowerCase()).join('\n');
	const removed: GroundingResult['removed'] = [];
	const kept: string[] = [];
	const citations = new Set<string>();
	let totalTerms = 0;
	let keptTerms = 0;
	for (const sentence of splitSentences(text)) {
		const terms = contentTerms(sentence);
		const numbers = numbersOf(sentence);
		totalTerms += terms.length;
		const links = sentence.match(LINK) ?? [];
		const strayLink = links.find((l) => !sourceText.includes(l.toLowerCase().replace(/[.,;)]+$/, '')));
		if (strayLink) {
			removed.push({ sentence, reason: `names ${strayLink.includes('@') ? 'an e-mail address' : 'a link'} the sources do not contain` });
			continue;
		}
		if (terms.length === 0 && numbers.length === 0) {
			// "Sure!" or "Great question." carries no claim.
			if (sentence.length <= 40) kept.push(sentence);
			else removed.push({ sentence, reason: 'says nothing the sources hold' });
			continue;
		}
		let best: SourceSentence | null = null;
		let bestShare = 0;
		for (const s of sourceSentences) {
			if (numbers.some((n) => !s.numbers.has(n))) continue;
			let hits = 0;
			for (const t of terms) if (s.terms.has(t)) hits++;
			const share = terms.length ? hits / terms.length : 1;
			if (share > bestShare) {
				best = s;
				bestShare = share;
			}
		}
		if (best && bestShare >= GROUNDING_DEFAULTS.minWordSupport) {
			kept.push(sentence);
			keptTerms += terms.length;
			citations.add(best.id);
		} else {
			const unsourcedNumber = numbers.find((n) => !sourceSentences.some((s) => s.numbers.has(n)));
			removed.push({ sentence, reason: unsourcedNumber !== undefined ? `states ${unsourcedNumber}, which no source states` : 'no source sentence supports it' });
		}
	}
	const enough = totalTerms > 0 && keptTerms / totalTerms >= GROUNDING_DEFAULTS.minKept && keptTerms > 0;
	if (enough) return { text: kept.join(' ').slice(0, GROUNDING_DEFAULTS.maxAnswerChars), usedModel: true, removed, citations: [...citations] };
	const top = passages[0];
	const passage = top ? splitSentences(top.text).slice(0, 3).join(' ').slice(0, GROUNDING_DEFAULTS.maxAnswerChars) : '';
	return { text: fallback(passage), usedModel: false, removed, citations: top ? [top.id] : [] };
}
