import { z } from 'zod';
import { CHAT_LANGUAGES, SIGNAL_KINDS } from './lexicon';
import { MESSAGE_KEYS } from './messages';

/**
 * The website assistant's part of a company config (`chat`): its approved sources and the handoff
 * rules' settings. Defaults are here and only here.
 */
export const CHAT_DEFAULTS = {
	language: 'en' as const,
	/** Share of a question's content words the best source must contain for the question to count as answered. */
	minCoverage: 0.5,
	/** The third answered product question is itself a signal of interest ("repeated or in-depth"). */
	inDepthAfterQuestions: 3,
	/** Offers per conversation (a "no" ends them at once, whatever this says). */
	maxOffers: 2,
	/** User turns between two offers when the first was neither taken nor declined. */
	turnsBetweenOffers: 3,
	/** Messages of each side kept in the session and the transcript activity. */
	maxTranscriptMessages: 60,
	/** Sources handed to the model with a question. */
	passagesPerAnswer: 3,
};

export const ChatSourceSchema = z
	.object({
		id: z.string().min(1).max(120).describe('Stable id, cited in answers and in the audit'),
		title: z.string().min(1).max(500).describe('A title, or the question of an FAQ entry'),
		text: z.string().min(1).max(20_000).describe('The approved text, or the answer of an FAQ entry'),
		url: z.url().optional().describe('Where the source is published (shown with answers)'),
	})
	.strict();

export const ChatConfigSchema = z
	.object({
		language: z.enum(CHAT_LANGUAGES).default(CHAT_DEFAULTS.language).describe('Language of the rules\' messages when a message does not show its own'),
		sources: z
			.array(ChatSourceSchema)
			.max(5_000)
			.default([])
			.superRefine((sources, ctx) => {
				const seen = new Set<string>();
				sources.forEach((s, i) => {
					if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `source id "${s.id}" is used twice` });
					seen.add(s.id);
				});
			})
			.describe('The only things the assistant may answer from: documents or FAQ entries'),
		minCoverage: z.number().gt(0).max(1).default(CHAT_DEFAULTS.minCoverage),
		inDepthAfterQuestions: z.number().int().min(2).max(50).default(CHAT_DEFAULTS.inDepthAfterQuestions),
		maxOffers: z.number().int().min(1).max(5).default(CHAT_DEFAULTS.maxOffers),
		turnsBetweenOffers: z.number().int().min(1).max(50).default(CHAT_DEFAULTS.turnsBetweenOffers),
		signals: z
			.partialRecord(z.enum(SIGNAL_KINDS), z.array(z.string().min(2).max(100)).max(500))
			.default({})
			.describe('Extra phrases per signal of interest (added to the built-in ones); end a phrase with * to match word starts'),
		messages: z
			.partialRecord(z.enum(CHAT_LANGUAGES), z.partialRecord(z.enum(MESSAGE_KEYS), z.string().min(1).max(2_000)))
			.default({})
			.describe('What the assistant says by rule, per language (placeholders {company}, {name}, {email})'),
	})
	.strict();

export type ChatConfig = z.output<typeof ChatConfigSchema>;
export type ChatSource = z.output<typeof ChatSourceSchema>;

/** A config without a `chat` part still chats: no sources (every question goes to a person), default rules. */
export const EMPTY_CHAT_CONFIG: ChatConfig = ChatConfigSchema.parse({});
