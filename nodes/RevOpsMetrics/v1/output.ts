import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { addAudit, nodeAudit, type AuditEntry } from '../../shared/n8n/audit';

/** One output item of an aggregate operation: its result under `key`, the audit entry, the items behind it. */
export function metricsItem(ctx: IExecuteFunctions, loaded: LoadedCompanyConfig | null, started: number, result: object, members: readonly number[], key = 'metrics'): INodeExecutionData {
	return { json: addAudit({ [key]: result as IDataObject }, metricsAudit(ctx, loaded?.version ?? null, started)), pairedItem: (members.length ? members : [0]).map((item) => ({ item })) };
}

/** The audit entry of this node's outputs. */
export const metricsAudit = (ctx: IExecuteFunctions, rulesetVersion: string | null, started: number): AuditEntry => nodeAudit('revOpsMetrics', ctx.getNode().typeVersion, rulesetVersion, started);
