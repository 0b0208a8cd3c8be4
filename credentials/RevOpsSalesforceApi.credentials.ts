import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Salesforce connected app, for the RevOps CRM node's Salesforce backend (and the nodes that keep
 * their state in the company's CRM). Two OAuth 2.0 flows without a person in the loop, as Salesforce
 * offers them to integrations: client credentials (the app's consumer key and secret, with a "run as"
 * user set on the app) or JWT bearer (the consumer key, the integration user and the private key of
 * the certificate uploaded to the app). The node signs in itself and keeps the session per process;
 * the user needs API access and edit rights on the objects and the RevOps fields.
 */
// Tested by the RevOps CRM node (testedBy: revOpsSalesforceConnectionTest, its credentialTest method): an
// OAuth sign-in, with a JWT signed in code for one flow, is more than a declarative test request can do.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class RevOpsSalesforceApi implements ICredentialType {
	name = 'revOpsSalesforceApi';

	displayName = 'RevOps Salesforce API';

	icon = { light: 'file:revOpsSalesforceApi.svg', dark: 'file:revOpsSalesforceApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#salesforce';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.salesforce.com',
			description: 'The org\'s My Domain URL (Setup > My Domain); the token is asked for there',
		},
		{
			displayName: 'Flow',
			name: 'flow',
			type: 'options',
			options: [
				{ name: 'Client Credentials', value: 'clientCredentials', description: 'The connected app\'s consumer key and secret; the app runs as the user set under "Client Credentials Flow"' },
				{ name: 'JWT Bearer', value: 'jwt', description: 'The consumer key, the integration user and the private key of the app\'s certificate' },
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Consumer Key',
			name: 'clientId',
			type: 'string',
			default: '',
			description: 'The connected app\'s consumer key (App Manager > the app > View > Manage Consumer Details)',
		},
		{
			displayName: 'Consumer Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { flow: ['clientCredentials'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'integration@acme.com',
			description: 'The integration user the app acts as (pre-authorized for the app)',
			displayOptions: { show: { flow: ['jwt'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'The PEM private key of the certificate uploaded to the connected app ("Use digital signatures")',
			displayOptions: { show: { flow: ['jwt'] } },
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '60.0',
			description: 'Salesforce REST API version (60.0 or later: composite graphs need 50.0)',
		},
	];
}
