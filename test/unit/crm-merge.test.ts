import fc from 'fast-check';
import { coerceValue, mergeRecord, type FieldValue, type Writer } from '../../nodes/shared/domain/crm/merge';
import { CRM_FIELDS, CRM_RECORD_SCHEMAS, normalizeKey } from '../../nodes/shared/domain/crm/model';
import { AccountIndex, companyDomainOf, leadAccountKeys, leadTier } from '../../nodes/shared/domain/crm/matching';

const rule: Writer = { kind: 'rule', name: 'r' };
const model: Writer = { kind: 'model', name: 'm' };
const person: Writer = { kind: 'human', name: 'p' };
const NOW = Date.parse('2026-12-01T00:00:00Z');
const existing = (fields: Record<string, FieldValue>, validated: string[] = []) => ({ fields, validated });

describe('merge policies', () => {
	it.each([
		// [object, field, before, incoming, expected after, skip reason or null]
		['lead', 'leadSource', 'google', 'linkedin', 'linkedin', null],
		['lead', 'firstTouchSource', 'google', 'linkedin', 'google', 'first_touch'],
		['lead', 'owner', 'sam', 'kim', 'sam', 'filled'],
		['lead', 'owner', null, 'kim', 'kim', null],
		['lead', 'status', 'contacted', 'new', 'contacted', 'no_reset'],
		['lead', 'status', 'contacted', 'qualified', 'qualified', null],
		['lead', 'status', null, 'new', 'new', null],
		['lead', 'lastTouchAt', '2026-11-02T00:00:00.000Z', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00.000Z', null],
		['lead', 'lastTouchAt', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00Z', '2026-11-03T00:00:00.000Z', null],
		['account', 'techStack', ['a', 'b'], ['b', 'c'], ['a', 'b', 'c'], null],
		['account', 'industry', 'Software', 'unknown', 'Software', 'unknown_value'],
		['account', 'industry', 'Software', '', 'Software', null],
		['account', 'industry', 'Software', null, 'Software', null],
		['case', 'escalationLevel', 2, 1, 2, null],
		['case', 'escalationLevel', 2, 3, 3, null],
	] as const)('%s.%s: %j + %j -> %j', (object, field, before, incoming, after, reason) => {
		const result = mergeRecord(object, existing(before === null ? {} : { [field]: before as FieldValue }), { [field]: incoming }, { writer: rule, now: NOW });
		expect(result.fields[field] ?? null).toEqual(after);
		expect(result.skipped.map((s) => s.reason)).toEqual(reason ? [reason] : []);
	});

	it('refuses bad values with a message naming the field and the fix, and writes the rest', () => {
		const result = mergeRecord('account', null, { employeeCount: '1e309', annualRevenue: { toString: 'x' }, lifecycle: 'partner', country: 'DE', bogus: 1 }, { writer: rule, now: NOW });
		expect(result.fields).toEqual({ country: 'DE' });
		const reasons = Object.fromEntries(result.skipped.map((s) => [s.field, s]));
		expect(reasons.employeeCount.message).toMatch(/employeeCount must be a number/);
		expect(reasons.annualRevenue.reason).toBe('invalid');
		expect(reasons.lifecycle.message).toMatch(/must be one of prospect, customer, churned/);
		expect(reasons.bogus).toMatchObject({ reason: 'unknown_field', message: expect.stringContaining('not a field of the canonical account') });
	});

	it.each([
		['date', '+275760-09-13T00:00:00.000Z', /before 1900 or more than 50 years ahead/],
		['date', '9999-01-01', /more than 50 years ahead/],
		['date', 'soon', /must be a date/],
		['number', 'NaN', /must be a number/],
		['boolean', 'maybe', /true or false/],
	])('coerces %s %j to an error: %s', (type, raw, message) => {
		const result = coerceValue('x', { type: type as 'date', policy: 'lastWrite', description: '' }, raw, NOW);
		expect(result).toEqual({ ok: false, message: expect.stringMatching(message) });
	});

	it('makes a person-vouched field validated, and keeps it against later rule and model writes', () => {
		const first = mergeRecord('opportunity', null, { meddiccChampion: 'Ana (VP Ops)' }, { writer: person, validates: ['meddiccChampion'], now: NOW });
		expect(first.validated).toEqual(['meddiccChampion']);
		const second = mergeRecord('opportunity', first, { meddiccChampion: 'Bob' }, { writer: model, now: NOW });
		expect(second.fields.meddiccChampion).toBe('Ana (VP Ops)');
		// A rule or model cannot vouch: its "validates" is ignored.
		const third = mergeRecord('opportunity', null, { amount: 5 }, { writer: model, validates: ['amount'], now: NOW });
		expect(third.validated).toEqual([]);
	});

	it('lets a config override a field policy', () => {
		const result = mergeRecord('lead', existing({ owner: 'sam' }), { owner: 'kim' }, { writer: rule, policies: { owner: 'lastWrite' }, now: NOW });
		expect(result.fields.owner).toBe('kim');
	});

	const fieldValue = fc.oneof(fc.constant(null), fc.constant(''), fc.constant('unknown'), fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant({ toString: 'x' }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
	const accountFields = Object.keys(CRM_FIELDS.account);
	const patch = fc.dictionary(fc.constantFrom(...accountFields, 'notAField'), fieldValue, { maxKeys: 6 });
	const writer = fc.constantFrom(rule, model, person);

	it('property: after any sequence of writes, validated values only changed by a person, nothing valued is ever blanked, output fits the schema', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(patch, writer, fc.subarray(accountFields)), { minLength: 1, maxLength: 12 }), (writes) => {
				let state: { fields: Record<string, FieldValue>; validated: string[] } | null = null;
				for (const [p, w, vouch] of writes) {
					const next = mergeRecord('account', state, p, { writer: w, validates: vouch, now: NOW });
					for (const field of Object.keys(state?.fields ?? {})) {
						const before = state!.fields[field];
						expect(next.fields[field]).not.toBeUndefined();
						expect(next.fields[field]).not.toBeNull();
						if (state!.validated.includes(field) && w.kind !== 'human') expect(next.fields[field]).toEqual(before);
					}
					for (const c of next.changes) expect(next.fields[c.field]).toEqual(c.after);
					expect(CRM_RECORD_SCHEMAS.account.safeParse(next.fields).success).toBe(true);
					// The same patch again changes nothing (merging is idempotent).
					const again = mergeRecord('account', next, p, { writer: w, validates: vouch, now: NOW });
					expect(again.changes).toEqual([]);
					state = next;
				}
			}),
			{ numRuns: Number(process.env.REVOPS_FC_RUNS || 400) },
		);
	});
});

describe('match keys', () => {
	it.each([
		['account', ' https://www.ACME.com/about ', 'acme.com'],
		['contact', 'Ana@Acme.COM ', 'ana@acme.com'],
		['lead', ' abc123 ', 'abc123'],
		['account', { toString: 'x' }, null],
		['account', '   ', null],
	] as const)('%s %j -> %j', (object, raw, key) => {
		expect(normalizeKey(object, raw)).toBe(key);
	});
});

describe('lead-to-account matching', () => {
	const accounts = [
		{ domain: 'acme.com', domains: ['acme.de', 'acme-group.com'], tier: 'T1', owner: 'sam@fund.example', lifecycle: 'customer' },
		{ domain: 'globex.io', tier: 'T3', lifecycle: 'prospect' },
		{ domain: 'gmail.com', tier: 'T1' },
	];
	const index = new AccountIndex(accounts);

	it.each([
		[{ email: 'ana@acme.com' }, 'acme.com', 'domain'],
		[{ email: 'ana@mail.acme.com' }, 'acme.com', 'domain'],
		[{ website: 'https://shop.acme.de/x' }, 'acme.com', 'alias'],
		[{ companyDomain: 'GLOBEX.IO' }, 'globex.io', 'domain'],
		[{ email: 'ana@gmail.com' }, null, null],
		[{ email: 'x@mailinator.com' }, null, null],
		[{ website: 'https://linkedin.com/company/acme' }, null, null],
		[{ email: 'ana@unknown-co.com' }, null, null],
		[{ email: { toString: 'x' } }, null, null],
		[{ email: 'ceo@acme.com.evil.io' }, null, null],
		[{ website: 'https://acme.com@phish.example.org' }, null, null],
		[{ email: 'ANA@ACME.COM.' }, 'acme.com', 'domain'],
		[{ website: 'https://bücher-acme.com' }, null, null],
	])('%j -> %s', (lead, domain, via) => {
		const match = index.match(lead);
		expect(match?.account.domain ?? null).toBe(domain);
		expect(match?.via ?? null).toBe(via);
	});

	it('never lets free-mail be an account key, even when an account lists it', () => {
		expect(index.size).toBe(2);
		expect(leadAccountKeys({ email: 'a@gmail.com', website: 'yahoo.com' })).toEqual([]);
		expect(companyDomainOf('ana@outlook.com')).toBeNull();
	});

	it('gives a matched lead the account tier, owner and customer status; an unknown company its fit tier', () => {
		expect(leadTier(index.match({ email: 'ana@acme.com' }), 'T3')).toEqual({ tier: 'T1', tierSource: 'account', accountDomain: 'acme.com', owner: 'sam@fund.example', existingCustomer: true });
		expect(leadTier(null, 'T2')).toEqual({ tier: 'T2', tierSource: 'fit', accountDomain: null, owner: null, existingCustomer: false });
		expect(leadTier(null, 'Disqualified')).toMatchObject({ tier: null, tierSource: null });
		expect(leadTier(index.match({ email: 'x@globex.io' }), 'T1')).toMatchObject({ tier: 'T3', tierSource: 'account', existingCustomer: false, owner: null });
	});
});
