import { CHAT_LANGUAGES, GOAL_PHRASES } from './lexicon';
import { findPhrase, fold, folded, phraseList } from './match';
import type { ChatState } from './turn';

/**
 * The handoff summary sales reads before calling: the user's main questions, the key topics, stated
 * goals or requirements, and what the documentation did not answer. Every line is a quote of the
 * user's own words with its turn (or the title of a source that answered), so nothing in it is
 * invented and sales never has to ask again.
 */

export interface Quote {
	turn: number;
	text: string;
}

export interface HandoffSummary {
	mainQuestions: Quote[];
	topics: Array<{ topic: string; turns: number[] }>;
	goals: Quote[];
	unanswered: Quote[];
	/** The same, as text for the lead's message and the owner. */
	text: string;
	messages: number;
}

export const TOPIC_LABELS: Record<string, string> = {
	pricing: 'Pricing',
	packages: 'Plans and packages',
	fit: 'Fit for their company',
	advanced: 'Advanced or custom features',
	person: 'Asked for a person',
	inDepth: 'Several product questions',
	unanswered: 'Questions beyond our documentation',
};

const GOALS = phraseList(CHAT_LANGUAGES.flatMap((l) => GOAL_PHRASES[l]));
const MAX_LINES = 5;
const isPlaceholder = (text: string) => /^\[[^\]]*\]$/.test(text);

function sentences(text: string): string[] {
	return text
		.split(/(?<=[.!?;])\s+|\n+/)
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}

export function handoffSummary(state: ChatState): HandoffSummary {
	const mainQuestions = dedupe(state.questions.map((q) => ({ turn: q.turn, text: q.text }))).slice(0, MAX_LINES);
	const unanswered = dedupe(state.questions.filter((q) => !q.answered).map((q) => ({ turn: q.turn, text: q.text }))).slice(0, MAX_LINES);
	const goals: Quote[] = [];
	for (const entry of state.transcript) {
		if (entry.role !== 'user' || isPlaceholder(entry.text)) continue;
		for (const sentence of sentences(entry.text)) {
			if (findPhrase(folded(sentence), GOALS)) goals.push({ turn: entry.turn, text: sentence.slice(0, 300) });
		}
	}
	const topicTurns = new Map<string, number[]>();
	const addTopic = (topic: string, turn: number) => {
		const turns = topicTurns.get(topic) ?? [];
		if (!turns.includes(turn)) turns.push(turn);
		topicTurns.set(topic, turns);
	};
	for (const s of state.signals) addTopic(TOPIC_LABELS[s.kind] ?? s.kind, s.turn);
	for (const t of state.topics) addTopic(t.title, t.turn);
	const topics = [...topicTurns.entries()].map(([topic, turns]) => ({ topic, turns }));
	const summary = { mainQuestions, topics, goals: dedupe(goals).slice(0, MAX_LINES), unanswered, messages: state.transcript.length };
	return { ...summary, text: render(summary) };
}

function dedupe(quotes: Quote[]): Quote[] {
	const seen = new Set<string>();
	return quotes.filter((q) => {
		const key = fold(q.text);
		if (key === '' || seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function render(s: Omit<HandoffSummary, 'text'>): string {
	const lines = [`Website chat (${s.messages} messages).`];
	const list = (title: string, quotes: Quote[]) => {
		if (quotes.length) lines.push(`${title}:`, ...quotes.map((q) => `- "${q.text}" (message ${q.turn})`));
	};
	list('Main questions', s.mainQuestions);
	if (s.topics.length) lines.push(`Topics: ${s.topics.map((t) => t.topic).join('; ')}.`);
	list('Goals and requirements', s.goals);
	list('Not answered by our documentation', s.unanswered);
	return lines.join('\n');
}
