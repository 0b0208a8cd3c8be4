import { asUntrustedData } from '../trust/fence';
import type { SourceHit } from './sources';
import type { ChatLanguage } from './lexicon';
import type { ChatState } from './turn';

/**
 * What the model gets for a question the sources answer: the company's instructions (prompts/
 * chat-answer.md, or the config's override), the approved passages (company content), and the recent
 * conversation and the question fenced as the visitor's data.
 */

export const LANGUAGE_NAMES: Record<ChatLanguage, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish' };

const RECENT_MESSAGES = 6;

export function answerPrompt(instructions: string, companyName: string, state: ChatState, question: string, sources: readonly SourceHit[]): string {
	const filled = instructions.replace(/\{company\}/g, companyName).replace(/\{language\}/g, LANGUAGE_NAMES[state.language]);
	const passages = sources.map((s) => `<source id="${s.id}" title="${s.title.replace(/"/g, "'")}">\n${s.text}\n</source>`).join('\n');
	const recent = state.transcript
		.slice(-RECENT_MESSAGES - 1, -1)
		.map((t) => `${t.role === 'user' ? 'Visitor' : 'Assistant'}: ${t.text}`)
		.join('\n');
	return [filled, '', 'Approved sources:', passages || '(none)', '', 'Recent conversation:', recent ? asUntrustedData('conversation', recent) : '(none)', '', "The visitor's question:", asUntrustedData('question', question)].join('\n');
}
