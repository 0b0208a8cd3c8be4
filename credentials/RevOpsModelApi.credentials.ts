import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Any OpenAI-compatible chat API: OpenAI, Azure OpenAI (v1 endpoint), Ollama, vLLM, LM Studio,
 * OpenRouter. The test asks the endpoint for its model list with the key.
 */
export class RevOpsModelApi implements ICredentialType {
	name = 'revOpsModelApi';

	displayName = 'RevOps Model API';

	icon = { light: 'file:revOpsModelApi.svg', dark: 'file:revOpsModelApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#model-access';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			placeholder: 'e.g. http://localhost:11434/v1',
			description: 'Root of the OpenAI-compatible API, ending in /v1 for most providers',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Sent as a Bearer token; leave empty for local servers that need none',
		},
		{
			displayName: 'Default Model',
			name: 'model',
			type: 'string',
			default: 'gpt-4o-mini',
			description: 'Model used unless a node sets its own',
		},
		{
			displayName: 'Extra Headers',
			name: 'headers',
			type: 'json',
			default: '{}',
			description: 'More HTTP headers as a JSON object, e.g. {"api-key": "..."} for Azure or {"HTTP-Referer": "..."} for OpenRouter',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/models', method: 'GET' },
	};
}
