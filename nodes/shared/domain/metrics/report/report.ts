import type { KpiId } from '../definitions';
import type { ForecastAccuracy } from '../forecast';
import type { GroupedMetrics } from '../kpis';
import { CHART_KINDS, CHART_TITLES, type ChartKind } from './charts';
import { periodLabel } from './dates';

export { periodLabel } from './dates';

/**
 * The weekly or monthly report: one section per portfolio company (headline KPIs beside the previous
 * period, anomalies, forecast accuracy, the four charts, the groups) and a roll-up when there is more
 * than one company. Everything from the CRM is escaped: a stage or owner named "<script>" is text.
 */

export interface ReportSection {
	company: string;
	/** The company's name as its config gives it (the id when absent). */
	name: string;
	currency: string;
	/** The company's time zone: periods are labelled in it (a month in Berlin starts at 22:00 UTC). */
	timezone: string;
	/** The figures of the company as a whole, and of each group when the metrics were grouped. */
	all: GroupedMetrics;
	groups: GroupedMetrics[];
	groupBy: string | null;
	quota: number | null;
	accuracy: ForecastAccuracy | null;
}

export const HEADLINE: KpiId[] = ['bookings', 'winRate', 'acv', 'cycleDaysMedian', 'pipelineCreated', 'pipeline', 'coverage', 'weightedPipeline', 'commit', 'slaHitRate', 'responseMinutesMedian', 'activityToOpportunity', 'nrr', 'grr', 'cac'];

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A binary property name that is also a safe Content-ID: letters, digits and underscores. */
export const chartProperty = (company: string, kind: ChartKind) => `${company.replace(/[^A-Za-z0-9]/g, '_')}_${kind}`;

export function formatValue(id: KpiId, unit: string, value: number | null, currency: string): string {
	if (value === null) return '–';
	if (unit === 'ratio') return id === 'coverage' || id === 'activityToOpportunity' ? `${value.toFixed(1)}x` : `${(value * 100).toFixed(1)}%`;
	if (unit === 'currency' || unit === 'currency per day') return `${currency} ${Math.round(value).toLocaleString('en-US')}${unit === 'currency per day' ? '/day' : ''}`;
	if (unit === 'days') return `${value.toFixed(1)} d`;
	if (unit === 'minutes') return `${value.toFixed(0)} min`;
	return String(Math.round(value * 100) / 100);
}

function change(id: KpiId, unit: string, m: GroupedMetrics, currency: string): string {
	const d = m.change[id];
	if (d === undefined) return '';
	if (d === 0) return '±0';
	const sign = d > 0 ? '▲' : '▼';
	return `${sign} ${formatValue(id, unit, Math.abs(d), currency)}`;
}


/** `image`: how the HTML points at a chart (cid: for e-mail, a data: URL for a page). */
export function reportHtml(sections: readonly ReportSection[], title: string, image: (property: string) => string): string {
	const parts: string[] = [];
	parts.push(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="margin:0;padding:24px;background:#f8fafc;font-family:Arial,Helvetica,sans-serif;color:#0f172a">`);
	parts.push(`<h1 style="font-size:22px;margin:0 0 4px">${escapeHtml(title)}</h1>`);
	if (sections.length > 1) parts.push(rollUp(sections));
	for (const s of sections) {
		const f = s.all.current.figures;
		parts.push(`<div class="section" style="background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:16px;margin:16px 0">`);
		parts.push(`<h2 style="font-size:18px;margin:0 0 4px">${escapeHtml(s.name)}</h2><p style="margin:0 0 12px;color:#475569">${escapeHtml(periodLabel(s.all.current.period, s.timezone))}, beside ${escapeHtml(periodLabel(s.all.previous.period, s.timezone))}</p>`);
		if (s.all.anomalies.length) {
			parts.push(`<div class="anomalies" style="background:#fef2f2;border-left:4px solid #dc2626;padding:8px 12px;margin-bottom:12px"><strong>Needs attention</strong><ul style="margin:4px 0">${s.all.anomalies.map((a) => `<li>${escapeHtml(a.reason)}</li>`).join('')}</ul></div>`);
		}
		parts.push(`<table class="kpis" style="border-collapse:collapse;width:100%;font-size:14px"><tr style="text-align:left;color:#475569"><th style="padding:4px 8px">KPI</th><th style="padding:4px 8px">This period</th><th style="padding:4px 8px">Change</th><th style="padding:4px 8px">Records</th></tr>`);
		for (const id of HEADLINE) {
			const x = f[id];
			if (x.value === null && s.all.previous.figures[id].value === null) continue;
			parts.push(`<tr style="border-top:1px solid #e2e8f0"><td style="padding:4px 8px" title="${escapeHtml(x.definition)}">${escapeHtml(x.name)}</td><td style="padding:4px 8px"><strong>${escapeHtml(formatValue(id, x.unit, x.value, s.currency))}</strong></td><td style="padding:4px 8px">${escapeHtml(change(id, x.unit, s.all, s.currency))}</td><td style="padding:4px 8px;color:#64748b">${x.count}${x.excluded.total ? ` (${x.excluded.total} left out)` : ''}</td></tr>`);
		}
		parts.push('</table>');
		if (s.accuracy) {
			const a = s.accuracy;
			const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
			parts.push(`<p class="accuracy" style="font-size:14px">Forecast accuracy for ${escapeHtml(periodLabel(a.period, s.timezone))}: weighted ${pct(a.weightedPipeline.accuracy)}, commit ${pct(a.commit.accuracy)}, best case ${pct(a.bestCase.accuracy)}${a.note ? ` (${escapeHtml(a.note)})` : ''}.</p>`);
		}
		for (const kind of CHART_KINDS) {
			parts.push(`<div style="margin:12px 0"><img src="${escapeHtml(image(chartProperty(s.company, kind)))}" alt="${escapeHtml(`${s.name}: ${CHART_TITLES[kind]}`)}" width="640" style="max-width:100%;height:auto;border:1px solid #e2e8f0"></div>`);
		}
		if (s.groups.length) {
			parts.push(`<h3 style="font-size:15px">By ${escapeHtml(s.groupBy ?? 'group')}</h3><table class="groups" style="border-collapse:collapse;font-size:14px"><tr style="text-align:left;color:#475569"><th style="padding:4px 8px">${escapeHtml(s.groupBy ?? 'group')}</th><th style="padding:4px 8px">Bookings</th><th style="padding:4px 8px">Win rate</th><th style="padding:4px 8px">Open pipeline</th></tr>`);
			for (const g of s.groups) {
				const gf = g.current.figures;
				parts.push(`<tr style="border-top:1px solid #e2e8f0"><td style="padding:4px 8px">${escapeHtml(g.group)}</td><td style="padding:4px 8px">${escapeHtml(formatValue('bookings', 'currency', gf.bookings.value, s.currency))}</td><td style="padding:4px 8px">${escapeHtml(formatValue('winRate', 'ratio', gf.winRate.value, s.currency))}</td><td style="padding:4px 8px">${escapeHtml(formatValue('pipeline', 'currency', gf.pipeline.value, s.currency))}</td></tr>`);
			}
			parts.push('</table>');
		}
		parts.push('</div>');
	}
	parts.push('<p style="color:#64748b;font-size:12px">Each figure\'s definition is in its tooltip and in the README; records left out are counted beside it. Computed by the RevOps Metrics node from the CRM.</p></body></html>');
	return parts.join('');
}

function rollUp(sections: readonly ReportSection[]): string {
	const rows = sections.map((s) => {
		const f = s.all.current.figures;
		return `<tr style="border-top:1px solid #e2e8f0"><td style="padding:4px 8px">${escapeHtml(s.name)}</td><td style="padding:4px 8px">${escapeHtml(formatValue('bookings', 'currency', f.bookings.value, s.currency))}</td><td style="padding:4px 8px">${escapeHtml(formatValue('winRate', 'ratio', f.winRate.value, s.currency))}</td><td style="padding:4px 8px">${escapeHtml(formatValue('pipeline', 'currency', f.pipeline.value, s.currency))}</td><td style="padding:4px 8px">${escapeHtml(formatValue('coverage', 'ratio', f.coverage.value, s.currency))}</td><td style="padding:4px 8px">${s.all.anomalies.length}</td></tr>`;
	});
	// Amounts are added up per currency only: the report never converts.
	const totals = new Map<string, { bookings: number; pipeline: number }>();
	for (const s of sections) {
		const t = totals.get(s.currency) ?? { bookings: 0, pipeline: 0 };
		t.bookings += s.all.current.figures.bookings.value ?? 0;
		t.pipeline += s.all.current.figures.pipeline.value ?? 0;
		totals.set(s.currency, t);
	}
	const totalRows = [...totals.entries()].map(([c, t]) => `<tr style="border-top:2px solid #0f172a"><td style="padding:4px 8px"><strong>Total ${escapeHtml(c)}</strong></td><td style="padding:4px 8px"><strong>${escapeHtml(formatValue('bookings', 'currency', t.bookings, c))}</strong></td><td></td><td style="padding:4px 8px"><strong>${escapeHtml(formatValue('pipeline', 'currency', t.pipeline, c))}</strong></td><td></td><td></td></tr>`);
	return `<div class="rollup" style="background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:16px;margin:16px 0"><h2 style="font-size:18px;margin:0 0 8px">Portfolio roll-up</h2><table style="border-collapse:collapse;font-size:14px"><tr style="text-align:left;color:#475569"><th style="padding:4px 8px">Company</th><th style="padding:4px 8px">Bookings</th><th style="padding:4px 8px">Win rate</th><th style="padding:4px 8px">Open pipeline</th><th style="padding:4px 8px">Coverage</th><th style="padding:4px 8px">Anomalies</th></tr>${rows.join('')}${totalRows.join('')}</table></div>`;
}

/** Slack mrkdwn: the headline of each company and its anomalies (the charts go as files beside it). */
export function reportSlackText(sections: readonly ReportSection[], title: string): string {
	const slack = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
	const lines = [`*${slack(title)}*`];
	for (const s of sections) {
		const f = s.all.current.figures;
		const bits = (['bookings', 'winRate', 'pipeline', 'coverage', 'weightedPipeline'] as KpiId[]).map((id) => `${f[id].name}: ${formatValue(id, f[id].unit, f[id].value, s.currency)}${s.all.change[id] !== undefined ? ` (${change(id, f[id].unit, s.all, s.currency)})` : ''}`);
		lines.push(`*${slack(s.name)}* ${slack(periodLabel(s.all.current.period, s.timezone))}: ${slack(bits.join(' · '))}`);
		for (const a of s.all.anomalies) lines.push(`:warning: ${slack(a.reason)}`);
	}
	return lines.join('\n');
}
