import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Slack app's bot token, for posting the RevOps Metrics report with its charts (scopes files:write
 * and chat:write; invite the app to the channel). The API URL is Slack's unless a proxy is in between.
 */
export class RevOpsSlackApi implements ICredentialType {
	name = 'revOpsSlackApi';

	displayName = 'RevOps Slack API';

	icon = { light: 'file:revOpsSlackApi.svg', dark: 'file:revOpsSlackApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#the-weekly-and-monthly-report';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'xoxb-...',
			description: 'The Bot User OAuth Token of your Slack app (OAuth & Permissions), with the files:write and chat:write scopes',
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: 'https://slack.com/api',
			description: 'Slack\'s Web API; change it only for a proxy',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.apiUrl.replace(/\\/+$/, "")}}', url: '/auth.test', method: 'POST' },
		// Slack answers HTTP 200 with ok: false for a bad token.
		rules: [{ type: 'responseSuccessBody', properties: { key: 'ok', value: false, message: 'Slack refused the token: copy the Bot User OAuth Token (xoxb-...) of your Slack app again' } }],
	};
}
