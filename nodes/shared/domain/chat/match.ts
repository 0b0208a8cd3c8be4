/**
 * Folding and whole-word phrase matching for the chat rules. Folded text is lower case, without
 * accents, with every run of non-letters and non-digits turned into one space: "¿Cuánto cuesta?" and
 * "cuanto cuesta" match the same phrases. Phrase lists are compiled once into a word set and a map by
 * first word, so a message is read word by word instead of once per phrase (a 4,000-character
 * message against a few hundred phrases stays well under a millisecond).
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

/** A message folded once, for every phrase list it is compared with. */
export interface Folded {
	folded: string;
	/** The folded text between spaces, for whole-word matching. */
	padded: string;
	words: string[];
	/** Each distinct word once. */
	distinct: string[];
}

export function folded(text: string): Folded {
	const f = fold(text);
	const words = f === '' ? [] : f.split(' ');
	return { folded: f, padded: ` ${f} `, words, distinct: [...new Set(words)] };
}

export interface PhraseList {
	/** One-word phrases. */
	words: Set<string>;
	/** Phrases of several words, by their first word. */
	multi: Map<string, string[]>;
	/** One-word prefixes ("price*"). */
	prefixes: string[];
	/** Prefixes of several words ("on prem*"). */
	multiPrefixes: string[];
}

/** Compiles phrases as written in the lexicon or a config ("price*" matches any word starting "price"). */
export function phraseList(phrases: readonly string[]): PhraseList {
	const list: PhraseList = { words: new Set(), multi: new Map(), prefixes: [], multiPrefixes: [] };
	for (const raw of phrases) {
		const star = raw.trimEnd().endsWith('*');
		const f = fold(star ? raw.trimEnd().slice(0, -1) : raw);
		if (f === '') continue;
		const several = f.includes(' ');
		if (star) (several ? list.multiPrefixes : list.prefixes).push(f);
		else if (!several) list.words.add(f);
		else {
			const first = f.slice(0, f.indexOf(' '));
			list.multi.set(first, [...(list.multi.get(first) ?? []), f]);
		}
	}
	return list;
}

/** A phrase of the list found as whole words in the text (a prefix is reported with its "*"), or null. */
export function findPhrase(text: Folded, list: PhraseList): string | null {
	for (const w of text.distinct) if (list.words.has(w)) return w;
	for (const w of text.distinct) {
		const candidates = list.multi.get(w);
		if (candidates) for (const p of candidates) if (text.padded.includes(` ${p} `)) return p;
	}
	for (const p of list.prefixes) for (const w of text.distinct) if (w.startsWith(p)) return `${p}*`;
	for (const p of list.multiPrefixes) if (text.padded.includes(` ${p}`)) return `${p}*`;
	return null;
}

/** A phrase of the list the text starts with, as whole words, or null. */
export function startsWithPhrase(text: Folded, list: PhraseList): string | null {
	const first = text.words[0];
	if (first === undefined) return null;
	const candidates = list.multi.get(first);
	// The longest reading first: "no thanks" before "no".
	if (candidates) for (const p of [...candidates].sort((a, b) => b.length - a.length)) if (text.padded.startsWith(` ${p} `)) return p;
	if (list.words.has(first)) return first;
	for (const p of list.multiPrefixes) if (text.padded.startsWith(` ${p}`)) return `${p}*`;
	for (const p of list.prefixes) if (first.startsWith(p)) return `${p}*`;
	return null;
}
