import { findCommitments } from '../trust/commitments';
import { checkForInjection } from '../trust/injection-screen';
import { checkSupport, evidenceText, FactIndex } from '../trust/support';
import { CUSTOMER_FACING, DRAFTING_DEFAULTS, maxWordsFor, type ApprovedContent, type DraftKind, type DraftingConfig } from './config';

/**
 * The checks every draft passes before anyone sees it as ours, model-written or not: each sentence's
 * facts (numbers, amounts, percentages, dates, names) must stand in the item or the company's approved
 * content, or the sentence is removed with the facts it lacked; a sentence with a banned phrase or
 * with words addressed to an AI is removed; prices, discounts, terms, approvals and dates promised
 * anywhere send the draft to a person whatever the tier; the required lines are added; the length is
 * the kind's. The item says which sentences went and why.
 */

export interface RemovedSentence {
	sentence: string;
	reason: 'unsupported' | 'banned' | 'instruction';
	/** The facts no source states, or the banned phrase. */
	detail: string[];
}

export interface DraftCheck {
	/** The draft after the checks, with the required lines. */
	text: string;
	removed: RemovedSentence[];
	/** Promises only a person may make ("price: $499/month", "discount: 20% off"). */
	commitments: string[];
	/** Why a person must look at it; empty when the draft is clean. */
	reviewReasons: string[];
	clean: boolean;
	words: number;
	/** Sentences of the draft, and how many were kept. */
	sentences: number;
	kept: number;
}

export interface DraftEvidence {
	/** The record the draft is about (lead, account, opportunity, MEDDICC, activities), as field: value lines. */
	item: string;
	approved: readonly ApprovedContent[];
	/** Words of our own that are never claims: the company's and the sender's names, product names. */
	vocabulary: string[];
}

/** A sentence ends at . ! ? before whitespace (not inside 4.5 or acme.example/guide), at 。！？ and at a line end. */
const SENTENCES = /((?<=[.!?])\s+|(?<=[。！？\n])\s*)/u;
const wordCount = (text: string) => (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;

/** The item's fields as evidence lines: outside text stays data (instructions in it are dropped by evidenceText). */
export function itemEvidence(fields: Record<string, unknown>, maxChars = 20_000): string {
	const lines: string[] = [];
	const visit = (value: unknown, key: string, depth: number) => {
		if (value === null || value === undefined || depth > 4) return;
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') lines.push(`${key}: ${String(value)}.`);
		else if (Array.isArray(value)) value.slice(0, 50).forEach((v) => visit(v, key, depth + 1));
		else if (typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) visit(v, k, depth + 1);
	};
	visit(fields, 'item', 0);
	return lines.join('\n').slice(0, maxChars);
}

/**
 * Links, addresses and domains a draft may only repeat from the approved content (a link is a claim,
 * and the cheapest phishing), and chat markup that has no place in a draft at all (<!channel>, <@U123>, <url|text>).
 */
const LINKS = /\bhttps?:\/\/[^\s<>|)"'\]]+|\bwww\.[^\s<>|)"'\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[a-z0-9][a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/giu;
const MARKUP = /<[^<>\n]{1,300}>/u;
const linkKey = (link: string) => link.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/.,;:!?]+$/, '');

/** Injection patterns that are ordinary lines of a draft ("Tier: T1", "Approval: pending"). */
const DRAFT_LINE_PATTERNS = new Set(['field-assignment']);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Words a sentence of a sales message starts with that are not names. The shared fact reader does not
 * count a sentence's first word as a name ("Cut costs" is not a person), which would let "Initech is
 * a customer" through; a draft's first word is a name unless it is one of these, stands in the
 * evidence, or appears in lower case elsewhere in the draft. An unknown first word costs a review,
 * never an invented customer sent.
 */
const STARTERS = new Set(
	`a an the this that these those it its is are was were be has have had do does did will would can could should may might must our your their his her we you they he she i
	of in on at to for from by with about as or if but not no yes so also just only here there what when where which who why how all any each every some many most more
	hi hello hey dear thanks thank best kind warm regards cheers sincerely greetings good great glad happy hope hoping looking following further quick short please feel let
	sure absolutely certainly perhaps maybe today tomorrow yesterday now then next last first second finally again still yet already soon after before once while since
	customers teams companies finance sales marketing operations leaders our many people clients partners users everyone anyone nobody none both either neither one two three
	ok okay great welcome congratulations apologies sorry unfortunately fortunately meanwhile however therefore also additionally plus note ps p.s
	hallo guten liebe lieber sehr danke vielen beste grüße gruß mit freundlichen wir sie ihr ihre unser unsere es das die der ein eine bonjour merci cordialement bien nous vous
	votre notre le la les un une hola gracias saludos estimado estimada nosotros usted su nuestro el los las una`.split(/\s+/),
);

/**
 * What a draft is checked against, worked out once per record (the record's facts are read and
 * screened once, however many drafts, retries and subject lines are checked against them).
 */
export interface DraftSources {
	index: FactIndex;
	vocabulary: readonly string[];
	vocabularySet: ReadonlySet<string>;
	/** The approved content and our own words, lower case: where links may come from. */
	ownLinks: string;
}

export function draftSources(evidence: DraftEvidence): DraftSources {
	const approved = evidence.approved.map((a) => `${a.title}. ${a.text}`).join('\n');
	return {
		index: new FactIndex(`${evidenceText(evidence.item).text}\n${approved}\n${evidence.vocabulary.join(' ')}`),
		vocabulary: evidence.vocabulary,
		vocabularySet: new Set(evidence.vocabulary.map((v) => v.toLowerCase())),
		// Links only from the company's own content: a link from the record (a form anyone can fill in with
		// someone else's address) would have us send strangers' links from our domain.
		ownLinks: `${approved}\n${evidence.vocabulary.join(' ')}`.toLowerCase(),
	};
}

/**
 * `context` is the text a sentence's opening word may also appear in (the draft itself by default; a
 * subject line is read with its body).
 */
export function checkDraft(draft: string, kind: DraftKind, from: DraftEvidence | DraftSources, config: DraftingConfig, context = draft): DraftCheck {
	const { index, vocabulary: ownWords, vocabularySet: vocabulary, ownLinks } = 'index' in from ? from : draftSources(from);
	const banned = config.bannedPhrases.map((p) => ({ phrase: p, re: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(p)}(?![\\p{L}\\p{N}])`, 'iu') }));
	const removed: RemovedSentence[] = [];
	const kept: string[] = [];
	// Sentences with the whitespace after each, so what is kept keeps its lines and paragraphs.
	const pieces = draft.split(SENTENCES);
	const parts: string[] = [];
	const gaps: string[] = [];
	for (let p = 0; p < pieces.length; p += 2) {
		if (pieces[p].trim() === '') continue;
		parts.push(pieces[p]);
		gaps.push(pieces[p + 1] ?? '');
	}
	for (let n = 0; n < parts.length; n++) {
		const sentence = parts[n];
		const hit = banned.find((b) => b.re.test(sentence));
		if (hit) {
			removed.push({ sentence: sentence.trim(), reason: 'banned', detail: [hit.phrase] });
			continue;
		}
		// "Tier: T1" is a line of a brief, not an attack on our answer fields: only the other patterns count in a draft.
		if (checkForInjection(sentence).patterns.some((p) => !DRAFT_LINE_PATTERNS.has(p))) {
			removed.push({ sentence: sentence.trim(), reason: 'instruction', detail: [] });
			continue;
		}
		const markup = MARKUP.exec(sentence)?.[0];
		const links = [...sentence.matchAll(LINKS)].map((m) => m[0]).filter((l) => !ownLinks.includes(linkKey(l)));
		if (markup || links.length) {
			removed.push({ sentence: sentence.trim(), reason: 'unsupported', detail: [...(markup ? [markup.slice(0, 100)] : []), ...links.map((l) => l.replace(/[.,;:!?]+$/, '').slice(0, 100))] });
			continue;
		}
		const support = checkSupport(sentence, index, ownWords as string[]);
		const opening = /^[\s"'“‘(]*(\p{Lu}[\p{L}\p{N}'’&-]*)/u.exec(sentence)?.[1]?.replace(/['’]s$/, '');
		const lower = opening?.toLowerCase();
		const unknownOpening =
			opening && lower && !STARTERS.has(lower) && !vocabulary.has(lower) && !index.has({ kind: 'name', key: `name:${lower}`, text: opening }) && !new RegExp(`(?<![\\p{L}])${escapeRe(lower)}(?![\\p{L}])`, 'u').test(context.replace(opening, ''))
				? opening
				: null;
		if (!support.supported || unknownOpening) {
			removed.push({ sentence: sentence.trim(), reason: 'unsupported', detail: [...(unknownOpening && !support.unsupported.includes(unknownOpening) ? [unknownOpening] : []), ...support.unsupported] });
			continue;
		}
		kept.push(sentence + gaps[n]);
	}
	// Promises are looked for in the whole draft, removed sentences too: a model that tried to promise
	// a price is a draft a person must see, even when the promise itself was cut.
	const commitments = findCommitments(draft);
	const required = config.requiredLines.filter((l) => (l.kinds ? l.kinds.includes(kind) : CUSTOMER_FACING[kind])).map((l) => l.text);
	const body = kept.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
	const text = [body, ...required.filter((line) => !body.includes(line))].filter(Boolean).join('\n\n');
	const words = wordCount(body);
	const reviewReasons: string[] = [];
	if (commitments.length) reviewReasons.push(`it promises what only a person may (${commitments.join('; ')})`);
	if (removed.length) reviewReasons.push(`${removed.length} sentence(s) removed: ${removed.map((r) => (r.reason === 'unsupported' ? `no source for ${r.detail.join(', ')}` : r.reason === 'banned' ? `banned phrase "${r.detail[0]}"` : 'words addressed to an AI')).join('; ')}`);
	if (parts.length > 0 && kept.length / parts.length < DRAFTING_DEFAULTS.minKeptShare) reviewReasons.push(`only ${kept.length} of ${parts.length} sentences could be kept`);
	if (words > maxWordsFor(config, kind)) reviewReasons.push(`${words} words, over the ${maxWordsFor(config, kind)} for this kind`);
	if (kept.length === 0) reviewReasons.push('nothing of the draft could be kept');
	return { text, removed, commitments, reviewReasons, clean: reviewReasons.length === 0, words, sentences: parts.length, kept: kept.length };
}
