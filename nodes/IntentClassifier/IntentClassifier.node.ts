import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { IntentClassifierV1 } from './v1/IntentClassifierV1.node';

export class IntentClassifier extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Intent Classifier',
			name: 'intentClassifier',
			icon: { light: 'file:intentClassifier.svg', dark: 'file:intentClassifier.dark.svg' },
			group: ['transform'],
			description: 'Route inbound messages by intent: your rules decide first, a model reads the rest, one output per category',
			defaultVersion: 1,
		};
		super({ 1: new IntentClassifierV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
