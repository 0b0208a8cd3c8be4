import { NodeOperationError, type IBinaryKeyData, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { ForecastAccuracy } from '../../shared/domain/metrics/forecast';
import type { GroupedMetrics } from '../../shared/domain/metrics/kpis';
import { CHART_KINDS, CHART_TITLES, renderChart } from '../../shared/domain/metrics/report/charts';
import { chartProperty, periodLabel, reportHtml, reportSlackText, type ReportSection } from '../../shared/domain/metrics/report/report';
import { metricsItem } from './output';

interface MetricsJson extends GroupedMetrics {
	company: string;
	companyName?: string;
	currency: string;
	timezone?: string;
	groupBy: string | null;
	quota: number | null;
	forecastAccuracy?: ForecastAccuracy;
}

const isMetrics = (m: unknown): m is MetricsJson => !!m && typeof m === 'object' && typeof (m as MetricsJson).company === 'string' && typeof (m as MetricsJson).group === 'string' && !!(m as MetricsJson).current?.figures;

/**
 * Build Report: the Compute KPIs items of one or more companies in, one item out: the HTML report
 * (charts referenced as cid: for the Send Email node's inline images), the same as a page with the
 * charts inside (report.html, to open or archive), the Slack text, and each chart as a PNG.
 */
export async function buildReport(ctx: IExecuteFunctions, items: INodeExecutionData[], started: number): Promise<INodeExecutionData[]> {
	const sections = new Map<string, ReportSection>();
	const skipped: number[] = [];
	items.forEach((item, i) => {
		const m = item.json.metrics;
		if (!isMetrics(m)) {
			skipped.push(i);
			return;
		}
		const section = sections.get(m.company) ?? { company: m.company, name: m.companyName ?? m.company, currency: m.currency, timezone: m.timezone ?? 'UTC', all: m, groups: [], groupBy: m.groupBy, quota: m.quota, accuracy: null };
		if (m.group === 'all') Object.assign(section, { all: m, quota: m.quota, accuracy: m.forecastAccuracy ?? null, groupBy: m.groupBy });
		else section.groups.push(m);
		sections.set(m.company, section);
	});
	const list = [...sections.values()];
	if (list.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No KPI items to report on', { itemIndex: 0, description: 'Put a RevOps Metrics node with the operation Compute KPIs before this one' });
	}
	const period = list[0].all.current.period;
	const title = `${String(ctx.getNodeParameter('title', 0, 'Sales report')).trim() || 'Sales report'}, ${periodLabel(period, list[0].timezone)}`;
	const binary: IBinaryKeyData = {};
	const pngs = new Map<string, Buffer>();
	const charts: Array<{ company: string; kind: string; title: string; property: string; bytes: number }> = [];
	for (const s of list) {
		for (const kind of CHART_KINDS) {
			const property = chartProperty(s.company, kind);
			const png = await renderChart(kind, s.all, s.quota, s.currency, s.timezone);
			pngs.set(property, png);
			binary[property] = await ctx.helpers.prepareBinaryData(png, `${property}.png`, 'image/png');
			charts.push({ company: s.company, kind, title: CHART_TITLES[kind], property, bytes: png.length });
		}
	}
	const html = reportHtml(list, title, (p) => `cid:${p}`);
	const page = reportHtml(list, title, (p) => `data:image/png;base64,${pngs.get(p)?.toString('base64') ?? ''}`);
	binary.report_html = await ctx.helpers.prepareBinaryData(Buffer.from(page, 'utf8'), 'report.html', 'text/html');
	const item = metricsItem(
		ctx,
		null,
		started,
		{
			title,
			period,
			companies: list.map((s) => s.company),
			html,
			slackText: reportSlackText(list, title),
			charts,
			inlineImages: charts.map((c) => c.property).join(','),
			anomalies: list.reduce((n, s) => n + s.all.anomalies.length, 0),
			...(skipped.length ? { skipped: skipped.length, skippedReason: `${skipped.length} item(s) without a "metrics" object of Compute KPIs` } : {}),
		},
		items.map((_, i) => i),
		'report',
	);
	item.binary = binary;
	return [item];
}
