import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { LeadNormalizerV1 } from './v1/LeadNormalizerV1.node';

export class LeadNormalizer extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Lead Normalizer',
			name: 'leadNormalizer',
			icon: { light: 'file:leadNormalizer.svg', dark: 'file:leadNormalizer.dark.svg' },
			group: ['transform'],
			description:
				'Clean and validate inbound leads: e-mail, phone (E.164), country (ISO), company domain, attribution, dedupe key and first-response SLA',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new LeadNormalizerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
