import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import it from 'i18n-iso-countries/langs/it.json';
import nl from 'i18n-iso-countries/langs/nl.json';
import pt from 'i18n-iso-countries/langs/pt.json';
import type { IssueList } from './issues';
import { cleanText } from './text';

/**
 * Country names, codes and variants to ISO 3166-1 alpha-2. Names and codes come from
 * i18n-iso-countries (the locales most B2B forms are filled in); the alias table only adds the
 * everyday variants that are not official names of anything.
 */
const LOCALES = [en, de, fr, es, it, nl, pt];
for (const locale of LOCALES) countries.registerLocale(locale);

const EVERYDAY_ALIASES: Record<string, string> = {
	england: 'GB',
	scotland: 'GB',
	wales: 'GB',
	'northern ireland': 'GB',
	britain: 'GB',
	'u k': 'GB',
	'u s': 'US',
	'u s a': 'US',
	america: 'US',
	'united states of america': 'US',
	holland: 'NL',
	korea: 'KR',
	'republic of korea': 'KR',
	'north macedonia': 'MK',
	macedonia: 'MK',
	'viet nam': 'VN',
	'ivory coast': 'CI',
	'cote d ivoire': 'CI',
	emirates: 'AE',
	'u a e': 'AE',
	'czech republic': 'CZ',
	'hong kong sar': 'HK',
	'mainland china': 'CN',
	prc: 'CN',
	'russian federation': 'RU',
	'the netherlands': 'NL',
};

function key(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.replace(/^the /, '');
}

const BY_NAME = new Map<string, string>();
for (const locale of LOCALES) {
	const names = countries.getNames(locale.locale, { select: 'all' }) as Record<string, string[]>;
	for (const [code, list] of Object.entries(names)) {
		for (const name of list) if (!BY_NAME.has(key(name))) BY_NAME.set(key(name), code);
	}
}
for (const [alias, code] of Object.entries(EVERYDAY_ALIASES)) BY_NAME.set(key(alias), code);

/** ISO alpha-2 code for a name, alpha-2, alpha-3 or numeric code, or null. */
export function countryCodeOf(text: string): string | null {
	const trimmed = text.trim();
	if (/^[A-Za-z]{2}$/.test(trimmed)) {
		const upper = trimmed.toUpperCase();
		if (upper === 'UK') return 'GB';
		return countries.isValid(upper) ? upper : null;
	}
	if (/^[A-Za-z]{3}$/.test(trimmed)) {
		const code = countries.alpha3ToAlpha2(trimmed.toUpperCase());
		if (code) return code;
	}
	if (/^\d{1,3}$/.test(trimmed)) {
		return countries.numericToAlpha2(trimmed.padStart(3, '0')) ?? null;
	}
	return BY_NAME.get(key(trimmed)) ?? null;
}

export function countryName(code: string): string | null {
	return countries.getName(code, 'en') ?? null;
}

export function isCountryCode(code: string): boolean {
	return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

export function normalizeCountry(raw: unknown, issues: IssueList): string | null {
	const text = cleanText(raw, 'country', issues, 100);
	if (text === null) return null;
	const code = countryCodeOf(text);
	if (!code) issues.warn('country', 'country_unknown', `country "${text}" is not a recognised country name or ISO code`);
	return code;
}
