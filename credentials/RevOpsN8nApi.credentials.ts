import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An API key of this n8n instance, for the RevOps CRM node's Data Tables backend: n8n lets only its own
 * Data Table node reach tables from inside a workflow, so the CRM node uses n8n's public API
 * (Settings > n8n API > Create an API key, with the data table scopes).
 */
export class RevOpsN8nApi implements ICredentialType {
	name = 'revOpsN8nApi';

	displayName = 'RevOps N8n Data Tables API';

	icon = { light: 'file:revOpsN8nApi.svg', dark: 'file:revOpsN8nApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#revops-crm';

	properties: INodeProperties[] = [
		{
			displayName: 'API URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:5678/api/v1',
			placeholder: 'e.g. https://n8n.example.com/api/v1',
			description: 'This n8n\'s public API root, ending in /api/v1',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Created under Settings > n8n API',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-N8N-API-KEY': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/data-tables', qs: { limit: 1 }, method: 'GET' },
	};
}
