import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * What the Approval Gate needs to prove who decided: the secret that signs each approver's personal
 * link, and, for requests by e-mail, an SMTP server. The Approval Gate node tests it (the secret's
 * length, and a real SMTP login when a server is set).
 */
// The Approval Gate tests it through testedBy; the rule reads only class-field descriptions, not the
// constructor-built description of a versioned node.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class RevOpsApprovalApi implements ICredentialType {
	name = 'revOpsApprovalApi';

	displayName = 'RevOps Approval API';

	icon = { light: 'file:revOpsApprovalApi.svg', dark: 'file:revOpsApprovalApi.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#approval-gate';

	properties: INodeProperties[] = [
		{
			displayName: 'Link Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'At least 16 characters, e.g. the output of `openssl rand -hex 32`. Changing it invalidates every open approval link.',
		},
		{
			displayName: 'SMTP Host',
			name: 'smtpHost',
			type: 'string',
			default: '',
			placeholder: 'e.g. smtp.example.com',
			description: 'Only needed to send approval requests by e-mail',
		},
		{
			displayName: 'SMTP Port',
			name: 'smtpPort',
			type: 'number',
			default: 587,
		},
		{
			displayName: 'SMTP Uses TLS From the Start',
			name: 'smtpSecure',
			type: 'boolean',
			default: false,
			description: 'Whether to connect with TLS right away (port 465); otherwise STARTTLS is used when the server offers it',
		},
		{
			displayName: 'SMTP User',
			name: 'smtpUser',
			type: 'string',
			default: '',
		},
		{
			displayName: 'SMTP Password',
			name: 'smtpPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'From Address',
			name: 'smtpFrom',
			type: 'string',
			default: '',
			placeholder: 'e.g. RevOps Approvals <approvals@example.com>',
		},
	];
}
