import path from 'node:path';
import type { GroupedMetrics } from '../kpis';
import { dayIn } from './dates';

/**
 * The report's charts, drawn on the server with Apache ECharts (its server-side SVG renderer: no
 * browser, no outside service) and turned into PNG with resvg (e-mail clients and Slack show PNG, not
 * SVG), in the DejaVu Sans font shipped with the package so a chart looks the same on every machine.
 */

export const CHART_KINDS = ['pipelineByStage', 'funnel', 'forecastVsQuota', 'trend'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const CHART_TITLES: Record<ChartKind, string> = {
	pipelineByStage: 'Open pipeline by stage',
	funnel: 'Funnel: deals opened in the period that reached each stage',
	forecastVsQuota: 'Forecast vs quota',
	trend: 'Bookings, pipeline created and win rate',
};

const WIDTH = 640;
const HEIGHT = 360;
const FONT = 'DejaVu Sans';
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#9333ea', '#dc2626', '#0891b2'];

/** Labels come from the CRM (stage names, owners): shortened for an axis, never interpreted. */
const label = (s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s);
const compact = (n: number) => (Math.abs(n) >= 1e6 ? `${Math.round(n / 1e5) / 10}M` : Math.abs(n) >= 1e3 ? `${Math.round(n / 100) / 10}k` : String(Math.round(n)));

/** The ECharts option of one chart (exported for tests: what is drawn is checked on the option and the image). */
export function chartOption(kind: ChartKind, m: GroupedMetrics, quota: number | null, currency: string, timezone = 'UTC'): Record<string, unknown> {
	const base = {
		animation: false,
		backgroundColor: '#ffffff',
		color: COLORS,
		textStyle: { fontFamily: FONT },
		title: { text: CHART_TITLES[kind], left: 'center', top: 8, textStyle: { fontSize: 15, fontWeight: 'normal', fontFamily: FONT } },
		grid: { left: 70, right: 40, top: 56, bottom: 56 },
	};
	const money = { type: 'value', name: currency, axisLabel: { formatter: (v: number) => compact(v) } };
	if (kind === 'pipelineByStage') {
		const rows = m.current.pipelineByStage;
		return {
			...base,
			xAxis: { type: 'category', data: rows.map((r) => label(r.stage)), axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0 } },
			yAxis: money,
			series: [{ type: 'bar', data: rows.map((r) => r.amount), label: { show: true, position: 'top', formatter: (p: { dataIndex: number }) => `${rows[p.dataIndex].deals} deal${rows[p.dataIndex].deals === 1 ? '' : 's'}` } }],
		};
	}
	if (kind === 'funnel') {
		const stages = m.current.stages;
		return {
			...base,
			xAxis: { type: 'category', data: stages.map((s) => label(s.stage)), axisLabel: { interval: 0, rotate: stages.length > 4 ? 20 : 0 } },
			yAxis: { type: 'value', name: 'deals', minInterval: 1 },
			series: [
				{
					type: 'bar',
					data: stages.map((s) => s.reached),
					label: { show: true, position: 'top', formatter: (p: { dataIndex: number }) => { const c = stages[p.dataIndex].conversion; return c === null ? `${stages[p.dataIndex].reached}` : `${stages[p.dataIndex].reached} → ${Math.round(c * 100)}%`; } },
				},
			],
		};
	}
	if (kind === 'forecastVsQuota') {
		const f = m.current.figures;
		const bars: Array<[string, number]> = [
			['Booked (this period)', f.bookings.value ?? 0],
			['Weighted (next)', f.weightedPipeline.value ?? 0],
			['Commit (next)', f.commit.value ?? 0],
			['Best case (next)', f.bestCase.value ?? 0],
		];
		return {
			...base,
			xAxis: { type: 'category', data: bars.map((b) => b[0]), axisLabel: { interval: 0 } },
			yAxis: { ...money, max: quota ? (v: { max: number }) => Math.max(v.max, quota) * 1.1 : undefined },
			series: [
				{
					type: 'bar',
					data: bars.map((b, i) => ({ value: b[1], itemStyle: { color: COLORS[i] } })),
					label: { show: true, position: 'top', formatter: (p: { value: number }) => compact(p.value) },
					...(quota ? { markLine: { symbol: 'none', lineStyle: { color: '#dc2626', type: 'dashed' }, label: { formatter: `quota ${compact(quota)}`, position: 'insideEndTop' }, data: [{ yAxis: quota }] } } : {}),
				},
			],
		};
	}
	const t = m.trend;
	return {
		...base,
		legend: { bottom: 4, itemGap: 24, textStyle: { fontFamily: FONT } },
		grid: { ...base.grid, bottom: 70, right: 60 },
		xAxis: { type: 'category', data: t.map((p) => dayIn(Date.parse(p.from), timezone)) },
		yAxis: [money, { type: 'value', name: 'win rate', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { show: false } }],
		series: [
			{ name: 'Bookings', type: 'bar', data: t.map((p) => p.bookings) },
			{ name: 'Pipeline created', type: 'bar', data: t.map((p) => p.pipelineCreated) },
			{ name: 'Win rate', type: 'line', yAxisIndex: 1, data: t.map((p) => p.winRate), connectNulls: false },
		],
	};
}

type ECharts = typeof import('echarts');
type ResvgModule = typeof import('@resvg/resvg-js');
let libraries: Promise<{ echarts: ECharts; resvg: ResvgModule }> | null = null;
/** Loaded on the first report only: the other operations never pay for the chart library. */
const load = async () => (libraries ??= Promise.all([import('echarts'), import('@resvg/resvg-js')]).then(([echarts, resvg]) => ({ echarts, resvg })));

export async function renderSvg(option: Record<string, unknown>): Promise<string> {
	const { echarts } = await load();
	const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
	try {
		chart.setOption(option);
		return chart.renderToSVGString();
	} finally {
		chart.dispose();
	}
}

/** The font every chart is drawn in, shipped with the package (no system fonts: same image everywhere). */
const FONT_FILE = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');

/** PNG at twice the chart's size (sharp on high-density screens). */
export async function svgToPng(svg: string): Promise<Buffer> {
	const { resvg } = await load();
	return new resvg.Resvg(svg, { font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: 'width', value: WIDTH * 2 } }).render().asPng();
}

export const renderChart = async (kind: ChartKind, m: GroupedMetrics, quota: number | null, currency: string, timezone = 'UTC'): Promise<Buffer> => await svgToPng(await renderSvg(chartOption(kind, m, quota, currency, timezone)));
