import { dedupeKeyOf } from '../../nodes/shared/domain/dedupe-key';
import { detectFields } from '../../nodes/shared/domain/field-detection';
import { IssueList } from '../../nodes/shared/domain/issues';
import { caseCompanyName, casePersonName, personName } from '../../nodes/shared/domain/names';
import { sourceContext } from '../../nodes/shared/domain/source-context';

describe('names', () => {
	it.each([
		['jane doe', 'Jane Doe'],
		['jane DOE', 'Jane Doe'],
		['mary-kate VAN DER berg', 'Mary-Kate van der Berg'],
		['JANE O\'NEIL-SMITH', 'Jane O\'Neil-Smith'],
		['ludwig van beethoven', 'Ludwig van Beethoven'],
		['van halen', 'Van Halen'],
		['mcdonald', 'McDonald'],
		['DeShawn McKenzie', 'DeShawn McKenzie'],
		['josé álvarez', 'José Álvarez'],
		['رائد', 'رائد'],
	])('%s -> %s', (input, expected) => expect(casePersonName(input)).toBe(expected));

	it('keeps company casing unless typed all lower-case', () => {
		expect(caseCompanyName('IBM')).toBe('IBM');
		expect(caseCompanyName('eBay')).toBe('eBay');
		expect(caseCompanyName('acme robotics gmbh')).toBe('Acme Robotics Gmbh');
	});

	it('splits full names, including "Last, First"', () => {
		expect(personName(null, null, 'Jane van Doe')).toEqual({ firstName: 'Jane', lastName: 'van Doe', fullName: 'Jane van Doe' });
		expect(personName(null, null, 'Doe, Jane')).toEqual({ firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe' });
		expect(personName('Jane', null, 'ignored when parts exist')).toEqual({ firstName: 'Jane', lastName: null, fullName: 'Jane' });
		expect(personName(null, null, 'Cher')).toEqual({ firstName: 'Cher', lastName: null, fullName: 'Cher' });
	});
});

describe('sourceContext', () => {
	it('prefers explicit fields, lower-cases them and reports completeness', () => {
		const ctx = sourceContext({ source: 'LinkedIn', medium: 'Paid', campaign: 'Q4-Launch' }, null, new IssueList());
		expect(ctx).toMatchObject({ source: 'linkedin', medium: 'paid', campaign: 'q4-launch', derivedFrom: 'fields', sourceContextComplete: true });
	});

	it('fills missing UTM values from the landing page URL', () => {
		const ctx = sourceContext(
			{ source: 'google', landingPage: 'https://acme.com/demo?utm_source=bing&utm_medium=cpc&utm_campaign=brand&utm_term=crm' },
			null,
			new IssueList(),
		);
		expect(ctx).toMatchObject({ source: 'google', medium: 'cpc', campaign: 'brand', term: 'crm', sourceContextComplete: true });
	});

	it('derives a referral source from the referrer, but not from the own site', () => {
		expect(sourceContext({ referrer: 'https://news.ycombinator.com/item?id=1' }, 'acme.com', new IssueList())).toMatchObject({
			source: 'ycombinator.com',
			medium: 'referral',
			derivedFrom: 'referrer',
			sourceContextComplete: false,
		});
		expect(sourceContext({ referrer: 'https://www.acme.com/pricing' }, 'acme.com', new IssueList())).toMatchObject({ source: null, derivedFrom: null });
	});
});

describe('dedupeKeyOf', () => {
	const base = { email: null, phone: null, fullName: null, companyDomain: null, company: null };
	it('uses the e-mail without +tags, folding Gmail dots and googlemail.com', () => {
		expect(dedupeKeyOf({ ...base, email: 'jane+promo@acme.com' })).toBe('email:jane@acme.com');
		expect(dedupeKeyOf({ ...base, email: 'jane.doe+x@googlemail.com' })).toBe('email:janedoe@gmail.com');
		expect(dedupeKeyOf({ ...base, email: 'jane.doe@acme.com' })).toBe('email:jane.doe@acme.com');
	});
	it('falls back to phone, then name and company, then nothing', () => {
		expect(dedupeKeyOf({ ...base, phone: '+14155550132' })).toBe('phone:+14155550132');
		expect(dedupeKeyOf({ ...base, fullName: 'Jane Doe', company: 'Acme' })).toBe('name:jane doe|acme');
		expect(dedupeKeyOf({ ...base, fullName: 'Jane Doe', companyDomain: 'acme.com', company: 'Acme' })).toBe('name:jane doe|acme.com');
		expect(dedupeKeyOf({ ...base, fullName: 'Jane Doe' })).toBeNull();
	});
});

describe('detectFields', () => {
	it('finds Form Trigger labels, snake_case and nested webhook bodies', () => {
		const { values, paths } = detectFields(
			{ 'Work Email': 'a@acme.com', body: { first_name: 'Ann', 'Company Website': 'acme.com' }, query: { utm_source: 'x' }, submittedAt: '2026-01-01' },
			['email', 'firstName', 'website', 'source', 'receivedAt', 'phone'],
		);
		expect(values).toEqual({ email: 'a@acme.com', firstName: 'Ann', website: 'acme.com', source: 'x', receivedAt: '2026-01-01' });
		expect(paths).toMatchObject({ email: 'Work Email', firstName: 'body.first_name', website: 'body.Company Website', source: 'query.utm_source' });
	});

	it('never feeds one input value to two lead fields, and skips empty values', () => {
		const { values } = detectFields({ url: 'https://acme.com', email: '', mail: 'b@acme.com' }, ['website', 'landingPage', 'email']);
		expect(values).toEqual({ website: 'https://acme.com', email: 'b@acme.com' });
	});

	it("never takes lead data from what the RevOps nodes put on the item (the Company Config node's company and config)", () => {
		const item = {
			Email: 'a@acme.com',
			portfolioCompany: { id: 'acme_saas', name: 'Acme Analytics (US SaaS)', configVersion: 'abc', backend: 'dataTables' },
			companyConfig: { company: { name: 'Acme Analytics' }, website: 'acme-analytics.example' },
			crm: { owner: 'dana@acme.example' },
		};
		expect(detectFields(item, ['email', 'fullName', 'website', 'company']).values).toEqual({ email: 'a@acme.com' });
		// A webhook's own nested company object is still lead data.
		expect(detectFields({ company: { name: 'Globex', domain: 'globex.com' } }, ['website']).values).toEqual({ website: 'globex.com' });
	});

	it('does not take an object for a text field', () => {
		expect(detectFields({ body: { message: 'hi' } }, ['message']).values).toEqual({ message: 'hi' });
	});
});
