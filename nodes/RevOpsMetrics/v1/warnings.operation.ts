import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { dealAt, readDealTable } from '../../shared/domain/metrics/table';
import { dealWarnings, readDealSignals, stageStayP75, warningRecipient, type WarningRules } from '../../shared/domain/metrics/warnings';
import { addAudit } from '../../shared/n8n/audit';
import { openCrmStore } from '../../shared/n8n/crm-store';
import { metricsAudit } from './output';
import { addHistory, readRecords } from './records';
import { readSettings } from './settings';

/**
 * Find Deal Warnings: one item out per item in (items in == items out), each with its deal's warnings
 * and who they go to. A stage's "too long" is learnt from every deal on the input.
 */
export async function findWarnings(ctx: IExecuteFunctions, items: INodeExecutionData[], started: number): Promise<INodeExecutionData[]> {
	const s = readSettings(ctx, false);
	const config = s.loaded.config;
	const store = s.historyFromCrm ? (await openCrmStore(ctx, 0)).store : null;
	const { records } = readRecords(items, s.dealFrom);
	const historyMissing = store ? await addHistory(store, items, records, 'opportunity', { [s.funnelField]: 'stageHistory', closeDate: 'closeDateHistory' }) : 0;
	const table = readDealTable(records.map((r) => r.fields), '', (k) => records[k].index);
	const deals = Array.from({ length: table.n }, (_, k) => dealAt(table, k));
	const rules: WarningRules = {
		stalledDays: s.metrics.stalledDays,
		closeDatePushes: s.metrics.closeDatePushes,
		minStaysForP75: s.metrics.minStaysForP75,
		// Late: the config's list, else the second half of the funnel.
		lateStages: new Set(s.metrics.lateStages ?? s.stageOrder.slice(Math.floor(s.stageOrder.length / 2))),
		manager: s.metrics.manager ?? config.channels.notifyEmail ?? null,
	};
	const p75 = stageStayP75(deals, rules.minStaysForP75);
	const asOf = s.asOf.getTime();
	const byItem = new Map(records.map((r, k) => [r.index, k]));
	const audit = metricsAudit(ctx, s.loaded.version, started);
	return items.map((item, i) => {
		const k = byItem.get(i);
		let result: IDataObject;
		if (k === undefined) result = { deal: null, warnings: [], routeTo: null, note: `no opportunity at "${s.dealFrom}"` };
		else {
			const deal = deals[k];
			const signals = readDealSignals(records[k].fields);
			const warnings = dealWarnings(deal, deal[s.funnelField], signals, p75, rules, asOf);
			result = {
				deal: deal.id,
				stage: deal[s.funnelField],
				owner: signals.owner,
				warnings: warnings as unknown as IDataObject[],
				count: warnings.length,
				routeTo: warnings.length ? warningRecipient(signals, rules) : null,
				routedBecause: warnings.length ? (signals.owner ? 'the deal owner' : rules.manager ? 'no owner on the deal: the manager (metrics.manager or channels.notifyEmail)' : 'no owner and no manager in the config') : null,
				...(historyMissing && store ? { historyNote: 'some items had no crm.record.id: their history was not read' } : {}),
			};
		}
		return { json: addAudit({ ...item.json, dealWarnings: result }, { ...audit }), pairedItem: { item: i } };
	});
}
