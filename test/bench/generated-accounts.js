// Deterministic synthetic CRM accounts for the scoring benchmarks.
'use strict';
const { rng } = require('./generated-leads');
const { realisticValues } = require('./realistic-values');

const INDUSTRIES = ['software', 'fintech', 'retail', 'manufacturing', 'healthcare', 'education', 'Software', ''];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'CA', 'NL', ''];
const STACKS = ['salesforce,slack', 'hubspot', 'pipedrive,zoom', '', 'salesforce', 'zendesk,jira'];
const DAY = 86_400_000;

/**
 * One account: the drawer gives its name, domain, industry, country and tech stack; the numbers and
 * flags come from the same random sequence, in the same order for every data set.
 */
function account(i, r, now, draw) {
	return {
		id: i,
		name: draw.name(i),
		domain: draw.domain(i),
		industry: draw.industry(),
		employees: r() < 0.1 ? null : Math.floor(r() ** 2 * 20000),
		annualRevenue: r() < 0.3 ? null : Math.floor(r() * 2e9),
		country: draw.country(),
		techStack: draw.techStack(),
		lastFundingAt: r() < 0.5 ? null : new Date(now - Math.floor(r() * 1500) * DAY).toISOString(),
		isCompetitor: r() < 0.01,
		tier: r() < 0.2 ? 'T1' : 'T2',
		weeklyActiveUsersPct: Math.floor(r() * 100),
		openEscalations: Math.floor(r() * 5),
		nps: Math.floor(r() * 200) - 100,
		paymentStatus: r() < 0.9 ? 'current' : 'late',
		lastEngagementAt: new Date(now - Math.floor(r() * 90) * DAY).toISOString(),
		executiveSponsor: r() < 0.6 ? 'someone' : null,
		previousHealthScore: Math.floor(r() * 100),
		seatUtilizationPct: Math.floor(r() * 100),
	};
}

function generateAccounts(count, seed = 7, now = Date.parse('2026-11-21T00:00:00Z')) {
	const r = rng(seed);
	const pick = (list) => list[Math.floor(r() * list.length)];
	const draw = { name: (i) => `Account ${i}`, domain: (i) => `account-${i}.example`, industry: () => pick(INDUSTRIES), country: () => pick(COUNTRIES), techStack: () => pick(STACKS) };
	const out = new Array(count);
	for (let i = 0; i < count; i++) out[i] = account(i, r, now, draw);
	return out;
}

/** The ICP playbook the benchmarks score with: the criterion types a RevOps team uses, no JSONata. */
const BENCH_ICP_PLAYBOOK = {
	missingData: 'exclude',
	criteria: [
		{ id: 'industry', label: 'Industry', field: 'industry', op: 'in', values: ['software', 'fintech'], points: 100, elsePoints: 20, weight: 30 },
		{ id: 'size', label: 'Employees', field: 'employees', op: 'bands', weight: 25, bands: [{ max: 20, points: 10 }, { min: 20, max: 200, points: 60 }, { min: 200, max: 5000, points: 100 }, { min: 5000, points: 70 }] },
		{ id: 'revenue', label: 'Annual revenue', field: 'annualRevenue', op: 'between', min: 10000000, max: 1000000000, weight: 15 },
		{ id: 'region', label: 'Core market', field: 'country', op: 'in', values: ['US', 'CA', 'GB', 'DE', 'NL', 'FR'], weight: 15 },
		{ id: 'stack', label: 'CRM we integrate with', field: 'techStack', op: 'containsAny', values: ['salesforce', 'hubspot'], weight: 10 },
		{ id: 'funding', label: 'Funded in 18 months', field: 'lastFundingAt', op: 'withinDays', days: 548, weight: 5 },
	],
	knockouts: [{ id: 'competitor', label: 'Competitor', field: 'isCompetitor', op: 'equals', value: true }],
	tiers: { T1: 75, T2: 55, T3: 35 },
};

/**
 * The same fields with the cardinality of a real CRM: thousands of distinct industries (as people
 * type them), countries written every way, tech stacks from a long list, distinct domains.
 */
function generateRealisticAccounts(count, seed = 7, now = Date.parse('2026-11-21T00:00:00Z')) {
	const v = realisticValues(seed);
	const draw = { name: v.company, domain: v.domain, industry: v.industry, country: v.country, techStack: v.techStack };
	const out = new Array(count);
	for (let i = 0; i < count; i++) out[i] = account(i, v.random, now, draw);
	return out;
}

/** The bench playbook for realistic values: industries and countries as a RevOps team lists them. */
const BENCH_REALISTIC_ICP_PLAYBOOK = {
	...BENCH_ICP_PLAYBOOK,
	criteria: BENCH_ICP_PLAYBOOK.criteria.map((c) =>
		c.id === 'industry'
			? { ...c, values: ['software', 'saas software', 'b2b software', 'enterprise software', 'cloud software', 'fintech', 'b2b fintech', 'payments', 'insurtech', 'hr tech', 'martech', 'data and analytics'] }
			: c.id === 'region'
				? { ...c, values: ['US', 'CA', 'GB', 'DE', 'NL', 'FR', 'AT', 'CH', 'SE', 'DK', 'NO', 'FI'] }
				: c,
	),
};

module.exports = { generateAccounts, generateRealisticAccounts, BENCH_ICP_PLAYBOOK, BENCH_REALISTIC_ICP_PLAYBOOK };
