import { InjectionScreen } from '../trust/injection-screen';
import { inputText } from '../text';
import { CHAT_DEFAULTS, type ChatConfig } from './config';
import { readDetails, redactSensitive, REQUIRED_DETAILS, type DetailField, type Details } from './details';
import type { ChatLanguage } from './lexicon';
import { chatMessage, type MessageKey } from './messages';
import { readMessage, type SignalHit } from './signals';
import type { SourceHit, SourceIndex } from './sources';
import { handoffSummary, type HandoffSummary } from './summary';

/**
 * The website assistant's sales-handoff policy, one turn at a time: the one home of the rules.
 *
 * - Answer on its own where the approved sources answer; never guess where they do not (say so).
 * - When interest shows (pricing, packages, fit, advanced or custom features, a question beyond the
 *   sources, the third answered product question, a request for a person), offer a follow-up as an
 *   option, framed as tailored help, at most `maxOffers` times and `turnsBetweenOffers` apart.
 * - A "no" to an offer or to a question for a detail ends the offers for the rest of the conversation
 *   (only the user's own request for a person opens them again) and drops what was collected.
 * - After a yes: name, phone and e-mail (required, validated, asked again politely), the website
 *   (optional), nothing else. Collecting turns are kept in the transcript as "[details given: ...]".
 * - Then the lead is handed off with a summary grounded in the transcript.
 *
 * Pure: the state in, the state and the decision out. The node stores the state per session with a
 * conditional write, so two messages of one session at once never both take the same old state.
 */

export const CHAT_STATE_VERSION = 1;
export type Phase = 'open' | 'offered' | 'collecting' | 'handedOff';

export interface TranscriptEntry {
	role: 'user' | 'assistant';
	turn: number;
	text: string;
}

export interface QuestionNote {
	turn: number;
	text: string;
	answered: boolean;
	sources: string[];
}

export interface ChatState {
	v: typeof CHAT_STATE_VERSION;
	sessionId: string;
	language: ChatLanguage;
	phase: Phase;
	/** The user said no: no more offers (an explicit request for a person still counts). */
	declined: boolean;
	offers: number;
	lastOfferTurn: number | null;
	/** User turns so far. */
	turn: number;
	answeredQuestions: number;
	asking: DetailField | null;
	/** Invalid answers to the current detail question in a row. */
	retries: number;
	contact: Details;
	signals: Array<SignalHit & { turn: number }>;
	questions: QuestionNote[];
	/** Source titles that answered, for the summary's topics. */
	topics: Array<{ turn: number; title: string; id: string }>;
	transcript: TranscriptEntry[];
	handedOffAt: string | null;
	startedAt: string;
	updatedAt: string;
}

export type TurnEvent =
	| 'answered'
	| 'offered'
	| 'unanswered'
	| 'accepted'
	| 'declined'
	| 'asked'
	| 'invalid'
	| 'handedOff'
	| 'smallTalk'
	| 'empty';

export interface TurnDecision {
	/** `answer`: the model phrases an answer from `sources` (then `followUp`); `reply`: say `reply` as it is. */
	action: 'answer' | 'reply';
	reply: string | null;
	/** Said after the model's answer: an offer, or the next detail question. */
	followUp: string | null;
	/** An offer of a follow-up was made this turn. */
	offered: boolean;
	events: TurnEvent[];
	signals: SignalHit[];
	question: boolean;
	answerable: boolean;
	sources: SourceHit[];
	/** The message looked like instructions to the assistant (kept as data; the rules are unchanged). */
	injection: string | null;
	/** Data left out of the transcript (card numbers, passwords). */
	redacted: string[];
	/** Present on the turn the details are complete. */
	handoff: { contact: Details; summary: HandoffSummary } | null;
}

export interface TurnContext {
	config: ChatConfig;
	index: SourceIndex;
	companyName: string;
	/** Country for phone numbers written without +prefix (the company's). */
	country: string | null;
	now: Date;
}

const MAX_MESSAGE = 4_000;
const MAX_NOTES = 50;
const screen = new InjectionScreen();

export function newChatState(sessionId: string, language: ChatLanguage, now: Date): ChatState {
	const at = now.toISOString();
	return { v: CHAT_STATE_VERSION, sessionId, language, phase: 'open', declined: false, offers: 0, lastOfferTurn: null, turn: 0, answeredQuestions: 0, asking: null, retries: 0, contact: {}, signals: [], questions: [], topics: [], transcript: [], handedOffAt: null, startedAt: at, updatedAt: at };
}

function pushCapped<T>(list: T[], value: T, max: number): T[] {
	const next = [...list, value];
	return next.length > max ? next.slice(next.length - max) : next;
}

/** The next detail to ask for, or null when the required ones are in and the website was asked. */
function nextDetail(contact: Details, websiteAsked: boolean): DetailField | null {
	for (const field of REQUIRED_DETAILS) if (!contact[field]) return field;
	return contact.website || websiteAsked ? null : 'website';
}

const ASK: Record<DetailField, MessageKey> = { name: 'askName', phone: 'askPhone', email: 'askEmail', website: 'askWebsite' };
const INVALID: Record<DetailField, MessageKey> = { name: 'invalidName', phone: 'invalidPhone', email: 'invalidEmail', website: 'invalidWebsite' };

/** Decides one user turn. `previous` is null on a session's first message. */
export function decideTurn(previous: ChatState | null, message: unknown, sessionId: string, ctx: TurnContext): { state: ChatState; decision: TurnDecision } {
	const { config, now } = ctx;
	const raw = inputText(message).slice(0, MAX_MESSAGE).trim();
	let state: ChatState = previous ? { ...previous, turn: previous.turn + 1, updatedAt: now.toISOString() } : { ...newChatState(sessionId, config.language, now), turn: 1 };
	const turn = state.turn;
	const facts = readMessage(raw, config);
	// The reply language follows the user's, when a message shows it clearly (three words or more).
	if (facts.language && facts.folded.split(' ').length >= 3) state.language = facts.language;
	const language = state.language;
	const { text: kept, removed } = redactSensitive(raw);
	const injection = screen.check(raw);
	const decision: TurnDecision = { action: 'reply', reply: null, followUp: null, offered: false, events: [], signals: facts.signals, question: facts.question, answerable: false, sources: [], injection: injection.suspected ? injection.reason : null, redacted: removed, handoff: null };
	const values = () => ({ company: ctx.companyName, name: state.contact.name, email: state.contact.email, phone: state.contact.phone });
	const reply = (key: MessageKey) => chatMessage(config, language, key, values());
	const userSays = (text: string) => {
		state.transcript = pushCapped(state.transcript, { role: 'user', turn, text }, CHAT_DEFAULTS.maxTranscriptMessages);
	};
	const finish = () => {
		if (decision.action === 'reply' && decision.reply) state.transcript = pushCapped(state.transcript, { role: 'assistant', turn, text: decision.reply }, CHAT_DEFAULTS.maxTranscriptMessages);
		return { state, decision };
	};

	if (raw === '') {
		userSays('');
		decision.reply = reply('empty');
		decision.events.push('empty');
		return finish();
	}

	// Collecting: the message answers a detail question (or says no, or asks something first).
	if (state.phase === 'collecting' && state.asking) {
		// "No" to the optional website skips it; to anything else it ends the collecting.
		if (facts.answer === 'no' && !facts.explicitPerson && state.asking !== 'website') {
			userSays('[declined to give details]');
			// What was collected goes, from the transcript too (the assistant had said the name back).
			const given = Object.values(state.contact).filter((v): v is string => typeof v === 'string' && v.length > 0);
			const scrub = (text: string) => given.reduce((t, v) => t.split(v).join('[removed]'), text);
			state = { ...state, phase: 'open', declined: true, asking: null, retries: 0, contact: {}, transcript: state.transcript.map((t) => ({ ...t, text: scrub(t.text) })) };
			decision.reply = reply('detailsDeclined');
			decision.events.push('declined');
			return finish();
		}
		const asked = state.asking;
		// A message that reads as instructions gives no details at all (it is kept as data only).
		const reading = injection.suspected ? { found: {}, invalid: [asked] } : readDetails(raw, asked, ctx.country);
		const skipWebsite = asked === 'website' && (facts.skip || facts.answer === 'no');
		const given = Object.keys(reading.found) as DetailField[];
		if (given.length === 0 && !skipWebsite && facts.question && !reading.invalid.length) {
			// A question instead of the detail: answer it, then ask again.
			return askedQuestion();
		}
		if (given.length === 0 && !reading.invalid.includes(asked)) reading.invalid.push(asked);
		state.contact = { ...state.contact, ...reading.found };
		userSays(given.length ? `[details given: ${given.join(', ')}]` : skipWebsite ? '[skipped the website]' : '[details not readable]');
		const websiteAsked = asked === 'website' || skipWebsite;
		const next = nextDetail(state.contact, websiteAsked);
		if (reading.invalid.includes(asked) && !state.contact[asked] && !skipWebsite) {
			state.retries += 1;
			decision.reply = reply(INVALID[asked]);
			decision.events.push('invalid');
			return finish();
		}
		state.retries = 0;
		if (next) {
			state.asking = next;
			decision.reply = reply(ASK[next]);
			decision.events.push('asked');
			return finish();
		}
		state = { ...state, phase: 'handedOff', asking: null, handedOffAt: now.toISOString() };
		decision.reply = reply('confirm');
		decision.events.push('handedOff');
		const done = finish();
		decision.handoff = { contact: { ...state.contact }, summary: handoffSummary(state) };
		return done;
	}

	// The user asked for a person: take the details now (their own request outranks an earlier no).
	if (facts.explicitPerson && state.phase !== 'handedOff') {
		userSays(kept);
		state = { ...state, phase: 'collecting', declined: false, asking: 'name', retries: 0, contact: {} };
		state.signals = pushCapped(state.signals, { kind: 'person', evidence: facts.signals.find((s) => s.kind === 'person')?.evidence ?? 'request', turn }, MAX_NOTES);
		decision.reply = reply('askNameAfterRequest');
		decision.events.push('accepted', 'asked');
		return finish();
	}

	if (facts.explicitPerson && state.phase === 'handedOff') {
		userSays(kept);
		decision.reply = reply('confirm');
		decision.events.push('handedOff');
		return finish();
	}

	// An answer to the offer just made.
	if (state.phase === 'offered') {
		if (facts.answer === 'no') {
			state = { ...state, phase: 'open', declined: true };
			decision.events.push('declined');
			if (!facts.question) {
				userSays(kept);
				decision.reply = reply('declined');
				return finish();
			}
		} else if (facts.answer === 'yes') {
			state = { ...state, phase: 'collecting', asking: 'name', retries: 0, contact: {} };
			decision.events.push('accepted');
			const reading = readDetails(raw, null, ctx.country);
			state.contact = { ...reading.found };
			if (facts.question && facts.folded.split(' ').length > 3) {
				const answered = askedQuestion();
				return answered;
			}
			userSays(kept);
			decision.reply = reply('askName');
			decision.events.push('asked');
			return finish();
		}
		// Neither: the offer stays open (a later "yes" still takes it) and the message is read as usual.
	}

	return askedQuestion();

	/** A question or a statement in the open conversation (or asked while collecting). */
	function askedQuestion() {
		userSays(kept);
		const search = ctx.index.find(raw, config.minCoverage, CHAT_DEFAULTS.passagesPerAnswer);
		decision.sources = search.hits;
		decision.answerable = search.answerable;
		const isQuestion = facts.question || search.answerable;
		if (isQuestion) {
			state.questions = pushCapped(state.questions, { turn, text: kept.slice(0, 500), answered: search.answerable, sources: search.answerable ? search.hits.slice(0, 1).map((h) => h.id) : [] }, MAX_NOTES);
		}
		const seen: SignalHit[] = [...facts.signals];
		if (search.answerable) {
			state.answeredQuestions += 1;
			state.topics = pushCapped(state.topics, { turn, title: search.hits[0].title, id: search.hits[0].id }, MAX_NOTES);
			if (state.answeredQuestions >= config.inDepthAfterQuestions) seen.push({ kind: 'inDepth', evidence: `${state.answeredQuestions} product questions` });
		} else if (facts.question && search.terms.length > 0) seen.push({ kind: 'unanswered', evidence: 'the sources do not answer it' });
		decision.signals = seen;
		for (const s of seen) state.signals = pushCapped(state.signals, { ...s, turn }, MAX_NOTES);

		const collecting = state.phase === 'collecting' && state.asking;
		const mayOffer = (state.phase === 'open' || state.phase === 'offered') && !state.declined && state.offers < config.maxOffers && (state.lastOfferTurn === null || turn - state.lastOfferTurn >= config.turnsBetweenOffers);
		const offer = mayOffer && seen.length > 0;
		if (offer) {
			state = { ...state, phase: 'offered', offers: state.offers + 1, lastOfferTurn: turn };
			decision.offered = true;
			decision.events.push('offered');
		}
		const followUp = collecting ? reply(ASK[state.asking as DetailField]) : offer ? reply('offer') : null;
		if (search.answerable) {
			decision.action = 'answer';
			decision.followUp = followUp;
			decision.events.push('answered');
			return { state, decision };
		}
		if (isQuestion || facts.question) {
			decision.events.push('unanswered');
			decision.reply = offer ? reply('offerUnanswered') : collecting ? `${reply('unanswered')} ${followUp}` : reply('unanswered');
			return finish();
		}
		decision.events.push('smallTalk');
		decision.reply = offer ? reply('offer') : collecting ? (followUp as string) : reply(facts.thanks ? 'welcome' : turn === 1 ? 'greeting' : 'prompt');
		return finish();
	}
}

/** Records the assistant's answer (after the grounding check) in the session's transcript. */
export function recordAnswer(state: ChatState, text: string, now: Date): ChatState {
	return { ...state, updatedAt: now.toISOString(), transcript: pushCapped(state.transcript, { role: 'assistant', turn: state.turn, text }, CHAT_DEFAULTS.maxTranscriptMessages) };
}
