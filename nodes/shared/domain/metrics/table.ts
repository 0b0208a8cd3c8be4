import { text, toAmount, toEpoch, type Deal, type Outcome } from './deals';

/**
 * Deals as columns: one typed array per field and the stage histories as two flat arrays, so a
 * million deals with five million stage changes are a handful of arrays instead of millions of
 * objects for the garbage collector to walk. Text values (stages, currencies, categories, groups) are
 * numbers into one dictionary. The KPIs read this; `Deal` objects remain for per-deal work.
 */

export const OUTCOME_CODE = { open: 1, won: 2, lost: 3 } as const;
const OUTCOME_OF: Array<Outcome | null> = [null, 'open', 'won', 'lost'];

export class Dictionary {
	private readonly ids = new Map<string, number>();
	readonly values: string[] = [];
	id(value: string | null): number {
		if (value === null) return -1;
		let id = this.ids.get(value);
		if (id === undefined) {
			id = this.values.length;
			this.ids.set(value, id);
			this.values.push(value);
		}
		return id;
	}
	/** The id of a value already seen, else -1 (nothing is added). */
	find(value: string | null): number {
		return value === null ? -1 : (this.ids.get(value) ?? -1);
	}
	value(id: number): string | null {
		return id < 0 ? null : this.values[id];
	}
}

export interface DealTable {
	n: number;
	dict: Dictionary;
	id: string[];
	/** 0 unknown, 1 open, 2 won, 3 lost. */
	outcome: Uint8Array;
	/** NaN where absent. */
	amount: Float64Array;
	openedAt: Float64Array;
	closedAt: Float64Array;
	closeDate: Float64Array;
	/** Dictionary ids, -1 where absent. */
	currency: Int32Array;
	stage: Int32Array;
	crmStage: Int32Array;
	forecast: Int32Array;
	group: Int32Array;
	/** Deal i's stage changes are histStage/histAt[histStart[i] .. histStart[i + 1]), in time order. */
	histStart: Int32Array;
	histStage: Int32Array;
	histAt: Float64Array;
}

const nz = (v: number | null) => (v === null ? NaN : v);

function allocate(n: number, changes: number, dict: Dictionary): DealTable {
	return {
		n,
		dict,
		id: new Array<string>(n),
		outcome: new Uint8Array(n),
		amount: new Float64Array(n),
		openedAt: new Float64Array(n),
		closedAt: new Float64Array(n),
		closeDate: new Float64Array(n),
		currency: new Int32Array(n),
		stage: new Int32Array(n),
		crmStage: new Int32Array(n),
		forecast: new Int32Array(n),
		group: new Int32Array(n),
		histStart: new Int32Array(n + 1),
		histStage: new Int32Array(changes),
		histAt: new Float64Array(changes),
	};
}

/** Case-folded codes, kept per raw value: a million deals share a handful of currencies and categories. */
function codeReader(dict: Dictionary, upper: boolean) {
	const seen = new Map<unknown, number>();
	return (value: unknown): number => {
		let id = seen.get(value);
		if (id === undefined) {
			const t = text(value);
			id = dict.id(t === null ? null : upper ? t.toUpperCase() : t.toLowerCase());
			if (seen.size < 10_000) seen.set(value, id);
		}
		return id;
	};
}

const OUTCOME_WORDS: Record<string, number> = { open: 1, won: 2, lost: 3, closed_won: 2, closed_lost: 3, 'closed won': 2, 'closed lost': 3 };

/** A column twice as long (at least `min`), its values kept. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(column: T, min: number): T {
	const next = new (column.constructor as new (n: number) => T)(Math.max(min, column.length * 2));
	next.set(column);
	return next;
}

/**
 * Reads records straight into columns (what `readDeal` reads, field for field, without an object per
 * deal), a batch at a time: a whole pipeline read from the CRM page by page is never held as records
 * all at once. `groupBy` names the field to group by; empty for one group.
 */
export class DealTableBuilder {
	private t: DealTable;
	private h = 0;
	private readonly currencyOf: (value: unknown) => number;
	private readonly forecastOf: (value: unknown) => number;

	constructor(
		private readonly groupBy: string,
		capacity = 1024,
		changes = capacity * 4,
	) {
		const dict = new Dictionary();
		this.t = allocate(capacity, changes, dict);
		this.t.n = 0;
		this.currencyOf = codeReader(dict, true);
		this.forecastOf = codeReader(dict, false);
	}

	private reserveDeals(deals: number): void {
		const t = this.t;
		const n = t.n + deals;
		if (n > t.outcome.length) {
			t.outcome = grown(t.outcome, n);
			t.amount = grown(t.amount, n);
			t.openedAt = grown(t.openedAt, n);
			t.closedAt = grown(t.closedAt, n);
			t.closeDate = grown(t.closeDate, n);
			t.currency = grown(t.currency, n);
			t.stage = grown(t.stage, n);
			t.crmStage = grown(t.crmStage, n);
			t.forecast = grown(t.forecast, n);
			t.group = grown(t.group, n);
			t.histStart = grown(t.histStart, n + 1);
		}
	}

	/** Room for `changes` more stage changes after the first `h` (the history columns double as needed). */
	private reserveChanges(h: number, changes: number): void {
		const t = this.t;
		if (h + changes > t.histStage.length) {
			t.histStage = grown(t.histStage, h + changes);
			t.histAt = grown(t.histAt, h + changes);
		}
	}

	/** Adds records; `indexOf(k)` numbers the k-th of them for deals without an id (`#n`). */
	add(records: ReadonlyArray<Record<string, unknown>>, indexOf: (k: number) => number = (k) => k): this {
		this.reserveDeals(records.length);
		const t = this.t;
		const { dict } = t;
		const groupBy = this.groupBy;
		let h = this.h;
		for (let k = 0; k < records.length; k++) {
			const f = records[k];
			const i = t.n++;
			t.id[i] = text(f.externalId ?? f.id) ?? `#${indexOf(k) + 1}`;
			const o = f.outcome;
			// Only text can name an outcome: an object's String() may throw (no toString) or say anything.
			t.outcome[i] = o === 'open' ? 1 : o === 'won' ? 2 : o === 'lost' ? 3 : typeof o === 'string' ? (OUTCOME_WORDS[o.trim().toLowerCase()] ?? 0) : 0;
			t.amount[i] = nz(toAmount(f.amount));
			t.currency[i] = this.currencyOf(f.currency);
			t.openedAt[i] = nz(toEpoch(f.openedAt ?? f.createdAt));
			t.closedAt[i] = nz(toEpoch(f.closedAt));
			t.closeDate[i] = nz(toEpoch(f.closeDate));
			t.stage[i] = dict.id(text(f.stage));
			t.crmStage[i] = dict.id(text(f.crmStage));
			t.forecast[i] = this.forecastOf(f.forecastCategory);
			t.group[i] = groupBy ? dict.id(text(f[groupBy])) : -1;
			t.histStart[i] = h;
			const history = f.stageHistory;
			if (Array.isArray(history)) {
				this.reserveChanges(h, history.length);
				const first = h;
				let sorted = true;
				for (let c = 0; c < history.length; c++) {
					const entry = history[c] as Record<string, unknown> | null;
					if (entry === null || typeof entry !== 'object') continue;
					const to = text(entry.to ?? entry.stage);
					const at = toEpoch(entry.at);
					if (to === null || at === null) continue;
					if (h > first && at < t.histAt[h - 1]) sorted = false;
					t.histStage[h] = dict.id(to);
					t.histAt[h] = at;
					h++;
				}
				if (!sorted) sortHistory(t, first, h);
			}
		}
		this.h = h;
		t.histStart[t.n] = h;
		return this;
	}

	/** The table (its columns cut to the deals and changes read); the builder is done with. */
	finish(): DealTable {
		const t = this.t;
		const n = t.n;
		t.id.length = n;
		return {
			...t,
			outcome: t.outcome.subarray(0, n),
			amount: t.amount.subarray(0, n),
			openedAt: t.openedAt.subarray(0, n),
			closedAt: t.closedAt.subarray(0, n),
			closeDate: t.closeDate.subarray(0, n),
			currency: t.currency.subarray(0, n),
			stage: t.stage.subarray(0, n),
			crmStage: t.crmStage.subarray(0, n),
			forecast: t.forecast.subarray(0, n),
			group: t.group.subarray(0, n),
			histStart: t.histStart.subarray(0, n + 1),
			histStage: t.histStage.subarray(0, this.h),
			histAt: t.histAt.subarray(0, this.h),
		};
	}
}

/** All records at once (see DealTableBuilder). */
export function readDealTable(records: ReadonlyArray<Record<string, unknown>>, groupBy: string, indexOf: (k: number) => number = (k) => k): DealTable {
	// Room for five changes a deal to start with; the history columns grow when there are more.
	return new DealTableBuilder(groupBy, records.length, records.length * 5).add(records, indexOf).finish();
}

/** Orders one deal's changes by time (stable: equal times keep their order), as readDeal does. */
function sortHistory(t: DealTable, from: number, to: number): void {
	const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => t.histAt[a] - t.histAt[b] || a - b);
	const stages = order.map((k) => t.histStage[k]);
	const ats = order.map((k) => t.histAt[k]);
	for (let k = 0; k < order.length; k++) {
		t.histStage[from + k] = stages[k];
		t.histAt[from + k] = ats[k];
	}
}

/** The table of deals already read as objects (tests, and callers that hold `Deal`s). */
export function tableOfDeals(deals: readonly Deal[]): DealTable {
	let changes = 0;
	for (const d of deals) changes += d.stageAt.length;
	const dict = new Dictionary();
	const t = allocate(deals.length, changes, dict);
	let h = 0;
	for (let i = 0; i < deals.length; i++) {
		const d = deals[i];
		t.id[i] = d.id;
		t.outcome[i] = d.outcome === null ? 0 : OUTCOME_CODE[d.outcome];
		t.amount[i] = nz(d.amount);
		t.currency[i] = dict.id(d.currency);
		t.openedAt[i] = nz(d.openedAt);
		t.closedAt[i] = nz(d.closedAt);
		t.closeDate[i] = nz(d.closeDate);
		t.stage[i] = dict.id(d.stage);
		t.crmStage[i] = dict.id(d.crmStage);
		t.forecast[i] = dict.id(d.forecastCategory);
		t.group[i] = dict.id(d.group);
		t.histStart[i] = h;
		for (let k = 0; k < d.stageAt.length; k++) {
			t.histStage[h] = dict.id(d.stageTo[k]);
			t.histAt[h] = d.stageAt[k];
			h++;
		}
	}
	t.histStart[deals.length] = h;
	return t;
}

/** Each dictionary id's place in a stage order (its first place), -1 for ids that are not stages of it. */
export function stagePositions(t: DealTable, order: readonly string[]): Int32Array {
	const position = new Int32Array(t.dict.values.length).fill(-1);
	order.forEach((stage, k) => {
		const id = t.dict.find(stage);
		if (id >= 0 && position[id] === -1) position[id] = k;
	});
	return position;
}

/** One deal of the table as an object (for the per-deal work: warnings, win/loss). */
export function dealAt(t: DealTable, i: number): Deal {
	const num = (v: number) => (Number.isNaN(v) ? null : v);
	const stageTo: string[] = [];
	const stageAt: number[] = [];
	for (let k = t.histStart[i]; k < t.histStart[i + 1]; k++) {
		stageTo.push(t.dict.values[t.histStage[k]]);
		stageAt.push(t.histAt[k]);
	}
	return {
		id: t.id[i],
		outcome: OUTCOME_OF[t.outcome[i]],
		amount: num(t.amount[i]),
		currency: t.dict.value(t.currency[i]),
		openedAt: num(t.openedAt[i]),
		closedAt: num(t.closedAt[i]),
		closeDate: num(t.closeDate[i]),
		stage: t.dict.value(t.stage[i]),
		crmStage: t.dict.value(t.crmStage[i]),
		forecastCategory: t.dict.value(t.forecast[i]),
		stageTo,
		stageAt,
		group: t.dict.value(t.group[i]),
	};
}

/** One record as a `Deal` (small inputs and tests; many records: readDealTable, then dealAt). */
export const readDeal = (fields: Record<string, unknown>, index: number, groupBy: string): Deal => dealAt(readDealTable([fields], groupBy, () => index), 0);
