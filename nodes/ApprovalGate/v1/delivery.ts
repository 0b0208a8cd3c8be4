import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { ConfigError } from '../../shared/domain/config-error';
import { requestText, type ShownItem } from '../../shared/domain/approval/approval-request';
import { smtpTransport } from '../../shared/n8n/notify';

export type Channel = 'none' | 'slack' | 'teams' | 'webhook' | 'email';

export interface ApprovalRequest {
	title: string;
	/** A first request, a reminder, or an escalation to someone new. */
	kind: 'request' | 'reminder' | 'escalation';
	text: string;
	items: ShownItem[];
	links: Array<{ approver: string; url: string }>;
	expiresAt: string;
	credentials: ICredentialDataDecryptedObject;
}

/** Connects and authenticates without sending anything: the credential test. */
export async function verifySmtp(c: ICredentialDataDecryptedObject): Promise<void> {
	const transport = smtpTransport(c);
	try {
		await transport.verify();
	} finally {
		transport.close();
	}
}

/**
 * Sends the request through the chosen channel with n8n's HTTP helper (so proxies and n8n's own
 * request settings apply) or, for e-mail, nodemailer over the credential's SMTP server: each approver
 * gets a message with only their own link.
 */
export async function deliverRequest(ctx: IExecuteFunctions, channel: Channel, webhookUrl: string, request: ApprovalRequest): Promise<void> {
	if (channel === 'none') return;
	if (channel === 'email') {
		const c = request.credentials;
		if (!c.smtpHost) throw new ConfigError('E-mail delivery needs an SMTP host', 'Fill in the SMTP fields of the RevOps Approval credential, or pick another channel.', 'channel');
		const transport = smtpTransport(c);
		try {
			for (const { approver, url } of request.links) {
				const own = requestText(request.title, request.items, [{ approver, url }], request.expiresAt, 'email');
				await transport.sendMail({ from: String(c.smtpFrom || c.smtpUser || 'approvals@localhost'), to: approver, subject: request.title, text: own });
			}
		} finally {
			transport.close();
		}
		return;
	}
	const url = webhookUrl.trim();
	if (!/^https?:\/\//i.test(url)) throw new ConfigError(`The webhook URL "${url}" is not an http(s) URL`, 'Paste the incoming-webhook URL of your Slack or Teams channel, or your own endpoint.', 'webhookUrl');
	const body =
		channel === 'webhook'
			? { title: request.title, kind: request.kind, text: request.text, items: request.items, links: request.links, expiresAt: request.expiresAt }
			: { text: request.text };
	await ctx.helpers.httpRequest({ method: 'POST', url, body, json: true });
}
