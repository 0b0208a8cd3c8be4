/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { Instance } from './n8n-instance';

/**
 * Opens workflows on n8n's own canvas in a real headless Chromium, signed in as the owner, and reads
 * where n8n drew each node and its name: what a person sees after importing a template.
 */

interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface DrawnNode {
	name: string;
	box: Rect;
	/** Everything written on or around the node: its name, subtitle, output and input labels. */
	texts: Array<Rect & { text: string }>;
}

const CHROMIUM = process.env.REVOPS_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));

export async function openBrowser(): Promise<Browser> {
	if (!CHROMIUM) throw new Error('No Chromium found: install Debian\'s chromium package (.ci/run does), or set REVOPS_CHROMIUM');
	return await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--window-size=1920,1080'], defaultViewport: { width: 1920, height: 1080 } });
}

/** The nodes as drawn on the canvas, in screen pixels; a screenshot of the canvas when `screenshot` is a file path. */
export async function drawnNodes(browser: Browser, n8n: Instance, workflowId: string, expected: number, screenshot?: string): Promise<DrawnNode[]> {
	const page = await browser.newPage();
	try {
		const url = new URL(n8n.server.baseUrl);
		for (const pair of String(n8n.server.cookie).split('; ')) {
			const at = pair.indexOf('=');
			await page.setCookie({ name: pair.slice(0, at), value: pair.slice(at + 1), domain: url.hostname, path: '/' });
		}
		await page.goto(`${n8n.server.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		// The canvas draws every node, then fits the view; wait until all are there and the view is still.
		await page.waitForFunction((n) => document.querySelectorAll('.vue-flow__node').length >= n, { timeout: 60_000 }, expected);
		let last = '';
		for (let i = 0; i < 40; i++) {
			const now = await page.evaluate(() => document.querySelector('.vue-flow__transformationpane')?.getAttribute('style') ?? '');
			if (now === last && now !== '') break;
			last = now;
			await new Promise((r) => setTimeout(r, 250));
		}
		if (screenshot) {
			fs.mkdirSync(path.dirname(screenshot), { recursive: true });
			await page.screenshot({ path: screenshot as `${string}.png` });
		}
		return await page.evaluate(() =>
			Array.from(document.querySelectorAll('.vue-flow__node')).map((el) => {
				const box = el.querySelector('[data-test-id="canvas-node"]') ?? el;
				const r = box.getBoundingClientRect();
				const texts = Array.from(el.querySelectorAll('*'))
					// The hover toolbar and buttons are hidden until a pointer is over the node.
					.filter((e) => e.children.length === 0 && e.textContent?.trim() && !e.closest('[data-test-id="canvas-node-toolbar"]') && !e.closest('button'))
					.map((e) => {
						const t = e.getBoundingClientRect();
						return { x: t.x, y: t.y, width: t.width, height: t.height, text: e.textContent!.trim() };
					})
					.filter((t) => t.width > 0 && t.height > 0);
				return { name: box.getAttribute('data-node-name') ?? '?', box: { x: r.x, y: r.y, width: r.width, height: r.height }, texts };
			}),
		);
	} finally {
		await page.close();
	}
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What of one node covers what of another: boxes, names, subtitles and output labels. */
export function overlaps(nodes: DrawnNode[]): string[] {
	const found: string[] = [];
	for (const [i, a] of nodes.entries()) {
		for (const b of nodes.slice(i + 1)) {
			const parts = (n: DrawnNode) => [{ ...n.box, text: '(box)' }, ...n.texts];
			for (const pa of parts(a)) for (const pb of parts(b)) if (overlap(pa, pb)) found.push(`${a.name} ${pa.text} / ${b.name} ${pb.text}`);
		}
	}
	return found;
}
