// Property test for the RevOps Metrics node: 10,000 hostile records (any type in any field, stage
// histories and revenue snapshots of any shape, CRM objects that lie about what they are) through
// Compute KPIs, Find Deal Warnings, Analyze Win/Loss and Build Report, each with On Error at its
// default (stop). No run may stop because of the data, Find Deal Warnings answers every item, every
// figure is a finite number or null, and the report's charts are real PNGs.
import fc from 'fast-check';
import type { IConnections, IDataObject } from 'n8n-workflow';
import { hostileValue, ITEMS, sample } from './hostile-arbitraries';
import { node, runWorkflow } from './workflow-runner';

jest.setTimeout(600_000);

const when = fc.oneof(fc.date({ min: new Date('2026-08-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString()), hostileValue);
const record = fc.record({
	externalId: fc.oneof(fc.integer({ min: 0, max: 5000 }).map((n) => `opp-${n}`), hostileValue),
	outcome: fc.oneof(fc.constantFrom('open', 'won', 'lost', 'Closed Won'), hostileValue),
	amount: fc.oneof(fc.integer({ min: 0, max: 500_000 }), hostileValue),
	currency: fc.oneof(fc.constantFrom('USD', 'eur'), hostileValue),
	openedAt: when,
	closedAt: when,
	closeDate: when,
	crmStage: fc.oneof(fc.constantFrom('Discovery', 'Demo Scheduled', 'Proposal Sent', 'Negotiation'), hostileValue),
	stage: hostileValue,
	forecastCategory: fc.oneof(fc.constantFrom('commit', 'best_case'), hostileValue),
	owner: fc.oneof(fc.constantFrom('ana', 'ben'), hostileValue),
	stageHistory: fc.oneof(fc.array(fc.record({ to: fc.oneof(fc.constantFrom('Discovery', 'Negotiation'), hostileValue), at: when }), { maxLength: 5 }), hostileValue),
	closeDateHistory: fc.oneof(fc.array(fc.record({ to: when, at: when }), { maxLength: 3 }), hostileValue),
	arrHistory: fc.oneof(fc.array(fc.record({ arr: fc.oneof(fc.integer({ min: 0, max: 1e6 }), hostileValue), at: when }), { maxLength: 3 }), hostileValue),
	contactCount: hostileValue,
	lastActivityAt: when,
	winLossReason: hostileValue,
	competitor: hostileValue,
	firstTouchAt: when,
	firstRespondedAt: when,
	firstResponseDueAt: when,
	type: fc.oneof(fc.constantFrom('call', 'email'), hostileValue),
	occurredAt: when,
});
const item = fc.record({ crm: fc.record({ object: fc.oneof(fc.constantFrom('opportunity', 'lead', 'activity', 'account'), hostileValue), found: fc.constant(true), record: fc.record({ id: fc.uuid(), fields: record }) }), account: fc.oneof(fc.record({ industry: hostileValue, employeeCount: hostileValue }), hostileValue) });

const line = (nodes: string[]): IConnections => Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n, { main: [[{ node: nodes[i + 1], type: 'main' as const, index: 0 }]] }]));
const finiteOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

describe('hostile records through RevOps Metrics', () => {
	it(`${ITEMS.toLocaleString('en-US')} hostile records: KPIs, warnings, win/loss and the report never stop the run`, async () => {
		const items = sample(item, ITEMS).map((json) => ({ json: json as unknown as IDataObject }));
		const period = { period: 'custom', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
		const run = async (nodes: ReturnType<typeof node>[]) => await runWorkflow([node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }), ...nodes], line(['Input', 'Company Config', ...nodes.map((n) => n.name)]), 'Input', items);
		const kpi = await run([node('KPIs', 'revOpsMetrics', { operation: 'kpis', ...period, groupBy: 'owner', options: { asOf: '2026-11-02T00:00:00Z', probabilities: 'learnt' } }), node('Report', 'revOpsMetrics', { operation: 'report' })]);
		expect(kpi.run.data.resultData.error?.message ?? 'none').toBe('none');
		expect(kpi.run.status).toBe('success');
		const groups = kpi.outputs('KPIs')[0];
		const bad: unknown[] = [];
		for (const g of groups) {
			const m = g.json.metrics as any;
			for (const period of ['current', 'previous'])
				for (const f of Object.values(m[period].figures) as any[]) if (!finiteOrNull(f.value)) bad.push({ group: m.group, period, id: f.id, value: f.value });
		}
		expect(bad).toEqual([]);
		const report = kpi.outputs('Report')[0][0];
		for (const c of (report.json.report as any).charts) expect(report.binary![c.property].mimeType).toBe('image/png');
		const warnings = await run([node('Warnings', 'revOpsMetrics', { operation: 'warnings', options: { asOf: '2026-11-02T00:00:00Z' } })]);
		expect(warnings.run.status).toBe('success');
		expect(warnings.outputs('Warnings')[0]).toHaveLength(items.length);
		const winLoss = await run([node('Win/Loss', 'revOpsMetrics', { operation: 'winLoss', ...period, accountFrom: 'item' })]);
		expect(winLoss.run.status).toBe('success');
		expect(winLoss.outputs('Win/Loss')[0]).toHaveLength(1);
	});
});
