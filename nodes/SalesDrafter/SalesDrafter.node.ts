import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { SalesDrafterV1 } from './v1/SalesDrafterV1.node';

export class SalesDrafter extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Sales Drafter',
			name: 'salesDrafter',
			icon: { light: 'file:salesDrafter.svg', dark: 'file:salesDrafter.dark.svg' },
			group: ['transform'],
			description: 'Grounded sales drafts (replies, sequences, re-engagement, briefs, handoffs, QBRs): every fact checked against the record and approved content, routed by tier',
			defaultVersion: 1,
		};
		super({ 1: new SalesDrafterV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
