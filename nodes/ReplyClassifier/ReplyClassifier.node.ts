import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { ReplyClassifierV1 } from './v1/ReplyClassifierV1.node';

export class ReplyClassifier extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Reply Classifier',
			name: 'replyClassifier',
			icon: { light: 'file:replyClassifier.svg', dark: 'file:replyClassifier.dark.svg' },
			group: ['transform'],
			description: 'E-mail that came back to a sequence, by rules: a reply, an unsubscribe, a bounce (with the failed recipient) or an automatic reply, and what to write to the lead',
			defaultVersion: 1,
		};
		super({ 1: new ReplyClassifierV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
