import { accountPlanningSuite } from './account-planning';
import { crmCases } from './crm-cases';
import { modelNodesSuite } from './model-nodes';
import { onboardingSuite } from './onboarding';
import { outboundSuite } from './outbound';
import { salesReportSuite } from './sales-report';
import { qbrSuite } from './qbr';
import { reengagementSuite } from './reengagement';
import { crmHistory, crmRecords, postCrm, runNow, startInstance, VERSIONS, type Instance, INSTANCE_START_MS } from './n8n-instance';

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

describe.each(VERSIONS)('scheduled templates, the sales report and the model-based nodes on n8n %s', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version);
	}, INSTANCE_START_MS);
	afterAll(async () => {
		await n8n?.stop();
	});

	it('re-scores every account of the company in its CRM with the company\'s own ICP playbook, keeping history of what changed', async () => {
		const seed = [
			{ name: 'Acme Robotics', domain: 'acme-robotics.com', industry: 'Software', employeeCount: 800, annualRevenue: 120000000, country: 'US', techStack: ['Salesforce', 'Slack'], lastFundingAt: iso(-100), isCompetitor: false },
			{ name: 'Globex Retail', domain: 'globex.de', industry: 'Retail', employeeCount: 150, country: 'DE', isCompetitor: false, icpTier: 'T3' },
			{ name: 'Rival Corp', domain: 'rival.example', industry: 'Software', employeeCount: 900, country: 'US', isCompetitor: true, icpTier: 'T1' },
			{ name: 'Odd Data Inc', domain: 'odd.example', industry: 'Software', employeeCount: -40, country: 'GB', icpTier: 'T3' },
		];
		for (const fields of seed) await postCrm(n8n, 'revops-test-crm-account', n8n.company, { fields, writtenBy: 'rule', writer: 'seed' });
		const execution = await runNow(n8n, 'RvOpsIcpRescore1', 'revops-rescore-accounts');
		expect(execution.status).toBe('success');

		const accounts = await crmRecords(n8n, 'account');
		const tiers = Object.fromEntries(seed.map((a) => [a.domain, accounts[a.domain].icpTier]));
		// The same template, two companies: Acme's playbook wants US software companies, Nordwind's
		// European manufacturers (workflows/companies/*.json, playbooks.icp).
		if (n8n.company === 'acme_saas') {
			expect(tiers).toEqual({ 'acme-robotics.com': 'T1', 'globex.de': 'T3', 'rival.example': 'Disqualified', 'odd.example': 'T1' });
			expect(accounts['acme-robotics.com']).toMatchObject({ icpFitScore: 100, icpRulesetVersion: expect.stringMatching(/^[0-9a-f]{12}$/) });
		} else {
			expect(tiers).toEqual({ 'acme-robotics.com': 'T2', 'globex.de': 'T3', 'rival.example': 'Disqualified', 'odd.example': 'Disqualified' });
		}
		expect(accounts['globex.de'].icpFitScore).toBeCloseTo(51.4, 1);
		// -40 employees is flagged and excluded, not scored as tiny.
		expect(accounts['odd.example'].icpExplanation).toContain('not scored (no data): Employees');
		// The previous tier is in the record's history, with what wrote it.
		expect(await crmHistory(n8n, 'account', 'rival.example')).toEqual(expect.arrayContaining([{ field: 'icpTier', before: 'T1', after: 'Disqualified', writer: 'rule:ICP re-scoring' }]));
		// The seeded values stay; the scorer wrote only its own fields.
		expect(accounts['acme-robotics.com']).toMatchObject({ name: 'Acme Robotics', employeeCount: 800, portfolioCompany: n8n.company });

		// A second run changes nothing: the records are unchanged, so no history and no revision.
		const again = await runNow(n8n, 'RvOpsIcpRescore1', 'revops-rescore-accounts');
		expect(again.status).toBe('success');
		expect(await crmRecords(n8n, 'account')).toEqual(accounts);
	});

	it('scores the health of the company\'s customers in its CRM, stores band, trend and risks, and alerts the company\'s channel', async () => {
		const seed = [
			{ name: 'Happy Co', domain: 'happy.example', lifecycle: 'customer', tier: 'T2', weeklyActiveUsersPct: 88, openEscalations: 0, nps: 62, paymentStatus: 'current', lastEngagementAt: iso(-2), executiveSponsor: 'Dana (CFO)', renewalDate: iso(200), seatUtilizationPct: 95, healthScore: 90 },
			{ name: 'Sinking Ltd', domain: 'sinking.example', lifecycle: 'customer', tier: 'T1', weeklyActiveUsersPct: 12, openEscalations: 4, nps: -30, paymentStatus: 'failed', lastEngagementAt: iso(-60), renewalDate: iso(400), healthScore: 55 },
			{ name: 'Quiet GmbH', domain: 'quiet.example', lifecycle: 'customer', tier: 'T2', weeklyActiveUsersPct: 30, openEscalations: 2, nps: 10, paymentStatus: 'current', lastEngagementAt: iso(-5), executiveSponsor: 'Max (COO)', renewalDate: iso(45) },
			// Not a customer: the health watch leaves prospects alone.
			{ name: 'Prospect Inc', domain: 'prospect.example', lifecycle: 'prospect', tier: 'T3', weeklyActiveUsersPct: 1, paymentStatus: 'failed' },
		];
		for (const fields of seed) await postCrm(n8n, 'revops-test-crm-account', n8n.company, { fields, writtenBy: 'rule', writer: 'seed' });
		n8n.alerts.received.length = 0;
		const execution = await runNow(n8n, 'RvOpsHealthWatch', 'revops-account-health');
		expect(execution.status).toBe('success');

		const accounts = await crmRecords(n8n, 'account');
		expect(accounts['happy.example']).toMatchObject({ healthScore: 100, healthBand: 'green', healthTrend: 'up', healthDelta: 10, healthExpansionSignals: 'Using 90% or more of purchased seats; Promoter NPS' });
		expect(accounts['happy.example'].healthChurnRisks).toBeUndefined();
		expect(accounts['sinking.example']).toMatchObject({ healthBand: 'red', healthTrend: 'down', healthChurnRisks: expect.stringContaining('Payment failed') });
		expect(accounts['quiet.example']).toMatchObject({ healthScore: 69, healthBand: 'yellow', healthChurnRisks: expect.stringContaining('Renewal within 90 days') });
		expect(accounts['quiet.example'].healthTrend).toBeUndefined();
		expect(accounts['prospect.example'].healthScore).toBeUndefined();
		// The previous score is in the history.
		expect(await crmHistory(n8n, 'account', 'sinking.example')).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'healthScore', before: 55, writer: 'rule:Health watch' })]));

		// The alert goes to the channel in the company's config (the operator's copy in REVOPS_CONFIG_DIR).
		const texts = n8n.alerts.received.map((a) => a.body.text as string);
		expect(n8n.alerts.received.every((a) => a.path === '/slack')).toBe(true);
		expect(texts).toHaveLength(2);
		expect(texts.find((t) => t.includes('Sinking Ltd'))).toMatch(/^:red_circle: Sinking Ltd \(sinking\.example\) health \d+(\.\d)?, red\. Risks: Payment failed; Three or more open escalations\. Why: /);
		expect(texts.find((t) => t.includes('Quiet GmbH'))).toContain(':warning: Quiet GmbH');
	});

	// The CRM smoke test on every version (the broad CRM cases, crm-cases.ts, run on 2.x below).
	it('writes leads through the RevOps CRM node to PostgreSQL for the Nordwind config: created, repeat merged, existing customer found', async () => {
		const domain = `smoke-${version.replace(/\./g, '')}`;
		await postCrm(n8n, 'revops-test-crm-account', 'nordwind_services', { fields: { domain: `${domain}-kunde.de`, tier: 'T1', lifecycle: 'customer', owner: 'jonas@nordwind.example' }, writtenBy: 'rule', writer: 'seed' });
		const [first] = await postCrm(n8n, 'revops-test-crm-lead', 'nordwind_services', { leads: [{ email: `eva@${domain}-kunde.de`, firstName: 'Eva', utm_source: 'google', message: 'Mehr Lizenzen' }] });
		expect(first.crm).toMatchObject({ backend: 'postgres', companyId: 'nordwind_services', action: 'created', existingCustomer: true, tier: 'T1', owner: 'jonas@nordwind.example' });
		const [again] = await postCrm(n8n, 'revops-test-crm-lead', 'nordwind_services', { leads: [{ email: `eva@${domain}-kunde.de`, firstName: 'Eva', utm_source: 'linkedin', message: 'Noch da?' }] });
		expect(again.crm).toMatchObject({ action: 'updated', repeat: true, record: { duplicates: 1, fields: { firstTouchSource: 'google', leadSource: 'linkedin', status: 'new' } } });
	});

	// The broad CRM cases on n8n 2.x, last (the crash test restarts n8n).
	if (Number(version.split('.')[0]) >= 2) describe('RevOps CRM node', () => crmCases(() => n8n, version));

	// The stage-7 report on the same n8n (its deals are in the same company CRM), before the model
	// nodes' suite writes opportunities of its own.
	salesReportSuite(version, () => n8n);

	// Stage 3: quiet leads re-engaged by tier, on the same n8n and company CRM.
	reengagementSuite(version, () => n8n);

	// Stage 3: outbound sequences by persona and tier (a T2 draft reviewed in an Approval Gate).
	outboundSuite(version, () => n8n);

	// Stage 6: QBR briefs for customers renewing soon, on the same n8n and company CRM.
	qbrSuite(version, () => n8n);

	// The model-based nodes on the same n8n: one n8n start per version fewer.
	modelNodesSuite(version, () => n8n);

	// Stage 2 (account research, re-score, the owner's task) and stage 5 (handoff, checklist, overdue
	// watch), last: the research re-scores every account of the company CRM the suites above share.
	accountPlanningSuite(version, () => n8n);
	onboardingSuite(version, () => n8n);
});
