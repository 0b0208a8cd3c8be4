import { DateTime } from 'luxon';
import { BusinessCalendar, type BusinessCalendarConfig } from './business-calendar';
import { companyDomainFrom } from './company-domain';
import { ConfigError } from './config-error';
import { isCountryCode, countryName, normalizeCountry } from './country';
import { dedupeKeyOf } from './dedupe-key';
import { DOMAIN_LIST_SOURCES } from './domain-lists';
import { normalizeEmail } from './email';
import { versionHash } from './hash';
import { IssueList, type Issue } from './issues';
import { caseCompanyName, cleanPersonName, personName } from './names';
import { normalizePhone } from './phone';
import { sourceContext, type SourceContext, type SourceInput } from './source-context';
import { cleanText, flattenStrings, intern } from './text';

export const LEAD_FIELDS = [
	'email',
	'phone',
	'firstName',
	'lastName',
	'fullName',
	'company',
	'website',
	'country',
	'jobTitle',
	'message',
	'receivedAt',
	'source',
	'medium',
	'campaign',
	'term',
	'content',
	'referrer',
	'landingPage',
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];
export type RawLead = Partial<Record<LeadField, unknown>>;

export type RequiredField = 'email' | 'phone' | 'emailOrPhone' | 'company' | 'name' | 'country';

export interface LeadNormalizerSettings {
	/** ISO alpha-2 country used to read phone numbers written without +prefix. */
	defaultCountry: string | null;
	calendar: BusinessCalendarConfig;
	/** Business minutes allowed until the first response. */
	firstResponseSlaMinutes: number;
	requiredFields: RequiredField[];
	disposableEmailIsInvalid: boolean;
	freeMailIsInvalid: boolean;
	/** The company's own site, so its pages are not counted as referrers. */
	ownDomain: string | null;
	/** How the first-response deadline reads for a person (see REPLY_DEADLINE_TEXT); the default when left out. */
	deadlineText?: { format: string; locale: string };
}

/**
 * How the first-response deadline reads for the person who sent the lead (a form's thank-you page:
 * "We will reply by Monday, Dec 7, 10:00 GMT+1"), in the calendar's time zone: luxon format tokens
 * and a BCP 47 locale. Written by the node so that a page shows it with a plain `{{ }}` and no date
 * arithmetic of its own.
 */
export const REPLY_DEADLINE_TEXT = { format: 'cccc, LLL d, HH:mm ZZZZ', locale: 'en-US' } as const;

export interface NormalizedLead {
	email: string | null;
	emailDomain: string | null;
	freeMail: boolean;
	disposableEmail: boolean;
	roleAccount: boolean;
	phone: string | null;
	phoneCountry: string | null;
	phoneType: string | null;
	phoneExtension: string | null;
	firstName: string | null;
	lastName: string | null;
	fullName: string | null;
	jobTitle: string | null;
	company: string | null;
	companyDomain: string | null;
	domainSource: 'website' | 'email' | null;
	website: string | null;
	country: string | null;
	countryName: string | null;
	countrySource: 'input' | 'phone' | null;
	message: string | null;
	source: SourceContext;
	dedupeKey: string | null;
	receivedAt: string;
	receivedAtSource: 'input' | 'now';
	afterHours: boolean;
	firstResponseDueAt: string;
}

export interface LeadNormalizerResult {
	valid: boolean;
	lead: NormalizedLead;
	/** Errors: why the lead is invalid. Empty for valid leads. */
	reasons: Issue[];
	warnings: Issue[];
}

function deadlineTextSettings(given: LeadNormalizerSettings['deadlineText']): { format: string; locale: string } {
	const format = given?.format?.trim() || REPLY_DEADLINE_TEXT.format;
	const locale = given?.locale?.trim() || REPLY_DEADLINE_TEXT.locale;
	let supported: string[] = [];
	try {
		supported = Intl.DateTimeFormat.supportedLocalesOf(locale);
	} catch {
		// not a well-formed language tag: said below
	}
	if (supported.length === 0) {
		throw new ConfigError(
			`Locale "${locale}" is not one this n8n can write dates in`,
			'Use a language tag such as en-US, en-GB, de-DE or fr-FR, or leave it empty for en-US.',
			'deadlineTextLocale',
		);
	}
	return { format, locale };
}

/** 2026-11-04T03:03:00Z, 2026-11-04T03:03:00.000+01:00: what Date.parse reads exactly as luxon does. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Date.parse rolls 2026-02-30 over to March; luxon (and this node) calls it no date. */
function dayExists(iso: string): boolean {
	const month = Number(iso.slice(5, 7));
	const day = Number(iso.slice(8, 10));
	return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(Number(iso.slice(0, 4)), month, 0)).getUTCDate();
}
/** Clocks differ: a receivedAt up to a day ahead of ours is still taken as given. */
const RECEIVED_AT_FUTURE_TOLERANCE_MS = 86_400_000;

/** Free text such as a form message: long is fine, megabytes are not. */
const MAX_MESSAGE_LENGTH = 10_000;

/**
 * The compiled form of the node's settings: validated once per execution, not once per item, and
 * hashed into the ruleset version written on every item's audit trail.
 */
export class LeadNormalizer {
	readonly calendar: BusinessCalendar;
	readonly rulesetVersion: string;
	private readonly deadlineText: { format: string; locale: string };

	constructor(readonly settings: LeadNormalizerSettings) {
		if (settings.defaultCountry !== null && !isCountryCode(settings.defaultCountry)) {
			throw new ConfigError(
				`Default country "${settings.defaultCountry}" is not an ISO 3166 alpha-2 code`,
				'Use a two-letter code such as US, GB or DE.',
				'defaultCountry',
			);
		}
		if (!Number.isFinite(settings.firstResponseSlaMinutes) || settings.firstResponseSlaMinutes < 0) {
			throw new ConfigError(
				'The first-response SLA must be zero or more minutes',
				'Enter the number of business minutes a rep has for the first response, for example 60.',
				'firstResponseSlaMinutes',
			);
		}
		this.calendar = new BusinessCalendar(settings.calendar);
		this.deadlineText = deadlineTextSettings(settings.deadlineText);
		this.rulesetVersion = versionHash({ settings, lists: DOMAIN_LIST_SOURCES });
	}

	/** The lead's first-response deadline as a person reads it, in the calendar's zone and the set locale. */
	firstResponseDueText(lead: Pick<NormalizedLead, 'firstResponseDueAt'>): string {
		return DateTime.fromISO(lead.firstResponseDueAt, { zone: this.calendar.zone, locale: this.deadlineText.locale }).toFormat(this.deadlineText.format);
	}

	normalize(raw: RawLead, now: DateTime = DateTime.utc()): LeadNormalizerResult {
		const issues = new IssueList();
		const s = this.settings;

		const email = normalizeEmail(raw.email, issues);
		const inputCountry = normalizeCountry(raw.country, issues);
		const phone = normalizePhone(raw.phone, inputCountry ?? s.defaultCountry, issues);
		let country = inputCountry;
		let countrySource: NormalizedLead['countrySource'] = inputCountry ? 'input' : null;
		if (!country && phone.phoneCountry) {
			country = phone.phoneCountry;
			countrySource = 'phone';
		}

		const name = personName(
			cleanPersonName(raw.firstName, 'firstName', issues),
			cleanPersonName(raw.lastName, 'lastName', issues),
			cleanPersonName(raw.fullName, 'fullName', issues),
		);
		const companyText = cleanText(raw.company, 'company', issues, 200);
		const company = companyText ? caseCompanyName(companyText) : null;
		const domain = companyDomainFrom(raw.website, email, issues);
		const source = sourceContext(raw as SourceInput, s.ownDomain, issues);
		const { receivedAt, receivedAtSource } = this.receivedAt(raw.receivedAt, now, issues);

		if (email.disposable && s.disposableEmailIsInvalid) {
			issues.error('email', 'email_disposable', 'disposable e-mail addresses are not accepted', 'Disposable E-Mail Is Invalid');
		}
		if (email.freeMail && s.freeMailIsInvalid) {
			issues.error('email', 'email_free_mail', 'please use your work e-mail address', 'Free-Mail Is Invalid');
		}
		this.checkRequired(
			{ email: email.email, phone: phone.phone, company, name: name.fullName, country },
			issues,
		);

		const lead: NormalizedLead = {
			email: email.email,
			emailDomain: intern(email.domain),
			freeMail: email.freeMail,
			disposableEmail: email.disposable,
			roleAccount: email.roleAccount,
			phone: phone.phone,
			phoneCountry: phone.phoneCountry,
			phoneType: phone.phoneType,
			phoneExtension: phone.phoneExtension,
			// Names and domains repeat across leads: one copy each (text.ts intern).
			firstName: intern(name.firstName),
			lastName: intern(name.lastName),
			fullName: name.fullName,
			jobTitle: cleanText(raw.jobTitle, 'jobTitle', issues, 200),
			company,
			companyDomain: intern(domain.companyDomain),
			domainSource: domain.domainSource,
			website: domain.website,
			country,
			countryName: country ? countryName(country) : null,
			countrySource,
			message: cleanText(raw.message, 'message', issues, MAX_MESSAGE_LENGTH),
			source,
			dedupeKey: null,
			receivedAt: this.calendar.isoAt(receivedAt),
			receivedAtSource,
			afterHours: !this.calendar.isOpenAt(receivedAt),
			firstResponseDueAt: this.calendar.isoAt(this.calendar.addBusinessMinutesAt(receivedAt, s.firstResponseSlaMinutes)),
		};
		lead.dedupeKey = dedupeKeyOf(lead);
		flattenStrings(lead);
		flattenStrings(source);

		const reasons = issues.errors;
		return { valid: reasons.length === 0, lead, reasons, warnings: issues.warnings };
	}

	/** When the lead arrived, in epoch milliseconds: the input's date when it is one and plausible, else now. */
	private receivedAt(raw: unknown, now: DateTime, issues: IssueList): { receivedAt: number; receivedAtSource: 'input' | 'now' } {
		const nowMs = now.toMillis();
		if (raw === undefined || raw === null || raw === '') return { receivedAt: nowMs, receivedAtSource: 'now' };
		let ms: number | null = null;
		if (raw instanceof Date) ms = raw.getTime();
		else if (typeof raw === 'number' && Number.isFinite(raw)) {
			// Epoch seconds and epoch milliseconds are both common; seconds stay below 1e11 until year 5138.
			ms = raw < 1e11 ? raw * 1000 : raw;
		} else if (typeof raw === 'string') {
			const text = raw.trim().slice(0, 64);
			// The usual shape (a form's or an API's timestamp with its offset) without luxon; the rest as before.
			if (ISO_WITH_OFFSET.test(text) && dayExists(text)) {
				const parsed = Date.parse(text);
				if (Number.isFinite(parsed)) ms = parsed;
			}
			if (ms === null) {
				const zone = this.calendar.zone;
				for (const parse of [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromSQL, DateTime.fromHTTP]) {
					const attempt = parse(text, { setZone: true, zone });
					if (attempt.isValid) {
						ms = attempt.toMillis();
						break;
					}
				}
			}
		} else if (raw && typeof raw === 'object' && 'toISO' in raw && typeof (raw as DateTime).toISO === 'function') {
			// n8n hands luxon DateTimes from expressions such as {{ $now }}; they may come from another copy of luxon.
			ms = DateTime.fromISO(String((raw as DateTime).toISO()), { setZone: true }).toMillis();
		}
		if (ms === null || !Number.isFinite(ms)) {
			issues.warn('receivedAt', 'received_at_invalid', 'receivedAt is not a date; the time of processing was used');
			return { receivedAt: nowMs, receivedAtSource: 'now' };
		}
		// A lead cannot arrive tomorrow, nor before e-mail existed: such a date is garbage (and a
		// year-275760 date would break every calendar sum after it).
		if (ms > nowMs + RECEIVED_AT_FUTURE_TOLERANCE_MS || ms < 0) {
			const shown = DateTime.fromMillis(ms, { zone: 'utc' });
			issues.warn('receivedAt', 'received_at_out_of_range', `receivedAt ${ms < 0 ? 'is before 1970' : 'is in the future'} (${String(shown.isValid ? shown.toISO() : ms).slice(0, 40)}); the time of processing was used`);
			return { receivedAt: nowMs, receivedAtSource: 'now' };
		}
		return { receivedAt: ms, receivedAtSource: 'input' };
	}

	private checkRequired(
		present: { email: string | null; phone: string | null; company: string | null; name: string | null; country: string | null },
		issues: IssueList,
	): void {
		const missing = (field: string, what: string) =>
			issues.error(field, 'missing_required', `${what} is needed`, 'Required Fields');
		for (const req of this.settings.requiredFields) {
			if (req === 'emailOrPhone') {
				if (!present.email && !present.phone) missing('emailOrPhone', 'A valid e-mail address or phone number');
			} else if (req === 'email' && !present.email) missing('email', 'A valid e-mail address');
			else if (req === 'phone' && !present.phone) missing('phone', 'A valid phone number');
			else if (req === 'company' && !present.company) missing('company', 'Your company\'s name');
			else if (req === 'name' && !present.name) missing('name', 'Your name');
			else if (req === 'country' && !present.country) missing('country', 'Your country');
		}
	}
}
