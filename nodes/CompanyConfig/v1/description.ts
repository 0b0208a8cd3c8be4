import type { INodeProperties } from 'n8n-workflow';
import { configOnItemsProperty } from '../../shared/n8n/config-on-items';

export const companyConfigProperties: INodeProperties[] = [
	{
		displayName: 'Config Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Company ID',
				value: 'company',
				description: 'A config file found by the company\'s ID (templates use this, so they move between companies unchanged)',
			},
			{ name: 'Written Here', value: 'here', description: 'The config JSON is kept in this node (edit it here)' },
			{ name: 'From Input Field', value: 'field', description: 'The config arrives on the item, e.g. read from a Data Table row, a file or an HTTP request' },
		],
		default: 'company',
	},
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		default: '',
		displayOptions: { show: { source: ['company'] } },
		placeholder: 'e.g. acme_saas',
		description:
			'Empty: the REVOPS_COMPANY environment variable of n8n. Config files are read from REVOPS_CONFIG_DIR (default: the revops-companies folder in n8n\'s user folder), then from the examples in the package (acme_saas, nordwind_services).',
	},
	configOnItemsProperty({ source: ['company'] }),
	{
		displayName: 'Company Config (JSON)',
		name: 'config',
		type: 'json',
		default: '{\n  "configVersion": 1,\n  "company": { "id": "my_company", "name": "My Company", "currency": "USD" },\n  "crm": { "backend": "dataTables", "tablePrefix": "revops" },\n  "calendar": { "timezone": "America/New_York" }\n}',
		displayOptions: { show: { source: ['here'] } },
		description: 'One portfolio company: CRM backend, stage map, playbooks, calendar, SLAs, approvers, channels. Two examples ship in the package under workflows/companies.',
	},
	{
		displayName: 'Input Field',
		name: 'field',
		type: 'string',
		default: 'config',
		displayOptions: { show: { source: ['field'] } },
		placeholder: 'e.g. config or row.config',
		description: 'Path of the field holding the config object or its JSON text',
	},
];
