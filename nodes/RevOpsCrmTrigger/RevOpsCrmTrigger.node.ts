import type { INodeTypeBaseDescription } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { RevOpsCrmTriggerV1 } from './v1/RevOpsCrmTriggerV1.node';

export class RevOpsCrmTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'RevOps CRM Trigger',
			name: 'revOpsCrmTrigger',
			icon: { light: 'file:revOpsCrmTrigger.svg', dark: 'file:revOpsCrmTrigger.dark.svg' },
			group: ['trigger'],
			description: 'Starts the workflow when a record changes in the company\'s CRM (HubSpot webhooks, Salesforce outbound messages), as canonical events, never for the RevOps nodes\' own writes',
			defaultVersion: 1,
		};
		super({ 1: new RevOpsCrmTriggerV1(baseDescription) }, baseDescription);
	}
}
