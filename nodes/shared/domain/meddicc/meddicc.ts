import { dateOutOfRange } from '../scoring/conditions';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { checkSupport, extractFacts, isRequestNotEvidence } from '../trust/support';
import { normalizeForMatch, type EvidenceIndex } from './evidence';

export const MEDDICC_FIELDS = ['metrics', 'economicBuyer', 'decisionCriteria', 'decisionProcess', 'paperProcess', 'identifyPain', 'champion', 'competition'] as const;
export type MeddiccField = (typeof MEDDICC_FIELDS)[number];

export const FIELD_LABELS: Record<MeddiccField, string> = {
	metrics: 'Metrics',
	economicBuyer: 'Economic Buyer',
	decisionCriteria: 'Decision Criteria',
	decisionProcess: 'Decision Process',
	paperProcess: 'Paper Process',
	identifyPain: 'Identify Pain',
	champion: 'Champion',
	competition: 'Competition',
};

/** Next-best discovery questions for a field that is missing or weak. */
export const DISCOVERY_QUESTIONS: Record<MeddiccField, string> = {
	metrics: 'What would success look like in numbers, and by when?',
	economicBuyer: 'Who signs off on the budget for this, and have they been involved yet?',
	decisionCriteria: 'Which criteria will you use to compare the options?',
	decisionProcess: 'What are the steps and who is involved between now and a decision?',
	paperProcess: 'Once you decide, what does procurement, legal and security review look like, and how long does it take?',
	identifyPain: 'What happens if you do nothing about this problem this year?',
	champion: 'Who on your side wants this to happen and will push for it internally?',
	competition: 'Which other options, including doing nothing or building it yourselves, are you considering?',
};

export const CONTACT_ROLES = ['economic_buyer', 'champion', 'influencer', 'blocker', 'unknown'] as const;

export type FieldState = 'unknown' | 'stated' | 'implied' | 'kept';

export interface Evidence {
	quote: string;
	speaker: string | null;
	timestamp: string | null;
}

export interface FieldResult {
	value: string | null;
	state: FieldState;
	confidence: number;
	evidence: Evidence[];
}

export interface RejectedClaim {
	field: MeddiccField | 'contact';
	value: string;
	reason: string;
}

export interface Contact {
	name: string;
	role: (typeof CONTACT_ROLES)[number];
	evidence: Evidence[];
}

export interface PartExtraction {
	fields: Partial<Record<MeddiccField, FieldResult>>;
	contacts: Contact[];
	rejectedClaims: RejectedClaim[];
}

export function answerSchema(fields: readonly MeddiccField[]) {
	const field = z.object({
		value: z.string().nullable(),
		state: z.enum(['stated', 'implied', 'unknown']),
		confidence: z.number().min(0).max(1),
		evidence: z.array(z.object({ quote: z.string() })),
	});
	return z.object({
		fields: z.object(Object.fromEntries(fields.map((f) => [f, field])) as Record<MeddiccField, typeof field>),
		contacts: z.array(z.object({ name: z.string(), role: z.enum(CONTACT_ROLES), quote: z.string() })),
	});
}
export type MeddiccAnswer = z.infer<ReturnType<typeof answerSchema>>;

// A competitor counts only when the buyer is weighing it, not when it is named in passing.
const EVALUATION_CUES = /\b(evaluat\w*|compar\w*|looking at|talking to|in talks with|considering|shortlist\w*|trial\w*|pilot\w*|proposal|quote|versus|vs\.?|alternative\w*|incumbent|currently (use|using|on)|switch\w* (from|to)|replace|bake-?off|demo(ed|s)? (from|with)|rfp)\b/i;

const unknownField = (): FieldResult => ({ value: null, state: 'unknown', confidence: 0, evidence: [] });

/**
 * Keeps only what the source backs. A claim whose quotes are not found verbatim is dropped (the field
 * stays unknown) and listed with the reason; so is a competitor without a sign of evaluation, and a
 * contact whose name is not in the text.
 */
export function checkEvidence(answer: MeddiccAnswer, index: EvidenceIndex, fields: readonly MeddiccField[]): PartExtraction {
	const out: PartExtraction = { fields: {}, contacts: [], rejectedClaims: [] };
	for (const name of fields) {
		const claim = answer.fields[name];
		if (!claim || claim.state === 'unknown' || !claim.value || !claim.value.trim()) {
			out.fields[name] = unknownField();
			continue;
		}
		const found: Evidence[] = [];
		const missing: string[] = [];
		const requests: string[] = [];
		for (const { quote } of claim.evidence) {
			const hit = index.find(quote);
			if (!hit) missing.push(quote);
			else if (isRequestNotEvidence(quote)) requests.push(quote);
			else found.push({ quote: quote.trim(), speaker: hit.speaker, timestamp: hit.timestamp });
		}
		let reason: string | null = null;
		const unsaid = found.length ? valueNotInQuotes(claim.value, found) : null;
		if (found.length === 0) {
			reason =
				claim.evidence.length === 0
					? 'no evidence quoted'
					: requests.length && !missing.length
						? `the quote is a request or an instruction, not evidence: ${requests.map((q) => JSON.stringify(q)).join(', ')}`
						: `evidence not found in the source: ${[...missing, ...requests].map((q) => JSON.stringify(q)).join(', ')}`;
		} else if (unsaid) {
			reason = `the value says what its quotes do not: ${unsaid}`;
		} else if (ROLE_CUES[name] && !found.some((e) => ROLE_CUES[name]!.test(e.quote))) {
			reason = `no quote shows the role: a ${FIELD_LABELS[name]} signs, decides or owns the budget (economic buyer) or pushes for the deal (champion)`;
		} else if (name === 'competition' && !found.some((e) => EVALUATION_CUES.test(e.quote) && mentions(e.quote, claim.value!))) {
			reason = 'named only in passing: no quote shows the buyer evaluating it';
		}
		if (reason) {
			out.rejectedClaims.push({ field: name, value: claim.value, reason });
			out.fields[name] = unknownField();
			continue;
		}
		out.fields[name] = { value: claim.value.trim(), state: claim.state, confidence: claim.confidence, evidence: found };
	}
	for (const contact of answer.contacts) {
		const quoteHit = index.find(contact.quote);
		const request = quoteHit && isRequestNotEvidence(contact.quote);
		// The quote must show this person: their name in it (not merely somewhere in the transcript).
		const named = quoteHit && normalizeForMatch(`${quoteHit.speaker ?? ''} ${contact.quote}`).includes(normalizeForMatch(contact.name)) && index.contains(contact.name);
		if (!quoteHit || request || !named) {
			out.rejectedClaims.push({
				field: 'contact',
				value: `${contact.name} (${contact.role})`,
				reason: !quoteHit ? 'evidence not found in the source' : request ? 'the quote is a request or an instruction, not evidence' : 'the quote does not name this person',
			});
			continue;
		}
		out.contacts.push({ name: contact.name.trim(), role: contact.role, evidence: [{ quote: contact.quote.trim(), speaker: quoteHit.speaker, timestamp: quoteHit.timestamp }] });
	}
	return out;
}

/** Words that show a person's role in the deal, in the nine languages the screen knows. */
const ROLE_CUES: Partial<Record<MeddiccField, RegExp>> = {
	economicBuyer: /(sign|approv|budget|final (say|call|word)|decid|decision|pays|buyer|cfo|ceo|coo|owner|purse|cheque|check ?book|unterschreib|genehmig|entscheid|freigab|signe|approuv|décid|valide|firma|aprueb|aprobar|decide|presupuesto|assina|aprova|orçamento|approva|decide|tekent|keurt|beslis|goedkeur|签|批准|预算|決裁|承認|予算)/iu,
	champion: /(push|advocat|support|sponsor|champion|internal|brief|sell|convinc|on board|present|pitch|introduc|leadership|executive|buy-in|vouch|recommend|lobby|drive this|behind this|make the case|take (this|it) to|vorantreib|unterstütz|intern|pousse|soutien|en interne|convaincre|impuls|apoy|internamente|apoi|spinge|sostegn|steun|推动|推動|支持|内部|推進|社内)/iu,
};

const STOP = new Set(
	'the and for with that this from have has will would about their they them there what when which who whose into over under than then also just only very more most less some such other been being were does did done make made like need needs want wants said says our your his her its can could should must may might not yes are was per via von und der die das mit für ist les des une pour avec est los las una por con para que del dos das uma com não gli una per con che del een het van voor met niet'.split(' '),
);

/**
 * What in a value its quotes do not say, or null when they say it all: every fact (names, numbers with
 * units, amounts, dates) must stand in the quotes themselves, and a value without such facts must share
 * its words with them ("budget owner is the CFO" is not backed by a quote about the timeline).
 */
export function valueNotInQuotes(value: string, quotes: Evidence[]): string | null {
	// Who said a quote is part of what it shows ("I'm pushing for this" said by Priya backs "Priya"),
	// unless the quote names someone else: then it is about that person, not the speaker.
	const firstPerson = /(?<![\p{L}])(i|i['’]m|i['’]ll|i['’]ve|i['’]d|ich|je|j['’]|yo|eu|io|ik)(?![\p{L}])|我|私/iu;
	const namesSomeone = (quote: string) => !firstPerson.test(quote) && extractFacts(quote).some((f) => f.kind === 'name');
	const text = quotes.map((q) => (q.speaker && !namesSomeone(q.quote) ? `${q.speaker}: ${q.quote}` : q.quote)).join('\n');
	const support = checkSupport(value, text);
	if (!support.supported) return support.unsupported.join(', ');
	const stem = (w: string) => w.slice(0, 5);
	const words = (t: string) => (normalizeForMatch(t).match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP.has(w));
	const own = [...new Set(words(value).map(stem))];
	if (!own.length) return null;
	const inQuotes = new Set(words(text).map(stem));
	const shared = own.filter((w) => inQuotes.has(w)).length;
	// Values are short paraphrases: at least one content word, and a third of them, must be the quotes' own.
	return shared >= 1 && shared / own.length >= 1 / 3 ? null : 'none of its words are in its quotes';
}

function mentions(quote: string, value: string): boolean {
	const q = normalizeForMatch(quote);
	return value
		.split(/[,;/]|\band\b/)
		.map((v) => normalizeForMatch(v))
		.filter((v) => v.length >= 2)
		.some((v) => q.includes(v));
}

const STATE_RANK: Record<FieldState, number> = { unknown: 0, implied: 1, stated: 2, kept: 3 };

/** Merges the parts of a long transcript: the best-supported value per field, evidence without duplicates. */
export function mergeParts(parts: PartExtraction[], fields: readonly MeddiccField[]): PartExtraction {
	const merged: PartExtraction = { fields: {}, contacts: [], rejectedClaims: parts.flatMap((p) => p.rejectedClaims) };
	for (const name of fields) {
		const candidates = parts.map((p) => p.fields[name]).filter((f): f is FieldResult => !!f && f.state !== 'unknown');
		if (!candidates.length) {
			merged.fields[name] = unknownField();
			continue;
		}
		candidates.sort((a, b) => STATE_RANK[b.state] - STATE_RANK[a.state] || b.confidence - a.confidence);
		const best = { ...candidates[0], evidence: [...candidates[0].evidence] };
		const key = (v: string | null) => normalizeForMatch(v ?? '');
		for (const other of candidates.slice(1)) {
			if (key(other.value) !== key(best.value)) continue;
			best.evidence.push(...other.evidence);
		}
		best.evidence = dedupeEvidence(best.evidence);
		merged.fields[name] = best;
	}
	const contacts = new Map<string, Contact>();
	for (const c of parts.flatMap((p) => p.contacts)) {
		const k = normalizeForMatch(c.name);
		const prev = contacts.get(k);
		if (!prev) contacts.set(k, { ...c, evidence: [...c.evidence] });
		else {
			if (prev.role === 'unknown') prev.role = c.role;
			prev.evidence = dedupeEvidence([...prev.evidence, ...c.evidence]);
		}
	}
	merged.contacts = [...contacts.values()];
	return merged;
}

function dedupeEvidence(evidence: Evidence[]): Evidence[] {
	const seen = new Set<string>();
	return evidence.filter((e) => {
		const k = normalizeForMatch(e.quote);
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}

export type WritePolicy = 'auto' | 'suggest' | 'never';

export interface ExistingValue {
	value: string | null;
	/** A validated value is a person's confirmed entry: never overwritten. */
	validated: boolean;
}

export interface Suggestion {
	field: MeddiccField;
	current: string | null;
	suggested: string;
	state: FieldState;
	evidence: Evidence[];
	why: string;
}

export interface MergedWithCrm {
	fields: Partial<Record<MeddiccField, FieldResult>>;
	suggestions: Suggestion[];
	crmPatch: Record<string, string>;
	/** The opportunity's values after this update, ready to store back: existing ones plus what was written. */
	record: Partial<Record<MeddiccField, ExistingValue>>;
}

/**
 * Validated CRM values stand: the field is `kept`, and a different new finding becomes a suggestion.
 * Otherwise the write policy decides whether a backed finding goes into crmPatch (auto), only into
 * suggestions (suggest), or nowhere (never). Unknown never overwrites anything.
 */
export function mergeWithCrm(extracted: PartExtraction, existing: Partial<Record<MeddiccField, ExistingValue>>, policies: Partial<Record<MeddiccField, WritePolicy>>, fields: readonly MeddiccField[]): MergedWithCrm {
	const result: MergedWithCrm = { fields: {}, suggestions: [], crmPatch: {}, record: {} };
	for (const name of fields) {
		const found = extracted.fields[name] ?? unknownField();
		const current = existing[name];
		if (current) result.record[name] = current;
		const differs = found.state !== 'unknown' && normalizeForMatch(found.value ?? '') !== normalizeForMatch(current?.value ?? '');
		if (current?.validated && current.value) {
			result.fields[name] = { value: current.value, state: 'kept', confidence: 1, evidence: [] };
			if (differs) result.suggestions.push({ field: name, current: current.value, suggested: found.value!, state: found.state, evidence: found.evidence, why: 'the CRM value is validated, so it is kept' });
			continue;
		}
		result.fields[name] = found;
		if (!differs) continue;
		const policy = policies[name] ?? 'auto';
		if (policy === 'auto') {
			result.crmPatch[name] = found.value!;
			result.record[name] = { value: found.value, validated: false };
		}
		else if (policy === 'suggest') result.suggestions.push({ field: name, current: current?.value ?? null, suggested: found.value!, state: found.state, evidence: found.evidence, why: 'the write policy for this field is "suggest"' });
	}
	return result;
}

export interface Completeness {
	score: number;
	missing: MeddiccField[];
	weak: MeddiccField[];
	questions: Array<{ field: MeddiccField; question: string }>;
}

/** Weighted completeness: stated or kept counts fully, implied half, unknown nothing. */
export function completeness(fields: Partial<Record<MeddiccField, FieldResult>>, weights: Partial<Record<MeddiccField, number>>, order: readonly MeddiccField[]): Completeness {
	let total = 0;
	let got = 0;
	const missing: MeddiccField[] = [];
	const weak: MeddiccField[] = [];
	for (const name of order) {
		const w = Math.max(0, weights[name] ?? 1);
		const f = fields[name] ?? unknownField();
		total += w;
		if (f.state === 'stated' || f.state === 'kept') got += w * (f.confidence < 0.6 && f.state === 'stated' ? 0.75 : 1);
		else if (f.state === 'implied') got += w * 0.5;
		if (f.state === 'unknown') missing.push(name);
		else if (f.state === 'implied' || (f.state === 'stated' && f.confidence < 0.6)) weak.push(name);
	}
	return {
		score: total ? Math.round((got / total) * 100) : 0,
		missing,
		weak,
		questions: [...missing, ...weak].map((field) => ({ field, question: DISCOVERY_QUESTIONS[field] })),
	};
}

export interface RiskFlag {
	id: 'no-economic-buyer' | 'no-champion' | 'competitor-present' | 'no-decision-process' | 'stalled';
	reason: string;
}

export function dealRisks(fields: Partial<Record<MeddiccField, FieldResult>>, lastActivityAt: string | null, stalledAfterDays: number, now: DateTime): RiskFlag[] {
	const flags: RiskFlag[] = [];
	const known = (f: MeddiccField) => (fields[f]?.state ?? 'unknown') !== 'unknown';
	if (!known('economicBuyer')) flags.push({ id: 'no-economic-buyer', reason: 'no economic buyer identified' });
	if (!known('champion')) flags.push({ id: 'no-champion', reason: 'no champion identified' });
	if (known('competition')) flags.push({ id: 'competitor-present', reason: `competition: ${fields.competition!.value}` });
	if (!known('decisionProcess')) flags.push({ id: 'no-decision-process', reason: 'the decision process is unknown' });
	if (lastActivityAt) {
		const last = DateTime.fromISO(lastActivityAt, { zone: 'utc' });
		// A date no CRM means (the node flags it) says nothing about whether the deal stalled.
		if (last.isValid && !dateOutOfRange(last.toMillis(), now.toMillis())) {
			const days = Math.floor((now.toMillis() - last.toMillis()) / 86_400_000);
			if (days > stalledAfterDays) flags.push({ id: 'stalled', reason: `last activity ${days} days ago (more than ${stalledAfterDays})` });
		}
	}
	return flags;
}
