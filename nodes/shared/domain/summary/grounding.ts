/**
 * Finds claims in a summary that the source does not support: numbers, and capitalised names or
 * companies, that appear nowhere in the input. A summary with any is not grounded.
 */

const SENTENCE_WORDS = new Set(
	'a an and the this that these those it its is are was were be been has have had do does did will would can could should may might must our your their his her we you they he she i of in on at to for from by with about as or if but not no yes per via into over under than then so also just only very more most less least next last new'.split(' '),
);
const NUMBER = /\$?\d[\d,.]*%?/g;
const NAME = /\b\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)*/gu;

function normalizeNumber(text: string): string {
	return text.replace(/[$,%]/g, '').replace(/\.$/, '');
}

export interface GroundingCheck {
	grounded: boolean;
	/** Numbers and names in the summary that the source does not contain. */
	unsupported: string[];
}

export function checkGrounding(summary: string, source: string, allowed: string[] = []): GroundingCheck {
	const haystack = ` ${source.toLowerCase()} ${allowed.join(' ').toLowerCase()} `;
	const sourceNumbers = new Set((source.match(NUMBER) ?? []).map(normalizeNumber));
	const unsupported = new Set<string>();
	for (const n of summary.match(NUMBER) ?? []) {
		const value = normalizeNumber(n);
		if (value && !sourceNumbers.has(value)) unsupported.add(n);
	}
	for (const match of summary.matchAll(NAME)) {
		const words = match[0].split(/\s+/).filter((w) => !SENTENCE_WORDS.has(w.toLowerCase()));
		for (const word of words) {
			if (word.length < 2) continue;
			if (!haystack.includes(word.toLowerCase())) unsupported.add(word);
		}
	}
	return { grounded: unsupported.size === 0, unsupported: [...unsupported] };
}

export function countWords(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

/** Cuts text to a word cap at a word boundary, ending with an ellipsis when cut. */
export function capWords(text: string, max: number): { text: string; truncated: boolean } {
	const words = text.split(/\s+/).filter(Boolean);
	if (words.length <= max) return { text: words.join(' '), truncated: false };
	return { text: `${words.slice(0, max).join(' ').replace(/[,;:.]$/, '')}…`, truncated: true };
}
