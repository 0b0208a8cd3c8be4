import { DateTime } from 'luxon';
import { ConfigError } from '../../nodes/shared/domain/config-error';
import { LEAD_FIELDS, LeadNormalizer, type LeadNormalizerSettings } from '../../nodes/shared/domain/lead-normalizer';

const settings = (over: Partial<LeadNormalizerSettings> = {}): LeadNormalizerSettings => ({
	defaultCountry: 'US',
	calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: [] },
	firstResponseSlaMinutes: 60,
	requiredFields: ['emailOrPhone'],
	disposableEmailIsInvalid: true,
	freeMailIsInvalid: false,
	ownDomain: null,
	...over,
});
const now = DateTime.fromISO('2026-11-23T10:00:00', { zone: 'Europe/Berlin' }); // a Monday morning

describe('LeadNormalizer', () => {
	it('normalizes a complete lead and computes SLA facts in business time', () => {
		const result = new LeadNormalizer(settings()).normalize(
			{
				email: 'Max.Mustermann@Beispiel-GmbH.de',
				phone: '030 1234567',
				fullName: 'MAX MUSTERMANN',
				company: 'beispiel gmbh',
				country: 'Deutschland',
				receivedAt: '2026-11-20T16:30:00+01:00',
				source: 'LinkedIn',
				medium: 'paid',
				campaign: 'q4',
			},
			now,
		);
		expect(result.valid).toBe(true);
		expect(result.reasons).toEqual([]);
		expect(result.lead).toMatchObject({
			email: 'max.mustermann@beispiel-gmbh.de',
			phone: '+49301234567', // read as German because the lead's country is Germany, not the US default
			firstName: 'Max',
			lastName: 'Mustermann',
			company: 'Beispiel Gmbh',
			companyDomain: 'beispiel-gmbh.de',
			country: 'DE',
			countryName: 'Germany',
			countrySource: 'input',
			dedupeKey: 'email:max.mustermann@beispiel-gmbh.de',
			receivedAtSource: 'input',
			afterHours: false,
		});
		expect(result.lead.source).toMatchObject({ source: 'linkedin', sourceContextComplete: true });
		// Friday 16:30 + 60 business minutes = Monday 09:30 Berlin time.
		expect(result.lead.firstResponseDueAt).toBe('2026-11-23T09:30:00.000+01:00');
	});

	it('uses the processing time when receivedAt is missing or unreadable, and says which', () => {
		const n = new LeadNormalizer(settings());
		expect(n.normalize({ email: 'a@acme.com' }, now).lead).toMatchObject({ receivedAtSource: 'now', afterHours: false, receivedAt: '2026-11-23T10:00:00.000+01:00' });
		const bad = n.normalize({ email: 'a@acme.com', receivedAt: 'yesterday-ish' }, now);
		expect(bad.lead.receivedAtSource).toBe('now');
		expect(bad.warnings.map((w) => w.code)).toContain('received_at_invalid');
	});

	it.each([
		[1795300000, '2026-11-21T23:26:40.000+01:00'], // epoch seconds
		[1795300000000, '2026-11-21T23:26:40.000+01:00'], // epoch milliseconds
		['Sat, 21 Nov 2026 22:26:40 GMT', '2026-11-21T23:26:40.000+01:00'],
		['2026-11-21 19:46:40', '2026-11-21T19:46:40.000+01:00'],
	])('reads receivedAt %p', (input, expected) => {
		const lead = new LeadNormalizer(settings()).normalize({ email: 'a@acme.com', receivedAt: input }, now).lead;
		expect(lead.receivedAt).toBe(expected);
		expect(lead.afterHours).toBe(true); // a Saturday
	});

	it('reads ISO dates with an offset as luxon does, and calls an impossible day no date', () => {
		const n = new LeadNormalizer(settings());
		const read = (receivedAt: string) => n.normalize({ email: 'a@acme.com', receivedAt }, now).lead;
		const luxon = (text: string) => DateTime.fromISO(text, { setZone: true }).setZone('Europe/Berlin').toISO();
		for (const text of ['2026-11-21T22:26:40Z', '2026-11-21T22:26:40.5Z', '2026-11-21T22:26Z', '2026-11-21T23:26:40.123+01:00', '2026-03-29T00:59:59-11:00', '2026-01-01T24:00:00Z', '2026-11-21T10:00:00+14:00']) {
			expect(read(text)).toMatchObject({ receivedAt: luxon(text), receivedAtSource: 'input' });
		}
		// Date.parse rolls these over or refuses them; luxon's reading (an offset of +25:00 included) decides.
		expect(read('2026-02-30T10:00:00Z').receivedAtSource).toBe('now');
		expect(read('2026-11-21T10:00:00+25:00')).toMatchObject({ receivedAt: luxon('2026-11-21T10:00:00+25:00'), receivedAtSource: 'input' });
		expect(read('1969-12-31T23:59:59Z').receivedAtSource).toBe('now');
		expect(read('2026-11-25T10:00:00Z').receivedAtSource).toBe('now'); // two days after now
	});

	it('takes the country from the phone number when none is given', () => {
		const lead = new LeadNormalizer(settings()).normalize({ phone: '+33 1 42 68 53 00' }, now).lead;
		expect(lead).toMatchObject({ country: 'FR', countrySource: 'phone' });
	});

	it('applies required fields and the free-mail and disposable settings', () => {
		const strict = new LeadNormalizer(settings({ requiredFields: ['email', 'company', 'name', 'country', 'phone'], freeMailIsInvalid: true }));
		const result = strict.normalize({ email: 'someone@gmail.com' }, now);
		expect(result.valid).toBe(false);
		expect(result.reasons.map((r) => `${r.code}:${r.field}`).sort()).toEqual(
			['email_free_mail:email', 'missing_required:company', 'missing_required:country', 'missing_required:name', 'missing_required:phone'].sort(),
		);

		const lenient = new LeadNormalizer(settings({ disposableEmailIsInvalid: false }));
		expect(lenient.normalize({ email: 'x@mailinator.com' }, now).valid).toBe(true);
		expect(new LeadNormalizer(settings()).normalize({ email: 'x@mailinator.com' }, now).reasons[0].code).toBe('email_disposable');
	});

	it('accepts a lead reachable by phone only under the default rule', () => {
		expect(new LeadNormalizer(settings()).normalize({ phone: '+1 415 555 0132' }, now)).toMatchObject({ valid: true, lead: { dedupeKey: 'phone:+14155550132' } });
	});

	it('versions its ruleset by content', () => {
		const a = new LeadNormalizer(settings()).rulesetVersion;
		expect(new LeadNormalizer(settings()).rulesetVersion).toBe(a);
		expect(new LeadNormalizer(settings({ firstResponseSlaMinutes: 30 })).rulesetVersion).not.toBe(a);
	});

	it('rejects settings that cannot work', () => {
		expect(() => new LeadNormalizer(settings({ defaultCountry: 'Germany' }))).toThrow(ConfigError);
		expect(() => new LeadNormalizer(settings({ firstResponseSlaMinutes: -5 }))).toThrow(/zero or more/);
	});

	it('never throws on arbitrary input values', () => {
		const n = new LeadNormalizer(settings());
		const samples: unknown[] = [undefined, null, '', ' ', 0, -1, 1e308, Number.NaN, Infinity, true, [], [null], {}, { toString: 'x' }, new Date('x'), '\u0000', '😀'.repeat(5000), 'a'.repeat(300_000), '<img src=x onerror=alert(1)>', 'ДАННЫЕ', 'שלום עולם'];
		let seed = 7;
		const pick = () => samples[(seed = (seed * 48271) % 2147483647) % samples.length];
		for (let i = 0; i < 300; i++) {
			const raw = Object.fromEntries(LEAD_FIELDS.map((f) => [f, pick()]));
			const result = n.normalize(raw, now);
			expect(typeof result.valid).toBe('boolean');
			expect(result.valid).toBe(result.reasons.length === 0);
		}
	});

	it("writes the first-response deadline as the sender reads it, in the calendar's zone across a DST change, and in the set language", () => {
		const n = new LeadNormalizer(settings());
		// A lead on Friday 2026-03-27 16:30 Berlin: due Monday 09:30, after the clocks went forward (CET -> CEST).
		const spring = n.normalize({ email: 'a@acme.com', receivedAt: '2026-03-27T16:30:00+01:00' }, now).lead;
		expect(spring.firstResponseDueAt).toBe('2026-03-30T09:30:00.000+02:00');
		expect(n.firstResponseDueText(spring)).toBe('Monday, Mar 30, 09:30 GMT+2');
		expect(n.firstResponseDueText({ firstResponseDueAt: '2026-03-27T16:00:00.000+01:00' })).toBe('Friday, Mar 27, 16:00 GMT+1');
		// The same instant written from UTC still reads in the calendar's zone.
		expect(n.firstResponseDueText({ firstResponseDueAt: '2026-03-30T07:30:00.000Z' })).toBe('Monday, Mar 30, 09:30 GMT+2');
		const german = new LeadNormalizer(settings({ deadlineText: { format: 'cccc, d. LLLL, HH:mm ZZZZ', locale: 'de-DE' } }));
		expect(german.firstResponseDueText(spring)).toBe('Montag, 30. März, 09:30 MESZ');
		expect(german.firstResponseDueText({ firstResponseDueAt: '2026-03-27T16:00:00.000+01:00' })).toBe('Freitag, 27. März, 16:00 MEZ');
		// Empty settings fall back to the defaults; the ruleset version changes only when a text setting is given.
		expect(new LeadNormalizer(settings({ deadlineText: { format: ' ', locale: '' } })).firstResponseDueText(spring)).toBe(n.firstResponseDueText(spring));
		expect(new LeadNormalizer(settings()).rulesetVersion).toBe(n.rulesetVersion);
		expect(german.rulesetVersion).not.toBe(n.rulesetVersion);
		for (const locale of ['not a language!', 'x-']) {
			expect(() => new LeadNormalizer(settings({ deadlineText: { format: 'cccc', locale } }))).toThrow(expect.objectContaining({ path: 'deadlineTextLocale' }));
		}
	});

	it('tells the submitter what to fix in their words, and the builder which setting decided it', () => {
		const n = new LeadNormalizer(settings({ requiredFields: ['emailOrPhone', 'name', 'company', 'country'], freeMailIsInvalid: true }));
		const reasons = [
			...n.normalize({ email: 'bot@mailinator.com' }, now).reasons,
			...n.normalize({ email: 'ann@gmail.com' }, now).reasons,
			...n.normalize({ phone: 'n/a' }, now).reasons,
		];
		expect(reasons.map((r) => [r.message, r.setting])).toEqual(
			expect.arrayContaining([
				['disposable e-mail addresses are not accepted', 'Disposable E-Mail Is Invalid'],
				['please use your work e-mail address', 'Free-Mail Is Invalid'],
				['A valid e-mail address or phone number is needed', 'Required Fields'],
				['Your name is needed', 'Required Fields'],
				["Your company's name is needed", 'Required Fields'],
			]),
		);
		for (const r of reasons) expect(r.message).not.toMatch(/setting|Required Fields|Invalid\)/);
	});
});
