import fc from 'fast-check';
import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { accountSites, AWKWARD_PATHS, serveAccountSites } from '../support/account-sites';
import { hostileValue, sample } from './hostile-arbitraries';
import { node, runWorkflow } from './workflow-runner';

// The Account Planner in n8n's execution engine, reading account pages over real HTTP from the test's
// site server, with Acme's config (ICP playbook, calendar, queue owner) from the Company Config node.
jest.setTimeout(180_000);

let sites: Awaited<ReturnType<typeof serveAccountSites>>;
beforeAll(async () => (sites = await serveAccountSites()));
afterAll(async () => await sites.close());

const line = (nodes: string[]): IConnections => Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n, { main: [[{ node: nodes[i + 1], type: 'main' as const, index: 0 }]] }]));
const research = (options: IDataObject = {}) => node('Research', 'accountPlanner', { operation: 'research', options: { urlTemplate: `${sites.url}/{domain}{path}`, allowPrivate: true, ...options } }, { onError: 'continueErrorOutput' });

async function chain(accounts: IDataObject[], researchOptions: IDataObject = {}) {
	const nodes = [
		node('Input', 'test.passThrough', {}),
		node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }),
		research(researchOptions),
		node('ICP Scorer', 'icpScorer', { configSource: 'playbook', playbook: "={{ JSON.stringify($('Company Config').first().json.companyConfig.playbooks.icp) }}", options: {} }),
		node('Next Action', 'accountPlanner', { operation: 'nextAction' }, { onError: 'continueErrorOutput' }),
	];
	// The ICP Scorer routes by tier (T1, T2, T3, Disqualified): every tier goes on to the next action.
	const connections = { ...line(nodes.map((n) => n.name)), 'ICP Scorer': { main: [0, 1, 2, 3].map(() => [{ node: 'Next Action', type: 'main' as const, index: 0 }]) } };
	const result = await runWorkflow(nodes, connections, 'Input', accounts.map((json) => ({ json })));
	const [task, none, errors] = result.allOutputs('Next Action');
	return { task: task ?? [], none: none ?? [], errors: errors ?? [], research: result.outputs('Research')[0] ?? [] };
}
const byDomain = (items: INodeExecutionData[]) => Object.fromEntries(items.map((i) => [String((i.json.research as IDataObject)?.domain ?? i.json.domain), i.json]));

describe('Account Planner: research, re-score, next action', () => {
	it('researches each account from its own pages, fills what the CRM lacks, re-scores, and plans the next action', async () => {
		const expected = accountSites();
		const accounts: IDataObject[] = [
			{ domain: 'ledgerline.example', name: 'Ledgerline', country: 'NL', owner: 'maya.chen@acme-analytics.example', tier: 'T2' },
			{ domain: 'brightforge.example', name: 'Brightforge', country: 'US', industry: 'industrial machinery', employeeCount: 900 },
			{ domain: 'quietcloud.example', name: 'QuietCloud' },
			{ domain: 'mixedsignals.example', country: 'US' },
			{ domain: 'hostile.example', country: 'NL' },
		];
		const out = await chain(accounts);
		expect(out.errors).toEqual([]);
		expect(out.task.length + out.none.length).toBe(accounts.length);
		const items = byDomain([...out.task, ...out.none]);
		for (const [domain, site] of Object.entries(expected)) {
			const r = items[domain].research as IDataObject;
			expect([domain, (r.industry as IDataObject).value]).toEqual([domain, site.expect.industry ?? 'unknown']);
			expect([domain, (r.employees as IDataObject).value]).toEqual([domain, site.expect.employees ?? 'unknown']);
			expect([domain, (items[domain].trust as IDataObject).injectionSuspected]).toEqual([domain, site.expect.flagged]);
		}
		const ledgerline = items['ledgerline.example'];
		// Found values fill the account, go to the CRM with their quotes, and the ICP Scorer scored with them.
		expect(ledgerline).toMatchObject({ industry: 'fintech', employeeCount: 240, lastFundingAt: expect.stringMatching(/T00:00:00.000Z$/) });
		expect(ledgerline.crmPatch).toMatchObject({ industry: 'fintech', employeeCount: 240, techStack: expect.arrayContaining(['hubspot', 'stripe']), researchedAt: expect.any(String) });
		expect((ledgerline.crmPatch as IDataObject).researchEvidence).toEqual(expect.arrayContaining([expect.stringMatching(/^industry fintech: .*\(http:\/\/127\.0\.0\.1:\d+\/ledgerline\.example\/.*\)$/)]));
		expect((ledgerline.crmPatch as IDataObject).recentNews).toEqual([expect.stringMatching(/ funding: Ledgerline raises \$45M Series B/), expect.stringMatching(/ expansion: Ledgerline opens Berlin office/)]);
		expect((ledgerline.icp as IDataObject).fitScore).toBeGreaterThan(70);
		expect(ledgerline.nextAction).toMatchObject({ action: 'reach_out_on_trigger', owner: 'maya.chen@acme-analytics.example', task: { type: 'task', taskStatus: 'open', accountDomain: 'ledgerline.example', externalId: expect.stringMatching(/^next-action:ledgerline\.example:reach_out_on_trigger:\d{4}-W\d{2}$/) } });
		expect(out.task.map((i) => i.json)).toContain(ledgerline);
		// A value the account already had is kept (the CRM's own policies decide about the rest).
		expect(items['brightforge.example']).toMatchObject({ industry: 'industrial machinery', employeeCount: 900 });
		expect((items['brightforge.example'].crmPatch as IDataObject).industry).toBeUndefined();
		// Hostile pages: the instructions did not set anything, and the item carries the flag.
		expect(items['hostile.example']).toMatchObject({ industry: 'logistics', employeeCount: 85 });
		expect(JSON.stringify(items['hostile.example'].crmPatch)).not.toMatch(/fintech|90000|"tier"/);
		// Without a known industry or size the ICP fit is thin: the planner says what to do about it.
		expect((items['quietcloud.example'].nextAction as IDataObject).owner).toBe('sales-queue@acme-analytics.example');
	});

	it('reports pages that loop, are not HTML, are too big, too slow, missing, or redirect inside, and still researches the account', async () => {
		const out = await chain([{ domain: 'hostile.example' }], { paths: ['/', ...AWKWARD_PATHS].join(', '), timeoutMs: 1500 });
		const item = [...out.task, ...out.none][0].json;
		const pages = Object.fromEntries(((item.research as IDataObject).pages as IDataObject[]).map((p) => [String(p.url).replace(/^.*hostile\.example/, ''), p]));
		expect(pages['/loop'].error).toBe('more than 3 redirects');
		expect(pages['/binary'].error).toBe('not a web page (application/pdf)');
		expect(pages['/huge']).toMatchObject({ cut: true, bytes: 1_500_000, error: null });
		expect(pages['/slow'].error).toBe('no answer within 1500 ms');
		expect(pages['/missing'].error).toBe('HTTP 404');
		expect(pages['http://127.0.0.2:9/private'].error).toMatch(/ECONNREFUSED/); // followed: private addresses are allowed in this test
		expect((item.research as IDataObject).industry).toMatchObject({ value: 'logistics' });
	});

	it('refuses a domain that resolves to this machine or a private network unless the builder allows it, and says how', async () => {
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }), research({ allowPrivate: false })];
		const accounts = [{ domain: 'ledgerline.example' }, { domain: '169.254.169.254' }, { domain: 'localhost' }, {}, { domain: { $ne: 1 } }];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', accounts.map((json) => ({ json: json as IDataObject })));
		const [out, errors] = result.outputs('Research');
		expect(errors ?? []).toEqual([]);
		expect(out.map((i) => (i.json.research as IDataObject).status)).toEqual(['nothing_read', 'no_domain', 'no_domain', 'no_domain', 'no_domain']);
		expect(((out[0].json.research as IDataObject).pages as IDataObject[])[0].error).toBe('127.0.0.1 resolves to 127.0.0.1, on this machine or a private network (turn on "Allow Private Network Addresses" to read it)');
		expect((out[1].json.research as IDataObject).problem).toBe('"169.254.169.254" is an IP address, not a company domain');
		expect(out.every((i) => !(i.json.crmPatch as IDataObject | undefined)?.researchedAt)).toBe(true);
		expect(sites.hits.get('ledgerline.example/')).toBeGreaterThan(0); // read by the first test only
	});

	it('takes pages an HTTP Request node put on the item', async () => {
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }), node('Research', 'accountPlanner', { operation: 'research', pagesFrom: 'item', pagesField: 'pages' })];
		const site = accountSites()['brightforge.example'];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [
			{ json: { domain: 'brightforge.example', pages: Object.entries(site.pages).map(([p, html]) => ({ url: `https://brightforge.example${p}`, body: html })) } },
			{ json: { domain: 'x.example', pages: 'not a list' } },
		]);
		const [out] = result.outputs('Research');
		expect((out[0].json.research as IDataObject).industry).toMatchObject({ value: 'manufacturing' });
		expect((out[1].json.research as IDataObject).status).toBe('nothing_read');
	});
});

describe('Account Planner: onboarding checklist and overdue tasks', () => {
	const configNodes = () => [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' })];

	it('starts the checklist of a won deal, and names a deal without an ID instead of failing', async () => {
		const nodes = [...configNodes(), node('Checklist', 'accountPlanner', { operation: 'onboardingChecklist' })];
		const deals = [
			{ crm: { record: { fields: { externalId: 'OPP-7', accountDomain: 'ledgerline.example', name: 'Ledgerline platform', closedAt: '2026-11-20T10:00:00Z', owner: 'omar.haddad@acme-analytics.example' } } }, tier: 'T1' },
			{ crm: { record: { fields: { accountDomain: 'x.example' } } } },
		];
		const [out] = (await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', deals.map((json) => ({ json: json as IDataObject })))).outputs('Checklist');
		const first = out[0].json.onboarding as IDataObject;
		expect(first.dealId).toBe('OPP-7');
		const tasks = first.tasks as IDataObject[];
		expect(tasks.length).toBeGreaterThanOrEqual(5);
		expect(tasks.every((t) => String(t.externalId).startsWith('onboarding:OPP-7:') && t.owner && t.dueAt && t.accountDomain === 'ledgerline.example')).toBe(true);
		expect(out[1].json.onboarding).toMatchObject({ tasks: [], problem: expect.stringMatching(/Deal ID/) });
	});

	it('sends overdue tasks to Alert Owner once per interval, the rest to Not Now, whatever the task record holds', async () => {
		const nodes = [...configNodes(), node('Overdue', 'accountPlanner', { operation: 'overdueTasks' })];
		const day = 86_400_000;
		const task = (fields: IDataObject) => ({ json: { crm: { record: { fields: { type: 'task', summary: 'Kickoff call', accountDomain: 'acme.example', ...fields } } } } as IDataObject });
		const items = [
			task({ owner: 'maya@x.example', dueAt: new Date(Date.now() - 3 * day).toISOString(), taskStatus: 'open' }),
			task({ owner: 'maya@x.example', dueAt: new Date(Date.now() - 3 * day).toISOString(), taskStatus: 'open', alertedAt: new Date(Date.now() - 3_600_000).toISOString() }),
			task({ owner: 'maya@x.example', dueAt: new Date(Date.now() - 3 * day).toISOString(), taskStatus: 'done' }),
			task({ dueAt: new Date(Date.now() - day).toISOString() }),
			task({ dueAt: new Date(Date.now() + day).toISOString() }),
			...sample(fc.record({ dueAt: hostileValue, taskStatus: hostileValue, alertedAt: hostileValue, owner: hostileValue, summary: hostileValue }), 300).map((f) => task(f as IDataObject)),
		];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', items);
		const [alert, notNow] = result.outputs('Overdue');
		expect(alert.length + notNow.length).toBe(items.length);
		const first = alert.find((i) => (i.pairedItem as { item: number }).item === 0)!.json.overdue as IDataObject;
		expect(first).toMatchObject({ overdue: true, alert: true, daysOverdue: 3, to: 'maya@x.example', message: { subject: 'Overdue 3 days: Kickoff call' }, taskPatch: { alertedAt: expect.any(String) } });
		expect(alert.find((i) => (i.pairedItem as { item: number }).item === 3)!.json.overdue).toMatchObject({ to: 'sales-queue@acme-analytics.example' }); // no owner: the queue owner hears
		for (const i of [1, 2, 4]) expect(notNow.some((o) => (o.pairedItem as { item: number }).item === i)).toBe(true);
		for (const o of alert) expect(String((o.json.overdue as IDataObject).to)).toMatch(/@/);
	});
});

describe('Account Planner: hostile items', () => {
	it('never stops a run on one item\'s data: 2,000 hostile items through each operation, items in == items out', async () => {
		const accounts = sample(
			fc.record({ domain: hostileValue, tier: hostileValue, lifecycle: hostileValue, owner: hostileValue, isCompetitor: hostileValue, icp: fc.oneof(hostileValue, fc.record({ tier: hostileValue, fitScore: hostileValue, knockouts: hostileValue })), research: fc.oneof(hostileValue, fc.record({ news: hostileValue })), pages: fc.oneof(hostileValue, fc.array(fc.record({ url: hostileValue, html: fc.oneof(hostileValue, fc.string({ maxLength: 500 })) }), { maxLength: 3 })), externalId: hostileValue, accountDomain: hostileValue, closedAt: hostileValue }),
			2_000,
		);
		for (const parameters of [{ operation: 'research', pagesFrom: 'item' }, { operation: 'nextAction' }, { operation: 'onboardingChecklist', dealId: '={{ $json.externalId }}', wonAt: '={{ $json.closedAt }}' }]) {
			const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }), node('Planner', 'accountPlanner', parameters)];
			const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', accounts.map((json) => ({ json: json as IDataObject })));
			expect([parameters.operation, result.run.status]).not.toEqual([parameters.operation, 'error']);
			const out = result.outputs('Planner').flat();
			expect([parameters.operation, out.length]).toEqual([parameters.operation, accounts.length]);
			expect(new Set(out.map((o) => (o.pairedItem as { item: number }).item)).size).toBe(accounts.length);
		}
	});
});

