import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { toNodeError } from '../../shared/n8n/item-router';
import { revOpsMetricsProperties } from './description';
import { computeKpis } from './kpis.operation';
import { buildReport } from './report.operation';
import { postReportToSlack } from './slack.operation';
import { findWarnings } from './warnings.operation';
import { analyzeWinLoss } from './winloss.operation';
import { crmCredentials } from '../../shared/n8n/crm-store';

type Operation = 'kpis' | 'warnings' | 'winLoss' | 'report' | 'slack';

const OPERATIONS: Record<Exclude<Operation, 'slack'>, (ctx: IExecuteFunctions, items: INodeExecutionData[], started: number) => Promise<INodeExecutionData[]>> = {
	kpis: computeKpis,
	warnings: findWarnings,
	winLoss: analyzeWinLoss,
	report: buildReport,
};

/**
 * The metrics node: Compute KPIs, Analyze Win/Loss and Build Report are aggregates (all items in, one
 * item per group, company or report out, each paired with the items behind it); Find Deal Warnings
 * and Post Report to Slack answer each item. Nothing is dropped silently: an item without a record is
 * counted on the output with the reason.
 */
export class RevOpsMetricsV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ({kpis: "KPIs", warnings: "Deal warnings", winLoss: "Win/loss", report: "Build report", slack: "Post to Slack"})[$parameter["operation"] || "kpis"] + (($parameter["operation"] || "kpis") === "kpis" && $parameter["groupBy"] ? " by " + $parameter["groupBy"] : "") }}',
			defaults: { name: 'RevOps Metrics' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			usableAsTool: true,
			credentials: [
				...crmCredentials(),
				{ name: 'revOpsSlackApi', required: true, displayOptions: { show: { operation: ['slack'] } } },
			],
			properties: revOpsMetricsProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const started = Date.now();
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0, 'kpis') as Operation;
		// Post to Slack handles each item on its own (one report's failure is that item's).
		if (operation === 'slack') return [await postReportToSlack(this, items, started)];
		try {
			return [await OPERATIONS[operation](this, items, started)];
		} catch (error) {
			const nodeError = toNodeError(this, error, 0);
			if (!this.continueOnFail()) throw nodeError;
			return [[{ json: { error: nodeError.message }, error: nodeError, pairedItem: items.map((_, item) => ({ item })) }]];
		}
	}
}
