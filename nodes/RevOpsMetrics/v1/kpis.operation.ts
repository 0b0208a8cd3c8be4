import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readState, updateState } from '../../shared/domain/crm/state';
import { readActivity, readLead } from '../../shared/domain/metrics/activity';
import { readDealTable } from '../../shared/domain/metrics/table';
import { forecastAccuracy, forecastKey, forecastSnapshot, learnedProbabilities, mergedProbabilities, type ForecastSnapshot } from '../../shared/domain/metrics/forecast';
import { groupedMetrics } from '../../shared/domain/metrics/kpis';
import { readAccount } from '../../shared/domain/metrics/retention';
import { openCrmStore } from '../../shared/n8n/crm-store';
import { metricsItem } from './output';
import { addHistory, readCrm, readRecords, type ItemRecord } from './records';
import { perPeriod, readSettings, trailingPeriods } from './settings';

/**
 * Compute KPIs: every record in (opportunities, and leads, activities and customer accounts when the
 * searches before give them), one item per group out, the company as a whole first.
 */
export async function computeKpis(ctx: IExecuteFunctions, items: INodeExecutionData[], started: number): Promise<INodeExecutionData[]> {
	const s = readSettings(ctx, true);
	const config = s.loaded.config;
	const groupBy = String(ctx.getNodeParameter('groupBy', 0, '') ?? '').trim();
	const quotaParam = Number(ctx.getNodeParameter('quota', 0, 0));
	const quota = quotaParam > 0 ? quotaParam : perPeriod(s, s.metrics.quota);
	const keep = s.options.keepForecasts === true;
	const fromCrm = ctx.getNodeParameter('recordsFrom', 0, 'items') === 'crm';
	const store = s.historyFromCrm || keep || fromCrm ? (await openCrmStore(ctx, 0)).store : null;
	const { records, withoutRecord } = fromCrm ? { records: [], withoutRecord: [] } : readRecords(items, s.dealFrom);
	const byObject: Record<'opportunity' | 'lead' | 'activity' | 'account', ItemRecord[]> = { opportunity: [], lead: [], activity: [], account: [] };
	for (const r of records) byObject[r.object === 'lead' || r.object === 'activity' || r.object === 'account' ? r.object : 'opportunity'].push(r);
	let historyMissing = 0;
	if (store && s.historyFromCrm && !fromCrm) {
		historyMissing += await addHistory(store, items, byObject.opportunity, 'opportunity', { [s.funnelField]: 'stageHistory' });
		historyMissing += await addHistory(store, items, byObject.account, 'account', { arr: 'arrHistory' });
	}
	const { deals, leads, activities, accounts } =
		fromCrm && store
			? await readCrm(store, s.funnelField, groupBy)
			: {
					deals: readDealTable(byObject.opportunity.map((r) => r.fields), groupBy, (k) => byObject.opportunity[k].index),
					leads: byObject.lead.map((r) => readLead(r.fields, r.index, groupBy)),
					activities: byObject.activity.map((r) => readActivity(r.fields, r.index, groupBy)),
					accounts: byObject.account.map((r) => readAccount(r.fields, r.index, groupBy)),
				};
	const configured = (config.stageProbabilities ?? {}) as Record<string, number>;
	const learnt = s.options.probabilities === 'learnt' ? learnedProbabilities(deals, s.periods.current.to, s.stageOrder, s.funnelField, s.metrics.smallSample) : null;
	const groups = groupedMetrics(
		deals,
		s.periods,
		{ currency: config.company.currency, quota, stageProbabilities: learnt ? mergedProbabilities(configured, learnt) : configured, stageOrder: s.stageOrder, funnelField: s.funnelField, spend: perPeriod(s, s.metrics.spend) },
		groupBy !== '',
		{ activity: { leads, activities, given: { leads: leads.length > 0, activities: activities.length > 0 } }, accounts, accountsGiven: accounts.length > 0, asOf: s.asOf.getTime() },
		s.metrics,
		trailingPeriods(s, s.metrics.trailingPeriods),
	);
	// The forecast's memory: score the one stored for this period, store the one for the next (first kept).
	const accuracy = new Map<string, IDataObject>();
	if (keep && store) {
		for (const g of groups) {
			const key = (p: typeof s.periods.current) => forecastKey(config.company.id, g.group, p);
			const stored = await readState<ForecastSnapshot>(store, key(s.periods.current));
			accuracy.set(g.group, forecastAccuracy(s.periods.current, stored.value, g.current.figures.bookings.value) as unknown as IDataObject);
			const snapshot = forecastSnapshot(config.company.id, g.group, s.periods.next, g.current, config.company.currency, s.asOf);
			await updateState<ForecastSnapshot, null>(store, key(s.periods.next), (current) => ({ value: current ?? snapshot, result: null }));
		}
	}
	// Read from the CRM, every figure comes from what the input items asked for: each group pairs with them all.
	const everyItem = items.map((_, i) => i);
	const members = new Map<string, number[]>([['all', fromCrm ? everyItem : records.map((r) => r.index)]]);
	if (groupBy && !fromCrm) {
		byObject.opportunity.forEach((r, k) => {
			const key = deals.dict.value(deals.group[k]) ?? '(none)';
			const current = members.get(key);
			if (current) current.push(r.index);
			else members.set(key, [r.index]);
		});
		for (const [list, read] of [[byObject.lead, leads], [byObject.activity, activities], [byObject.account, accounts]] as const) {
			list.forEach((r, k) => {
				const key = read[k].group ?? '(none)';
				const current = members.get(key);
				if (current) current.push(r.index);
				else members.set(key, [r.index]);
			});
		}
	}
	return groups.map((g) =>
		metricsItem(
			ctx,
			s.loaded,
			started,
			{
				company: config.company.id,
				companyName: config.company.name,
				currency: config.company.currency,
				timezone: config.calendar.timezone,
				groupBy: groupBy || null,
				quota: g.group === 'all' ? quota : null,
				...g,
				...(accuracy.has(g.group) ? { forecastAccuracy: accuracy.get(g.group) } : {}),
				...(learnt && g.group === 'all' ? { learntProbabilities: learnt } : {}),
				inputs: {
					items: items.length,
					deals: deals.n,
					leads: leads.length,
					activities: activities.length,
					accounts: accounts.length,
					withoutDeal: withoutRecord.length,
					withoutDealReason: withoutRecord.length ? `no record at "${s.dealFrom}" on ${withoutRecord.length} item(s)` : null,
					recordsFrom: fromCrm ? `the ${store?.backend} CRM store` : 'items',
					stageHistory: s.historyFromCrm || fromCrm ? 'crm' : 'item',
					...(historyMissing ? { historyMissing, historyMissingReason: 'no crm.record.id on the item: put a RevOps CRM search before this node' } : {}),
				},
			},
			fromCrm ? everyItem : (members.get(g.group) ?? []).sort((a, b) => a - b),
		),
	);
}
