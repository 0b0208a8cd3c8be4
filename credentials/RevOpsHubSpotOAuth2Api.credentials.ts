import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** What the RevOps nodes do in HubSpot: read and write the CRM objects, read and create properties. */
const SCOPES = [
	'oauth',
	'crm.objects.contacts.read',
	'crm.objects.contacts.write',
	'crm.objects.companies.read',
	'crm.objects.companies.write',
	'crm.objects.deals.read',
	'crm.objects.deals.write',
	'tickets',
	'crm.schemas.contacts.read',
	'crm.schemas.contacts.write',
	'crm.schemas.companies.read',
	'crm.schemas.companies.write',
	'crm.schemas.deals.read',
	'crm.schemas.deals.write',
];

/**
 * A HubSpot public app connected through OAuth 2.0, for portals where a private app's token is not the
 * way (an agency's or a fund's app installed in several portals). n8n keeps and renews the token; the
 * RevOps nodes use it exactly as the private app token (RevOps HubSpot API).
 */
export class RevOpsHubSpotOAuth2Api implements ICredentialType {
	name = 'revOpsHubSpotOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'RevOps HubSpot OAuth2 API';

	icon = { light: 'file:revOpsHubSpotApi.svg', dark: 'file:revOpsHubSpotApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#hubspot';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: 'https://app.hubspot.com/oauth/authorize', required: true },
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			// A URL, not a secret (the rule reads "token" in its name).
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
			type: 'string',
			default: 'https://api.hubapi.com/oauth/v1/token',
			required: true,
			description: 'HubSpot\'s token endpoint, where n8n renews the token; change it only with the API URL (a proxy or a test server)',
		},
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: SCOPES.join(' ') },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		{
			displayName: 'API URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'HubSpot\'s API root; change it only for a proxy or a test server',
		},
	];
}
