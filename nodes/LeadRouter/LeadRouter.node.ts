import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { LeadRouterV1 } from './v1/LeadRouterV1.node';

export class LeadRouter extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Lead Router',
			name: 'leadRouter',
			icon: { light: 'file:leadRouter.svg', dark: 'file:leadRouter.dark.svg' },
			group: ['transform'],
			description:
				'Speed to lead: assign each lead an owner by your rules and a fair round-robin, start its first-response SLA, tell the owner with one-click links, and remind, escalate or reassign on time',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new LeadRouterV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
