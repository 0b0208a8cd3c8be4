import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { CANON_STAGES } from '../../shared/domain/crm/model';
import { metricsConfig, type MetricsConfig } from '../../shared/domain/metrics/config';
import type { Period, Periods } from '../../shared/domain/metrics/kpis';
import { lastCompletePeriods, type PeriodKind } from '../../shared/domain/metrics/periods';
import { readCompanyConfig } from '../../shared/n8n/crm-store';

/** What every deal-reading operation settles first: the config, the periods, the funnel's stages. */

/** Stage names that end a deal (not funnel steps), in the languages of the example companies' CRMs. */
const CLOSED_STAGE = /\b(closed|lost|won|gewonnen|verloren|abgeschlossen|gagn[ée]e?|perdue?|ganad[ao]|perdid[ao]|cerrad[ao])\b/i;

export interface Settings {
	loaded: LoadedCompanyConfig;
	metrics: MetricsConfig;
	asOf: Date;
	kind: PeriodKind | 'custom';
	periods: Periods;
	options: IDataObject;
	dealFrom: string;
	funnel: 'crm' | 'canon';
	stageOrder: string[];
	funnelField: 'stage' | 'crmStage';
	historyFromCrm: boolean;
}

export function readSettings(ctx: IExecuteFunctions, periodic: boolean): Settings {
	const node = ctx.getNode();
	const loaded = readCompanyConfig(ctx, 0);
	const config = loaded.config;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const asOf = typeof options.asOf === 'string' && options.asOf ? new Date(options.asOf) : new Date();
	if (Number.isNaN(asOf.getTime())) throw new NodeOperationError(node, `As Of "${String(options.asOf).slice(0, 40)}" is not a time`, { itemIndex: 0, description: 'Write it as ISO 8601, e.g. 2026-12-01T00:00:00Z, or leave it empty for now' });
	const kind = periodic ? (ctx.getNodeParameter('period', 0, 'month') as PeriodKind | 'custom') : 'month';
	let periods: Periods;
	if (kind === 'custom') {
		const from = Date.parse(String(ctx.getNodeParameter('from', 0, '')));
		const to = Date.parse(String(ctx.getNodeParameter('to', 0, '')));
		if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
			throw new NodeOperationError(node, 'The custom period needs From before To', { itemIndex: 0, description: 'Set From and To to dates (To after From), or pick Last Complete Week, Month or Quarter' });
		}
		periods = { current: { from, to }, previous: { from: from - (to - from), to: from }, next: { from: to, to: to + (to - from) } };
	} else periods = lastCompletePeriods(kind, asOf, config.calendar.timezone);
	const funnel = ctx.getNodeParameter('funnel', 0, 'crm') as 'crm' | 'canon';
	// Stages in funnel order: the company's own stages as its stage map lists them (not the closed or
	// lost ones), or the canon stages its map uses (the whole canon without a map).
	const crmStages = Object.keys(config.stageMap).filter((s) => !CLOSED_STAGE.test(s));
	const mapped = new Set(Object.values(config.stageMap));
	const useCrm = funnel === 'crm' && crmStages.length > 0;
	return {
		loaded,
		metrics: metricsConfig(config.metrics),
		asOf,
		kind,
		periods,
		options,
		dealFrom: String(ctx.getNodeParameter('dealFrom', 0, 'crm.record.fields') ?? '').trim(),
		funnel,
		stageOrder: useCrm ? crmStages : CANON_STAGES.filter((s) => mapped.size === 0 || mapped.has(s)),
		funnelField: useCrm ? 'crmStage' : 'stage',
		historyFromCrm: ctx.getNodeParameter('stageHistory', 0, 'item') === 'crm',
	};
}

/** The `n` periods before the current one, newest first (calendar periods step back in the company's zone). */
export function trailingPeriods(s: Settings, n: number): Period[] {
	const out: Period[] = [];
	let before = s.periods.previous;
	for (let k = 0; k < n; k++) {
		out.push(before);
		if (s.kind === 'custom') before = { from: before.from - (before.to - before.from), to: before.from };
		else before = lastCompletePeriods(s.kind, new Date(before.from), s.loaded.config.calendar.timezone).current;
	}
	return out;
}

/** A figure for the period length from the config (quota, spend), for custom periods none. */
export const perPeriod = (s: Settings, values: Partial<Record<'week' | 'month' | 'quarter', number>> | undefined) => (s.kind === 'custom' ? null : (values?.[s.kind] ?? null));
