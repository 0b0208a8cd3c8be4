import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { openBrowser } from './canvas';
import { postCrm, runNow, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-7 template (workflows/ops-analytics-report.json) in real n8n, on the instance of the suite
 * that calls it: deals in the company's CRM, the report run as the schedule would run it, the e-mail
 * that reached the mail server with its charts inline, the Slack message with the charts as files,
 * the deal warnings in the company's channel, and the e-mail as a person sees it in a real browser.
 */

const CONFIGS = path.resolve(__dirname, '..', '..', 'workflows', 'companies');

/** Width and height of a PNG from its IHDR chunk, and whether it starts with the PNG signature. */
const png = (b: Buffer) => ({ png: b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a', width: b.readUInt32BE(16), height: b.readUInt32BE(20) });

export function salesReportSuite(version: string, instance: () => Instance): void {
	describe(`sales report template on n8n ${version}`, () => {
		it('reports the month from the CRM by e-mail and Slack with valid charts, warns about deals, and reads well in a browser', async () => {
			const n8n = instance();
			const config = JSON.parse(fs.readFileSync(path.join(CONFIGS, n8n.company === 'acme_saas' ? 'acme-saas-us.json' : 'nordwind-services-eu.json'), 'utf8'));
			const zone = config.calendar.timezone as string;
			const stages = Object.keys(config.stageMap) as string[];
			const [first, second, third] = stages;
			// The report covers the month of now (asOf = the start of the next month, in the company's zone);
			// every date below lies between the month's start and now.
			const start = DateTime.now().setZone(zone).startOf('month');
			const asOf = start.plus({ months: 1 });
			const now = Date.now();
			const at = (share: number) => new Date(start.toMillis() + (now - start.toMillis()) * share).toISOString();
			const nextMonthDay = asOf.plus({ days: 10 }).toISODate();
			const deals = [
				{ externalId: 'rep-won-1', name: 'Won one', outcome: 'won', openedAt: at(0.1), closedAt: at(0.5), amount: 40_000, currency: config.company.currency, crmStage: third, owner: 'ana@example.test', lastActivityAt: at(0.5) },
				{ externalId: 'rep-won-2', name: 'Won two', outcome: 'won', openedAt: at(0.2), closedAt: at(0.6), amount: 20_000, currency: config.company.currency, crmStage: third, owner: 'ben@example.test', lastActivityAt: at(0.6) },
				{ externalId: 'rep-lost', name: 'Lost one', outcome: 'lost', openedAt: at(0.2), closedAt: at(0.7), amount: 15_000, currency: config.company.currency, crmStage: second, owner: 'ben@example.test', lastActivityAt: at(0.7) },
				// Open, closing next month, committed: the forecast; no owner and no activity for 40 days: a warning to the manager.
				{ externalId: 'rep-open', name: 'Open big', outcome: 'open', openedAt: at(0.3), closeDate: nextMonthDay, amount: 90_000, currency: config.company.currency, crmStage: first, forecastCategory: 'commit', lastActivityAt: new Date(now - 40 * 86_400_000).toISOString(), contactCount: 3 },
			];
			// Each deal moves through its stages one write at a time: the CRM's history is the stage history.
			for (const d of deals) {
				const path_ = stages.slice(0, Math.max(1, stages.indexOf(d.crmStage) + 1));
				for (const crmStage of path_) await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'opportunity', fields: { ...d, crmStage }, writtenBy: 'rule', writer: 'seed' });
			}
			n8n.mail.messages.length = 0;
			n8n.alerts.received.length = 0;
			const slackBefore = n8n.slack.messages.length;

			const execution = await runNow(n8n, 'RvOpsSalesReport', 'revops-sales-report', { period: 'month', asOf: asOf.toUTC().toISO() });
			expect(execution.status).toBe('success');
			const runs = await n8n.server.executionRuns(execution.id);
			const metrics = runs['KPIs'][0][0][0].json.metrics;
			expect(metrics.company).toBe(n8n.company);
			expect(metrics.current.figures.bookings).toMatchObject({ value: 60_000, count: 2 });
			expect(metrics.current.figures.winRate.value).toBeCloseTo(2 / 3, 3);
			expect(metrics.current.figures.commit.value).toBe(90_000);
			expect(metrics.inputs.stageHistory).toBe('crm');
			// Every deal reached the first stage; the funnel counts the stages the CRM recorded.
			expect(metrics.current.stages[0]).toMatchObject({ stage: first, reached: 4 });

			// The e-mail, as the mail server received it: HTML with the four charts inline by Content-ID.
			const mail = await waitFor('the report e-mail', () => n8n.mail.messages.find((m) => m.to.includes(config.channels.notifyEmail)));
			const parsed = await simpleParser(mail.raw, { keepCidLinks: true });
			expect(parsed.subject).toContain('sales report');
			const images = parsed.attachments.filter((a) => a.contentType === 'image/png');
			expect(images).toHaveLength(4);
			for (const image of images) {
				expect(png(image.content)).toEqual({ png: true, width: 1280, height: 720 });
				expect(parsed.html).toContain(`cid:${image.cid}`);
			}

			// Slack: one message in the company's channel with the headline and the same four charts.
			const slack = await waitFor('the Slack report', () => n8n.slack.messages.slice(slackBefore).find((m) => m.channel === config.channels.slackChannel));
			expect(slack.text).toContain(config.company.name);
			expect(slack.text).toMatch(/Bookings: [A-Z]{3} 60,000/);
			expect(slack.files).toHaveLength(4);
			for (const f of slack.files) expect(png(f.bytes)).toEqual({ png: true, width: 1280, height: 720 });

			// The stalled deal without an owner: its warning goes to the channel, for the manager.
			const warnings = n8n.alerts.received.map((a) => String(a.body.text));
			expect(warnings.filter((t) => t.includes('Open big'))).toHaveLength(1);
			expect(warnings.find((t) => t.includes('Open big'))).toMatch(/^:warning: For .+: deal Open big \(.+\): No call, meeting or e-mail for \d+ days/);
			expect(warnings.some((t) => t.includes('Won one'))).toBe(false);

			// The e-mail as the recipient sees it: its HTML with the inline images, in a real browser.
			let html = String(parsed.html);
			for (const image of images) html = html.split(`cid:${image.cid}`).join(`data:image/png;base64,${image.content.toString('base64')}`);
			const browser = await openBrowser();
			try {
				const page = await browser.newPage();
				await page.setViewport({ width: 900, height: 1200 });
				await page.setContent(html, { waitUntil: 'load' });
				const shown = await page.evaluate(() => Array.from(document.images).map((img) => ({ loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth, shownWidth: img.getBoundingClientRect().width })));
				expect(shown).toHaveLength(4);
				for (const img of shown) expect(img).toMatchObject({ loaded: true, width: 1280 });
				// The charts fit the e-mail's width (no sideways scrolling).
				expect(Math.max(...shown.map((s) => s.shownWidth))).toBeLessThanOrEqual(900);
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
				expect(await page.evaluate(() => document.querySelector('table.kpis')?.textContent ?? '')).toMatch(/Bookings/);
				if (process.env.REVOPS_SCREENSHOTS) {
					fs.mkdirSync(process.env.REVOPS_SCREENSHOTS, { recursive: true });
					await page.screenshot({ path: path.join(process.env.REVOPS_SCREENSHOTS, 'sales-report.png') as `${string}.png`, fullPage: true });
				}
			} finally {
				await browser.close();
			}
		}, 300_000);

		// The roll-up: both example companies in one report, each computed from its own CRM (Acme on
		// Data Tables needs n8n 2.x's public API, so this runs on 2.x).
		(Number(version.split('.')[0]) >= 2 ? it : it.skip)('rolls every company up into one portfolio report, each from its own CRM and currency', async () => {
			const n8n = instance();
			const now = Date.now();
			const zoneStart = (zone: string) => DateTime.now().setZone(zone).startOf('month');
			// One Nordwind deal won this month (EUR, PostgreSQL); Acme's deals are those of the test above.
			const berlin = zoneStart('Europe/Berlin');
			const wonAt = new Date(berlin.toMillis() + (now - berlin.toMillis()) / 2).toISOString();
			await postCrm(n8n, 'revops-test-crm-account', 'nordwind_services', { object: 'opportunity', fields: { externalId: 'nw-rollup-1', name: 'Lüftung Halle 7', outcome: 'won', openedAt: wonAt, closedAt: wonAt, amount: 75_000, currency: 'EUR', crmStage: 'Gewonnen' }, writtenBy: 'rule', writer: 'seed' });
			n8n.mail.messages.length = 0;
			const asOf = DateTime.now().setZone('America/New_York').startOf('month').plus({ months: 1 }).toUTC().toISO();
			const execution = await runNow(n8n, 'RvOpsPortfolioRp', 'revops-portfolio-report', { companies: ['acme_saas', 'nordwind_services'], period: 'month', asOf });
			expect(execution.status).toBe('success');
			const mail = await waitFor('the portfolio report e-mail', () => n8n.mail.messages.find((m) => m.to.includes('portfolio-reports@fund.example')));
			const parsed = await simpleParser(mail.raw, { keepCidLinks: true });
			expect(parsed.subject).toContain('Portfolio sales report');
			const images = parsed.attachments.filter((a) => a.contentType === 'image/png');
			expect(images).toHaveLength(8);
			for (const image of images) expect(png(image.content)).toMatchObject({ png: true, width: 1280 });
			const html = String(parsed.html);
			expect(html).toContain('Portfolio roll-up');
			expect(html).toContain('Acme Analytics (US SaaS)');
			expect(html).toMatch(/Nordwind/);
			expect(html).toContain('Total USD');
			expect(html).toContain('Total EUR');
			expect(html).toContain('EUR 75,000');
		}, 300_000);
	});
}
