import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import { normalizeKey } from '../../shared/domain/crm/model';
import { textOnly } from '../../shared/domain/metrics/deals';
import { dealAt, readDealTable } from '../../shared/domain/metrics/table';
import { winLoss, type ClosedDeal } from '../../shared/domain/metrics/winloss';
import { openCrmStore } from '../../shared/n8n/crm-store';
import { metricsItem } from './output';
import { readRecords } from './records';
import { readSettings } from './settings';

/**
 * Analyze Win/Loss: the period's closed deals in, one item out with the breakdowns, the lift of each
 * ICP criterion of the company's playbook, and a suggested playbook version (for the Approval Gate:
 * no scoring uses it until a person approves it and it is put in the config).
 */
export async function analyzeWinLoss(ctx: IExecuteFunctions, items: INodeExecutionData[], started: number): Promise<INodeExecutionData[]> {
	const s = readSettings(ctx, true);
	const config = s.loaded.config;
	const { records, withoutRecord } = readRecords(items, s.dealFrom);
	const accountFrom = ctx.getNodeParameter('accountFrom', 0, 'crm') as 'crm' | 'item';
	const accounts = new Map<string, Record<string, unknown>>();
	const keyOf = (fields: Record<string, unknown>) => normalizeKey('account', fields.accountDomain);
	if (accountFrom === 'crm') {
		const keys = [...new Set(records.map((r) => keyOf(r.fields)).filter((k): k is string => k !== null))];
		if (keys.length) {
			const { store } = await openCrmStore(ctx, 0);
			for (let start = 0; start < keys.length; start += 500) {
				for (const found of await store.findByKeys('account', keys.slice(start, start + 500))) {
					accounts.set(found.key, found.fields);
					for (const alias of found.aliases) accounts.set(alias, found.fields);
				}
			}
		}
	}
	const table = readDealTable(records.map((r) => r.fields), '', (k) => records[k].index);
	const closed: ClosedDeal[] = records.map((r, k) => {
		const itemAccount = getPath(items[r.index].json, 'account');
		const key = keyOf(r.fields);
		const account = accountFrom === 'item' ? (itemAccount && typeof itemAccount === 'object' && !Array.isArray(itemAccount) ? (itemAccount as Record<string, unknown>) : null) : key ? (accounts.get(key) ?? null) : null;
		return {
			deal: dealAt(table, k),
			dimensions: { reason: textOnly(r.fields.winLossReason), competitor: textOnly(r.fields.competitor), segment: textOnly(r.fields.tier) ?? textOnly(account?.tier), source: textOnly(r.fields.sourceChannel) },
			account,
		};
	});
	const playbook = config.playbooks.icp ?? null;
	const result = winLoss(closed, s.periods.current, playbook, s.metrics.smallSample, s.asOf.getTime());
	const proposal = result.suggestedPlaybook
		? {
				kind: 'icpPlaybook',
				company: config.company.id,
				summary: `Suggested ICP playbook change for ${config.company.name}: ${result.changes.map((c) => `${c.criterion} weight ${c.from} -> ${c.to} (${c.why})`).join('; ')}`,
				changes: result.changes,
				playbook: result.suggestedPlaybook,
				note: 'No scoring uses this version until a person approves it and it is put in the company config (playbooks.icp).',
			}
		: null;
	return [
		metricsItem(
			ctx,
			s.loaded,
			started,
			{ company: config.company.id, ...result, playbookProposal: proposal, accountsFound: closed.filter((c) => c.account).length, inputs: { items: items.length, deals: records.length, withoutDeal: withoutRecord.length } },
			records.map((r) => r.index),
			'winLoss',
		),
	];
}
