import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { IssueList } from './issues';
import { cachePhonePatterns } from './phone-patterns';
import { cleanText } from './text';

cachePhonePatterns();

export interface PhoneFacts {
	/** E.164, e.g. +4930123456, or null when absent or not a valid number. */
	phone: string | null;
	phoneCountry: string | null;
	phoneType: string | null;
	phoneExtension: string | null;
	valid: boolean;
}

const EMPTY: PhoneFacts = { phone: null, phoneCountry: null, phoneType: null, phoneExtension: null, valid: false };

/**
 * Parses with Google's libphonenumber metadata (the "max" set, so validity and line type are real
 * checks, not length guesses). Numbers written without a country prefix are read in the lead's own
 * country when known, else in the node's default country.
 */
export function normalizePhone(raw: unknown, defaultCountry: string | null, issues: IssueList): PhoneFacts {
	const text = cleanText(raw, 'phone', issues, 64);
	if (text === null) return EMPTY;
	if (!/\d/.test(text)) {
		issues.warn('phone', 'phone_invalid', `phone "${text}" has no digits`);
		return EMPTY;
	}
	const parsed = parsePhoneNumberFromString(text, {
		defaultCountry: (defaultCountry ?? undefined) as CountryCode | undefined,
		extract: false,
	});
	// With the "max" metadata a number is valid exactly when it has a type (isValid() computes the
	// type and compares it with undefined), so the type is found once, not twice; isValid() still
	// decides for a plan without type patterns, where getType() has nothing to say.
	const type = parsed?.getType();
	if (!parsed || (type === undefined && !parsed.isValid())) {
		const where = defaultCountry ? ` (read as a ${defaultCountry} number when it has no +prefix)` : '';
		issues.warn('phone', 'phone_invalid', `phone "${text}" is not a valid number${where}`);
		return EMPTY;
	}
	return {
		phone: parsed.number,
		phoneCountry: parsed.country ?? null,
		phoneType: type ?? null,
		phoneExtension: parsed.ext ?? null,
		valid: true,
	};
}
