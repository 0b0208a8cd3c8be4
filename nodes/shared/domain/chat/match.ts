/**
 * Folding and whole-word phrase matching for the chat rules. Folded text is lower case, without
 * accents, with every run of non-letters and non-digits turned into one space: "¿Cuánto cuesta?" and
 * "cuanto cuesta" match the same phrases.
 */

export function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/ß/g, 'ss')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

export interface PhraseList {
	exact: string[];
	prefix: string[];
}

/** Compiles phrases as written in the lexicon or a config ("price*" matches any word starting "price"). */
export function phraseList(phrases: readonly string[]): PhraseList {
	const exact: string[] = [];
	const prefix: string[] = [];
	for (const raw of phrases) {
		const star = raw.trimEnd().endsWith('*');
		const folded = fold(star ? raw.trimEnd().slice(0, -1) : raw);
		if (folded === '') continue;
		(star ? prefix : exact).push(folded);
	}
	return { exact, prefix };
}

/** The first phrase of the list found as whole words in folded text (padded with spaces), or null. */
export function findPhrase(padded: string, list: PhraseList): string | null {
	for (const p of list.exact) if (padded.includes(` ${p} `)) return p;
	for (const p of list.prefix) if (padded.includes(` ${p}`)) return `${p}*`;
	return null;
}

/** Whether folded text starts with one of the phrases as whole words. */
export function startsWithPhrase(padded: string, list: PhraseList): string | null {
	for (const p of list.exact) if (padded.startsWith(` ${p} `)) return p;
	for (const p of list.prefix) if (padded.startsWith(` ${p}`)) return `${p}*`;
	return null;
}

export const pad = (folded: string) => ` ${folded} `;

export const wordCount = (folded: string) => (folded === '' ? 0 : folded.split(' ').length);
