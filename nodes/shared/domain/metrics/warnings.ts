import { textOnly, toEpoch, type Deal } from './deals';
import { DAY, percentile, round } from './figures';
import type { PeriodMetrics } from './kpis';

/**
 * Pipeline anomalies (per group and period) and deal warnings (per open deal): the one home of what
 * is flagged and why. Each flag says its reason in words a sales manager reads, with the numbers
 * behind it, and who it goes to.
 */

export interface AnomalyRules {
	minCoverage: number;
	maxCoverage: number;
	creationDropShare: number;
}

export interface Anomaly {
	code: 'pipelineCreationDrop' | 'coverageLow' | 'coverageHigh';
	reason: string;
	value: number;
	threshold: number;
}

const money = (n: number) => Math.round(n).toLocaleString('en-US');

export function pipelineAnomalies(current: PeriodMetrics, trailingCreated: readonly number[], rules: AnomalyRules): Anomaly[] {
	const out: Anomaly[] = [];
	const created = current.figures.pipelineCreated.value;
	if (created !== null && trailingCreated.length > 0) {
		const norm = trailingCreated.reduce((a, b) => a + b, 0) / trailingCreated.length;
		if (norm > 0 && created < norm * rules.creationDropShare) {
			out.push({
				code: 'pipelineCreationDrop',
				reason: `Pipeline created this period (${money(created)}) is ${Math.round((created / norm) * 100)}% of the mean of the ${trailingCreated.length} periods before (${money(norm)}); the alert is under ${Math.round(rules.creationDropShare * 100)}%`,
				value: round(created / norm) as number,
				threshold: rules.creationDropShare,
			});
		}
	}
	const coverage = current.figures.coverage.value;
	if (coverage !== null && coverage < rules.minCoverage) {
		out.push({ code: 'coverageLow', reason: `Pipeline covers ${coverage.toFixed(1)}x of next period's quota; the playbook asks for at least ${rules.minCoverage}x`, value: coverage, threshold: rules.minCoverage });
	} else if (coverage !== null && coverage > rules.maxCoverage) {
		out.push({ code: 'coverageHigh', reason: `Pipeline covers ${coverage.toFixed(1)}x of next period's quota, above ${rules.maxCoverage}x: check that the open deals are real`, value: coverage, threshold: rules.maxCoverage });
	}
	return out;
}

export interface WarningRules {
	stalledDays: number;
	closeDatePushes: number;
	minStaysForP75: number;
	/** Stages (in the funnel's names) where the economic buyer must be known. */
	lateStages: ReadonlySet<string>;
	/** Who gets the warnings of a deal without an owner. */
	manager: string | null;
}

export type WarningCode = 'stalled' | 'stuckInStage' | 'closeDatePushed' | 'singleThreaded' | 'noEconomicBuyer';

export interface DealWarning {
	code: WarningCode;
	reason: string;
}

/** What the warnings read of a deal beyond the metrics' Deal. */
export interface DealSignals {
	owner: string | null;
	lastActivityAt: number | null;
	/** Close dates the deal has had, oldest first. */
	closeDates: number[];
	/** Contacts engaged on the deal; null when the input does not say (no flag then). */
	contacts: number | null;
	economicBuyerKnown: boolean;
}

/** `closeDateHistory`: [{ at, to }] or the CRM's history entries ({ at, before, after }) of closeDate. */
export function readDealSignals(fields: Record<string, unknown>): DealSignals {
	const changes: Array<[number, number]> = [];
	if (Array.isArray(fields.closeDateHistory)) {
		for (const e of fields.closeDateHistory as Array<Record<string, unknown>>) {
			const at = toEpoch(e?.at);
			const to = toEpoch(e?.to ?? e?.after);
			if (at !== null && to !== null) changes.push([at, to]);
		}
	}
	changes.sort((a, b) => a[0] - b[0]);
	const closeDates = changes.map((c) => c[1]);
	const contacts = typeof fields.contactCount === 'number' && Number.isFinite(fields.contactCount) ? fields.contactCount : Array.isArray(fields.contacts) ? new Set(fields.contacts.map((c) => (typeof c === 'string' ? c.toLowerCase() : JSON.stringify(c)))).size : null;
	const eb = textOnly(fields.meddiccEconomicBuyer);
	return { owner: textOnly(fields.owner), lastActivityAt: toEpoch(fields.lastActivityAt), closeDates, contacts, economicBuyerKnown: eb !== null && eb.toLowerCase() !== 'unknown' };
}

/** Times a close date moved later. */
export function closeDatePushes(closeDates: readonly number[]): number {
	let pushes = 0;
	for (let k = 1; k < closeDates.length; k++) if (closeDates[k] > closeDates[k - 1]) pushes++;
	return pushes;
}

/** p75 of completed stays per stage (days), over every deal's history, where enough stays exist. */
export function stageStayP75(deals: readonly Deal[], minStays: number): Map<string, number> {
	const stays = new Map<string, number[]>();
	for (const d of deals) {
		for (let k = 0; k < d.stageAt.length; k++) {
			const left = k + 1 < d.stageAt.length ? d.stageAt[k + 1] : d.outcome === 'won' || d.outcome === 'lost' ? d.closedAt : null;
			if (left === null || left < d.stageAt[k]) continue;
			const list = stays.get(d.stageTo[k]);
			const days = (left - d.stageAt[k]) / DAY;
			if (list) list.push(days);
			else stays.set(d.stageTo[k], [days]);
		}
	}
	const p75 = new Map<string, number>();
	for (const [stage, list] of stays) if (list.length >= minStays) p75.set(stage, percentile(list.sort((a, b) => a - b), 0.75) as number);
	return p75;
}

const days = (ms: number) => Math.floor(ms / DAY);

/** The warnings of one open deal at `asOf` (a closed deal has none). `stage`: its stage in the funnel's names. */
export function dealWarnings(deal: Deal, stage: string | null, signals: DealSignals, p75: ReadonlyMap<string, number>, rules: WarningRules, asOf: number): DealWarning[] {
	if (deal.outcome === 'won' || deal.outcome === 'lost') return [];
	const out: DealWarning[] = [];
	const last = signals.lastActivityAt ?? deal.openedAt;
	if (last !== null && asOf - last > rules.stalledDays * DAY) {
		out.push({ code: 'stalled', reason: signals.lastActivityAt !== null ? `No call, meeting or e-mail for ${days(asOf - last)} days (alert after ${rules.stalledDays})` : `No activity recorded since it opened ${days(asOf - last)} days ago (alert after ${rules.stalledDays})` });
	}
	if (stage !== null) {
		let entered: number | null = null;
		for (let k = deal.stageTo.length - 1; k >= 0; k--) {
			if (deal.stageTo[k] !== stage) break;
			entered = deal.stageAt[k];
		}
		const limit = p75.get(stage);
		if (entered !== null && limit !== undefined && (asOf - entered) / DAY > limit) {
			out.push({ code: 'stuckInStage', reason: `In ${stage} for ${days(asOf - entered)} days, longer than 75% of past deals stayed there (${round(limit, 1)} days)` });
		}
	}
	const pushes = closeDatePushes(signals.closeDates);
	if (pushes >= rules.closeDatePushes) out.push({ code: 'closeDatePushed', reason: `Close date pushed ${pushes} times (now ${deal.closeDate !== null ? new Date(deal.closeDate).toISOString().slice(0, 10) : 'none'})` });
	if (signals.contacts !== null && signals.contacts <= 1) out.push({ code: 'singleThreaded', reason: signals.contacts === 0 ? 'No contact engaged on the deal' : 'Single-threaded: one contact engaged on the deal' });
	if (stage !== null && rules.lateStages.has(stage) && !signals.economicBuyerKnown) out.push({ code: 'noEconomicBuyer', reason: `Late stage (${stage}) with no economic buyer known (MEDDICC)` });
	return out;
}

/** Who a deal's warnings go to: its owner, else the manager. */
export const warningRecipient = (signals: DealSignals, rules: WarningRules) => signals.owner ?? rules.manager;
