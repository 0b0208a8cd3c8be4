import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { AccountPlannerV1 } from './v1/AccountPlannerV1.node';

export class AccountPlanner extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Account Planner',
			name: 'accountPlanner',
			icon: { light: 'file:accountPlanner.svg', dark: 'file:accountPlanner.dark.svg' },
			group: ['transform'],
			description: 'Research an account from its own pages (industry, size, tech, news with quotes), recommend the next action with an owner task, start onboarding checklists and chase overdue tasks',
			defaultVersion: 1,
		};
		super({ 1: new AccountPlannerV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
