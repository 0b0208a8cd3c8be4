import fs from 'node:fs';
import path from 'node:path';
import { node, runNode, runWorkflow, type RunResult } from './workflow-runner';

const example = (name: string) => fs.readFileSync(path.join(__dirname, '../../workflows/playbooks', name), 'utf8');
const DAY = 86_400_000;

const criteriaTable = {
	rows: [
		{ id: 'industry', label: 'Industry', field: 'industry', op: 'in', values: 'software, fintech', weight: 50, points: 100, elsePoints: 0 },
		{ id: 'size', label: 'Employees', field: 'employees', op: 'bands', bands: '0-50:20, 50-1000:100, 1000-:70', weight: 50, points: 100, elsePoints: 0 },
	],
};

describe('ICP Scorer in n8n\'s execution engine', () => {
	it('scores with the rules table and routes each account to its tier output, items in == items out', async () => {
		const accounts = [
			{ name: 'A', industry: 'Software', employees: 300 },
			{ name: 'B', industry: 'Retail', employees: 300 },
			{ name: 'C', industry: 'Retail', employees: 10 },
			{ name: 'D', industry: 'Software', employees: 300, isCompetitor: 'true' },
			{ name: 'E', industry: 'Software', employees: 'lots' },
		];
		const result = await runNode(
			node('ICP Scorer', 'icpScorer', {
				configSource: 'rules',
				criteria: criteriaTable,
				knockouts: { rows: [{ id: 'competitor', label: 'Competitor', field: 'isCompetitor', op: 'equals', value: 'true' }] },
				tiers: { T1: 75, T2: 50, T3: 25 },
			}),
			accounts.map((json) => ({ json })),
		);
		const [t1, t2, t3, dq] = result.outputs('ICP Scorer');
		const names = (items: typeof t1) => items.map((i) => i.json.name);
		expect(names(t1)).toEqual(['A', 'E']);
		expect(names(t2)).toEqual(['B']);
		expect(names(t3)).toEqual([]);
		expect(names(dq)).toEqual(['C', 'D']);
		expect([...t1, ...t2, ...t3, ...dq].map((i) => i.pairedItem)).toEqual(
			expect.arrayContaining([0, 1, 2, 3, 4].map((item) => ({ item }))),
		);

		const a = t1[0].json as any;
		expect(a.icp).toMatchObject({ fitScore: 100, tier: 'T1', rulesetVersion: expect.stringMatching(/^[0-9a-f]{12}$/) });
		expect(a.icp.reasons).toEqual([
			expect.objectContaining({ criterion: 'industry', value: 'Software', points: 50 }),
			expect.objectContaining({ criterion: 'size', value: 300, points: 50 }),
		]);
		expect(a.crmPatch).toMatchObject({ icpTier: 'T1', icpFitScore: 100 });
		expect(a._meta).toMatchObject({ node: 'icpScorer', decidedBy: 'rule' });

		const e = t1[1].json as any;
		expect(e.icp.flags).toEqual([expect.objectContaining({ field: 'employees', code: 'not_a_number' })]);
		expect(e.icp.reasons[1].status).toBe('excluded');
		expect((dq[1].json as any).icp.knockouts[0].reason).toBe('Competitor: isCompetitor = true');
	});

	it('reads the playbook the Company Config holds (playbooks.leadFit), without an expression, and names a missing one', async () => {
		const company = JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/companies/nordwind-services-eu.json'), 'utf8'));
		const lead = { lead: { country: 'DE', jobTitle: 'Head of Operations', company: 'Bench GmbH' }, companyConfig: company };
		const fromConfig = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'companyConfig', playbookKey: 'leadFit' }), [{ json: lead }]);
		const fromJson = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'playbook', playbook: JSON.stringify(company.playbooks.leadFit) }), [{ json: lead }]);
		const icp = (r: typeof fromConfig) => (r.outputs('ICP Scorer').flat()[0].json as any).icp;
		expect(icp(fromConfig)).toEqual(icp(fromJson));
		expect(icp(fromConfig).fitScore).not.toBeNull();
		const { playbooks: _gone, ...withoutPlaybooks } = company;
		const missing = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'companyConfig', playbookKey: 'leadFit' }), [{ json: { ...lead, companyConfig: withoutPlaybooks } }]);
		expect(missing.run.data.resultData.error).toMatchObject({ message: expect.stringContaining('no playbooks.leadFit'), description: expect.stringContaining('Add the leadFit playbook') });
	});

	it('scores the same when the Company Config node puts a reference on the items, loading the playbook from the file', async () => {
		const run = (configOnItems: string) =>
			runWorkflow(
				[node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services', configOnItems }), node('ICP Scorer', 'icpScorer', { configSource: 'companyConfig', playbookKey: 'leadFit' })],
				{ Input: { main: [[{ node: 'Company Config', type: 'main', index: 0 }]] }, 'Company Config': { main: [[{ node: 'ICP Scorer', type: 'main', index: 0 }]] } },
				'Input',
				[{ json: { lead: { country: 'DE', jobTitle: 'Head of Operations', company: 'Bench GmbH' } } }, { json: { lead: { country: 'US', jobTitle: 'Intern' } } }],
			);
		const [whole, reference] = [await run('whole'), await run('reference')];
		const carried = (r: RunResult) => r.outputs('Company Config')[0].map((i) => i.json.companyConfig as any);
		expect(carried(whole)[0].playbooks.leadFit).toBeDefined();
		expect(carried(reference)[0]).not.toHaveProperty('playbooks');
		expect(carried(reference)[0]).toMatchObject({ configReference: { companyId: 'nordwind_services', version: (whole.outputs('Company Config')[0][0].json.portfolioCompany as any).configVersion }, calendar: carried(whole)[0].calendar });
		// Both items carry one shared object, which n8n stores once per run.
		expect(carried(reference)[1]).toBe(carried(reference)[0]);
		const icp = (r: RunResult) => r.outputs('ICP Scorer').flat().map((i) => (i.json as any).icp);
		expect(icp(reference)).toEqual(icp(whole));
		expect(icp(reference)[0].fitScore).not.toBeNull();
	});

	it('takes a playbook per item from an expression, e.g. one per portfolio company', async () => {
		const strict = JSON.parse(example('icp-playbook.example.json'));
		const lenient = { ...strict, tiers: { T1: 10, T2: 5, T3: 1 } };
		const account = { industry: 'retail', employees: 100, country: 'US' };
		const result = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'playbook', playbook: '={{ $json.playbook }}' }), [
			{ json: { ...account, playbook: strict } },
			{ json: { ...account, playbook: lenient } },
		]);
		const [t1, t2, t3, dq] = result.outputs('ICP Scorer');
		expect([t1.length, t2.length, t3.length, dq.length]).toEqual([1, 0, 1, 0]);
		expect((t3[0].json as any).icp.rulesetVersion).not.toBe((t1[0].json as any).icp.rulesetVersion);
	});

	it('stops on a malformed playbook with the bad path and the fix, or sends items to the error output', async () => {
		const bad = JSON.stringify({ criteria: [{ id: 'x', field: 'x', op: 'in', weight: 'high' }] });
		const stopped = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'playbook', playbook: bad }), [{ json: {} }]);
		expect(stopped.run.data.resultData.error).toMatchObject({
			message: expect.stringContaining('criteria[0].weight'),
			description: expect.stringContaining('JSON Schema'),
		});
		const continued = await runNode(node('ICP Scorer', 'icpScorer', { configSource: 'playbook', playbook: bad }, { onError: 'continueErrorOutput' }), [{ json: { id: 1 } }, { json: { id: 2 } }]);
		const outputs = continued.outputs('ICP Scorer');
		expect(outputs).toHaveLength(5);
		expect(outputs[4].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputs.slice(0, 4).flat()).toHaveLength(0);
	});
});

describe('Health Score in n8n\'s execution engine', () => {
	const now = Date.now();
	const accounts = [
		{ name: 'healthy', tier: 'T2', weeklyActiveUsersPct: 90, openEscalations: 0, nps: 60, paymentStatus: 'current', lastEngagementAt: new Date(now - DAY).toISOString(), executiveSponsor: 'CFO', previousHealthScore: 95 },
		{ name: 'risky', tier: 'T1', weeklyActiveUsersPct: 10, openEscalations: 5, nps: -20, paymentStatus: 'failed', previousHealthScore: 60 },
		{ name: 'overridden', tier: 'T2', weeklyActiveUsersPct: 10, paymentStatus: 'late', healthOverride: { band: 'green', reason: 'migration week', by: 'csm@acme.com', expiresAt: new Date(now + 7 * DAY).toISOString() } },
	];

	it('routes accounts to one output per band, from the example playbook', async () => {
		const result = await runNode(node('Health Score', 'healthScore', { configSource: 'playbook', playbook: example('health-playbook.example.json') }), accounts.map((json) => ({ json })));
		const [green, yellow, red] = result.outputs('Health Score');
		expect(green.map((i) => i.json.name)).toEqual(['healthy', 'overridden']);
		expect(yellow).toHaveLength(0);
		expect(red.map((i) => i.json.name)).toEqual(['risky']);
		const risky = red[0].json as any;
		expect(risky.health.churnRisks.map((c: any) => c.id)).toEqual(['payment-failed', 'escalations']);
		expect(risky.health.trend).toMatchObject({ direction: 'down' });
		expect(risky.crmPatch).toMatchObject({ healthBand: 'red', healthChurnRisks: 'Payment failed; Three or more open escalations' });
		expect((green[1].json as any).health).toMatchObject({ computedBand: 'red', band: 'green', override: { active: true, reason: 'migration week' } });
	});

	it('builds as many outputs as bands are named, and routes by the rules table', async () => {
		const result = await runNode(
			node('Health Score', 'healthScore', {
				configSource: 'rules',
				bandOutputs: 'thriving, steady, watch, critical',
				bandMins: '80, 60, 30, 0',
				measures: { rows: [{ id: 'usage', field: 'usage', op: 'bands', bands: '0-30:10, 30-60:50, 60-90:70, 90-:100', weight: 1, points: 100, elsePoints: 0 }] },
			}),
			[5, 45, 75, 95].map((usage) => ({ json: { usage } })),
		);
		const outputs = result.outputs('Health Score');
		expect(outputs).toHaveLength(4);
		expect(outputs.map((o) => o.map((i) => i.json.usage))).toEqual([[95], [75], [45], [5]]);
	});

	it('refuses a playbook whose bands have no output, saying how to fix it', async () => {
		const playbook = JSON.stringify({ measures: [{ id: 'a', field: 'a', op: 'exists', weight: 1 }], bands: [{ name: 'good', min: 50 }, { name: 'bad', min: 0 }] });
		const result = await runNode(node('Health Score', 'healthScore', { configSource: 'playbook', playbook }), [{ json: {} }]);
		expect(result.run.data.resultData.error).toMatchObject({ message: expect.stringContaining('do not match'), description: expect.stringContaining('Band Outputs') });
	});
});
