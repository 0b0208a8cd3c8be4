import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { RevOpsMetricsV1 } from './v1/RevOpsMetricsV1.node';

export class RevOpsMetrics extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'RevOps Metrics',
			name: 'revOpsMetrics',
			icon: { light: 'file:revOpsMetrics.svg', dark: 'file:revOpsMetrics.dark.svg' },
			group: ['transform'],
			description:
				'Sales KPIs from your CRM, explained (win rate, cycle, ACV, velocity, coverage, forecast and its accuracy, SLA, NRR, funnel), deal warnings, win/loss with ICP lift, and a report with charts for e-mail and Slack',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new RevOpsMetricsV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
