import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { companyDomainFrom } from '../../nodes/shared/domain/company-domain';
import { hostFacts } from '../../nodes/shared/domain/domain-lists';
import { countryCodeOf, normalizeCountry } from '../../nodes/shared/domain/country';
import { normalizeEmail } from '../../nodes/shared/domain/email';
import { IssueList } from '../../nodes/shared/domain/issues';
import { normalizePhone } from '../../nodes/shared/domain/phone';
import { cachePhonePatterns } from '../../nodes/shared/domain/phone-patterns';

describe('normalizePhone', () => {
	it.each([
		['(415) 555-0132', 'US', '+14155550132', 'US'],
		['415.555.0132', 'US', '+14155550132', 'US'],
		['+44 20 7946 0958', 'US', '+442079460958', 'GB'],
		['030 1234567', 'DE', '+49301234567', 'DE'],
		['0049 30 1234567', 'DE', '+49301234567', 'DE'],
		[4155550132, 'US', '+14155550132', 'US'],
	])('%p with default %s -> %s', (input, country, e164, phoneCountry) => {
		const facts = normalizePhone(input, country, new IssueList());
		expect(facts).toMatchObject({ phone: e164, phoneCountry, valid: true });
	});

	it('keeps extensions apart from the number', () => {
		expect(normalizePhone('+1 415 555 0132 ext. 42', null, new IssueList())).toMatchObject({ phone: '+14155550132', phoneExtension: '42' });
	});

	it.each([['123'], ['call me'], ['+1 555'], ['000000000000']])('flags %p as invalid without failing the lead', (input) => {
		const issues = new IssueList();
		expect(normalizePhone(input, 'US', issues).valid).toBe(false);
		expect(issues.warnings[0].code).toBe('phone_invalid');
		expect(issues.errors).toHaveLength(0);
	});

	it("agrees with libphonenumber's own isValid() and getType() on any digits, prefix and default country", () => {
		// The type is found once and stands for validity (the "max" metadata has type patterns for
		// every plan): this holds it to the library's two answers, valid and invalid numbers alike.
		const countries: Array<CountryCode | null> = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'AU', 'CH', 'SG', 'AE', 'NG', null];
		const number = fc.tuple(fc.constantFrom('', '+', '00', '0', '+1 ', '+44 ', '+49 ', '+33 ', '+91 ', '+800 ', '+979 ', '+882 '), fc.stringMatching(/^[0-9]{2,14}$/), fc.constantFrom('', ' ext. 7', ' x12'));
		fc.assert(
			fc.property(number, fc.constantFrom(...countries), ([prefix, digits, ext], country) => {
				const text = `${prefix}${digits}${ext}`;
				const facts = normalizePhone(text, country, new IssueList());
				const parsed = parsePhoneNumberFromString(text, { defaultCountry: country ?? undefined, extract: false });
				const valid = !!parsed && parsed.isValid();
				expect(facts.valid).toBe(valid);
				expect(facts.phoneType).toBe(valid ? parsed.getType() ?? null : null);
				expect(facts.phone).toBe(valid ? parsed.number : null);
			}),
			{ numRuns: 4000 },
		);
	});

	it('gives the answers of the library as shipped with its patterns kept compiled', () => {
		// The copy normalizePhone uses has the cache (put in when phone.ts loaded); a fresh copy of the
		// library, loaded apart, is left as shipped, and the answers are compared with it.
		expect(cachePhonePatterns()).toBe(true); // the helper is where this version of the library keeps it
		expect(cachePhonePatterns()).toBe(true); // and a second call leaves it as it is
		const helperOf = (load: (id: string) => unknown) => (load('libphonenumber-js/build/helpers/matchesEntirely.js'.replace('libphonenumber-js/', helperRoot)) as { default: () => boolean }).default;
		const helperRoot = require.resolve('libphonenumber-js/max').replace(/max[\\/]index\.cjs$/, '');
		let shipped: { parsePhoneNumberFromString: typeof parsePhoneNumberFromString } | undefined;
		let shippedHelper: (() => boolean) | undefined;
		jest.isolateModules(() => {
			shipped = require('libphonenumber-js/max');
			shippedHelper = helperOf(require);
		});
		expect(helperOf(require).name).not.toBe('matchesEntirely');
		expect(shippedHelper?.name).toBe('matchesEntirely');
		const patched = { parsePhoneNumberFromString };
		const countries: Array<CountryCode | undefined> = ['US', 'CA', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'SE', 'NL', undefined];
		const number = fc.tuple(fc.constantFrom('', '+', '00', '0', '+1 ', '+1 876 ', '+44 ', '+49 ', '+46 8 ', '+7 ', '+800 '), fc.stringMatching(/^[0-9]{2,14}$/));
		const answers = (parse: typeof parsePhoneNumberFromString, text: string, country: CountryCode | undefined) => {
			const parsed = parse(text, { defaultCountry: country, extract: false });
			return parsed ? { number: parsed.number, country: parsed.country, valid: parsed.isValid(), possible: parsed.isPossible(), type: parsed.getType() } : null;
		};
		fc.assert(
			fc.property(number, fc.constantFrom(...countries), ([prefix, digits], country) => {
				const text = `${prefix}${digits}`;
				expect(answers(patched.parsePhoneNumberFromString, text, country)).toEqual(answers(shipped!.parsePhoneNumberFromString, text, country));
			}),
			{ numRuns: 4000 },
		);
	});
});

describe('countryCodeOf', () => {
	it.each([
		['Germany', 'DE'],
		['Deutschland', 'DE'],
		['  germany ', 'DE'],
		['DEU', 'DE'],
		['de', 'DE'],
		['276', 'DE'],
		['USA', 'US'],
		['U.S.A.', 'US'],
		['United States of America', 'US'],
		['UK', 'GB'],
		['England', 'GB'],
		['Great Britain', 'GB'],
		['Côte d’Ivoire', 'CI'],
		['Espana', 'ES'],
		['España', 'ES'],
		['Holland', 'NL'],
		['The Netherlands', 'NL'],
		['Viet Nam', 'VN'],
		['Türkiye', 'TR'],
		['South Korea', 'KR'],
		['Suisse', 'CH'],
	])('%s -> %s', (input, code) => {
		expect(countryCodeOf(input)).toBe(code);
	});

	it('flags what it cannot read', () => {
		const issues = new IssueList();
		expect(normalizeCountry('Atlantis', issues)).toBeNull();
		expect(normalizeCountry('XX', issues)).toBeNull();
		expect(issues.warnings.map((w) => w.code)).toEqual(['country_unknown', 'country_unknown']);
	});
});

describe('companyDomainFrom', () => {
	const email = (e: string) => normalizeEmail(e, new IssueList());

	it.each([
		['https://www.acme.com/about', 'acme.com'],
		['acme.com', 'acme.com'],
		['WWW.Acme.co.uk', 'acme.co.uk'],
		['http://shop.eu.acme.de/de?x=1', 'acme.de'],
	])('website %s -> %s', (website, domain) => {
		expect(companyDomainFrom(website, email(''), new IssueList())).toMatchObject({ companyDomain: domain, domainSource: 'website' });
	});

	it('falls back to a work e-mail, never to free-mail or disposable domains', () => {
		expect(companyDomainFrom(null, email('jane@eu.acme.com'), new IssueList())).toMatchObject({ companyDomain: 'acme.com', domainSource: 'email' });
		expect(companyDomainFrom(null, email('jane@gmail.com'), new IssueList())).toMatchObject({ companyDomain: null });
		expect(companyDomainFrom(null, email('jane@mailinator.com'), new IssueList())).toMatchObject({ companyDomain: null });
	});

	it('does not take a profile page on a shared platform as the company domain', () => {
		const issues = new IssueList();
		const facts = companyDomainFrom('https://www.linkedin.com/company/acme', email('jane@acme.com'), issues);
		expect(facts).toMatchObject({ companyDomain: 'acme.com', domainSource: 'email' });
		expect(issues.warnings.map((w) => w.code)).toContain('website_shared_platform');
	});

	it('warns when website and e-mail disagree, and flags unusable websites', () => {
		let issues = new IssueList();
		companyDomainFrom('globex.com', email('jane@acme.com'), issues);
		expect(issues.warnings.map((w) => w.code)).toEqual(['domain_mismatch']);
		issues = new IssueList();
		expect(companyDomainFrom('not a website', email(''), issues).companyDomain).toBeNull();
		expect(issues.warnings.map((w) => w.code)).toEqual(['website_invalid']);
	});
});

describe('reserved and test domains (RFC 2606 / RFC 6761)', () => {
	it('are never free-mail, while real free-mail providers still are', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { isFreeMailDomain, isReservedDomain } = require('../../nodes/shared/domain/domain-lists');
		for (const d of ['example.com', 'mail.example.org', 'example.net', 'acme.example', 'shop.test', 'x.invalid', 'localhost']) {
			expect(isReservedDomain(d)).toBe(true);
			expect(isFreeMailDomain(d)).toBe(false);
		}
		expect(isFreeMailDomain('gmail.com')).toBe(true);
		expect(isReservedDomain('example.co')).toBe(false);
	});
});

describe('hostFacts', () => {
	it('answers a host the same the first time, from memory, and after the memory was filled and forgotten', () => {
		const hosts = ['Shop.Acme.co.uk', 'münchen.de', 'mail.google.com', '192.168.0.1', 'foo.invalidtld', 'acme.com.', '', 'a'.repeat(300)];
		const first = hosts.map((h) => hostFacts(h));
		expect(first.slice(0, 5)).toEqual([
			{ host: 'shop.acme.co.uk', registrableDomain: 'acme.co.uk', knownSuffix: true },
			{ host: 'xn--mnchen-3ya.de', registrableDomain: 'xn--mnchen-3ya.de', knownSuffix: true },
			{ host: 'mail.google.com', registrableDomain: 'google.com', knownSuffix: true },
			{ host: '192.168.0.1', registrableDomain: null, knownSuffix: false },
			{ host: 'foo.invalidtld', registrableDomain: 'foo.invalidtld', knownSuffix: false },
		]);
		expect(first[5]).toEqual({ host: 'acme.com', registrableDomain: 'acme.com', knownSuffix: true });
		expect(first.slice(6)).toEqual([null, null]);
		expect(hosts.map((h) => hostFacts(h))).toEqual(first);
		for (let i = 0; i < 5000; i++) hostFacts(`host-${i}.example.org`);
		expect(hosts.map((h) => hostFacts(h))).toEqual(first);
	});

	it('hands out answers no caller can change for the next one', () => {
		const facts = hostFacts('frozen.acme.io') as { registrableDomain: string | null };
		expect(() => {
			facts.registrableDomain = 'evil.com';
		}).toThrow(TypeError);
		expect(hostFacts('frozen.acme.io')?.registrableDomain).toBe('acme.io');
	});
});
