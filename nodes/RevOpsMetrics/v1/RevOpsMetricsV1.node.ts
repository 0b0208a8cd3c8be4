import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { CANON_STAGES } from '../../shared/domain/crm/model';
import { readDeal, type Deal } from '../../shared/domain/metrics/deals';
import { groupedMetrics, type Periods } from '../../shared/domain/metrics/kpis';
import { lastCompletePeriods, type PeriodKind } from '../../shared/domain/metrics/periods';
import { addAudit } from '../../shared/n8n/audit';
import { openCrmStore, readCompanyConfig } from '../../shared/n8n/crm-store';
import { toNodeError } from '../../shared/n8n/item-router';
import { revOpsMetricsProperties } from './description';
import { addHistory, readRecords } from './records';

/** Stage names that end a deal (not funnel steps), in the languages of the example companies' CRMs. */
const CLOSED_STAGE = /\b(closed|lost|won|gewonnen|verloren|abgeschlossen|gagn[ée]e?|perdue?|ganad[ao]|perdid[ao]|cerrad[ao])\b/i;

/**
 * An aggregate node: all input items (opportunities) in, one item per group out (the company as a
 * whole first), each paired with the items behind it. Nothing is dropped silently: an item without a
 * deal is counted on the output with the reason.
 */
export class RevOpsMetricsV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ({week: "Last week", month: "Last month", quarter: "Last quarter", custom: "Custom period"})[$parameter["period"]] + ($parameter["groupBy"] ? " by " + $parameter["groupBy"] : "") }}',
			defaults: { name: 'RevOps Metrics' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			usableAsTool: true,
			credentials: [
				{ name: 'revOpsPostgresApi', required: false },
				{ name: 'revOpsN8nApi', required: false },
			],
			properties: revOpsMetricsProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const started = Date.now();
		const node = this.getNode();
		const items = this.getInputData();
		try {
			const loaded = readCompanyConfig(this, 0);
			const config = loaded.config;
			const kind = this.getNodeParameter('period', 0, 'month') as PeriodKind | 'custom';
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			const asOf = typeof options.asOf === 'string' && options.asOf ? new Date(options.asOf) : new Date();
			if (Number.isNaN(asOf.getTime())) throw new NodeOperationError(node, `As Of "${String(options.asOf).slice(0, 40)}" is not a time`, { itemIndex: 0, description: 'Write it as ISO 8601, e.g. 2026-12-01T00:00:00Z, or leave it empty for now' });
			let periods: Periods;
			if (kind === 'custom') {
				const from = Date.parse(String(this.getNodeParameter('from', 0, '')));
				const to = Date.parse(String(this.getNodeParameter('to', 0, '')));
				if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
					throw new NodeOperationError(node, 'The custom period needs From before To', { itemIndex: 0, description: 'Set From and To to dates (To after From), or pick Last Complete Week, Month or Quarter' });
				}
				periods = { current: { from, to }, previous: { from: from - (to - from), to: from }, next: { from: to, to: to + (to - from) } };
			} else periods = lastCompletePeriods(kind, asOf, config.calendar.timezone);

			const groupBy = String(this.getNodeParameter('groupBy', 0, '') ?? '').trim();
			const dealFrom = String(this.getNodeParameter('dealFrom', 0, 'crm.record.fields') ?? '').trim();
			const quota = Number(this.getNodeParameter('quota', 0, 0));
			const funnel = this.getNodeParameter('funnel', 0, 'crm') as 'crm' | 'canon';
			const fromCrm = this.getNodeParameter('stageHistory', 0, 'item') === 'crm';
			const store = fromCrm ? (await openCrmStore(this, 0)).store : null;
			const { records, withoutRecord: withoutDeal } = readRecords(items, dealFrom);
			// Each deal's stage changes from the CRM's own history (the record id of a RevOps CRM search).
			const historyMissing = store ? await addHistory(store, items, records, 'opportunity', { [funnel === 'crm' ? 'crmStage' : 'stage']: 'stageHistory' }) : 0;
			const deals: Deal[] = [];
			const itemOf: number[] = [];
			for (const r of records) {
				deals.push(readDeal(r.fields, r.index, groupBy));
				itemOf.push(r.index);
			}
			// Stages in funnel order: the company's own stages as its stage map lists them (not the closed or
			// lost ones), or the canon stages its map uses (the whole canon without a map).
			const crmStages = Object.keys(config.stageMap).filter((s) => !CLOSED_STAGE.test(s));
			const mapped = new Set(Object.values(config.stageMap));
			const useCrm = funnel === 'crm' && crmStages.length > 0;
			const stageOrder = useCrm ? crmStages : CANON_STAGES.filter((s) => mapped.size === 0 || mapped.has(s));
			const groups = groupedMetrics(
				deals,
				periods,
				{ currency: config.company.currency, quota: quota > 0 ? quota : null, stageProbabilities: (config.stageProbabilities ?? {}) as Record<string, number>, stageOrder, funnelField: useCrm ? 'crmStage' : 'stage' },
				groupBy !== '',
			);
			const audit = { node: 'revOpsMetrics', nodeVersion: node.typeVersion, decidedBy: 'rule' as const, rulesetVersion: loaded.version, latencyMs: Date.now() - started, at: new Date().toISOString() };
			const out: INodeExecutionData[] = groups.map((g) => {
				const members = g.group === 'all' ? itemOf : itemOf.filter((_, k) => (deals[k].group ?? '(none)') === g.group);
				return {
					json: addAudit(
						{
							metrics: {
								company: config.company.id,
								currency: config.company.currency,
								groupBy: groupBy || null,
								...g,
								inputs: {
									items: items.length,
									deals: deals.length,
									withoutDeal: withoutDeal.length,
									withoutDealReason: withoutDeal.length ? `no opportunity at "${dealFrom}" on ${withoutDeal.length} item(s)` : null,
									stageHistory: fromCrm ? 'crm' : 'item',
									...(historyMissing ? { historyMissing, historyMissingReason: 'no crm.record.id on the item: put a RevOps CRM search before this node' } : {}),
								},
							} as unknown as IDataObject,
						},
						audit,
					),
					pairedItem: (members.length ? members : [0]).map((item) => ({ item })),
				};
			});
			return [out];
		} catch (error) {
			const nodeError = toNodeError(this, error, 0);
			if (!this.continueOnFail()) throw nodeError;
			return [[{ json: { error: nodeError.message }, error: nodeError, pairedItem: items.map((_, item) => ({ item })) }]];
		}
	}
}
