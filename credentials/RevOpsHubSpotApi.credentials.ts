import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A HubSpot private app's access token, for the RevOps CRM node's HubSpot backend (and the nodes that
 * keep their state in the company's CRM). The app needs the CRM object scopes (read and write of
 * contacts, companies, deals, tickets), crm.schemas.*.read, and crm.schemas.*.write if the node is to
 * create the custom properties the canonical model needs.
 */
export class RevOpsHubSpotApi implements ICredentialType {
	name = 'revOpsHubSpotApi';

	displayName = 'RevOps HubSpot API';

	icon = { light: 'file:revOpsHubSpotApi.svg', dark: 'file:revOpsHubSpotApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#hubspot';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The private app\'s access token (HubSpot: Settings > Integrations > Private Apps)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The app\'s client secret (its Auth tab): the RevOps CRM Trigger then starts runs only for calls HubSpot signed with it (X-HubSpot-Signature-v3)',
		},
		{
			displayName: 'API URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'HubSpot\'s API root; change it only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/crm/v3/objects/contacts', qs: { limit: 1 }, method: 'GET' },
	};
}
