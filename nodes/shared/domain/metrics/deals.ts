/**
 * A deal as the metrics read it, from a canonical opportunity record (RevOps CRM) or any item with the
 * same field names. Reading never throws: a field that cannot be read leaves the deal out of the
 * figures that need it, with the reason.
 */

export type Outcome = 'open' | 'won' | 'lost';

export interface StageChange {
	/** The stage entered. */
	to: string;
	/** Epoch ms. */
	at: number;
}

export interface Deal {
	id: string;
	outcome: Outcome | null;
	amount: number | null;
	currency: string | null;
	/** Epoch ms; null when absent or not a date. */
	openedAt: number | null;
	closedAt: number | null;
	/** Expected (open) or actual close date, epoch ms. */
	closeDate: number | null;
	/** The canon stage (win probabilities are per canon stage). */
	stage: string | null;
	/** The CRM's own stage name. */
	crmStage: string | null;
	forecastCategory: string | null;
	/** Stage changes in time order. */
	stages: StageChange[];
	/** The value the figures are grouped by (owner, tier, source...), or null. */
	group: string | null;
}

const OUTCOMES: Record<string, Outcome> = { open: 'open', won: 'won', lost: 'lost', closed_won: 'won', closed_lost: 'lost', 'closed won': 'won', 'closed lost': 'lost' };

export function toEpoch(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

function toAmount(value: unknown): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null);

/** Reads one record's fields (`groupBy` names the field to group by; empty for one group). */
export function readDeal(fields: Record<string, unknown>, index: number, groupBy: string): Deal {
	const stages: StageChange[] = [];
	if (Array.isArray(fields.stageHistory)) {
		for (const entry of fields.stageHistory as Array<Record<string, unknown>>) {
			const to = text(entry?.to ?? entry?.stage);
			const at = toEpoch(entry?.at);
			if (to && at !== null) stages.push({ to, at });
		}
		stages.sort((a, b) => a.at - b.at);
	}
	const outcome = OUTCOMES[String(fields.outcome ?? '').trim().toLowerCase()] ?? null;
	return {
		id: text(fields.externalId ?? fields.id) ?? `#${index + 1}`,
		outcome,
		amount: toAmount(fields.amount),
		currency: text(fields.currency)?.toUpperCase() ?? null,
		openedAt: toEpoch(fields.openedAt ?? fields.createdAt),
		closedAt: toEpoch(fields.closedAt),
		closeDate: toEpoch(fields.closeDate),
		stage: text(fields.stage),
		crmStage: text(fields.crmStage),
		forecastCategory: text(fields.forecastCategory)?.toLowerCase() ?? null,
		stages,
		group: groupBy ? text(fields[groupBy]) : null,
	};
}
