import type { ChatConfig } from './config';
import {
	CHAT_LANGUAGES,
	EXPLICIT_PERSON_PHRASES,
	NO_PHRASES,
	QUESTION_STARTS,
	SIGNAL_KINDS,
	SIGNAL_PHRASES,
	SKIP_PHRASES,
	STOPWORDS,
	THANKS_PHRASES,
	YES_PHRASES,
	type ChatLanguage,
	type SignalKind,
} from './lexicon';
import { findPhrase, folded as foldText, phraseList, startsWithPhrase, type Folded, type PhraseList } from './match';

/**
 * What a user's message shows, read by rules only: its language, whether it is a question, the signals
 * of interest in it, and whether it says yes, no or skip. Phrases of every language are checked on
 * every message (people mix languages); the language only picks the words of the reply.
 */

export interface SignalHit {
	kind: SignalKind | 'inDepth' | 'unanswered';
	/** The phrase that matched (folded), or what the rule saw. */
	evidence: string;
}

export interface MessageFacts {
	folded: string;
	language: ChatLanguage | null;
	question: boolean;
	signals: SignalHit[];
	explicitPerson: boolean;
	answer: 'yes' | 'no' | null;
	skip: boolean;
	/** Thanks or goodbye in a short message. */
	thanks: boolean;
}

const all = (lexicon: Record<ChatLanguage, string[]>) => phraseList(CHAT_LANGUAGES.flatMap((l) => lexicon[l]));

const YES = all(YES_PHRASES);
const NO = all(NO_PHRASES);
const SKIP = all(SKIP_PHRASES);
const THANKS = all(THANKS_PHRASES);
const EXPLICIT = all(EXPLICIT_PERSON_PHRASES);
const QUESTION = all(QUESTION_STARTS);
const STOP = Object.fromEntries(CHAT_LANGUAGES.map((l) => [l, new Set(STOPWORDS[l])])) as Record<ChatLanguage, Set<string>>;

/** "No" and "yes" words that also start ordinary sentences: they count only in a short answer. */
const SHORT_ANSWER_WORDS = 6;

const signalLists = new WeakMap<ChatConfig, Array<[SignalKind, PhraseList]>>();

function listsFor(config: ChatConfig): Array<[SignalKind, PhraseList]> {
	let lists = signalLists.get(config);
	if (!lists) {
		lists = SIGNAL_KINDS.map((kind) => [kind, phraseList([...CHAT_LANGUAGES.flatMap((l) => SIGNAL_PHRASES[kind][l]), ...(config.signals[kind] ?? [])])]);
		signalLists.set(config, lists);
	}
	return lists;
}

/** The language whose common words the message uses most; null when it shows none clearly. */
export function detectLanguage(folded: string): ChatLanguage | null {
	const words = folded.split(' ');
	let best: ChatLanguage | null = null;
	let bestCount = 0;
	let tie = false;
	for (const language of CHAT_LANGUAGES) {
		let count = 0;
		for (const w of words) if (STOP[language].has(w)) count++;
		if (count > bestCount) {
			best = language;
			bestCount = count;
			tie = false;
		} else if (count === bestCount && count > 0) tie = true;
	}
	return bestCount >= 1 && !tie ? best : null;
}

export function readMessage(text: string, config: ChatConfig): MessageFacts {
	const read: Folded = foldText(text);
	const folded = read.folded;
	const words = read.words.length;
	const short = words <= SHORT_ANSWER_WORDS;
	const signals: SignalHit[] = [];
	for (const [kind, list] of listsFor(config)) {
		const phrase = findPhrase(read, list);
		if (phrase) signals.push({ kind, evidence: phrase });
	}
	const explicitPerson = findPhrase(read, EXPLICIT) !== null;
	// An answer is read from how the message starts ("No thanks, but ..."), or from a short message.
	const no = startsWithPhrase(read, NO) ?? (short ? findPhrase(read, NO) : null);
	const yes = no ? null : startsWithPhrase(read, YES) ?? (short ? findPhrase(read, YES) : null);
	const question = /[?¿？]/.test(text) || startsWithPhrase(read, QUESTION) !== null;
	return {
		folded,
		language: detectLanguage(folded),
		question,
		signals,
		explicitPerson,
		answer: no ? 'no' : yes ? 'yes' : null,
		skip: short && findPhrase(read, SKIP) !== null,
		thanks: short && findPhrase(read, THANKS) !== null,
	};
}
