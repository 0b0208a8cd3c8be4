/* eslint-disable @typescript-eslint/no-require-imports */
const { Inbox, withInboxChannels, withInboxUrls } = require('../harness/inbox');

describe("npm start's inbox (the stand-in for Slack, Teams and the reply endpoint)", () => {
	it('points only placeholder channels and URLs at the inbox, and prints what the templates send', async () => {
		const printed: string[] = [];
		const inbox = new Inbox(0, (t: string) => printed.push(t));
		const url = await inbox.start();
		try {
			expect(withInboxChannels({ channels: { slackWebhookUrl: 'https://hooks.slack.com/services/REPLACE/ME/PLEASE', notifyEmail: 'a@b.co', replyWebhookUrl: 'https://example.invalid/REPLACE/WITH/YOUR/SEND-REPLY/ENDPOINT' } }, url).channels).toEqual({ slackWebhookUrl: `${url}/slack`, notifyEmail: 'a@b.co', replyWebhookUrl: `${url}/send-reply` });
			expect(withInboxChannels({ channels: { teamsWebhookUrl: 'https://acme.webhook.office.com/real' } }, url).channels).toEqual({ teamsWebhookUrl: 'https://acme.webhook.office.com/real' });
			expect(withInboxUrls('{"url":"https://example.invalid/REPLACE/WITH/YOUR/SEND-REPLY/ENDPOINT"}', url)).toBe(`{"url":"${url}/send-reply"}`);
			const res = await fetch(`${url}/slack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'First reply to an inbound lead\ndana@acme.example: http://127.0.0.1:5678/webhook-waiting/1?approver=dana&sig=x' }) });
			expect(res.status).toBe(200);
			// The inbox page lists it with the approval link clickable, and escapes what the message says.
			await fetch(`${url}/teams`, { method: 'POST', body: '<script>alert(1)</script>' });
			const html = await (await fetch(url)).text();
			expect(html).toContain('<a href="http://127.0.0.1:5678/webhook-waiting/1?approver=dana&amp;sig=x">');
			expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
			expect(html).not.toContain('<script>');
			await fetch(`${url}/send-reply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'jane@acme.example', text: 'Hi Jane' }) });
			expect(printed.at(-1)).toContain('To: jane@acme.example\n  Hi Jane');
			expect(printed.join('')).toMatch(/POST \/slack\n {2}First reply to an inbound lead\n {2}dana@acme\.example: http:\/\/127\.0\.0\.1:5678\/webhook-waiting\/1\?approver=dana&sig=x/);
		} finally {
			await inbox.stop();
		}
	});
});
