import type { IConnections, IDataObject } from 'n8n-workflow';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { usePostgres } from '../crm/pg-server';
import { node, runWorkflow } from './workflow-runner';

// The RevOps Metrics node in n8n's execution engine, for Acme (USD; its stage map and probabilities),
// fed as a RevOps CRM search feeds it: one item per opportunity under crm.record.fields.
jest.setTimeout(60_000);

const line = (nodes: string[]): IConnections => Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n, { main: [[{ node: nodes[i + 1], type: 'main' as const, index: 0 }]] }]));
const asSearch = (fields: IDataObject) => ({ crm: { object: 'opportunity', found: true, record: { id: String(fields.externalId), fields } } });

const opportunities: IDataObject[] = [
	{ externalId: 'o1', owner: 'ana', outcome: 'won', openedAt: '2026-10-02T10:00:00Z', closedAt: '2026-10-22T10:00:00Z', amount: 12_000, currency: 'USD', crmStage: 'Closed Won', stage: 'close_onboard', stageHistory: [{ to: 'Discovery', at: '2026-10-02T10:00:00Z' }, { to: 'Demo Scheduled', at: '2026-10-06T10:00:00Z' }, { to: 'Proposal Sent', at: '2026-10-10T10:00:00Z' }, { to: 'Negotiation', at: '2026-10-15T10:00:00Z' }] },
	{ externalId: 'o2', owner: 'ana', outcome: 'lost', openedAt: '2026-10-05T10:00:00Z', closedAt: '2026-10-25T10:00:00Z', amount: 8_000, currency: 'USD', crmStage: 'Closed Lost', stage: 'close_onboard', stageHistory: [{ to: 'Discovery', at: '2026-10-05T10:00:00Z' }, { to: 'Demo Scheduled', at: '2026-10-09T10:00:00Z' }] },
	{ externalId: 'o3', owner: 'ben', outcome: 'open', openedAt: '2026-10-12T10:00:00Z', closeDate: '2026-11-20', amount: 40_000, currency: 'USD', crmStage: 'Proposal Sent', stage: 'pipeline_progression', forecastCategory: 'commit', stageHistory: [{ to: 'Discovery', at: '2026-10-12T10:00:00Z' }, { to: 'Proposal Sent', at: '2026-10-20T10:00:00Z' }] },
	{ externalId: 'o4', owner: 'ben', outcome: 'open', closeDate: '2026-11-28', amount: 10_000, currency: 'EUR', crmStage: 'Negotiation', stage: 'close_onboard' },
];

async function metrics(items: IDataObject[], parameters: IDataObject, onError?: 'continueRegularOutput') {
	const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }), node('Metrics', 'revOpsMetrics', { period: 'custom', from: '2026-10-01T04:00:00Z', to: '2026-11-01T04:00:00Z', ...parameters }, onError ? { onError } : {})];
	const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', items.map((json) => ({ json })));
	return { out: result.outputs('Metrics')[0] ?? [], run: result.run };
}

describe('RevOps Metrics node in the n8n engine', () => {
	it('computes the KPIs per group from a CRM search, each group paired with its deals', async () => {
		const { out } = await metrics([...opportunities.map(asSearch), { crm: { object: 'opportunity', found: false, record: null } }], { groupBy: 'owner', quota: 20_000 });
		expect(out.map((i) => (i.json.metrics as IDataObject).group)).toEqual(['all', 'ana', 'ben']);
		const all = out[0].json.metrics as any;
		expect(all.current.figures.winRate).toMatchObject({ value: 0.5, count: 2 });
		expect(all.current.figures.acv.value).toBe(12_000);
		// Open at the end of October: o3 (USD, commit) in November; o4 is in EUR, left out with the reason.
		expect(all.current.figures.pipeline).toMatchObject({ value: 40_000, count: 1, excluded: { byReason: { 'amount in EUR, not USD': 1 } } });
		expect(all.current.figures.coverage.value).toBe(2);
		expect(all.current.figures.weightedPipeline.value).toBe(40_000 * 0.3);
		// The company's own stages, in its stage map's order: three deals opened in October reached Discovery
		// and Demo Scheduled (o3 went past it straight to a proposal), two a proposal, one negotiation.
		expect(all.current.stages.map((s: any) => [s.stage, s.reached])).toEqual([['Discovery', 3], ['Demo Scheduled', 3], ['Proposal Sent', 2], ['Negotiation', 1], ['Onboarding', 0], ['Renewal', 0]]);
		expect(all.inputs).toEqual({ items: 5, deals: 4, leads: 0, activities: 0, accounts: 0, withoutDeal: 1, withoutDealReason: 'no record at "crm.record.fields" on 1 item(s)', recordsFrom: 'items', stageHistory: 'item' });
		expect(out[0].pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[2].pairedItem).toEqual([{ item: 2 }, { item: 3 }]);
		expect((out[0].json._meta as IDataObject).node).toBe('revOpsMetrics');
	});

	it('reads hostile items without stopping, and says what is wrong with the settings', async () => {
		const hostile = [{ crm: { record: { fields: 'text' } } }, { amount: 'NaN', outcome: ['won'] }, { closedAt: '2026-10-10', outcome: 'won', amount: 1e308 * 10 }, {}];
		const { out, run } = await metrics(hostile, { dealFrom: '' });
		expect(run.status).toBe('success');
		expect((out[0].json.metrics as any).inputs.deals).toBe(4);
		const bad = await metrics(opportunities.map(asSearch), { from: '2026-11-01', to: '2026-10-01' }, 'continueRegularOutput');
		expect(bad.out[0].json.error).toBe('The custom period needs From before To');
	});
});

describe('RevOps Metrics node with the stage history from the CRM (Nordwind on PostgreSQL)', () => {
	const server = usePostgres('revops-metrics-node-', async () => {
		await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' }).close();
	});
	const creds = { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } };
	const credentials = () => ({ revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false } });
	const company = () => node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' });

	it('reads each deal\'s stage changes from the CRM\'s own history and leaves the closing stages out of the funnel', async () => {
		const openedAt = new Date().toISOString();
		// The deal moves through three of the company's stages, one write each: the CRM records each change.
		for (const crmStage of ['Qualifizierung', 'Bedarfsanalyse', 'Angebot']) {
			const nodes = [node('Input', 'test.passThrough', {}), company(), node('Save Deal', 'revOpsCrm', { operation: 'upsert', object: 'opportunity', fieldsFrom: 'json', fieldsJson: '={{ $json.opp }}' }, creds)];
			const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { opp: { externalId: 'nw-1', name: 'Lüftung Halle 3', crmStage, openedAt, amount: 120_000, currency: 'EUR', outcome: 'open' } } }], credentials());
			expect((result.outputs('Save Deal')[0][0].json.crm as IDataObject).action).toMatch(/created|updated/);
			await new Promise((r) => setTimeout(r, 5));
		}
		const day = 86_400_000;
		const nodes = [
			node('Input', 'test.passThrough', {}),
			company(),
			node('Find Deals', 'revOpsCrm', { operation: 'search', object: 'opportunity', limit: 100 }, creds),
			node('Metrics', 'revOpsMetrics', { period: 'custom', from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString(), stageHistory: 'crm' }, creds),
		];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: {} }], credentials());
		const all = result.outputs('Metrics')[0][0].json.metrics as any;
		expect(all.inputs).toMatchObject({ deals: 1, stageHistory: 'crm' });
		expect(all.current.stages.map((s: any) => [s.stage, s.reached])).toEqual([
			['Qualifizierung', 1],
			['Bedarfsanalyse', 1],
			['Angebot', 1],
			['Verhandlung', 0],
			['Projektstart', 0],
			['Rahmenvertrag', 0],
		]);
		// The first two stays ended with the next change; the deal is still in Angebot.
		expect(all.current.stages.map((s: any) => s.stays)).toEqual([1, 1, 0, 0, 0, 0]);
	});
});
