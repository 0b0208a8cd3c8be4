/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'puppeteer-core';

/* eslint-disable @typescript-eslint/no-require-imports */
const { CACHE_DIR } = require('../harness/runtime') as { CACHE_DIR: string };

/**
 * n8n's hosted chat page loads the chat widget (@n8n/chat) from a CDN, which this machine cannot
 * reach: the same published files are fetched once from the npm registry (npm pack, no dependencies
 * needed: the bundle is self-contained), cached, and served to the browser in the CDN's place.
 */
export const CHAT_WIDGET_VERSION = '1.37.0';

function widgetDist(): string {
	const dir = path.join(CACHE_DIR, `n8n-chat-${CHAT_WIDGET_VERSION}`);
	const dist = path.join(dir, 'package', 'dist');
	if (fs.existsSync(path.join(dist, 'chat.bundle.es.js'))) return dist;
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('npm', ['pack', `@n8n/chat@${CHAT_WIDGET_VERSION}`, '--silent'], { cwd: dir, stdio: 'pipe' });
	execFileSync('tar', ['xzf', `n8n-chat-${CHAT_WIDGET_VERSION}.tgz`], { cwd: dir });
	return dist;
}

const CORS = { 'access-control-allow-origin': '*' };
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon' };

/** Opens the template's hosted chat page as a visitor's browser shows it, the widget served locally. */
export async function openHostedChat(browser: Browser, url: string) {
	const dist = widgetDist();
	const page = await browser.newPage();
	await page.setViewport({ width: 900, height: 900 });
	await page.setRequestInterception(true);
	page.on('request', (request) => {
		const requested = request.url();
		const cdn = /^https:\/\/cdn\.jsdelivr\.net\/npm\/@n8n\/chat(?:@[^/]+)?\/dist\/(.+)$/.exec(requested);
		if (cdn) {
			const file = path.join(dist, path.normalize(cdn[1]).replace(/^(\.\.[/\\])+/, ''));
			// n8n serves the page sandboxed (an opaque origin): module scripts from elsewhere need CORS, as the CDN sends it.
			if (fs.existsSync(file)) return void request.respond({ status: 200, headers: CORS, contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
			return void request.respond({ status: 404, headers: CORS, body: '' });
		}
		// normalize.css, fonts: nothing else from outside is needed to read the chat.
		if (!requested.startsWith(new URL(url).origin)) return void request.respond({ status: 200, headers: CORS, contentType: 'text/css', body: '' });
		return void request.continue();
	});
	// What the page says when the widget does not come up: its errors and failed requests.
	const problems: string[] = [];
	page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
	page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
	page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('textarea', { timeout: 60_000 }).catch((error: Error) => {
		throw new Error(`the chat widget did not come up (${error.message}): ${problems.join(' | ') || 'no page errors'}`);
	});
	return {
		page,
		/** Types a message as a visitor does and waits until the assistant's reply containing `expect` shows. */
		async send(text: string, expect: RegExp) {
			await page.type('textarea', text);
			await page.keyboard.press('Enter');
			await page.waitForFunction((source: string) => new RegExp(source).test(document.body.innerText), { timeout: 60_000 }, expect.source);
		},
	};
}
