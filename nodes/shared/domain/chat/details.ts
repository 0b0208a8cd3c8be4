import { findNumbers, type CountryCode } from 'libphonenumber-js/max';
import { normalizeEmail } from '../email';
import { IssueList } from '../issues';
import { casePersonName } from '../names';
import { normalizePhone } from '../phone';
import { hostFacts } from '../domain-lists';
import { CHAT_LANGUAGES, NAME_INTROS, NO_PHRASES, SKIP_PHRASES, YES_PHRASES } from './lexicon';
import { fold, folded, phraseList, startsWithPhrase } from './match';

/**
 * The details the assistant collects after a yes, and nothing else: name, phone and e-mail (required),
 * the website (optional). Each is read from the user's message and validated with the Lead
 * Normalizer's own checks (libphonenumber, the e-mail rules, the host list), so a chat lead and a form
 * lead are held to the same standard. Whatever else a message says is not kept.
 */

export const DETAIL_FIELDS = ['name', 'phone', 'email', 'website'] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];
export const REQUIRED_DETAILS: readonly DetailField[] = ['name', 'phone', 'email'];

export interface Details {
	name?: string;
	phone?: string;
	email?: string;
	website?: string;
}

export interface DetailReading {
	/** Valid values found in the message. */
	found: Details;
	/** Fields the message tried to give but that did not validate. */
	invalid: DetailField[];
}

const EMAIL_LIKE = /[^\s<>()[\]{},;:"']+@[^\s<>()[\]{},;:"']+/;
const URL_LIKE = /\b(?:https?:\/\/)?(?:www\.)?([a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9][a-z0-9-]{0,62})*\.[a-z]{2,24})(?:\/[^\s]*)?/i;
const INTROS = phraseList(CHAT_LANGUAGES.flatMap((l) => NAME_INTROS[l]));
const ANSWER_WORDS = phraseList(CHAT_LANGUAGES.flatMap((l) => [...YES_PHRASES[l], ...NO_PHRASES[l], ...SKIP_PHRASES[l]]));

function readEmail(text: string): { value?: string; tried: boolean } {
	const candidate = EMAIL_LIKE.exec(text)?.[0].replace(/[.!?]+$/, '');
	if (!candidate) return { tried: false };
	const facts = normalizeEmail(candidate, new IssueList());
	return facts.valid && facts.email ? { value: facts.email, tried: true } : { tried: true };
}

function readPhone(text: string, country: string | null): { value?: string; tried: boolean } {
	const withoutEmail = text.replace(EMAIL_LIKE, ' ');
	const found = findNumbers(withoutEmail, { defaultCountry: (country ?? undefined) as CountryCode | undefined, v2: true });
	for (const match of found) {
		const facts = normalizePhone(match.number.number, country, new IssueList());
		if (facts.valid && facts.phone) return { value: facts.phone, tried: true };
	}
	// Seven digits or more written together were meant as a number, even if no country reads them.
	const digits = withoutEmail.replace(/[^\d]/g, '');
	return { tried: /\d[\d\s().+-]{5,}\d/.test(withoutEmail) && digits.length >= 6 };
}

function readWebsite(text: string): { value?: string; tried: boolean } {
	const withoutEmail = text.replace(/\S*@\S*/g, ' ');
	const match = URL_LIKE.exec(withoutEmail);
	if (!match) return { tried: false };
	const facts = hostFacts(match[1].toLowerCase());
	return facts?.knownSuffix ? { value: facts.host.replace(/^www\./, ''), tried: true } : { tried: true };
}

/** A person's name from what is left of the message once the other details are taken out. */
function readName(text: string): { value?: string; tried: boolean } {
	const rest = text.replace(EMAIL_LIKE, ' ').replace(URL_LIKE, ' ').replace(/\+?\d[\d\s().-]{4,}\d/g, ' ');
	// The first clause is the name ("Jane Doe, and my number is ..."): cut at punctuation and "and"-words.
	// Skip a leading "Yes," or "Sure!" clause.
	const clauses = rest.split(/[,;:!?.\n]|\s(?:and|und|et|y)\s/i).filter((c) => fold(c) !== '');
	const clause = clauses.find((c) => !(fold(c).split(' ').length <= 2 && startsWithPhrase(folded(c), ANSWER_WORDS))) ?? '';
	let words = clause.replace(/[^\p{L}\p{M}'’ -]+/gu, ' ').split(/\s+/).filter(Boolean);
	const intro = startsWithPhrase(folded(clause), INTROS);
	if (intro) {
		// Drop the words that make the intro as written ("I'm" is one word, folded "i m").
		for (let k = 1; k <= Math.min(4, words.length); k++) {
			if (fold(words.slice(0, k).join(' ')) === intro) {
				words = words.slice(k);
				break;
			}
		}
	}
	if (words.length <= 2 && startsWithPhrase(folded(words.join(' ')), ANSWER_WORDS)) return { tried: false };
	const keep = words;
	const name = keep.join(' ').trim();
	if (name === '') return { tried: clause.trim() !== '' && !/\d/.test(clause) && !EMAIL_LIKE.test(text) };
	const letters = name.replace(/[^\p{L}]/gu, '');
	if (letters.length < 2 || keep.length > 5 || name.length > 80) return { tried: true };
	return { value: casePersonName(name), tried: true };
}

/**
 * Reads the details a message gives. `asking` is the field the assistant asked for: a bare name is
 * only read when the name was asked for (anything typed then is meant as the name).
 */
export function readDetails(text: string, asking: DetailField | null, country: string | null): DetailReading {
	const found: Details = {};
	const invalid: DetailField[] = [];
	const email = readEmail(text);
	if (email.value) found.email = email.value;
	else if (email.tried) invalid.push('email');
	const phone = readPhone(text, country);
	if (phone.value) found.phone = phone.value;
	else if (phone.tried && asking === 'phone') invalid.push('phone');
	// A website only when asked for, or written as a link: "jane.doe@" is a broken address, not a site.
	if (asking === 'website' || /https?:\/\/|www\./i.test(text)) {
		const website = readWebsite(text);
		if (website.value) found.website = website.value;
		else if (website.tried && asking === 'website') invalid.push('website');
	}
	if (asking === 'name') {
		const name = readName(text);
		if (name.value) found.name = name.value;
		else if (name.tried) invalid.push('name');
	}
	return { found, invalid };
}

const CARD = /\b(?:\d[ -]?){13,19}\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
const US_SSN = /\b\d{3}-\d{2}-\d{4}\b/g;
const SECRET = /\b(password|passwort|mot de passe|contrase(?:ñ|n)a|pin|api[ _-]?key|token)\b\s*(?:is|ist|est|es|:|=)?\s*\S+/gi;

function luhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/**
 * Takes sensitive data out of a message before it is kept anywhere: card numbers (Luhn-checked), IBANs,
 * US social security numbers, passwords, keys and tokens. Answers the text and what was removed.
 */
export function redactSensitive(text: string): { text: string; removed: string[] } {
	const removed: string[] = [];
	let out = text.replace(CARD, (m) => {
		const digits = m.replace(/\D/g, '');
		if (digits.length < 13 || !luhn(digits)) return m;
		removed.push('card number');
		return '[card number removed]';
	});
	out = out.replace(IBAN, () => {
		removed.push('bank account');
		return '[bank account removed]';
	});
	out = out.replace(US_SSN, () => {
		removed.push('social security number');
		return '[id number removed]';
	});
	out = out.replace(SECRET, (_m, word: string) => {
		removed.push('secret');
		return `${word} [removed]`;
	});
	return { text: out, removed };
}
