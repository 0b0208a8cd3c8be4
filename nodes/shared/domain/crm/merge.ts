import { EARLIEST_DATE, LARGEST_SANE_NUMBER, LATEST_DATE_AHEAD } from '../scoring/conditions';
import { isBlankText, safeText } from '../text';
import { CRM_FIELDS, SHORT_TEXT, type CrmObject, type FieldSpec, type MergePolicy } from './model';

/**
 * The rules of writing, in one place: how an incoming patch merges into a stored record, field by
 * field. Pure: the caller reads the record, merges, and writes only if the record has not moved since
 * (see upsert.ts).
 */

export type FieldValue = string | number | boolean | string[] | null | Record<string, unknown> | unknown[];

/** Who writes: a person's value is validated and from then on only a person may change it. */
export interface Writer {
	kind: 'rule' | 'model' | 'human';
	/** Node, rule or user name, kept in history. */
	name: string;
}

export interface FieldChange {
	field: string;
	before: FieldValue | null;
	after: FieldValue | null;
	policy: MergePolicy;
}

export type SkipReason = 'validated' | 'first_touch' | 'filled' | 'no_reset' | 'not_larger' | 'invalid' | 'unknown_field' | 'unknown_value';

export interface SkippedField {
	field: string;
	reason: SkipReason;
	/** Says what happened and, for bad input, the fix. */
	message: string;
	/** The value that was not written (kept so a person can still see it), shortened. */
	offered?: string;
}

export interface MergeResult {
	fields: Record<string, FieldValue>;
	validated: string[];
	changes: FieldChange[];
	skipped: SkippedField[];
}

export interface MergeOptions {
	writer: Writer;
	/** Fields the writer vouches for as a person (validated from now on). Only for kind 'human'. */
	validates?: readonly string[];
	/** Per-field policy overrides from the company config. */
	policies?: Readonly<Record<string, MergePolicy>>;
	now?: number;
}

const isEmpty = (v: unknown): boolean =>
	v === null || v === undefined || (typeof v === 'string' && isBlankText(v)) || (Array.isArray(v) && v.length === 0);

/** `unknown` is a valid answer, but never replaces something known. */
const isUnknown = (v: unknown): boolean => typeof v === 'string' && v.trim().toLowerCase() === 'unknown';

type Coerced = { ok: true; value: FieldValue } | { ok: false; message: string };

/** Brings an incoming value to the field's type, or says why it cannot (naming the field and the fix). */
export function coerceValue(field: string, spec: FieldSpec, raw: unknown, now: number): Coerced {
	switch (spec.type) {
		case 'number': {
			const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.replace(/[,_\s]/g, '')) : NaN;
			if (!Number.isFinite(n)) return { ok: false, message: `${field} must be a number, got ${safeText(raw)}; map a numeric field or leave it empty` };
			if (Math.abs(n) > LARGEST_SANE_NUMBER) return { ok: false, message: `${field} is ${safeText(raw)}, beyond any real value; check the source field` };
			return { ok: true, value: n };
		}
		case 'boolean': {
			if (typeof raw === 'boolean') return { ok: true, value: raw };
			const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
			if (['true', 'yes', '1'].includes(t)) return { ok: true, value: true };
			if (['false', 'no', '0'].includes(t)) return { ok: true, value: false };
			return { ok: false, message: `${field} must be true or false, got ${safeText(raw)}` };
		}
		case 'date': {
			const t = raw instanceof Date ? raw.getTime() : typeof raw === 'string' || typeof raw === 'number' ? new Date(raw).getTime() : NaN;
			if (!Number.isFinite(t)) return { ok: false, message: `${field} must be a date (ISO 8601, e.g. 2026-03-01T09:00:00Z), got ${safeText(raw)}` };
			if (t < EARLIEST_DATE || t > now + LATEST_DATE_AHEAD) return { ok: false, message: `${field} is ${safeText(raw)}, before 1900 or more than 50 years ahead; check the source field` };
			return { ok: true, value: new Date(t).toISOString() };
		}
		case 'list': {
			const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[;,\n]/) : null;
			if (!list || list.some((v) => typeof v === 'object' && v !== null)) return { ok: false, message: `${field} must be a list of texts, got ${safeText(raw)}` };
			const texts = [...new Set(list.map((v) => String(v ?? '').trim()).filter((v) => v !== ''))];
			return { ok: true, value: texts.map((v) => v.slice(0, 2000)).slice(0, 500) };
		}
		case 'json':
			return { ok: true, value: raw as FieldValue };
		default: {
			if (typeof raw === 'object') return { ok: false, message: `${field} must be text, got ${safeText(raw)}; map a text field` };
			const text = String(raw).trim();
			const max = spec.maxLength ?? SHORT_TEXT;
			if (text.length > max) return { ok: false, message: `${field} is ${text.length} characters; at most ${max} are stored: map a shorter field, or cut it before this node` };
			if (spec.values && isUnknown(text)) return { ok: true, value: 'unknown' };
			if (spec.values) {
				const match = spec.values.find((v) => v.toLowerCase() === text.toLowerCase());
				if (!match) return { ok: false, message: `${field} must be one of ${spec.values.join(', ')}, got ${safeText(raw)}` };
				return { ok: true, value: match };
			}
			return { ok: true, value: text };
		}
	}
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges `incoming` into `existing` (null for a new record). Empty values never blank a field; a field
 * a person validated changes only by a person; otherwise the field's policy decides.
 */
export function mergeRecord(
	object: CrmObject,
	existing: { fields: Record<string, FieldValue>; validated: readonly string[] } | null,
	incoming: Record<string, unknown>,
	options: MergeOptions,
): MergeResult {
	const specs = CRM_FIELDS[object];
	const now = options.now ?? Date.now();
	const fields: Record<string, FieldValue> = existing ? { ...existing.fields } : {};
	const validated = new Set(existing?.validated ?? []);
	const vouched = new Set(options.writer.kind === 'human' ? (options.validates ?? []) : []);
	const changes: FieldChange[] = [];
	const skipped: SkippedField[] = [];

	for (const field of Object.keys(incoming)) {
		const raw = incoming[field];
		const spec = specs[field];
		if (!spec) {
			if (!isEmpty(raw)) skipped.push({ field, reason: 'unknown_field', message: `${field} is not a field of the canonical ${object}; map it to one of its fields or drop it` });
			continue;
		}
		if (isEmpty(raw)) continue;
		const coerced = coerceValue(field, spec, raw, now);
		if (!coerced.ok) {
			skipped.push({ field, reason: 'invalid', message: coerced.message, offered: safeText(raw, 80) });
			continue;
		}
		const value = coerced.value;
		// A list of blanks is no value either: nothing to write, nothing to validate.
		if (isEmpty(value)) continue;
		const before = fields[field] ?? null;
		const policy = options.policies?.[field] ?? spec.policy;
		const offered = safeText(value, 80);

		if (validated.has(field) && options.writer.kind !== 'human' && !isEmpty(before)) {
			if (!same(before, value)) skipped.push({ field, reason: 'validated', message: `${field} was validated by a person; kept, the new value is only offered`, offered });
			continue;
		}
		if (isUnknown(value) && !isEmpty(before)) {
			if (!same(before, value)) skipped.push({ field, reason: 'unknown_value', message: `${field} stays as known; "unknown" never replaces a value` });
			continue;
		}
		let after: FieldValue = value;
		if (!isEmpty(before) && !vouched.has(field)) {
			if (policy === 'firstTouch') {
				if (!same(before, value)) skipped.push({ field, reason: 'first_touch', message: `${field} keeps its first value`, offered });
				continue;
			}
			if (policy === 'fillEmpty') {
				if (!same(before, value)) skipped.push({ field, reason: 'filled', message: `${field} already has a value; written only while empty`, offered });
				continue;
			}
			if (policy === 'noReset' && spec.initial !== undefined && value === spec.initial) {
				if (!same(before, value)) skipped.push({ field, reason: 'no_reset', message: `${field} is "${safeText(before)}" and is never reset to "${spec.initial}"` });
				continue;
			}
			if (policy === 'max') {
				const larger = spec.type === 'date' ? Date.parse(String(value)) > Date.parse(String(before)) : Number(value) > Number(before);
				if (!larger) continue;
			}
			if (policy === 'append') {
				if (Array.isArray(before) && Array.isArray(value)) {
					const known = new Set(before.map(String));
					const added = (value as string[]).filter((v) => !known.has(v));
					if (added.length === 0) continue;
					after = [...(before as string[]), ...added].slice(-500);
				} else if (typeof before === 'string' && typeof value === 'string') {
					if (before.split('\n').includes(value)) continue;
					after = `${before}\n${value}`.slice(-20000);
				}
			}
		}
		if (vouched.has(field)) validated.add(field);
		if (same(before, after)) continue;
		fields[field] = after;
		changes.push({ field, before, after, policy });
	}
	// A person may vouch for a value that is already stored without changing it.
	for (const field of vouched) if (specs[field] && !isEmpty(fields[field])) validated.add(field);
	return { fields, validated: [...validated].sort(), changes, skipped };
}
