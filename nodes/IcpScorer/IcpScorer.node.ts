import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { IcpScorerV1 } from './v1/IcpScorerV1.node';

export class IcpScorer extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'ICP Scorer',
			name: 'icpScorer',
			icon: { light: 'file:icpScorer.svg', dark: 'file:icpScorer.dark.svg' },
			group: ['transform'],
			description: 'Explainable ideal-customer-profile fit and engagement scoring from your playbook, routed by tier',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = { 1: new IcpScorerV1(baseDescription) };
		super(nodeVersions, baseDescription);
	}
}
