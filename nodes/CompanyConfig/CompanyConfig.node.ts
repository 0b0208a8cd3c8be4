import type { INodeTypeBaseDescription } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { CompanyConfigV1 } from './v1/CompanyConfigV1.node';

export class CompanyConfig extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Company Config',
			name: 'companyConfig',
			icon: { light: 'file:companyConfig.svg', dark: 'file:companyConfig.dark.svg' },
			group: ['transform'],
			description: 'Load and validate one portfolio company\'s RevOps config (CRM backend, stage map, playbooks, calendar, SLAs, approvers) for the nodes after it',
			defaultVersion: 1,
		};
		super({ 1: new CompanyConfigV1(baseDescription) }, baseDescription);
	}
}
