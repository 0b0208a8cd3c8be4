import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { LeadSummarizerV1 } from './v1/LeadSummarizerV1.node';

export class LeadSummarizer extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Lead Summarizer',
			name: 'leadSummarizer',
			icon: { light: 'file:leadSummarizer.svg', dark: 'file:leadSummarizer.dark.svg' },
			group: ['transform'],
			description: 'Short, grounded rep summaries of inbound leads and transcripts, ready for Slack or a CRM note',
			defaultVersion: 1,
		};
		super({ 1: new LeadSummarizerV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
