import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { addAudit } from '../../shared/n8n/audit';

/** One output item of an aggregate operation: its result under `key`, the audit entry, the items behind it. */
export function metricsItem(ctx: IExecuteFunctions, loaded: LoadedCompanyConfig | null, started: number, result: object, members: readonly number[], key = 'metrics'): INodeExecutionData {
	const node = ctx.getNode();
	const audit = { node: 'revOpsMetrics', nodeVersion: node.typeVersion, decidedBy: 'rule' as const, rulesetVersion: loaded?.version ?? null, latencyMs: Date.now() - started, at: new Date().toISOString() };
	return { json: addAudit({ [key]: result as IDataObject }, audit), pairedItem: (members.length ? members : [0]).map((item) => ({ item })) };
}
