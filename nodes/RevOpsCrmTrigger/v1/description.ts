import type { INodeProperties } from 'n8n-workflow';
import { configOnItemsProperty } from '../../shared/n8n/config-on-items';

export const crmTriggerProperties: INodeProperties[] = [
	{
		displayName: 'CRM',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'HubSpot', value: 'hubspot', description: 'The private app\'s webhook calls (signed)' },
			{ name: 'Salesforce', value: 'salesforce', description: 'Outbound messages of a flow or workflow rule (SOAP)' },
		],
		default: 'hubspot',
	},
	{
		displayName:
			'Give HubSpot this node\'s Production URL: in the private app (Settings > Integrations > Private Apps > your app > Webhooks), set it as the target URL and subscribe to the events to start from (e.g. contact creation, deal property change of dealstage). Put the app\'s client secret in the credential so that only HubSpot\'s signed calls start runs.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['hubspot'] } },
	},
	{
		displayName:
			'Give Salesforce this node\'s Production URL: in Setup > Outbound Messages, create one for the object with this URL as its endpoint and, among its fields, the record ID, LastModifiedById, CreatedById, CreatedDate, LastModifiedDate and the fields to start from; fire it from a record-triggered flow or workflow rule (its criteria decide which changes count, e.g. ISCHANGED(StageName)). The credential\'s org is checked against the message, and changes its integration user made are the RevOps nodes\' own.',
		name: 'salesforceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['salesforce'] } },
	},
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		default: '',
		placeholder: 'e.g. acme_saas',
		description: 'The portfolio company whose config (its CRM field map) reads the events; empty: the REVOPS_COMPANY environment variable of n8n',
	},
	configOnItemsProperty(),
	{
		displayName: 'Objects',
		name: 'objects',
		type: 'multiOptions',
		options: [
			{ name: 'Account (Company)', value: 'account' },
			{ name: 'Case (Ticket)', value: 'case' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Lead (Contact with a Lead)', value: 'lead' },
			{ name: 'Opportunity (Deal)', value: 'opportunity' },
		],
		default: ['account', 'contact', 'lead', 'opportunity', 'case'],
		description: 'Which canonical objects start the workflow',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Created', value: 'created' },
			{ name: 'Changed', value: 'changed' },
			{ name: 'Deleted (HubSpot)', value: 'deleted' },
		],
		default: ['created', 'changed'],
	},
	{
		displayName: 'Only Changes Of',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'e.g. crmStage, escalationLevel',
		description: 'Canonical field names, comma-separated: a change starts the workflow only when one of them changed (e.g. crmStage for a deal stage change). Salesforce sends current values, not what changed: there, one of them must be among the outbound message\'s fields. Empty: any change.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Output Own Writes',
				name: 'includeOwnWrites',
				type: 'boolean',
				default: false,
				description: 'Whether events caused by the RevOps nodes\' own writes leave on the second output (for an audit) instead of starting nothing. They never leave on the first.',
			},
		],
	},
];
