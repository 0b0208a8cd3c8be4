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
				'Sales KPIs from your opportunities, explained: win rate, sales cycle, ACV, velocity, pipeline coverage, weighted and committed forecast, stage conversion and time in stage, per group and beside the previous period',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new RevOpsMetricsV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
