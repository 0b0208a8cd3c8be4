import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The PostgreSQL server the RevOps CRM node keeps a company's records in. Tested by the node itself
 * (it connects and runs SELECT 1), since PostgreSQL speaks no HTTP.
 */
// Tested by the RevOps CRM node (testedBy: revOpsPostgresConnectionTest in its v1 description); the
// rule cannot see through the versioned node's spread description.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class RevOpsPostgresApi implements ICredentialType {
	name = 'revOpsPostgresApi';

	displayName = 'RevOps PostgreSQL';

	icon = { light: 'file:revOpsPostgresApi.svg', dark: 'file:revOpsPostgresApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#revops-crm';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
		{ displayName: 'Port', name: 'port', type: 'number', default: 5432 },
		{ displayName: 'Database', name: 'database', type: 'string', default: 'postgres' },
		{ displayName: 'User', name: 'user', type: 'string', default: 'postgres' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'boolean',
			default: false,
			description: 'Whether to connect over TLS (managed databases usually require it)',
		},
	];
}
