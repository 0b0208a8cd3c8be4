import type { IssueList } from './issues';

/** Longest value we accept for a single short lead field (names, email, phone, URL...). */
export const MAX_FIELD_LENGTH = 500;

// C0/C1 control characters and bidi overrides: invisible, and a classic way to disguise spoofed text.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B\uFEFF]/g;
const HTML_TAG = /<\/?[a-zA-Z][^<>]{0,500}>/g;
const HTML_ENTITY = /&(amp|lt|gt|quot|#39|nbsp);/g;
/**
 * White space that is not already one plain space: a run of two or more, or any other white-space
 * character. Replacing every run (/\s+/g) also replaced each single space between words by a space:
 * in a long text, tens of thousands of replacements that changed nothing.
 */
const SPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;
const ENTITY_MAP: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Turns whatever a form, CRM or webhook sent for a short text field into a clean string, or null when
 * there is nothing usable. Every coercion is reported, so bad input becomes a visible flag, not a crash.
 */
export function cleanText(
	value: unknown,
	field: string,
	issues: IssueList,
	maxLength = MAX_FIELD_LENGTH,
): string | null {
	if (value === undefined || value === null) return null;
	let text: string;
	if (typeof value === 'string') {
		text = value;
	} else if (typeof value === 'number' || typeof value === 'bigint') {
		if (typeof value === 'number' && !Number.isFinite(value)) {
			issues.warn(field, 'not_text', `${field} was a non-finite number and was ignored`);
			return null;
		}
		text = String(value);
	} else if (typeof value === 'boolean') {
		issues.warn(field, 'not_text', `${field} was a boolean and was ignored`);
		return null;
	} else if (Array.isArray(value)) {
		const first = value.find((v) => typeof v === 'string' || typeof v === 'number');
		if (first === undefined) {
			issues.warn(field, 'not_text', `${field} was a list without text and was ignored`);
			return null;
		}
		issues.warn(field, 'list_value', `${field} was a list; its first text value was used`);
		return cleanText(first, field, issues, maxLength);
	} else {
		issues.warn(field, 'not_text', `${field} was an object and was ignored`);
		return null;
	}

	// Most values (an e-mail, a phone, a Latin-script name) need none of the work below: returned as
	// they are, as the steps below would return them.
	if (text.length <= maxLength && isAlreadyClean(text)) return text;
	if (text.length > maxLength * 4) {
		// Cut before the regexes below so a 1 MB string costs microseconds, not seconds.
		text = text.slice(0, maxLength * 4);
	}
	text = text.normalize('NFC');
	const withoutControls = text.replace(CONTROL_CHARS, '');
	if (withoutControls !== text) {
		issues.warn(field, 'control_characters', `${field} contained invisible control characters; they were removed`);
		text = withoutControls;
	}
	const withoutTags = text.replace(HTML_TAG, ' ');
	if (withoutTags !== text) {
		issues.warn(field, 'html_removed', `${field} contained HTML markup; it was removed`);
		text = withoutTags;
	}
	text = text.replace(HTML_ENTITY, (_m, e: string) => ENTITY_MAP[e] ?? _m);
	// A replace that finds nothing hands back the very string, so a clean value stays the one the
	// item already holds (kept once, not twice).
	text = collapseWhiteSpace(text);
	text = text.trim();
	if (text.length > maxLength) {
		issues.warn(field, 'too_long', `${field} was longer than ${maxLength} characters and was cut`);
		text = text.slice(0, maxLength).trim();
	}
	return text === '' ? null : text;
}

/**
 * Whether cleaning would leave a text as it is, checked in one pass: not empty; printable ASCII other
 * than "<" and "&" (no markup, no entity), Latin-1 letters and signs, or Latin Extended-A letters,
 * all of which NFC leaves alone; single spaces between words, none at either end. A control
 * character, a no-break space, a combining mark or any other script takes the full cleaning.
 */
function isAlreadyClean(text: string): boolean {
	const n = text.length;
	let afterSpace = true; // a leading space is not clean
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === 32) {
			if (afterSpace) return false;
			afterSpace = true;
			continue;
		}
		afterSpace = false;
		if (c < 33 || c === 38 || c === 60 || (c > 126 && c < 161) || c > 383) return false;
	}
	return !afterSpace;
}

/** Every run of white space as one plain space; the very string when there is nothing to collapse. */
export function collapseWhiteSpace(text: string): string {
	return text.replace(SPACE_TO_COLLAPSE, ' ');
}

/** Whether a UTF-16 code is white space as /\s/ reads it. */
export function isWhiteSpaceCode(c: number): boolean {
	if (c === 32 || (c >= 9 && c <= 13)) return true;
	if (c < 0xa0) return false;
	return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * A text padded with white space at either end ("  germany ", a CRM export's fixed-width column)
 * with its runs of white space made one space and its ends trimmed; any other text as it is. Only the
 * two ends are read, so a text without padding, by far the most common, costs two character reads:
 * scoring writes values for every account of a re-score.
 */
export function unpadText(text: string): string {
	const n = text.length;
	return n > 0 && (isWhiteSpaceCode(text.charCodeAt(0)) || isWhiteSpaceCode(text.charCodeAt(n - 1))) ? collapseWhiteSpace(text).trim() : text;
}

/**
 * A text of white space only ("", "  ", a lone tab or no-break space): no value, as an empty field.
 * Read up to its first other character, so a padded value (" retail ") is answered at its second
 * character with nothing made; it is asked of every text value of every account scored.
 */
export function isBlankText(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (!isWhiteSpaceCode(text.charCodeAt(i))) return false;
	return true;
}

/**
 * A short text of any value for a message or an explanation; never throws. `String(v)` throws on an
 * object whose `toString` is not a function (`{"toString": "x"}`) or that has no prototype: one such
 * value must not stop a run.
 */
export function safeText(value: unknown, max = 40): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if (value === null || value === undefined || typeof value !== 'object') text = typeof value === 'symbol' ? value.description ?? 'symbol' : String(value);
	else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	else {
		try {
			text = JSON.stringify(value) ?? Object.prototype.toString.call(value);
		} catch {
			text = Object.prototype.toString.call(value);
		}
	}
	return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Longest outside text a node reads as a message or transcript (a lead's message, an e-mail body). */
export const MAX_INPUT_TEXT = 100_000;

/**
 * The text of a field that should hold a message: a string as it is (cut at MAX_INPUT_TEXT), a number
 * as its digits, anything else (an object, a list) as short JSON, so one odd value is read, never thrown on.
 */
export function inputText(value: unknown): string {
	if (typeof value === 'string') return value.length > MAX_INPUT_TEXT ? value.slice(0, MAX_INPUT_TEXT) : value;
	if (value === null || value === undefined) return '';
	return safeText(value, 2_000);
}

/**
 * The same string, flat. V8 keeps a string built by concatenation (a date's ISO text, a dedupe key,
 * a message with a value in it) as a tree of its pieces: about 280 bytes for a 29-character date.
 * Reading one character joins the tree into one flat string (about 60 bytes), so results kept by the
 * thousand take a fraction of the memory.
 */
export function flat(text: string): string {
	if (text.length > 12) flatSink.value ^= text.charCodeAt(0);
	return text;
}
/** Written so that the read above is never optimised away. */
const flatSink = { value: 0 };

/**
 * One copy of a value many results repeat (a first name, a domain, a warning's text), flat: results
 * kept by the thousand share it instead of each holding its own. Bounded: forgotten all at once when
 * full, so a run of distinct values costs a lookup, never unbounded memory.
 */
export function intern<T extends string | null>(text: T): T {
	if (text === null) return text;
	const known = INTERNED.get(text);
	if (known !== undefined) return known as T;
	if (INTERNED.size >= MAX_INTERNED) INTERNED.clear();
	INTERNED.set(text, flat(text));
	return text;
}
const INTERNED = new Map<string, string>();
const MAX_INTERNED = 50_000;

/** Makes the strings of a record flat, in place (see flat), and returns it. */
export function flattenStrings<T extends object>(record: T): T {
	for (const value of Object.values(record)) if (typeof value === 'string') flat(value);
	return record;
}
