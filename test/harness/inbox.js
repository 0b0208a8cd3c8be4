// `npm start`'s stand-in for Slack, Teams and the reply endpoint: the example configs and templates
// point their placeholder URLs here, and whatever the templates send (approval requests with their
// links, alerts, approved replies) is printed in the terminal, so a first run shows the whole flow.
'use strict';
const http = require('node:http');

const PLACEHOLDER = /REPLACE/;

class Inbox {
	constructor(port, print = (text) => process.stdout.write(text)) {
		this.port = port;
		this.print = print;
		this.url = `http://127.0.0.1:${port}`;
		this.server = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => {
				if (raw.length < 100_000) raw += c;
			});
			req.on('end', () => {
				let text = raw;
				try {
					const body = JSON.parse(raw);
					text = typeof body.text === 'string' ? body.text : JSON.stringify(body, null, 2);
				} catch {
					// keep the raw text
				}
				const shown = text.length > 3000 ? `${text.slice(0, 3000)}\n… (${text.length} characters)` : text;
				this.print(`\n[inbox ${new Date().toISOString().slice(11, 19)}] ${req.method} ${req.url}\n${shown.replace(/^/gm, '  ')}\n`);
				res.writeHead(200, { 'content-type': 'text/plain' });
				res.end('ok');
			});
		});
	}

	async start() {
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.port, '127.0.0.1', resolve);
		});
		this.url = `http://127.0.0.1:${this.server.address().port}`;
		return this.url;
	}

	async stop() {
		this.server.closeAllConnections?.();
		await new Promise((resolve) => this.server.close(() => resolve()));
	}
}

/** A company config with its placeholder channel URLs pointed at the inbox (real URLs are kept). */
function withInboxChannels(config, inboxUrl) {
	const channels = { ...(config.channels ?? {}) };
	for (const [key, path] of [['slackWebhookUrl', 'slack'], ['teamsWebhookUrl', 'teams']]) {
		if (typeof channels[key] === 'string' && PLACEHOLDER.test(channels[key])) channels[key] = `${inboxUrl}/${path}`;
	}
	return { ...config, channels };
}

/** A template with its placeholder URLs (Slack webhook, reply endpoint) pointed at the inbox. */
function withInboxUrls(text, inboxUrl) {
	return text
		.split('https://hooks.slack.com/services/REPLACE/WITH/YOURS').join(`${inboxUrl}/slack`)
		.split('https://example.invalid/REPLACE/WITH/YOUR/SEND-REPLY/ENDPOINT').join(`${inboxUrl}/send-reply`);
}

module.exports = { Inbox, withInboxChannels, withInboxUrls };
