import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { ConfigError } from '../../nodes/shared/domain/config-error';
import { compileCondition, type EvalContext } from '../../nodes/shared/domain/scoring/conditions';
import { HealthScorer } from '../../nodes/shared/domain/scoring/health-scorer';
import { ICP_RESULT_SHAPE, IcpScorer } from '../../nodes/shared/domain/scoring/icp-scorer';
import { shortValue } from '../../nodes/shared/domain/scoring/explanation';
import { round1 } from '../../nodes/shared/domain/scoring/tenths';
import { REASON_SHAPE } from '../../nodes/shared/domain/scoring/weighted-score';
import { ConditionSchema } from '../../nodes/shared/domain/scoring/playbook-schema';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const DAY = 86_400_000;
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/playbooks', name), 'utf8'));

function cond(c: Record<string, unknown>) {
	const parsed = ConditionSchema.parse({ id: 'c', ...c });
	const test = compileCondition(parsed);
	return (item: unknown) => {
		const ctx: EvalContext = { now: NOW, flags: [] };
		const r = test(item, ctx);
		return { ...r, flags: ctx.flags.map((f) => f.code) };
	};
}

describe('conditions', () => {
	it('finds list entries in comma-, semicolon- or bar-separated text exactly as splitting it would', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const fc = require('fast-check') as typeof import('fast-check');
		const pieces = ['salesforce', 'SalesForce', 'hubspot', 'hub spot', 'sales', 'force', 'salesforcex', 'x', ',', ';', '|', ' ', '\t', '\u00a0', '\u2003', '\n', ''];
		const reference = (text: string, wanted: readonly string[], all: boolean) => {
			const has = new Set(text.split(/[,;|]/).map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
			return all ? wanted.every((w) => has.has(w)) : wanted.some((w) => has.has(w));
		};
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.constantFrom(['salesforce', 'hubspot'], ['hub spot'], ['force', 'sales']), fc.boolean(), (parts, wanted, all) => {
				const text = parts.join('');
				const r = cond({ field: 's', op: all ? 'containsAll' : 'containsAny', values: wanted })({ s: text });
				if (r.missing) return;
				expect(r.matched).toBe(reference(text, wanted, all));
			}),
			{ numRuns: 3000, seed: 20261203 },
		);
	});

	it.each([
		[{ field: 'a', op: 'equals', value: 'SaaS' }, { a: ' saas ' }, true],
		[{ field: 'a', op: 'equals', value: 'SaaS', caseSensitive: true }, { a: 'saas' }, false],
		[{ field: 'a', op: 'equals', value: 250 }, { a: '250' }, true],
		[{ field: 'a', op: 'notEquals', value: 'x' }, { a: 'y' }, true],
		[{ field: 'a', op: 'equals', value: true }, { a: 'TRUE' }, true],
		[{ field: 'a', op: 'equals', value: '250' }, { a: 250 }, true],
		[{ field: 'a', op: 'in', values: [1, 2] }, { a: '2.0' }, true],
		[{ field: 'a.b', op: 'in', values: ['US', 'CA'] }, { a: { b: 'ca' } }, true],
		[{ field: 'a', op: 'notIn', values: ['US'] }, { a: 'DE' }, true],
		[{ field: 'n', op: 'between', min: 10, max: 20 }, { n: 20 }, true],
		[{ field: 'n', op: 'between', min: 10 }, { n: '1,000' }, true],
		[{ field: 'n', op: 'gt', value: 5 }, { n: 5 }, false],
		[{ field: 'n', op: 'gte', value: 5 }, { n: 5 }, true],
		[{ field: 'n', op: 'lt', value: 5 }, { n: 4.9 }, true],
		[{ field: 'n', op: 'lte', value: 5 }, { n: 6 }, false],
		[{ field: 's', op: 'containsAny', values: ['HubSpot', 'Salesforce'] }, { s: ['Slack', 'hubspot'] }, true],
		[{ field: 's', op: 'containsAll', values: ['a', 'b'] }, { s: 'a, b; c' }, true],
		[{ field: 's', op: 'containsAll', values: ['a', 'b'] }, { s: ['a'] }, false],
		[{ field: 'x', op: 'exists' }, { x: 0 }, true],
		[{ field: 'x', op: 'exists' }, { x: '' }, false],
		[{ field: 'x', op: 'exists' }, { x: ' \t\u00a0' }, false],
		[{ field: 'x', op: 'notExists' }, {}, true],
		[{ field: 'd', op: 'withinDays', days: 30 }, { d: new Date(NOW - 10 * DAY).toISOString() }, true],
		[{ field: 'd', op: 'withinDays', days: 30 }, { d: (NOW - 40 * DAY) / 1000 }, false],
		[{ field: 'd', op: 'olderThanDays', days: 30 }, { d: NOW - 40 * DAY }, true],
	])('%p on %p -> %p', (c, item, matched) => {
		const r = cond(c)(item);
		expect(r.missing).toBe(false);
		expect(r.matched).toBe(matched);
	});

	it('answers the same for a column of unique values once its memory of texts is full and closed', () => {
		const industry = cond({ field: 'industry', op: 'in', values: ['Software', '42', 'true'] });
		const dated = cond({ field: 'at', op: 'withinDays', days: 30 });
		const expectations: Array<[unknown, boolean]> = [
			[' SOFTWARE ', true],
			['software x', false],
			['42.0', true],
			['TRUE', true],
		];
		const check = () => {
			for (const [value, matched] of expectations) expect(industry({ industry: value }).matched).toBe(matched);
			expect(dated({ at: new Date(NOW - DAY).toISOString() }).matched).toBe(true);
			expect(dated({ at: new Date(NOW - 40 * DAY).toISOString() }).matched).toBe(false);
		};
		check();
		// 5,000 distinct texts and dates: both memories fill, then mostly miss, and stop being looked up.
		for (let i = 0; i < 5000; i++) {
			expect(industry({ industry: `industry ${i}` }).matched).toBe(false);
			dated({ at: new Date(NOW - i * 60_000).toISOString() });
		}
		check();
	});

	it('maps numbers to band points, with open ends', () => {
		const bands = cond({ field: 'n', op: 'bands', bands: [{ max: 10, points: 5 }, { min: 10, max: 100, points: 50 }, { min: 100, points: 90 }] });
		expect(bands({ n: 0 }).bandPoints).toBe(5);
		expect(bands({ n: 10 }).bandPoints).toBe(50);
		expect(bands({ n: 1e9 }).bandPoints).toBe(90);
	});

	it('treats absent and unreadable values as missing, and flags the unreadable ones', () => {
		expect(cond({ field: 'n', op: 'gt', value: 1 })({})).toMatchObject({ missing: true, flags: [] });
		expect(cond({ field: 'n', op: 'gt', value: 1 })({ n: 'lots' })).toMatchObject({ missing: true, flags: ['not_a_number'] });
		// Non-finite numbers are garbage, not absent data: still not scored, and now flagged by field.
		expect(cond({ field: 'n', op: 'gt', value: 1 })({ n: Number.NaN })).toMatchObject({ missing: true, flags: ['out_of_range'] });
		expect(cond({ field: 'n', op: 'gt', value: 1 })({ n: '1e309' })).toMatchObject({ missing: true, flags: ['out_of_range'] });
		expect(cond({ field: 'n', op: 'gt', value: 1 })({ n: 2e15 })).toMatchObject({ missing: true, flags: ['out_of_range'] });
		expect(cond({ field: 'd', op: 'withinDays', days: 30 })({ d: '9999-12-31' })).toMatchObject({ missing: true, flags: ['date_out_of_range'] });
		expect(cond({ field: 'n', op: 'equals', value: 'x' })({ n: { toString: 'x' } })).toMatchObject({ missing: false, matched: false });
		expect(cond({ field: 'n', op: 'gt', value: 1 })({ n: -3 })).toMatchObject({ missing: true, flags: ['negative_value'] });
		expect(cond({ field: 'n', op: 'gt', value: -5, allowNegative: true })({ n: -3 })).toMatchObject({ missing: false, matched: true });
		expect(cond({ field: 'd', op: 'withinDays', days: 1 })({ d: 'soon' })).toMatchObject({ missing: true, flags: ['not_a_date'] });
		expect(cond({ field: 's', op: 'containsAny', values: ['a'] })({ s: { a: 1 } })).toMatchObject({ missing: true, flags: ['not_a_list'] });
	});

	it('rejects conditions that lack what their operator needs', () => {
		expect(ConditionSchema.safeParse({ id: 'x', field: 'a', op: 'in' }).success).toBe(false);
		expect(ConditionSchema.safeParse({ id: 'x', field: 'a', op: 'between', min: 5, max: 1 }).success).toBe(false);
		expect(ConditionSchema.safeParse({ id: 'x', op: 'gt', value: 1 }).success).toBe(false);
		expect(ConditionSchema.safeParse({ id: 'x', field: 'a', op: 'gt', value: '1' }).success).toBe(false);
		expect(ConditionSchema.safeParse({ id: 'x', field: 'a', op: 'fuzzy' }).success).toBe(false);
	});
});

describe('ICP scorer', () => {
	const scorer = new IcpScorer(example('icp-playbook.example.json'));
	const strong = {
		industry: 'Software',
		employees: 800,
		annualRevenue: 120_000_000,
		country: 'US',
		techStack: ['Salesforce', 'Slack'],
		lastFundingAt: '2026-03-01',
		contact: { title: 'VP Sales' },
		events: [{ type: 'demo_request', at: new Date(NOW - 2 * DAY).toISOString() }, { type: 'pricing_page', at: new Date(NOW - 1 * DAY).toISOString() }],
	};

	async function score(item: Record<string, unknown>) {
		return scorer.score(item, NOW, scorer.jsonata.empty ? undefined : await scorer.jsonata.evaluate(item));
	}

	it('scores a strong account T1 and attributes every point to a criterion', async () => {
		const r = await score(strong);
		expect(r.fitScore).toBe(100);
		expect(r.tier).toBe('T1');
		expect(r.tierReason).toBe('fit 100 is at or above T1 (75)');
		expect(r.reasons.map((x) => x.status)).toEqual(Array(7).fill('matched'));
		expect(r.reasons.reduce((s, x) => s + x.points, 0)).toBeCloseTo(100, 0);
		expect(r.reasons.find((x) => x.criterion === 'industry')).toMatchObject({ value: 'Software', points: 25, subScore: 100 });
		expect(r.engagementScore).toBeGreaterThan(80);
		expect(r.grade).toBe('A1');
	});

	it('renormalizes weights over criteria with data when missing data is excluded, and says so', async () => {
		const r = await score({ industry: 'fintech', employees: 50, country: 'DE' });
		// industry 100 x 25, size 60 x 25, region 100 x 15, seniority 0 x 5 ("missing": "zero"); the rest excluded.
		expect(r.fitScore).toBe(Math.round(((25 * 100 + 25 * 60 + 15 * 100 + 5 * 0) / 70) * 10) / 10);
		expect(r.reasons.filter((x) => x.status === 'excluded').map((x) => x.criterion)).toEqual(['revenue', 'stack', 'funding']);
		expect(r.missingFields).toEqual(expect.arrayContaining(['annualRevenue', 'techStack', 'lastFundingAt']));
		expect(r.explanation).toContain('not scored (no data): Annual revenue');
		expect(r.engagementScore).toBeNull();
		expect(r.grade).toBeNull();
	});

	it('applies the neutral and zero policies', () => {
		const base = { criteria: [{ id: 'a', field: 'a', op: 'equals', value: 1, weight: 1 }, { id: 'b', field: 'b', op: 'equals', value: 1, weight: 1 }] };
		expect(new IcpScorer({ ...base, missingData: 'neutral' }).score({ a: 1 }, NOW).fitScore).toBe(75);
		expect(new IcpScorer({ ...base, missingData: 'zero' }).score({ a: 1 }, NOW).fitScore).toBe(50);
		expect(new IcpScorer({ ...base, missingData: 'exclude' }).score({ a: 1 }, NOW).fitScore).toBe(100);
		const none = new IcpScorer({ ...base, missingData: 'exclude' }).score({}, NOW);
		expect(none).toMatchObject({ fitScore: null, tier: 'Disqualified', tierReason: expect.stringContaining('unknown') });
	});

	it('disqualifies on a knock-out whatever the score', async () => {
		const r = await score({ ...strong, isCompetitor: true });
		expect(r.fitScore).toBe(100);
		expect(r.tier).toBe('Disqualified');
		expect(r.knockouts).toEqual([expect.objectContaining({ id: 'competitor', reason: 'Competitor: isCompetitor = true' })]);
	});

	it('places scores on tier thresholds exactly', () => {
		const p = { criteria: [{ id: 'n', field: 'n', op: 'bands', weight: 1, bands: [{ max: 1, points: 75 }, { min: 1, max: 2, points: 55 }, { min: 2, max: 3, points: 35 }, { min: 3, points: 34.9 }] }], tiers: { T1: 75, T2: 55, T3: 35 } };
		const s = new IcpScorer(p);
		expect([0, 1, 2, 3].map((n) => s.score({ n }, NOW).tier)).toEqual(['T1', 'T2', 'T3', 'Disqualified']);
	});

	it('decays engagement by half-life', () => {
		const p = { criteria: [{ id: 'x', field: 'x', op: 'exists', weight: 1 }], engagement: { eventPoints: { demo: 100 }, halfLifeDays: 10, fullScoreAt: 100 } };
		const s = new IcpScorer(p);
		expect(s.score({ x: 1, events: [{ type: 'demo', at: NOW }] }, NOW).engagementScore).toBe(100);
		expect(s.score({ x: 1, events: [{ type: 'demo', at: NOW - 10 * DAY }] }, NOW).engagementScore).toBe(50);
		expect(s.score({ x: 1, events: [{ type: 'demo', at: NOW - 20 * DAY }] }, NOW).engagementScore).toBe(25);
		expect(s.score({ x: 1, events: [{ type: 'unknown', at: NOW }] }, NOW).engagementScore).toBe(0);
		expect(s.score({ x: 1, events: 'lots' }, NOW)).toMatchObject({ engagementScore: null, flags: [expect.objectContaining({ code: 'not_a_list' })] });
	});

	it('flags bad data against the data dictionary', async () => {
		const r = await score({ industry: 'Aerospace', employees: 'many', annualRevenue: -5, lastFundingAt: 'last year' });
		expect(r.flags.map((f) => `${f.field}:${f.code}`)).toEqual(
			expect.arrayContaining(['industry:unknown_value', 'employees:not_a_number', 'annualRevenue:below_min', 'lastFundingAt:not_a_date']),
		);
	});

	describe('explanation and shared reasons', () => {
		const playbook = {
			missingData: 'exclude',
			criteria: [
				{ id: 'industry', label: 'Industry', field: 'industry', op: 'in', values: ['software'], elsePoints: 20, weight: 30 },
				{ id: 'size', label: 'Employees', field: 'employees', op: 'bands', weight: 25, bands: [{ max: 20, points: 10 }, { min: 20, points: 100 }] },
				{ id: 'region', label: 'Core market', field: 'country', op: 'in', values: ['US'], weight: 15 },
				{ id: 'stack', label: 'CRM', field: 'techStack', op: 'containsAny', values: ['salesforce'], weight: 10 },
				{ id: 'funded', label: 'Funded', field: 'fundedAt', op: 'withinDays', days: 30, weight: 5 },
			],
		};

		it('names the top two gains and losses with their values, and what had no data', () => {
			const s = new IcpScorer(playbook);
			const r = s.score({ industry: 'Retail', employees: 12, country: 'US', techStack: 'salesforce, slack' }, NOW);
			// Weights 30 + 25 + 15 + 10 = 80 over the criteria with data: industry 20 x 30/80, size 10 x 25/80.
			expect(r.fitScore).toBe(41.9);
			// A loss is the rounded best minus the rounded points: size 31.3 - 3.1.
			expect(r.explanation).toBe(
				'41.9/100; up: Core market = US (+18.8), CRM = salesforce, slack (+12.5); down: Industry = Retail (-30), Employees = 12 (-28.2); not scored (no data): Funded.',
			);
			expect(s.score({}, NOW).explanation).toBe('No score: none of the criteria had data.');
		});

		it('says a yes-or-no criterion as met or not, never by the raw field behind it', () => {
			const s = new IcpScorer({
				missingData: 'exclude',
				criteria: [
					{ id: 'work', label: 'Work e-mail', field: 'freeMail', op: 'equals', value: false, weight: 50 },
					{ id: 'domain', label: 'Company domain known', field: 'companyDomain', op: 'exists', weight: 50 },
				],
			});
			expect(s.score({ freeMail: false, companyDomain: null }, NOW).explanation).toBe('50/100; up: Work e-mail: yes (+50); down: Company domain known: no (-50).');
			expect(s.score({ freeMail: true, companyDomain: 'acme.com' }, NOW).explanation).toBe('50/100; up: Company domain known = acme.com (+50); down: Work e-mail: no (-50).');
		});

		it('shows a padded value without its padding, and counts a text of white space only as no data', () => {
			const s = new IcpScorer(playbook);
			const r = s.score({ industry: '  Retail\t ', employees: 12, country: ' \u00a0', techStack: 'salesforce, slack', fundedAt: '\n' }, NOW);
			// The reason keeps the value as it came; the sentence shows it trimmed.
			expect(r.reasons[0].value).toBe('  Retail\t ');
			expect(r.explanation).toContain('Industry = Retail (-');
			expect(r.explanation).not.toMatch(/= \s|\s \(/);
			// Blank country and funding date are missing data, excluded as the playbook says, not "not matched".
			expect(r.reasons.map((x) => x.status)).toEqual(['not_matched', 'matched', 'excluded', 'matched', 'excluded']);
			expect(r.missingFields).toEqual(['country', 'fundedAt']);
			expect(r.explanation).toMatch(/not scored \(no data\): Core market, Funded\.$/);
		});

		it('says a criterion without data is unknown, also when it gains as neutral, never "yes"', () => {
			const s = new IcpScorer({
				missingData: 'neutral',
				criteria: [
					{ id: 'work', label: 'Work e-mail', field: 'freeMail', op: 'equals', value: false, weight: 50 },
					{ id: 'industry', label: 'Industry', field: 'industry', op: 'in', values: ['software'], weight: 50 },
				],
			});
			const r = s.score({ industry: 'retail' }, NOW);
			expect(r.reasons[0].status).toBe('missing');
			expect(r.explanation).toBe('25/100; up: Work e-mail unknown (+25); down: Industry = retail (-50), Work e-mail unknown (-25).');
			expect(s.score({ freeMail: '  ', industry: 'software' }, NOW).explanation).toBe('75/100; up: Industry = software (+50), Work e-mail unknown (+25); down: Work e-mail unknown (-25).');
		});

		it('shares one read-only reason between accounts with the same value and weighting, and never another account\'s', () => {
			const s = new IcpScorer(playbook);
			const a = s.score({ industry: 'software', employees: 500, country: 'US', techStack: 'salesforce', fundedAt: NOW - DAY }, NOW);
			const b = s.score({ industry: 'software', employees: 501, country: 'US', techStack: 'salesforce', fundedAt: NOW - DAY }, NOW);
			expect(b.reasons[0]).toBe(a.reasons[0]);
			expect(Object.isFrozen(a.reasons[0])).toBe(true);
			expect(a.reasons[1].value).toBe(500);
			expect(b.reasons[1].value).toBe(501);
			// Without a country the weights renormalize, so the same industry earns other points.
			const c = s.score({ industry: 'software', employees: 500, techStack: 'salesforce', fundedAt: NOW - DAY }, NOW);
			expect(c.reasons[0]).not.toBe(a.reasons[0]);
			expect(c.reasons[0].points).toBe(Math.round((30 / 70) * 1000) / 10);
			expect(c.reasons.reduce((sum, x) => sum + x.points, 0)).toBeCloseTo(c.fitScore as number, 0);
		});

		it('stops looking up reasons of a column whose values rarely repeat, and scores it exactly as before', () => {
			const s = new IcpScorer(playbook);
			const early = s.score({ industry: 'software', employees: 7, country: 'US' }, NOW);
			// 3,000 distinct head counts: the size column's table fills, then its lookups mostly miss.
			for (let i = 0; i < 3000; i++) s.score({ industry: 'software', employees: 1000 + i, country: 'US' }, NOW);
			const a = s.score({ industry: 'software', employees: 7, country: 'US' }, NOW);
			const b = s.score({ industry: 'software', employees: 7, country: 'US' }, NOW);
			// The picklist column still hands out its one shared reason; the head counts get their own.
			expect(b.reasons[0]).toBe(early.reasons[0]);
			expect(Object.isFrozen(b.reasons[1])).toBe(false);
			expect(b.reasons[1]).not.toBe(a.reasons[1]);
			// Same figures and words as a scorer that never saw the other accounts.
			const fresh = new IcpScorer(playbook).score({ industry: 'software', employees: 7, country: 'US' }, NOW);
			expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(fresh)));
			expect(JSON.parse(JSON.stringify(early))).toEqual(JSON.parse(JSON.stringify(fresh)));
		});

		it('builds reasons and results in the shape whose number fields hold shared tenths, with the same figures', () => {
			// V8's own map check (natives syntax, switched on for this function only): a key order that
			// differs from the shape's would silently give every result its own number boxes again.
			v8.setFlagsFromString('--allow-natives-syntax');
			const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
			v8.setFlagsFromString('--no-allow-natives-syntax');
			const s = new IcpScorer(playbook);
			// A value too long to remember: the reason is the account's own, so not frozen.
			const r = s.score({ industry: 'x'.repeat(100), employees: 12, country: 'US', fundedAt: NOW - DAY }, NOW);
			expect(Object.isFrozen(r.reasons[0])).toBe(false);
			expect(haveSameMap(r.reasons[0], REASON_SHAPE)).toBe(true);
			expect(haveSameMap(r, ICP_RESULT_SHAPE)).toBe(true);
			expect(haveSameMap(r, REASON_SHAPE)).toBe(false);
			// round1 gives the same doubles as rounding by hand, shared or not.
			for (const n of [0, 0.05, 0.15, 17.45, 31.25, 99.95, 100, 100.04, 100.06, -0.3, 1e6 / 7, Number.NaN]) {
				expect(round1(n)).toBe(Math.round(n * 10) / 10);
			}
			expect(r.reasons.map((x) => [x.points, x.maxPoints])).toEqual(r.reasons.map((x) => [x.points, x.maxPoints].map((p) => Math.round(p * 10) / 10)));
		});

		it('writes every number in an explanation as String() does', () => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const fc = require('fast-check') as typeof import('fast-check');
			const numbers = fc.oneof(
				fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
				fc.integer({ min: 990, max: 1_001_000 }),
				fc.integer({ min: -5_000_000, max: 5_000_000 }),
				fc.double({ noNaN: false }),
				fc.integer({ min: -10, max: 1010 }).map((t) => t / 10),
				fc.constantFrom(-0, 1000, 999_999, 1_000_000, 1e21, Number.MAX_SAFE_INTEGER + 1, Infinity),
			);
			fc.assert(fc.property(numbers, (n) => shortValue(n) === String(n)), { numRuns: 20_000 });
		});

		it('judges time windows against each run\'s own clock', () => {
			const s = new IcpScorer(playbook);
			const account = { industry: 'software', fundedAt: '2026-11-01T00:00:00Z' };
			expect(s.score(account, NOW).reasons[4].status).toBe('matched');
			expect(s.score(account, NOW + 60 * DAY).reasons[4].status).toBe('not_matched');
			expect(s.score(account, NOW).reasons[4].status).toBe('matched');
		});

		it('shares read-only lists of missing fields, flags and knock-outs, and never another account\'s', () => {
			const s = new IcpScorer({ ...playbook, knockouts: [{ id: 'student', label: 'Student', field: 'isStudent', op: 'equals', value: true }] });
			const a = s.score({ industry: 'software', employees: 50 }, NOW);
			const b = s.score({ industry: 'retail', employees: 5 }, NOW);
			const c = s.score({ industry: 'software', country: 'US' }, NOW);
			expect(a.missingFields).toEqual(['country', 'techStack', 'fundedAt']);
			expect(b.missingFields).toBe(a.missingFields);
			expect(Object.isFrozen(a.missingFields)).toBe(true);
			expect(c.missingFields).toEqual(['employees', 'techStack', 'fundedAt']);
			expect(a.flags).toEqual([]);
			expect(b.flags).toBe(a.flags);
			expect(Object.isFrozen(a.flags)).toBe(true);
			expect(a.knockouts).toEqual([]);
			expect(() => (a.knockouts as unknown[]).push({})).toThrow(TypeError);
			// Lists with content belong to their account.
			const d = s.score({ industry: 'software', employees: 'many', isStudent: true }, NOW);
			const e = s.score({ industry: 'software', employees: -3, isStudent: 'true' }, NOW);
			expect(d.flags.map((f) => f.code)).toEqual(['not_a_number']);
			expect(e.flags.map((f) => f.code)).toEqual(['negative_value']);
			expect(d.knockouts).toHaveLength(1);
			expect(d.knockouts).not.toBe(e.knockouts);
			expect(e.knockouts[0].value).toBe('true');
			expect(s.score({ industry: 'software', employees: 50, country: 'US', techStack: 'x', fundedAt: NOW }, NOW).missingFields).toEqual([]);
		});

		it('keeps each result whole when the scorer goes on to the next accounts (its scratch space is reused)', () => {
			const s = new IcpScorer(playbook);
			const h = new HealthScorer(example('health-playbook.example.json'));
			const a = s.score({ industry: 'Retail', employees: 'lots', country: 'US', techStack: 'salesforce' }, NOW);
			const ha = h.score({ tier: 'T1', weeklyActiveUsersPct: 'n/a', nps: 40 }, NOW);
			const before = JSON.stringify([a, ha]);
			for (let i = 0; i < 50; i++) {
				s.score({ industry: 'software', employees: -i - 1, fundedAt: 'never', techStack: `x${i}` }, NOW);
				h.score({ tier: 'T2', weeklyActiveUsersPct: -i - 1, nps: 'great' }, NOW);
			}
			expect(JSON.stringify([a, ha])).toBe(before);
			expect(a.flags.map((f) => f.code)).toEqual(['not_a_number']);
			expect(a.reasons[1]).toMatchObject({ value: 'lots', status: 'excluded' });
			expect(ha.flags.map((f) => f.field)).toContain('weeklyActiveUsersPct');
		});

		it('lists missing fields per account for playbooks too large to share them', () => {
			const criteria = Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, field: `f${i}`, op: 'exists', weight: 1, missing: 'zero' }));
			const s = new IcpScorer({ criteria: criteria.map((c) => ({ ...c, op: 'gt', value: 0 })) });
			const a = s.score({ f0: 1, f39: 2 }, NOW);
			const b = s.score({ f1: 1 }, NOW);
			expect(a.missingFields).toHaveLength(38);
			expect(a.missingFields).not.toContain('f39');
			expect(b.missingFields).toContain('f39');
			expect(b.missingFields).not.toContain('f1');
			expect(a.fitScore).toBe(5);
		});

		it('names the first three criteria without data, for each account its own, in small and large playbooks', () => {
			for (const size of [6, 31, 40]) {
				const s = new IcpScorer({ missingData: 'exclude', criteria: Array.from({ length: size }, (_, i) => ({ id: `c${i}`, label: `L${i}`, field: `f${i}`, op: 'gt', value: 0, weight: 1 })) });
				const filled = (keys: number[]) => Object.fromEntries(keys.map((k) => [`f${k}`, 1]));
				const all = Array.from({ length: size }, (_, i) => i);
				// Accounts that differ only in which fields are empty, each scored twice (the end is remembered per set).
				const cases: Array<[number[], string]> = [
					[all.filter((i) => i !== 2), '; not scored (no data): L2.'],
					[all.filter((i) => i !== 2 && i !== size - 1), `; not scored (no data): L2, L${size - 1}.`],
					[all.filter((i) => i > 3), '; not scored (no data): L0, L1, L2, ....'],
					[all.filter((i) => i !== 0 && i !== size - 1), `; not scored (no data): L0, L${size - 1}.`],
					// Past 31 criteria, bit 34 of a 32-bit mask would be bit 2: those sets must not share an end.
					[all.filter((i) => i !== (size > 34 ? 34 : 3)), `; not scored (no data): L${size > 34 ? 34 : 3}.`],
					[all, '/100; up: L0 = 1 (+'],
				];
				for (let round = 0; round < 2; round++) {
					for (const [keys, words] of cases) {
						const text = s.score(filled(keys), NOW).explanation;
						expect(text).toContain(words);
						if (keys.length < size) expect(text.endsWith(words)).toBe(true);
						else expect(text).not.toContain('not scored');
					}
				}
			}
		});

		it('stays exact past the memory kept for repeated values', () => {
			const s = new IcpScorer(playbook);
			for (let i = 0; i < 3000; i++) {
				const industry = i % 7 === 0 ? ' Software ' : `industry ${i}`;
				const r = s.score({ industry, employees: i, techStack: i % 2 ? `hubspot,x${i}` : `x${i};Salesforce` }, NOW);
				expect(r.reasons[0]).toMatchObject({ value: industry, status: i % 7 === 0 ? 'matched' : 'not_matched' });
				expect(r.reasons[1]).toMatchObject({ value: i, subScore: i < 20 ? 10 : 100 });
				expect(r.reasons[3].status).toBe(i % 2 ? 'not_matched' : 'matched');
			}
		});
	});

	it('versions the ruleset by content', () => {
		const a = example('icp-playbook.example.json');
		expect(new IcpScorer(a).rulesetVersion).toBe(scorer.rulesetVersion);
		expect(new IcpScorer({ ...a, tiers: { T1: 80, T2: 55, T3: 35 } }).rulesetVersion).not.toBe(scorer.rulesetVersion);
	});

	it.each([
		['{ not json', 'not valid JSON'],
		[{ criteria: [] }, 'criteria: Too small'],
		[{ criteria: [{ id: 'a', field: 'a', op: 'equals', value: 1, weight: 'heavy' }] }, 'criteria[0].weight'],
		[{ criteria: [{ id: 'a', field: 'a', op: 'in', weight: 1 }] }, 'criteria[0].values: operator "in" needs a non-empty list of values'],
		[{ criteria: [{ id: 'a', field: 'a', op: 'exists', weight: 1 }], tiers: { T1: 10, T2: 50, T3: 0 } }, 'T1 >= T2 >= T3'],
		[{ criteria: [{ id: 'a', field: 'a', op: 'exists', weight: 1, colour: 'red' }] }, 'criteria[0]: Unrecognized key'],
		[{ criteria: [{ id: 'a', op: 'jsonata', expression: '$$$(', weight: 1 }] }, 'does not parse'],
		[{ criteria: [{ id: 'a', field: 'a', op: 'exists', weight: 0 }] }, 'weight 0'],
	])('rejects a malformed playbook %p naming the path', (playbook, message) => {
		let error: unknown;
		try {
			new IcpScorer(playbook);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toContain(message);
	});
});

describe('Health scorer', () => {
	const scorer = new HealthScorer(example('health-playbook.example.json'));
	const healthy = { tier: 'T2', weeklyActiveUsersPct: 82, openEscalations: 0, nps: 45, paymentStatus: 'current', lastEngagementAt: new Date(NOW - 3 * DAY).toISOString(), executiveSponsor: 'Dana CFO', previousHealthScore: 80, seatUtilizationPct: 95 };
	async function score(item: Record<string, unknown>) {
		return scorer.score(item, NOW, await scorer.jsonata.evaluate(item));
	}

	it('scores, bands and trends a healthy account, with expansion signals', async () => {
		const r = await score(healthy);
		expect(r.healthScore).toBe(100);
		expect(r.band).toBe('green');
		expect(r.trend).toEqual({ previousScore: 80, delta: 20, direction: 'up' });
		expect(r.expansionSignals.map((s) => s.id)).toEqual(['seat-cap']);
		expect(r.churnRisks).toEqual([]);
		expect(scorer.bandNames).toEqual(['green', 'yellow', 'red']);
	});

	it('uses the weight set of the account segment', async () => {
		const item = { ...healthy, executiveSponsor: null };
		const t1 = await score({ ...item, tier: 'T1' });
		const t2 = await score({ ...item, tier: 'T2' });
		expect(t1.healthScore).toBe(80); // sponsor weighs 20 of 100 for T1
		expect(t2.healthScore).toBe(90); // and 10 of 100 by default
		expect(t1.segment).toBe('T1');
	});

	it('gives JSONata rules dates as ISO text even when the item holds Date objects', async () => {
		const r = await score({ ...healthy, weeklyActiveUsersPct: 15, renewalDate: new Date(NOW + 30 * DAY) });
		expect(r.churnRisks.map((c) => c.id)).toContain('renewal-soon-low-usage');
	});

	it('raises churn risks with reasons, including a JSONata rule', async () => {
		const r = await score({ ...healthy, weeklyActiveUsersPct: 15, paymentStatus: 'failed', openEscalations: 4, renewalDate: new Date(NOW + 30 * DAY).toISOString(), previousHealthScore: 70 });
		expect(r.band).toBe('red');
		expect(r.trend?.direction).toBe('down');
		expect(r.churnRisks.map((c) => c.id)).toEqual(['renewal-soon-low-usage', 'payment-failed', 'escalations']);
		expect(r.churnRisks[1].reason).toBe('Payment failed: paymentStatus = failed');
	});

	it('lets an unexpired manual override win, says so, and ignores expired or open-ended ones', async () => {
		const active = await score({ ...healthy, healthOverride: { band: 'yellow', reason: 'exec escalation in progress', by: 'csm@acme.com', expiresAt: new Date(NOW + DAY).toISOString() } });
		expect(active).toMatchObject({ band: 'yellow', computedBand: 'green', healthScore: 100, override: { active: true, reason: 'exec escalation in progress' } });
		const byScore = await score({ ...healthy, healthOverride: { score: 30, reason: 'r', expiresAt: new Date(NOW + DAY).toISOString() } });
		expect(byScore).toMatchObject({ healthScore: 30, band: 'red', computedScore: 100 });
		const expired = await score({ ...healthy, healthOverride: { band: 'red', expiresAt: new Date(NOW - DAY).toISOString() } });
		expect(expired).toMatchObject({ band: 'green', override: { active: false, ignoredBecause: expect.stringContaining('expired') } });
		const forever = await score({ ...healthy, healthOverride: { band: 'red' } });
		expect(forever.override).toMatchObject({ active: false, ignoredBecause: expect.stringContaining('must expire') });
		const unknownBand = await score({ ...healthy, healthOverride: { band: 'purple', expiresAt: new Date(NOW + DAY).toISOString() } });
		expect(unknownBand.override?.ignoredBecause).toContain('not one of green, yellow, red');
	});

	it('scores an empty account only on what is known, and an unknowable one as null in the worst band', async () => {
		const r = await score({});
		// "No executive sponsor" is a fact (exists = false); everything else is excluded for lack of data.
		expect(r).toMatchObject({ healthScore: 0, band: 'red', trend: null });
		expect(r.explanation).toContain('not scored (no data): Weekly active users');
		const numericOnly = new HealthScorer({ measures: [{ id: 'a', field: 'a', op: 'gt', value: 1, weight: 1 }] });
		const unknown = numericOnly.score({}, NOW);
		expect(unknown).toMatchObject({ healthScore: null, band: 'red' });
		expect(unknown.explanation).toBe('No score: none of the criteria had data.');
	});

	it('accepts up to six bands and rejects bad band sets', () => {
		const measures = [{ id: 'a', field: 'a', op: 'exists', weight: 1 }];
		const six = new HealthScorer({ measures, bands: ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => ({ name, min: 100 - i * 20 > 0 ? 100 - i * 20 : 0 })) });
		expect(six.bandNames).toHaveLength(6);
		expect(() => new HealthScorer({ measures, bands: [{ name: 'a', min: 50 }, { name: 'b', min: 20 }] })).toThrow(/start at 0/);
		expect(() => new HealthScorer({ measures, bands: Array.from({ length: 7 }, (_, i) => ({ name: `b${i}`, min: i * 10 })) })).toThrow(/bands/);
	});
});

describe('thin data (minEvidence)', () => {
	const config = JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/companies/acme-saas-us.json'), 'utf8'));
	const scorer = new IcpScorer(config.playbooks.leadFit);
	const score = async (lead: Record<string, unknown>) => scorer.score({ lead }, NOW, scorer.jsonata.empty ? undefined : await scorer.jsonata.evaluate({ lead }));

	it('keeps a lead with little data out of T1 and T2 however well the little it says fits, and says so', async () => {
		// A name and a company address only: work e-mail and a known domain fit, but most of the playbook has no data.
		const thin = await score({ email: 'max@win-big.io', freeMail: false, companyDomain: 'win-big.io', source: { sourceContextComplete: false } });
		expect(thin.fitScore).toBeGreaterThanOrEqual(50);
		expect(thin.tier).toBe('T3');
		expect(thin.tierReason).toMatch(/thin data: 55% of the fit weight has data \(the playbook needs 70%\), so at most T3$/);
		expect(thin.explanation).toMatch(/Thin data: 55% of the fit weight has data/);
		// The same fit with the data a real buyer gives keeps its tier.
		const full = await score({ email: 'ann@acme-robotics.com', freeMail: false, companyDomain: 'acme-robotics.com', country: 'US', jobTitle: 'VP of Sales', source: { sourceContextComplete: true } });
		expect(full).toMatchObject({ fitScore: 100, tier: 'T1' });
		expect(full.explanation).not.toMatch(/[Tt]hin data/);
		// A knock-out is never softened into the cap.
		expect((await score({ email: 'x@competitor.example', companyDomain: 'competitor.example' })).tier).toBe('Disqualified');
	});
});
