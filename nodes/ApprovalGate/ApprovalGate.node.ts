import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { ApprovalGateV1 } from './v1/ApprovalGateV1.node';

export class ApprovalGate extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Approval Gate',
			name: 'approvalGate',
			icon: { light: 'file:approvalGate.svg', dark: 'file:approvalGate.dark.svg' },
			group: ['transform'],
			description: 'Let the playbook decide what AI may do alone: T1 human-led, T2 co-pilot, T3 AI-led, with signed personal approval links',
			defaultVersion: 1,
		};
		super({ 1: new ApprovalGateV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
