import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { RevOpsCrmV1 } from './v1/RevOpsCrmV1.node';

export class RevOpsCrm extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'RevOps CRM',
			name: 'revOpsCrm',
			icon: { light: 'file:revOpsCrm.svg', dark: 'file:revOpsCrm.dark.svg' },
			group: ['output'],
			description:
				'Read and write accounts, contacts, leads, opportunities, activities and cases in one canonical model: merge rules that never overwrite what a person validated, history of every change, PostgreSQL, n8n Data Tables, HubSpot or Salesforce',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new RevOpsCrmV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
