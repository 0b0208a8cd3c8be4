import { createTransport } from 'nodemailer';
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import type { TextChannel } from '../domain/approval/channel-text';
import { ConfigError } from '../domain/config-error';
import { companyAlertChannel } from '../domain/crm/company-config';

/**
 * Sends a message to people through Slack or Teams incoming webhooks, your own webhook (JSON), or
 * e-mail over the SMTP server of the RevOps Approval credential: what the Approval Gate and the Lead
 * Router share. HTTP goes through n8n's helper, so proxies and n8n's request settings apply.
 */

export type NotifyChannel = 'none' | 'company' | 'slack' | 'teams' | 'webhook' | 'email';

export function smtpTransport(c: ICredentialDataDecryptedObject) {
	return createTransport({
		host: String(c.smtpHost),
		port: Number(c.smtpPort ?? 587),
		secure: c.smtpSecure === true,
		auth: c.smtpUser ? { user: String(c.smtpUser), pass: String(c.smtpPassword ?? '') } : undefined,
	});
}

export interface Notice {
	to: string[];
	/** The text in a channel's own syntax (lead data escaped for it). */
	render: (channel: TextChannel) => { subject: string; text: string };
	/** Sent beside the text to a generic webhook. */
	data?: Record<string, unknown>;
}

/** The channel and URL a choice resolves to ('company': the config's Slack, else Teams webhook). */
export function resolveChannel(choice: NotifyChannel, webhookUrl: string, companyConfig: unknown): { channel: Exclude<NotifyChannel, 'company'>; url: string } {
	if (choice === 'company') return companyAlertChannel(companyConfig);
	return { channel: choice, url: webhookUrl.trim() };
}

export async function sendNotice(ctx: IExecuteFunctions, channel: Exclude<NotifyChannel, 'company'>, url: string, credentials: ICredentialDataDecryptedObject | null, notice: Notice): Promise<void> {
	if (channel === 'none') return;
	if (channel === 'email') {
		if (!credentials?.smtpHost) throw new ConfigError('E-mail delivery needs an SMTP host', 'Fill in the SMTP fields of the RevOps Approval credential, or pick another channel.', 'channel');
		const { subject, text } = notice.render('email');
		const transport = smtpTransport(credentials);
		try {
			for (const to of notice.to) await transport.sendMail({ from: String(credentials.smtpFrom || credentials.smtpUser || 'revops@localhost'), to, subject, text });
		} finally {
			transport.close();
		}
		return;
	}
	if (!/^https?:\/\//i.test(url)) throw new ConfigError(`The webhook URL "${url.slice(0, 200)}" is not an http(s) URL`, 'Paste the incoming-webhook URL of your Slack or Teams channel, or your own endpoint.', 'webhookUrl');
	const { subject, text } = notice.render(channel === 'webhook' ? 'webhook' : channel);
	const body = channel === 'webhook' ? { subject, text, to: notice.to, ...notice.data } : { text };
	await ctx.helpers.httpRequest({ method: 'POST', url, body, json: true });
}
