import MiniSearch from 'minisearch';
import type { ChatSource } from './config';
import { fold } from './match';
import { CHAT_LANGUAGES, QUESTION_STARTS, STOPWORDS } from './lexicon';

/**
 * Finds the company's approved sources for a question: ranked keyword search (BM25+, by MiniSearch, a
 * well-kept full-text library: no set-up, no embeddings, no service). On top of the rank, one rule
 * decides whether the sources answer the question at all: the best source must contain at least
 * `minCoverage` of the question's content words. Below that the question counts as unanswered, and the
 * assistant says so instead of letting a model guess.
 */

export interface SourceHit {
	id: string;
	title: string;
	url: string | null;
	text: string;
	/** BM25+ score (only comparable within one search). */
	score: number;
	/** Share of the question's content words found in this source (0..1). */
	coverage: number;
	/** The question's words this source contains. */
	matched: string[];
}

export interface SourceSearch {
	/** The question's content words (folded, without common words). */
	terms: string[];
	hits: SourceHit[];
	/** Whether the best source covers enough of the question. */
	answerable: boolean;
}

/** Words that carry no topic in any of the languages: never a reason for a source to match. */
const COMMON_WORDS = new Set<string>([
	...CHAT_LANGUAGES.flatMap((l) => STOPWORDS[l]),
	...CHAT_LANGUAGES.flatMap((l) => QUESTION_STARTS[l].filter((w) => !w.includes(' ')).map((w) => w.replace(/\*$/, ''))),
	...['there', 'any', 'some', 'me', 'us', 'they', 'them', 'be', 'been', 'was', 'were', 'or', 'if', 'so', 'at', 'by', 'from', 'as', 'all', 'also', 'just', 'get', 'use', 'using', 'want', 'know', 'like', 'need', 'tell', 'please', 'thank', 'thanks', 'ok', 'okay', 'hey', 'im', 'id', 'youre', 'dont', 'doesnt', 'its', 'whats', 'not', 'no', 'yes', 'more', 'about', 'which', 'offer', 'provide', 'support', 'supported', 'available', 'possible'],
	...['wir', 'ihr', 'ihre', 'ihnen', 'bei', 'auf', 'im', 'den', 'dem', 'des', 'oder', 'wenn', 'so', 'noch', 'schon', 'nur', 'gibt', 'es', 'moglich', 'unterstutzt', 'bieten', 'bietet'],
	...['au', 'aux', 'en', 'sur', 'par', 'ou', 'si', 'ne', 'se', 'sa', 'son', 'ses', 'vos', 'nos', 'leur', 'est', 'possible', 'propose', 'proposez', 'offrez'],
	...['la', 'lo', 'le', 'les', 'en', 'al', 'o', 'se', 'sus', 'mas', 'muy', 'esto', 'eso', 'posible', 'ofrecen', 'ofrece', 'soportan', 'admite', 'admiten'],
]);

/** One light, symmetric stem for index and query: plural "-s" and "-es" off long words. */
function stem(word: string): string {
	if (word.length > 5 && word.endsWith('es')) return word.slice(0, -2);
	if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
	return word;
}

const tokenize = (text: string) => fold(text).split(' ');
// Numbers are no topic ("30 users" and "30 days" share nothing); the grounding check compares them.
const processTerm = (term: string) => (term.length < 2 || COMMON_WORDS.has(term) || /^\d+$/.test(term) ? null : stem(term));

/** The content words of a message, as the index sees them. */
export function contentTerms(text: string): string[] {
	const out = new Set<string>();
	for (const word of tokenize(text)) {
		const term = processTerm(word);
		if (term) out.add(term);
	}
	return [...out];
}

const MAX_QUERY_TERMS = 40;

export class SourceIndex {
	private readonly search: MiniSearch<ChatSource>;
	private readonly byId = new Map<string, ChatSource>();

	constructor(readonly sources: readonly ChatSource[]) {
		this.search = new MiniSearch<ChatSource>({
			fields: ['title', 'text'],
			idField: 'id',
			tokenize,
			processTerm,
			searchOptions: { boost: { title: 2 }, combineWith: 'OR', fuzzy: (term) => (term.length >= 7 ? 1 : false) },
		});
		this.search.addAll(sources as ChatSource[]);
		for (const s of sources) this.byId.set(s.id, s);
	}

	/** The best `limit` sources for a text, with whether the best one answers it. */
	find(text: string, minCoverage: number, limit = 3): SourceSearch {
		// A long message is searched by its questions ("We are 40 people. Do you support SSO?").
		const questions = text.length > 200 ? text.split(/(?<=[?？])\s*|\n+/).filter((s) => /[?？]\s*$/.test(s)) : [];
		const terms = contentTerms(questions.length ? questions.join(' ') : text).slice(0, MAX_QUERY_TERMS);
		if (terms.length === 0 || this.sources.length === 0) return { terms, hits: [], answerable: false };
		// The terms are processed already: search them as they are (a second stem would cut them again).
		const results = this.search.search(terms.join(' '), { tokenize: (q) => q.split(' '), processTerm: (t) => t });
		const hits: SourceHit[] = [];
		for (const r of results.slice(0, limit)) {
			const source = this.byId.get(String(r.id));
			if (!source) continue;
			const matched = [...new Set(r.queryTerms)];
			hits.push({ id: source.id, title: source.title, url: source.url ?? null, text: source.text, score: Math.round(r.score * 1000) / 1000, coverage: matched.length / terms.length, matched });
		}
		// The best covering source leads: BM25 can rank a source with one rare word above one with all of them.
		hits.sort((a, b) => b.coverage - a.coverage || b.score - a.score);
		return { terms, hits, answerable: hits.length > 0 && hits[0].coverage >= minCoverage };
	}
}

const indexes = new Map<string, SourceIndex>();

/** The index of a config's sources, built once per config version (the key) and process. */
export function sourceIndexFor(key: string, sources: readonly ChatSource[]): SourceIndex {
	let index = indexes.get(key);
	if (!index) {
		if (indexes.size >= 20) indexes.clear();
		index = new SourceIndex(sources);
		indexes.set(key, index);
	}
	return index;
}
