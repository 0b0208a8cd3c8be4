#!/usr/bin/env node
// `npm run first-hour`: what a new user does in their first hour, done by a script in a real headless
// browser, so it can be checked and its screenshots kept in the README.
//
//  1. a fresh clone of this repository (its committed HEAD), `npm ci`, `npm start` on its own ports;
//  2. the nodes panel of the editor searched for "RevOps" and for each node's name;
//  3. the lead form filled in and submitted; the thank-you page;
//  4. the local inbox: the owner's message and the first-reply approval request; the approver's link
//     opened, the approval page, Approve pressed; the reply shows up as sent;
//  5. every execution checked: none failed;
//  6. the first start's time and its parts printed, and screenshots of the canvas, the nodes panel,
//     the form, the inbox and the approval page written to workflows/screenshots/.
//
// The n8n install is reused from the cache (~/.cache/n8n-nodes-revops) unless --fresh-cache, which
// times a true first start (5-15 minutes). Exit code 0 only if every check held.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { REPO_DIR } = require('./package');
const { cleanNpmEnv, expressionPoolSize, log } = require('./runtime');

const PORT = Number(process.env.REVOPS_FIRST_HOUR_PORT ?? 5690);
const SHOTS = path.join(REPO_DIR, 'workflows', 'screenshots');
const NODE_NAMES = ['Lead Normalizer', 'ICP Scorer', 'Health Score', 'Intent Classifier', 'Lead Summarizer', 'MEDDICC Extractor', 'Approval Gate', 'Company Config', 'RevOps CRM', 'Lead Router'];
const CHROMIUM = process.env.REVOPS_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));

const checks = [];
const check = (name, ok, detail = '') => {
	checks.push({ name, ok, detail });
	process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}\n`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The environment of the n8n that `npm start` runs on `port` (its process found in /proc, Linux), so a
 * check can see the settings the README advises in effect where they matter; null when not found.
 */
function n8nEnvironment(port) {
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			if (!cmdline.some((a) => /[/\\]n8n([/\\]bin[/\\]n8n)?$/.test(a)) || !cmdline.includes('start')) continue;
			const env = Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
			if (env.N8N_PORT === String(port)) return env;
		} catch {
			// a process that ended, or one of another user
		}
	}
	return null;
}
async function until(what, fn, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await fn().catch((e) => {
			if (e?.fatal) throw e;
			return undefined;
		});
		if (last) return last;
		await sleep(500);
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-first-hour-'));
	const clone = path.join(work, 'n8n-nodes-revops');
	const began = Date.now();
	log(`fresh clone of ${REPO_DIR} into ${clone}`);
	spawnSync('git', ['clone', '--quiet', REPO_DIR, clone], { stdio: 'inherit' });
	const ciStarted = Date.now();
	const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: clone, stdio: 'inherit', env: cleanNpmEnv() });
	check('npm ci in a fresh clone', ci.status === 0, `${Math.round((Date.now() - ciStarted) / 1000)} s`);

	const env = cleanNpmEnv({ N8N_PORT: String(PORT), REVOPS_INBOX_PORT: String(PORT + 1) });
	if (process.argv.includes('--fresh-cache')) env.REVOPS_CACHE_DIR = path.join(work, 'cache');
	const startLog = path.join(work, 'npm-start.log');
	const out = fs.openSync(startLog, 'w');
	const started = Date.now();
	const child = spawn('npm', ['start'], { cwd: clone, env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	const stop = () => {
		try {
			process.kill(-child.pid, 'SIGINT');
		} catch {
			// already gone
		}
	};
	process.on('exit', stop);
	let browser;
	try {
		// npm start says it is ready with its summary; until then it says what it is doing.
		let quietest = 0;
		let lastSize = 0;
		let lastChange = Date.now();
		await until(
			'npm start to finish starting',
			async () => {
				const text = fs.readFileSync(startLog, 'utf8');
				if (text.length !== lastSize) {
					quietest = Math.max(quietest, Date.now() - lastChange);
					lastSize = text.length;
					lastChange = Date.now();
				}
				if (/npm start failed/.test(text)) throw Object.assign(new Error(text.slice(-2000)), { fatal: true });
				return text.includes('Ctrl-C stops n8n.') ? text : undefined;
			},
			process.argv.includes('--fresh-cache') ? 40 * 60_000 : 15 * 60_000,
		);
		const startText = fs.readFileSync(startLog, 'utf8');
		const startSeconds = Math.round((Date.now() - started) / 1000);
		check('npm start: n8n running with every template', /is running/.test(startText), `${startSeconds} s; ${(startText.match(/^Start: .*$/m) ?? ['(no timing line)'])[0]}`);
		check('npm start never went quiet for more than 15 s', quietest <= 15_000, `longest silence ${Math.round(quietest / 1000)} s`);
		// The README's deployment advice for an n8n that takes form submissions, followed by npm start.
		const n8nEnv = n8nEnvironment(PORT);
		const poolWanted = expressionPoolSize();
		check(`npm start's n8n keeps ${poolWanted} warm expression isolates`, n8nEnv?.N8N_EXPRESSION_ENGINE_POOL_SIZE === poolWanted, n8nEnv ? `N8N_EXPRESSION_ENGINE_POOL_SIZE ${n8nEnv.N8N_EXPRESSION_ENGINE_POOL_SIZE ?? 'unset'}` : `no n8n process on port ${PORT} found in /proc`);

		const base = `http://127.0.0.1:${PORT}`;
		const inboxUrl = `http://127.0.0.1:${PORT + 1}`;
		const owner = JSON.parse(fs.readFileSync(path.join(clone, '.n8n-local', 'owner.json'), 'utf8'));
		const login = await fetch(`${base}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }) });
		const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
		check('the owner npm start created can sign in', login.ok);

		const puppeteer = require(require.resolve('puppeteer-core', { paths: [REPO_DIR] }));
		if (!CHROMIUM) throw new Error('No Chromium found: install Debian\'s chromium package, or set REVOPS_CHROMIUM');
		browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'], defaultViewport: { width: 1440, height: 900 } });
		fs.mkdirSync(SHOTS, { recursive: true });
		const page = await browser.newPage();
		for (const pair of cookie.split('; ').filter(Boolean)) {
			const at = pair.indexOf('=');
			await page.setCookie({ name: pair.slice(0, at), value: pair.slice(at + 1), domain: '127.0.0.1', path: '/' });
		}

		// The nodes panel, as a builder searches it.
		await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector('[data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]', { timeout: 90_000 });
		const search = async (term) => {
			if (!(await page.$('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator"] input'))) {
				await page.click('[data-test-id="canvas-add-button"], [data-test-id="canvas-plus-button"]');
			}
			const input = await page.waitForSelector('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator"] input', { timeout: 30_000 });
			await input.click({ clickCount: 3 });
			await page.keyboard.press('Backspace');
			await input.type(term);
			await sleep(800);
			return await page.$$eval('[data-test-id="node-creator-node-item"], [data-test-id="item-iterator-item"]', (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
		};
		const revops = await search('RevOps');
		await page.screenshot({ path: path.join(SHOTS, 'nodes-panel.png') });
		const missing = NODE_NAMES.filter((n) => !revops.some((t) => t.startsWith(n)));
		check('nodes panel: "RevOps" finds every node', missing.length === 0, missing.length ? `missing ${missing.join(', ')}; found ${revops.slice(0, 12).join(' | ')}` : `${NODE_NAMES.length} nodes`);
		const byName = [];
		for (const name of NODE_NAMES) if (!(await search(name)).some((t) => t.startsWith(name))) byName.push(name);
		const meddicc = await search('MEDDICC');
		check('nodes panel: every node found by its own name, and "MEDDICC" finds the extractor', byName.length === 0 && meddicc.some((t) => t.startsWith('MEDDICC Extractor')), byName.length ? `not found: ${byName.join(', ')}` : '');

		// The canvas of the inbound template, as it opens after import.
		const inbound = JSON.parse(fs.readFileSync(path.join(clone, 'workflows', 'inbound-lead-handoff.json'), 'utf8'));
		await page.goto(`${base}/workflow/${inbound.id}`, { waitUntil: 'domcontentloaded' });
		await page.waitForFunction((n) => document.querySelectorAll('.vue-flow__node').length >= n, { timeout: 90_000 }, inbound.nodes.length);
		await sleep(2_000);
		// n8n 2 greets a published workflow with a "Production Checklist" card; close it for the picture.
		const close = await page.evaluate(() => {
			const heading = Array.from(document.querySelectorAll('body *')).find((el) => el.children.length === 0 && (el.textContent ?? '').trim() === 'Production Checklist');
			if (!heading) return null;
			let card = heading.parentElement;
			while (card && card.getBoundingClientRect().height < 150) card = card.parentElement;
			const h = heading.getBoundingClientRect();
			const c = card?.getBoundingClientRect();
			return c ? { x: c.right - 23, y: h.top + h.height / 2 } : null;
		});
		if (close) await page.mouse.click(close.x, close.y);
		await sleep(500);
		await page.screenshot({ path: path.join(SHOTS, 'inbound-canvas.png') });

		// The lead form, filled in as a prospect would.
		const form = await browser.newPage();
		await form.setViewport({ width: 1000, height: 900 });
		await form.goto(`${base}/form/revops-inbound-lead`, { waitUntil: 'networkidle2' });
		const fill = async (label, value) => {
			const ok = await form.evaluate(
				(l, v) => {
					const labels = Array.from(document.querySelectorAll('label'));
					const found = labels.find((x) => (x.textContent ?? '').trim().toLowerCase().startsWith(l.toLowerCase()));
					const input = found?.htmlFor ? document.getElementById(found.htmlFor) : found?.parentElement?.querySelector('input, textarea, select');
					if (!input) return false;
					input.focus();
					return true;
				},
				label,
				value,
			);
			if (ok) await form.keyboard.type(value);
			return ok;
		};
		const filled = [
			await fill('Name', 'Dana Whitfield'),
			await fill('Email', 'dana.whitfield@northwindlogistics.com'),
			await fill('Company', 'Northwind Logistics'),
			await fill('Job Title', 'VP of Operations'),
			await fill('Country', 'United States'),
			await fill('Message', 'We need pricing for 200 seats and a demo next week.'),
		];
		check('the form has the fields a prospect fills in', filled.every(Boolean), `filled ${filled.filter(Boolean).length} of ${filled.length}`);
		await form.screenshot({ path: path.join(SHOTS, 'lead-form.png'), fullPage: true });
		await Promise.all([form.waitForNavigation({ waitUntil: 'networkidle2', timeout: 120_000 }).catch(() => undefined), form.click('button[type="submit"], #submit-btn, .submit-btn')]);
		const thanks = await until('the thank-you page', async () => ((await form.evaluate(() => document.body.innerText)).match(/we received|thank/i) ? await form.evaluate(() => document.body.innerText) : undefined), 120_000);
		await form.setViewport({ width: 1000, height: 320 });
		await form.screenshot({ path: path.join(SHOTS, 'lead-form-thanks.png') });
		check('the submitter sees the thank-you page', /we received|thank/i.test(thanks), thanks.replace(/\s+/g, ' ').slice(0, 160));

		// The inbox: the owner's message and the approval request, with their links.
		const inbox = await browser.newPage();
		const request = await until(
			'the first-reply approval request in the inbox',
			async () => {
				await inbox.goto(inboxUrl, { waitUntil: 'domcontentloaded' });
				const links = await inbox.$$eval('a', (as) => as.map((a) => a.href));
				return links.find((h) => /\/approval\?/.test(h));
			},
			180_000,
		);
		await inbox.screenshot({ path: path.join(SHOTS, 'inbox.png'), fullPage: false });
		check('the inbox lists the owner message and the approval request with its links', !!request);
		const approval = await browser.newPage();
		await approval.setViewport({ width: 1000, height: 900 });
		await approval.goto(request, { waitUntil: 'networkidle2' });
		await approval.screenshot({ path: path.join(SHOTS, 'approval-page.png'), fullPage: true });
		const pageText = await approval.evaluate(() => document.body.innerText);
		check('the approval page shows the lead and the draft', /Northwind|Dana/.test(pageText), pageText.replace(/\s+/g, ' ').slice(0, 120));
		await Promise.all([approval.waitForNavigation({ waitUntil: 'networkidle2', timeout: 60_000 }).catch(() => undefined), approval.click('button.approve, button[value="approve"]')]);
		const decided = await until('the decision page', async () => ((await approval.evaluate(() => document.body.innerText)).match(/Recorded|Approved/) ? await approval.evaluate(() => document.body.innerText) : undefined), 60_000);
		check('Approve is recorded', /Recorded: approved/.test(decided), decided.replace(/\s+/g, ' ').slice(0, 120));
		const sent = await until('the sent reply in the inbox', async () => {
			await inbox.goto(inboxUrl, { waitUntil: 'domcontentloaded' });
			const text = await inbox.evaluate(() => document.body.innerText);
			return /send-reply/.test(text) ? text : undefined;
		});
		check('the approved reply shows up as sent', /dana\.whitfield@northwindlogistics\.com/.test(sent));

		// No red execution anywhere.
		await sleep(3_000);
		const executions = await (await fetch(`${base}/rest/executions?limit=100`, { headers: { cookie } })).json();
		const list = executions.data?.results ?? executions.data ?? executions.results ?? [];
		const failed = list.filter((e) => e.status === 'error' || e.status === 'crashed');
		check('no execution failed', failed.length === 0, `${list.length} executions, ${failed.length} failed${failed.length ? `: ${failed.map((e) => `${e.workflowName ?? e.workflowId} ${e.status}`).join(', ')}` : ''}`);

		const total = Math.round((Date.now() - began) / 1000);
		process.stdout.write(`\nfirst hour, scripted: ${total} s in all; npm start ${startSeconds} s\n${(startText.match(/^Start: .*$/m) ?? [''])[0]}\nscreenshots in ${SHOTS}\n`);
	} finally {
		await browser?.close().catch(() => undefined);
		stop();
		await sleep(3_000);
		// The clone (with its node_modules and n8n data) goes; npm start's log stays for reading.
		fs.rmSync(clone, { recursive: true, force: true });
	}
	const failedChecks = checks.filter((c) => !c.ok);
	process.stdout.write(`\n${checks.length - failedChecks.length} of ${checks.length} checks held; npm start's output: ${startLog}\n`);
	process.exit(failedChecks.length ? 1 : 0);
}

main().catch((error) => {
	process.stderr.write(`first-hour failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
