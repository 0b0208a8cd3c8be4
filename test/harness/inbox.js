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
		/** What arrived, newest last (the last 200): the page at the inbox's root lists them. */
		this.messages = [];
		this.server = http.createServer((req, res) => {
			if (req.method === 'GET') {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.end(page(this.messages));
				return;
			}
			let raw = '';
			req.on('data', (c) => {
				if (raw.length < 100_000) raw += c;
			});
			req.on('end', () => {
				let text = raw;
				try {
					const body = JSON.parse(raw);
					// A sent reply names its recipient; a Slack or Teams message is its text.
					text = typeof body.text === 'string' ? `${typeof body.to === 'string' ? `To: ${body.to}\n` : ''}${body.text}` : JSON.stringify(body, null, 2);
				} catch {
					// keep the raw text
				}
				this.messages.push({ at: new Date().toISOString(), path: req.url ?? '', text });
				if (this.messages.length > 200) this.messages.shift();
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

const escape = (t) => String(t).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Escaped text with its http(s) URLs as links (query strings included). */
function linkify(text) {
	return String(text)
		.split(/(https?:\/\/[^\s<>"']+)/g)
		.map((part, i) => (i % 2 ? `<a href="${escape(part)}">${escape(part)}</a>` : escape(part)))
		.join('');
}

/** The inbox page: every message, newest first, with its links clickable (approval links open the gate's page). */
function page(messages) {
	const items = [...messages]
		.reverse()
		.map((m) => `<li><p><strong>${escape(m.path)}</strong> <time>${escape(m.at)}</time></p><pre>${linkify(m.text)}</pre></li>`)
		.join('');
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>RevOps inbox</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto}li{border-bottom:1px solid #ddd;list-style:none}pre{white-space:pre-wrap}</style></head><body><h1>RevOps inbox</h1><p>What the templates sent to Slack, Teams or the reply endpoint while running with <code>npm start</code>. Refreshes every 10 seconds.</p><ul>${items || '<li>Nothing yet: submit the lead form.</li>'}</ul></body></html>`;
}

/** A company config with its placeholder channel URLs pointed at the inbox (real URLs are kept). */
function withInboxChannels(config, inboxUrl) {
	const channels = { ...(config.channels ?? {}) };
	for (const [key, path] of [['slackWebhookUrl', 'slack'], ['teamsWebhookUrl', 'teams'], ['replyWebhookUrl', 'send-reply']]) {
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
