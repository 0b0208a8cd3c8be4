import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { HealthScoreV1 } from './v1/HealthScoreV1.node';

export class HealthScore extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Health Score',
			name: 'healthScore',
			icon: { light: 'file:healthScore.svg', dark: 'file:healthScore.dark.svg' },
			group: ['transform'],
			description: 'Explainable customer health from weighted measures, with bands, trend, churn-risk and expansion flags and overrides',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = { 1: new HealthScoreV1(baseDescription) };
		super(nodeVersions, baseDescription);
	}
}
