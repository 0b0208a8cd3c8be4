import { text, toAmount, toEpoch } from './deals';
import { Exclusions, figure, type Figure, type Period } from './figures';

/**
 * Net and gross revenue retention from account revenue snapshots: the account's recurring revenue
 * (`arr`) as it stood at each time it changed (the CRM's history of the field, or `arrHistory` on the
 * item). A period's retention compares the revenue at its end with the revenue at its start, for the
 * accounts that had some at its start: accounts won later never count, churned ones count as 0.
 */

export interface Account {
	id: string;
	/** Snapshot times (epoch ms, ascending) and the revenue from then on, as two parallel lists. */
	at: number[];
	arr: number[];
	group: string | null;
}


export function readAccount(fields: Record<string, unknown>, index: number, groupBy: string): Account {
	const pairs: Array<[number, number]> = [];
	if (Array.isArray(fields.arrHistory)) {
		for (const entry of fields.arrHistory as Array<Record<string, unknown>>) {
			const at = toEpoch(entry?.at);
			const value = toAmount(entry?.arr ?? entry?.to ?? entry?.value);
			if (at !== null && value !== null) pairs.push([at, value]);
		}
	}
	pairs.sort((a, b) => a[0] - b[0]);
	return { id: text(fields.domain ?? fields.id) ?? `#${index + 1}`, at: pairs.map((p) => p[0]), arr: pairs.map((p) => p[1]), group: groupBy ? text(fields[groupBy]) : null };
}

/** The revenue in force at a moment: the last snapshot at or before it (null before the first). */
export function revenueAt(account: Account, t: number): number | null {
	let value: number | null = null;
	for (let k = 0; k < account.at.length && account.at[k] <= t; k++) value = account.arr[k];
	return value;
}

export function retentionFigures(accounts: readonly Account[], period: Period, given: boolean): Record<'nrr' | 'grr', Figure> {
	const ex = new Exclusions();
	let start = 0;
	let end = 0;
	let kept = 0;
	let count = 0;
	for (const a of accounts) {
		if (a.at.length === 0) {
			ex.add(a.id, 'no revenue snapshots');
			continue;
		}
		const before = revenueAt(a, period.from);
		if (before === null || before === 0) continue;
		const after = revenueAt(a, period.to - 1) ?? 0;
		start += before;
		end += after;
		kept += Math.min(after, before);
		count++;
	}
	const note = given ? 'no account had recurring revenue at the period start' : 'no account records on the input (add a RevOps CRM search of customer accounts)';
	return {
		nrr: figure('nrr', start > 0 ? end / start : null, count, ex, note),
		grr: figure('grr', start > 0 ? kept / start : null, count, ex, note),
	};
}
