import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { usePostgres } from '../crm/pg-server';
import { SlackStandIn } from '../slack/slack-server';
import { node, runWorkflow } from './workflow-runner';

// The RevOps Metrics node's operations beside Compute KPIs, in n8n's execution engine, for Acme (USD;
// its funnel Discovery > Demo Scheduled > Proposal Sent > Negotiation > Onboarding > Renewal).
jest.setTimeout(90_000);

const line = (nodes: string[]): IConnections => Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n, { main: [[{ node: nodes[i + 1], type: 'main' as const, index: 0 }]] }]));
const asSearch = (object: string, fields: IDataObject, id = String(fields.externalId ?? fields.dedupeKey ?? fields.domain)) => ({ crm: { object, found: true, record: { id, fields } } });
const company = (id = 'acme_saas') => node('Company Config', 'companyConfig', { source: 'company', companyId: id });
const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const ASOF = Date.parse('2026-11-02T12:00:00Z');

async function run(items: IDataObject[], metricsNodes: Array<{ name: string; parameters: IDataObject; extra?: IDataObject }>, credentials: Record<string, IDataObject> = {}, companyId = 'acme_saas') {
	const nodes = [node('Input', 'test.passThrough', {}), company(companyId), ...metricsNodes.map((m) => node(m.name, 'revOpsMetrics', m.parameters as never, (m.extra ?? {}) as never))];
	return await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', items.map((json) => ({ json })), credentials);
}

describe('Find Deal Warnings', () => {
	// Past deals teach how long Discovery usually lasts: 5 stays of 2, 3, 4, 5 and 6 days (p75 5).
	const history = [2, 3, 4, 5, 6].map((d, k) => ({ externalId: `h${k}`, outcome: 'lost', closedAt: iso(Date.parse('2026-06-01T00:00:00Z') + (d + 1) * day), stageHistory: [{ to: 'Discovery', at: '2026-06-01T00:00:00Z' }, { to: 'Demo Scheduled', at: iso(Date.parse('2026-06-01T00:00:00Z') + d * day) }] }));
	const risky = { externalId: 'risky', outcome: 'open', owner: 'ana@acme.test', crmStage: 'Proposal Sent', lastActivityAt: iso(ASOF - 20 * day), contactCount: 1, closeDate: '2026-12-20', closeDateHistory: [{ at: '2026-09-01T00:00:00Z', to: '2026-10-15' }, { at: '2026-10-10T00:00:00Z', to: '2026-11-15' }, { at: '2026-11-01T00:00:00Z', to: '2026-12-20' }], stageHistory: [{ to: 'Discovery', at: '2026-09-01T00:00:00Z' }, { to: 'Proposal Sent', at: '2026-10-01T00:00:00Z' }] };
	const stuck = { externalId: 'stuck', outcome: 'open', crmStage: 'Discovery', lastActivityAt: iso(ASOF - day), contactCount: 4, stageHistory: [{ to: 'Discovery', at: iso(ASOF - 9 * day) }] };
	const healthy = { externalId: 'fine', outcome: 'open', owner: 'ben@acme.test', crmStage: 'Discovery', lastActivityAt: iso(ASOF - day), contactCount: 3, stageHistory: [{ to: 'Discovery', at: iso(ASOF - 2 * day) }] };

	it('answers every item with its warnings, reasons and recipient; items in == items out', async () => {
		const items = [...history, risky, stuck, healthy].map((f) => asSearch('opportunity', f)).concat([{ crm: { object: 'opportunity', found: false, record: null } } as never]);
		const result = await run(items, [{ name: 'Warnings', parameters: { operation: 'warnings', options: { asOf: iso(ASOF) } } }]);
		const out = result.outputs('Warnings')[0];
		expect(out).toHaveLength(items.length);
		const by = (id: string) => out.find((o) => (o.json.dealWarnings as IDataObject).deal === id)!.json.dealWarnings as any;
		expect(by('risky').warnings.map((w: any) => w.code)).toEqual(['stalled', 'closeDatePushed', 'singleThreaded', 'noEconomicBuyer']);
		expect(by('risky').routeTo).toBe('ana@acme.test');
		// No owner: the config's manager gets it.
		expect(by('stuck').warnings.map((w: any) => w.code)).toEqual(['stuckInStage']);
		expect(by('stuck').warnings[0].reason).toMatch(/Discovery for 9 days, longer than 75% of past deals stayed there \(6 days\)/); // 2, 3, 4, 5, 6 and its own 30-day stay before: p75 6
		expect(by('stuck').routeTo).toBe('sales-lead@acme-analytics.example');
		expect(by('fine')).toMatchObject({ count: 0, routeTo: null });
		expect((out.at(-1)!.json.dealWarnings as IDataObject).note).toMatch(/no opportunity/);
		expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});
});

describe('Analyze Win/Loss', () => {
	it('breaks closed deals down and finds which ICP criteria go with winning, from the accounts on the items', async () => {
		// 70 deals closed in October: fintech and software accounts win 3 in 4, the others 1 in 4.
		const items = Array.from({ length: 70 }, (_, i) => {
			const fit = i % 2 === 0;
			const won = fit ? i % 8 !== 6 : i % 8 === 1;
			return { ...asSearch('opportunity', { externalId: `w${i}`, outcome: won ? 'won' : 'lost', closedAt: iso(Date.parse('2026-10-03T00:00:00Z') + (i % 25) * day), winLossReason: won ? 'fast time to value' : 'price', competitor: i % 3 ? 'Rival' : null, sourceChannel: 'inbound' }), account: { industry: fit ? 'software' : 'retail', employeeCount: 300 } };
		});
		const result = await run(items, [{ name: 'Win/Loss', parameters: { operation: 'winLoss', period: 'custom', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', accountFrom: 'item' } }]);
		const w = result.outputs('Win/Loss')[0][0].json.winLoss as any;
		expect(w.won + w.lost).toBe(70);
		expect(w.byDimension.reason.map((b: any) => b.value).sort()).toEqual(['fast time to value', 'price']);
		const industry = w.icpLift.find((l: any) => l.criterion === 'industry');
		expect(industry.confidence).toBe('enough data');
		expect(industry.lift).toBeGreaterThan(1.3);
		expect(w.playbookProposal.changes.find((c: any) => c.criterion === 'industry').to).toBeGreaterThan(w.playbookProposal.changes.find((c: any) => c.criterion === 'industry').from);
		expect(w.playbookProposal.summary).toMatch(/industry weight/);
		expect(w.playbookProposal.note).toMatch(/until a person approves/);
	});
});

describe('Compute KPIs with leads, activities, accounts and stored forecasts; the report; Slack', () => {
	const server = usePostgres('revops-metrics-ops-', async () => {
		await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' }).close();
	});
	const slack = new SlackStandIn('xoxb-node-test', ['C0NORDWINDKPI']);
	beforeAll(async () => void (await slack.start()));
	afterAll(async () => await slack.stop());
	const creds = { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } };
	const credentials = () => ({
		revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false },
		revOpsSlackApi: { accessToken: 'xoxb-node-test', apiUrl: slack.apiUrl },
	});
	// Nordwind (EUR, on PostgreSQL: the forecasts are kept in its CRM schema).
	const kpis = (asOf: string) => ({ name: 'KPIs', parameters: { operation: 'kpis', period: 'month', options: { asOf, keepForecasts: true } }, extra: creds });
	const nordwind = 'nordwind_services';
	const records = [
		asSearch('opportunity', { externalId: 'o1', outcome: 'won', openedAt: '2026-09-10T00:00:00Z', closedAt: '2026-10-12T00:00:00Z', amount: 30_000, crmStage: 'Gewonnen' }),
		asSearch('opportunity', { externalId: 'o2', outcome: 'open', openedAt: '2026-10-05T00:00:00Z', closeDate: '2026-11-20', amount: 100_000, crmStage: 'Verhandlung', stage: 'close_onboard', forecastCategory: 'commit', stageHistory: [{ to: 'Qualifizierung', at: '2026-10-05T00:00:00Z' }, { to: 'Verhandlung', at: '2026-10-20T00:00:00Z' }] }),
		asSearch('lead', { dedupeKey: 'l1', owner: 'ana', firstTouchAt: '2026-10-06T15:00:00Z', firstRespondedAt: '2026-10-06T15:04:00Z', firstResponseDueAt: '2026-10-06T15:05:00Z' }),
		asSearch('lead', { dedupeKey: 'l2', firstTouchAt: '2026-10-07T15:00:00Z', firstResponseDueAt: '2026-10-07T15:15:00Z' }),
		asSearch('activity', { externalId: 'a1', type: 'call', occurredAt: '2026-10-08T15:00:00Z' }),
		asSearch('activity', { externalId: 'a2', type: 'meeting', occurredAt: '2026-10-09T15:00:00Z' }),
		asSearch('account', { domain: 'c1.com', arrHistory: [{ at: '2026-01-01T00:00:00Z', arr: 50_000 }, { at: '2026-10-15T00:00:00Z', arr: 60_000 }] }),
	] as IDataObject[];

	it('computes every KPI family, stores the forecast, and scores it a month later', async () => {
		const first = await run(records, [kpis('2026-11-02T12:00:00Z')], credentials(), nordwind);
		if (first.run.data.resultData.error) throw first.run.data.resultData.error;
		const m = first.outputs('KPIs')[0][0].json.metrics as any;
		const f = m.current.figures;
		expect([f.bookings.value, f.activityToOpportunity.value, f.slaHitRate.value, f.noOwnerLeads.value, f.nrr.value, f.grr.value]).toEqual([30_000, 2, 0.5, 1, 1.2, 1]);
		expect(f.cac.note).toMatch(/no spend/); // Nordwind's config gives none
		expect(m.quota).toBe(400_000); // the config's monthly quota
		expect(f.coverage.value).toBe(0.25);
		expect(m.anomalies.map((a: any) => a.code)).toContain('coverageLow');
		expect(m.forecastAccuracy.note).toMatch(/no forecast was stored/);
		expect(m.trend).toHaveLength(5);
		// November: o2 is won for 80,000 (the commit said 100,000).
		const won = records.map((r) => (((r.crm as any).record.fields.externalId === 'o2') ? asSearch('opportunity', { ...(r.crm as any).record.fields, outcome: 'won', closedAt: '2026-11-25T00:00:00Z', amount: 80_000 }) : r)) as IDataObject[];
		const second = await run(won, [kpis('2026-12-02T12:00:00Z')], credentials(), nordwind);
		const acc = (second.outputs('KPIs')[0][0].json.metrics as any).forecastAccuracy;
		expect(acc).toMatchObject({ bookings: 80_000, madeAt: '2026-11-02T12:00:00.000Z', commit: { forecast: 100_000, accuracy: 0.75, bias: 0.25 } });
		// Running November's report again does not replace the forecast made at the start of November.
		await run(records, [kpis('2026-11-20T12:00:00Z')], credentials(), nordwind);
		const third = await run(won, [kpis('2026-12-03T12:00:00Z')], credentials(), nordwind);
		expect((third.outputs('KPIs')[0][0].json.metrics as any).forecastAccuracy.madeAt).toBe('2026-11-02T12:00:00.000Z');
	});

	it('builds the report with its charts and posts it to Slack with the images', async () => {
		const result = await run(records, [kpis('2026-11-02T12:00:00Z'), { name: 'Report', parameters: { operation: 'report', title: 'Weekly sales' } }, { name: 'Slack', parameters: { operation: 'slack', channel: 'C0NORDWINDKPI' }, extra: { credentials: { revOpsSlackApi: { id: '2', name: 'slack' } } } }], credentials(), nordwind);
		const report = result.outputs('Report')[0][0] as INodeExecutionData;
		const r = report.json.report as any;
		expect(r.charts).toHaveLength(4);
		expect(r.html).toContain('src="cid:nordwind_services_pipelineByStage"');
		expect(r.inlineImages.split(',')).toEqual(r.charts.map((c: any) => c.property));
		for (const c of r.charts) expect(report.binary![c.property].mimeType).toBe('image/png');
		expect(report.binary!.report_html.mimeType).toBe('text/html');
		const posted = result.outputs('Slack')[0][0].json.slack as any;
		expect(posted).toMatchObject({ channel: 'C0NORDWINDKPI', files: 4, calls: 9 });
		const message = slack.messages.at(-1)!;
		expect(message.text).toContain('*Weekly sales, 2026-10-01 to 2026-10-31*');
		expect(message.files).toHaveLength(4);
		for (const file of message.files) expect(file.bytes.subarray(1, 4).toString()).toBe('PNG');
	});

	it('reads the whole pipeline from the CRM store itself: the same figures as the same records on items', async () => {
		const store = new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' });
		await store.ensureSchema();
		const rule = { kind: 'rule' as const, name: 'test' };
		const at = (t: string) => () => Date.parse(t);
		// 30 deals: opened in August or September, moved on in October, a third won and a third lost in October.
		const deals = Array.from({ length: 30 }, (_, i) => ({ key: `scan-${i}`, owner: i % 2 ? 'ana' : 'ben', amount: 10_000 + i * 1_000 }));
		const write = async (when: string, fields: (d: (typeof deals)[number], i: number) => Record<string, unknown>) =>
			await upsertMany(store, deals.map((d, i) => ({ object: 'opportunity' as const, key: d.key, fields: { externalId: d.key, owner: d.owner, ...fields(d, i) }, writer: rule })), { now: at(when) });
		await write('2026-08-20T09:00:00Z', (d, i) => ({ openedAt: i % 2 ? '2026-08-20T09:00:00Z' : '2026-09-03T09:00:00Z', amount: d.amount, outcome: 'open', crmStage: 'Qualifizierung', stage: 'pipeline_progression', closeDate: '2026-11-15' }));
		await write('2026-10-05T09:00:00Z', () => ({ crmStage: 'Angebot' }));
		await write('2026-10-20T09:00:00Z', (_d, i) => (i % 3 === 0 ? { outcome: 'won', closedAt: '2026-10-20T09:00:00Z', crmStage: 'Gewonnen' } : i % 3 === 1 ? { outcome: 'lost', closedAt: '2026-10-20T09:00:00Z', crmStage: 'Verloren' } : { crmStage: 'Verhandlung', stage: 'close_onboard', forecastCategory: 'commit' }));
		await upsertMany(store, [{ object: 'lead', key: 'scan-l1', fields: { dedupeKey: 'scan-l1', owner: 'ana', firstTouchAt: '2026-10-06T15:00:00Z', firstRespondedAt: '2026-10-06T15:04:00Z', firstResponseDueAt: '2026-10-06T15:05:00Z' }, writer: rule }]);
		await upsertMany(store, [{ object: 'activity', key: 'scan-a1', fields: { externalId: 'scan-a1', type: 'call', occurredAt: '2026-10-08T15:00:00Z', owner: 'ana' }, writer: rule }]);
		await upsertMany(store, [{ object: 'account', key: 'scan.example', fields: { domain: 'scan.example', arr: 50_000 }, writer: rule }], { now: at('2026-01-01T00:00:00Z') });
		await upsertMany(store, [{ object: 'account', key: 'scan.example', fields: { domain: 'scan.example', arr: 45_000 }, writer: rule }], { now: at('2026-10-15T00:00:00Z') });
		const parameters = { operation: 'kpis', period: 'month', groupBy: 'owner', options: { asOf: '2026-11-02T12:00:00Z' } };
		const fromCrm = await run([{ start: true }, { start: true }], [{ name: 'KPIs', parameters: { ...parameters, recordsFrom: 'crm' }, extra: creds }], credentials(), nordwind);
		if (fromCrm.run.data.resultData.error) throw fromCrm.run.data.resultData.error;
		// The same records as RevOps CRM searches would put them on items, their history read from the CRM.
		const items: IDataObject[] = [];
		for (const object of ['opportunity', 'lead', 'activity', 'account'] as const) {
			const page = await store.scan(object, [], [], null, 1_000);
			for (const r of page.records) items.push(asSearch(object, r.fields as IDataObject, r.id));
		}
		const fromItems = await run(items, [{ name: 'KPIs', parameters: { ...parameters, stageHistory: 'crm' }, extra: creds }], credentials(), nordwind);
		const a = fromCrm.outputs('KPIs')[0];
		const b = fromItems.outputs('KPIs')[0];
		expect(a.map((o) => (o.json.metrics as any).group).sort()).toEqual(['(none)', 'all', 'ana', 'ben']); // the account has no owner
		const figures = (o: INodeExecutionData) => JSON.stringify({ ...(o.json.metrics as any), inputs: null });
		expect(a.map(figures)).toEqual(b.map(figures));
		const all = (a[0].json.metrics as any).current.figures;
		expect([all.bookings.value, all.winRate.value, all.slaHitRate.value, all.grr.value]).toEqual([(10 + 13 + 16 + 19 + 22 + 25 + 28 + 31 + 34 + 37) * 1000, 0.5, 1, 0.9]);
		// The stage history came from the CRM's own history: all 30 deals stayed in Angebot from Oct 5 to Oct 20.
		expect((a[0].json.metrics as any).current.stages.find((st: any) => st.stage === 'Angebot')).toMatchObject({ stays: 30, timeInStageDaysMedian: 15 });
		expect((a[0].json.metrics as any).inputs).toMatchObject({ recordsFrom: 'the postgres CRM store', deals: 30, leads: 1, activities: 1, accounts: 1 });
		// Every group pairs with the items that started the run.
		expect(a.map((o) => o.pairedItem)).toEqual(a.map(() => [{ item: 0 }, { item: 1 }]));
		await store.close();
	});

	it('tells the user what to put before Build Report and Post to Slack', async () => {
		const report = await run([{ nothing: true }], [{ name: 'Report', parameters: { operation: 'report' }, extra: { onError: 'continueRegularOutput' } }]);
		expect(report.outputs('Report')[0][0].json.error).toBe('No KPI items to report on');
		const post = await run([{ nothing: true }, { report: { slackText: 'x', charts: [] } }], [{ name: 'Slack', parameters: { operation: 'slack', channel: 'C0NOWHERE' }, extra: { onError: 'continueRegularOutput', credentials: { revOpsSlackApi: { id: '2', name: 'slack' } } } }], credentials(), nordwind);
		const out = post.outputs('Slack')[0];
		expect(out).toHaveLength(2);
		expect(out[0].json.error).toBe('No report on the item');
		expect(out[1].json.error).toMatch(/channel_not_found/);
	});
});
