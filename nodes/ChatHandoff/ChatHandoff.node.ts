import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { ChatHandoffV1 } from './v1/ChatHandoffV1.node';

export class ChatHandoff extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Chat Handoff',
			name: 'chatHandoff',
			icon: { light: 'file:chatHandoff.svg', dark: 'file:chatHandoff.dark.svg' },
			group: ['transform'],
			description:
				'The website assistant\'s sales-handoff rules: answer only from approved sources, offer a follow-up when interest shows, respect a no, collect and validate the contact details, and hand the lead over with a grounded summary',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new ChatHandoffV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
