import type { IssueList } from './issues';
import { cleanText } from './text';

// Lower-case name particles, kept lower-case unless they start the name ("Ludwig van Beethoven").
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ter', 'ten', 'zu']);

function hasCase(text: string): boolean {
	return text.toLowerCase() !== text.toUpperCase();
}

/** True when the text is all one case, which is how people type into forms in a hurry. */
function isSingleCase(text: string): boolean {
	return hasCase(text) && (text === text.toLowerCase() || text === text.toUpperCase());
}

function capitalise(part: string): string {
	if (part === '') return part;
	const lower = part.toLocaleLowerCase();
	const first = lower[0].toLocaleUpperCase() + lower.slice(1);
	// McDonald, MacArthur is ambiguous (Mack, Macy), so only Mc is treated.
	if (/^Mc[a-z]/.test(first)) return `Mc${first[2].toUpperCase()}${first.slice(3)}`;
	return first;
}

/**
 * Person-name casing, word by word: "JANE O'NEIL-SMITH" -> "Jane O'Neil-Smith", "jane DOE" -> "Jane
 * Doe", "ludwig van beethoven" -> "Ludwig van Beethoven". A word typed in mixed case ("DeShawn",
 * "McKenzie") was typed with care and is left as it is.
 */
export function casePersonName(name: string): string {
	return name
		.split(' ')
		.map((word, index) => {
			if (!isSingleCase(word)) return word;
			const lower = word.toLocaleLowerCase();
			if (index > 0 && PARTICLES.has(lower)) return lower;
			return word
				.split(/([-'’])/)
				.map((part) => (/^[-'’]$/.test(part) ? part : capitalise(part)))
				.join('');
		})
		.join(' ');
}

/** Company names keep their casing (IBM, eBay) unless typed all lower-case. */
export function caseCompanyName(name: string): string {
	if (!hasCase(name) || name !== name.toLowerCase()) return name;
	return name
		.split(' ')
		.map((w) => capitalise(w))
		.join(' ');
}

export function cleanPersonName(raw: unknown, field: string, issues: IssueList): string | null {
	const text = cleanText(raw, field, issues, 100);
	if (text === null) return null;
	if (/[@\d]|https?:/i.test(text)) {
		issues.warn(field, 'name_suspicious', `${field} "${text}" contains digits, @ or a link`);
	}
	return casePersonName(text);
}

export interface PersonName {
	firstName: string | null;
	lastName: string | null;
	fullName: string | null;
}

/**
 * First and last name from separate fields when given; otherwise split a full name:
 * "Doe, Jane" -> Jane / Doe, "Jane van Doe" -> Jane / van Doe.
 */
export function personName(first: string | null, last: string | null, full: string | null): PersonName {
	if (!first && !last && full) {
		const comma = full.indexOf(',');
		if (comma > 0) {
			last = full.slice(0, comma).trim() || null;
			first = full.slice(comma + 1).trim() || null;
		} else {
			const space = full.indexOf(' ');
			first = space > 0 ? full.slice(0, space) : full;
			last = space > 0 ? full.slice(space + 1) : null;
		}
	}
	const fullName = [first, last].filter(Boolean).join(' ') || full || null;
	return { firstName: first, lastName: last, fullName };
}
