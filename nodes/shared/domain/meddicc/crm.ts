import { safeText } from '../text';
import { normalizeForMatch } from './evidence';
import { MEDDICC_FIELDS, type Contact, type Evidence, type ExistingValue, type FieldResult, type MeddiccField } from './meddicc';

/**
 * MEDDICC and the canonical opportunity: which CRM field holds each MEDDICC field and its evidence,
 * reading an opportunity's current values (and which a person validated), what a call writes back,
 * and the deal contacts with their roles. One home for these names: the CRM model and the MEDDICC
 * Extractor both use them.
 */

/** The canonical opportunity field of a MEDDICC field: economicBuyer -> meddiccEconomicBuyer. */
export function meddiccCrmField(name: MeddiccField): string {
	return `meddicc${name[0].toUpperCase()}${name.slice(1)}`;
}

/** A quote as the CRM keeps it: the words, then who said them and when. */
export function evidenceText(e: Evidence): string {
	const where = [e.speaker, e.timestamp].filter(Boolean).join(', ');
	return where ? `"${e.quote}" (${where})` : `"${e.quote}"`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An opportunity as the RevOps CRM node returns it ({fields, validated}) to the extractor's current
 * values; null when the value is not such a record.
 */
export function existingFromRecord(value: unknown): Partial<Record<MeddiccField, ExistingValue>> | null {
	if (!isObject(value) || !isObject(value.fields)) return null;
	const fields = value.fields;
	const validated = new Set(Array.isArray(value.validated) ? value.validated.map(String) : []);
	const out: Partial<Record<MeddiccField, ExistingValue>> = {};
	for (const name of MEDDICC_FIELDS) {
		const key = meddiccCrmField(name);
		const v = fields[key];
		if (v === undefined || v === null || v === '') continue;
		out[name] = { value: safeText(v, 2_000), validated: validated.has(key) };
	}
	return out;
}

/** What a call writes to the opportunity: each written value with the quotes that support it. */
export function opportunityPatch(written: Partial<Record<MeddiccField, string>>, fields: Partial<Record<MeddiccField, FieldResult>>): Record<string, unknown> {
	const patch: Record<string, unknown> = {};
	for (const name of MEDDICC_FIELDS) {
		const value = written[name];
		if (value === undefined) continue;
		const key = meddiccCrmField(name);
		patch[key] = value;
		const quotes = (fields[name]?.evidence ?? []).map(evidenceText);
		if (quotes.length) patch[`${key}Evidence`] = quotes;
	}
	return patch;
}

/** The CRM's deal roles for the extractor's contact roles. */
const DEAL_ROLE: Record<Contact['role'], string> = {
	economic_buyer: 'Economic Buyer',
	champion: 'Champion',
	influencer: 'Influencer',
	blocker: 'Blocker',
	unknown: 'unknown',
};

export interface Participant {
	name: string;
	email: string | null;
	title: string | null;
}

export interface DealContact {
	name: string;
	firstName: string | null;
	lastName: string | null;
	/** From the call's participants when one has this name; null otherwise (no CRM contact without one). */
	email: string | null;
	jobTitle: string | null;
	dealRole: string;
	evidence: string[];
}

/** Participants as call recorders send them: [{name, email, title}] (other keys ignored, bad entries skipped). */
export function readParticipants(value: unknown): Participant[] {
	const list = typeof value === 'string' ? (value.trim() ? safeJson(value) : []) : value;
	if (!Array.isArray(list)) return [];
	return list.filter(isObject).flatMap((p) => {
		const name = typeof p.name === 'string' ? p.name.trim() : '';
		const email = typeof p.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email.trim()) ? p.email.trim().toLowerCase() : null;
		if (!name && !email) return [];
		return [{ name, email, title: typeof p.title === 'string' && p.title.trim() ? p.title.trim() : null }];
	});
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return [];
	}
}

/**
 * The contacts the transcript names, with their deal role and the quote, and the e-mail of the call
 * participant of the same name (compared without case, accents or punctuation; a first name alone
 * matches only when exactly one participant has it).
 */
export function dealContacts(contacts: readonly Contact[], participants: readonly Participant[]): DealContact[] {
	const norm = (s: string) => normalizeForMatch(s.normalize('NFKD').replace(/\p{M}/gu, '')).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
	return contacts.map((c) => {
		const name = norm(c.name);
		let match = participants.find((p) => p.name && norm(p.name) === name);
		if (!match && name && !name.includes(' ')) {
			const byFirst = participants.filter((p) => p.name && norm(p.name).split(' ')[0] === name);
			if (byFirst.length === 1) match = byFirst[0];
		}
		const full = (match?.name || c.name).trim();
		const [first, ...rest] = full.split(/\s+/);
		return {
			name: full,
			firstName: first || null,
			lastName: rest.length ? rest.join(' ') : null,
			email: match?.email ?? null,
			jobTitle: match?.title ?? null,
			dealRole: DEAL_ROLE[c.role] ?? 'unknown',
			evidence: c.evidence.map(evidenceText),
		};
	});
}
