import { readDeal } from '../../nodes/shared/domain/metrics/table';
import { groupedMetrics, type MetricsOptions, type Period } from '../../nodes/shared/domain/metrics/kpis';
import { CHART_KINDS, chartOption, renderChart, renderSvg } from '../../nodes/shared/domain/metrics/report/charts';
import { chartProperty, reportHtml, reportSlackText, type ReportSection } from '../../nodes/shared/domain/metrics/report/report';

const t = (s: string) => Date.parse(s);
const OCT: Period = { from: t('2026-10-01T00:00:00Z'), to: t('2026-11-01T00:00:00Z') };
const NOV: Period = { from: OCT.to, to: t('2026-12-01T00:00:00Z') };
const SEP: Period = { from: t('2026-09-01T00:00:00Z'), to: OCT.from };
const HOSTILE = '<script>alert(1)</script> & "Demo"';
const options: MetricsOptions = { currency: 'USD', quota: 50_000, stageProbabilities: {}, stageOrder: ['Discovery', HOSTILE, 'Proposal'], funnelField: 'crmStage' };
const deals = [
	{ externalId: 'a', outcome: 'won', openedAt: '2026-09-03T00:00:00Z', closedAt: '2026-10-03T00:00:00Z', amount: 12_000, owner: HOSTILE },
	{ externalId: 'b', outcome: 'lost', openedAt: '2026-09-03T00:00:00Z', closedAt: '2026-10-13T00:00:00Z', amount: 8_000, owner: 'ana' },
	{ externalId: 'c', outcome: 'open', openedAt: '2026-10-03T00:00:00Z', closeDate: '2026-11-20', amount: 30_000, crmStage: HOSTILE, stageHistory: [{ to: 'Discovery', at: '2026-10-03T00:00:00Z' }, { to: HOSTILE, at: '2026-10-09T00:00:00Z' }], owner: 'ana' },
	{ externalId: 'd', outcome: 'open', openedAt: '2026-10-05T00:00:00Z', closeDate: '2026-11-21', amount: 20_000, crmStage: 'Proposal', forecastCategory: 'commit', owner: 'ben' },
].map((f, i) => readDeal(f, i, 'owner'));
const [all, ...groups] = groupedMetrics(deals, { current: OCT, previous: SEP, next: NOV }, options, true, undefined, { minCoverage: 3, maxCoverage: 5, creationDropShare: 0.7 }, [SEP]);
const section = (company: string, currency = 'USD'): ReportSection => ({ company, name: company, currency, timezone: 'UTC', all, groups, groupBy: 'owner', quota: 50_000, accuracy: null });

/** Width and height from a PNG's IHDR chunk (after the 8-byte signature). */
const pngSize = (png: Buffer) => ({ signature: png.subarray(0, 8).toString('hex'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('report charts', () => {
	it('draws each chart from the figures it shows', () => {
		const pipe = chartOption('pipelineByStage', all, 50_000, 'USD') as { xAxis: { data: string[] }; series: Array<{ data: number[] }> };
		expect(pipe.series[0].data).toEqual([0, 30_000, 20_000]);
		const funnel = chartOption('funnel', all, null, 'USD') as { series: Array<{ data: number[] }> };
		expect(funnel.series[0].data).toEqual(all.current.stages.map((s) => s.reached));
		const forecast = chartOption('forecastVsQuota', all, 50_000, 'USD') as { series: Array<{ data: Array<{ value: number }>; markLine?: unknown }> };
		expect(forecast.series[0].data.map((d) => d.value)).toEqual([12_000, all.current.figures.weightedPipeline.value, 20_000, 20_000]);
		expect(forecast.series[0].markLine).toBeDefined();
		const trend = chartOption('trend', all, null, 'USD') as { xAxis: { data: string[] } };
		expect(trend.xAxis.data).toEqual(['2026-09-01', '2026-10-01']);
	});

	it('renders valid PNGs at twice the chart size, with CRM text escaped in the SVG', async () => {
		for (const kind of CHART_KINDS) {
			const png = await renderChart(kind, all, 50_000, 'USD');
			expect(pngSize(png)).toEqual({ signature: '89504e470d0a1a0a', width: 1280, height: 720 });
			expect(png.length).toBeGreaterThan(5_000);
		}
		const svg = await renderSvg(chartOption('pipelineByStage', all, null, 'USD'));
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;');
	});

	it('draws an empty period without failing', async () => {
		const [empty] = groupedMetrics([], { current: OCT, previous: SEP, next: NOV }, options, false);
		for (const kind of CHART_KINDS) expect(pngSize(await renderChart(kind, empty, null, 'USD')).width).toBe(1280);
	});
});

describe('report HTML and Slack text', () => {
	it('points at every chart of every company, escapes CRM text, and rolls up per currency', () => {
		const html = reportHtml([section('acme_saas'), section('nordwind', 'EUR'), section('third')], 'Weekly report', (p) => `cid:${p}`);
		for (const company of ['acme_saas', 'nordwind', 'third']) for (const kind of CHART_KINDS) expect(html).toContain(`src="cid:${chartProperty(company, kind)}"`);
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('Portfolio roll-up');
		expect(html).toContain('Total USD');
		expect(html).toContain('USD 24,000'); // bookings 12,000 x 2 USD companies
		expect(html).toContain('Total EUR');
		expect(html).toContain('Needs attention'); // coverage 1.0x < 3x
	});

	it('has no roll-up for a single company; Slack text carries the headline and anomalies, escaped', () => {
		expect(reportHtml([section('acme_saas')], 'R', (p) => p)).not.toContain('Portfolio roll-up');
		const text = reportSlackText([section('<!channel>')], 'Weekly & more');
		expect(text).toContain('*Weekly &amp; more*');
		expect(text).toContain('&lt;!channel&gt;');
		expect(text).toMatch(/Bookings: USD 12,000/);
		expect(text).toMatch(/:warning: Pipeline covers 1\.0x/);
	});
});
