import { safeText } from '../text';
import jsonata from 'jsonata';
import { ConfigError } from '../config-error';
import { compileCondition, compilePath, isMissing, readPath, toNumber, toTime, type CompiledCondition, type EvalContext, type Flag } from './conditions';
import type { Condition, Criterion, MissingPolicy } from './playbook-schema';
import { Explainer } from './explanation';
import { anyValueShape, round1 } from './tenths';
import { ReasonCache, type ReasonEntry } from './reason-cache';
import { MissingFieldLists } from './shared-lists';
import type { z } from 'zod';
import type { FieldDeclarationSchema } from './playbook-schema';

/** Longest text of an account value a reason shows: it explains the score, it does not copy the account. */
const MAX_SHOWN = 200;
/** Most list entries a reason shows. */
const MAX_SHOWN_ENTRIES = 50;

/** The value as a reason shows it: long texts and long lists cut; anything else as it is. */
function shownValue(value: unknown): unknown {
	if (typeof value === 'string') return value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
	if (Array.isArray(value) && (value.length > MAX_SHOWN_ENTRIES || value.some((v) => typeof v === 'string' && v.length > MAX_SHOWN))) return value.slice(0, MAX_SHOWN_ENTRIES).map(shownValue);
	return value;
}

export type ReasonStatus = 'matched' | 'not_matched' | 'missing' | 'excluded';

export interface Reason {
	criterion: string;
	label: string;
	value: unknown;
	status: ReasonStatus;
	/** The criterion's own 0-100 score; null when excluded. */
	subScore: number | null;
	weight: number;
	/** Points this criterion added to the 0-100 total (they sum to the score). */
	points: number;
	/** Points it could have added at best; maxPoints - points is what it cost. */
	maxPoints: number;
}

export interface WeightedScore {
	/** 0-100, or null when every criterion was excluded for missing data. */
	score: number | null;
	reasons: Reason[];
	/** Shared between accounts with the same gaps: read-only. */
	missingFields: readonly string[];
	/** Top positive and negative factors in one sentence, for a rep or a CRM note. */
	explanation: string;
}

interface CompiledCriterion {
	id: string;
	label: string;
	field: string;
	weight: number;
	points: number;
	elsePoints: number;
	missing: MissingPolicy;
	test: CompiledCondition;
}

/** Pre-computes JSONata conditions for an item (JSONata evaluates asynchronously). */
export class JsonataConditions {
	private readonly compiled: Array<{ id: string; expr: ReturnType<typeof jsonata> }> = [];

	constructor(conditions: Array<Condition | Criterion>) {
		for (const c of conditions) {
			if (c.op !== 'jsonata') continue;
			try {
				this.compiled.push({ id: c.id, expr: jsonata(c.expression as string) });
			} catch (error) {
				throw new ConfigError(
					`JSONata expression of "${c.id}" does not parse: ${(error as Error).message}`,
					'Fix the expression; try it at try.jsonata.org against a sample item.',
					c.id,
				);
			}
		}
	}

	get empty(): boolean {
		return this.compiled.length === 0;
	}

	async evaluate(item: unknown): Promise<Map<string, unknown>> {
		const out = new Map<string, unknown>();
		// JSONata functions such as $toMillis expect dates as ISO text; rows from some sources (n8n 1.x
		// Data Tables) carry Date objects. JSON round-tripping gives expressions the same data everywhere.
		const input = JSON.parse(JSON.stringify(item ?? null));
		for (const { id, expr } of this.compiled) {
			try {
				out.set(id, await expr.evaluate(input));
			} catch {
				out.set(id, undefined); // a runtime error on this item's data counts as missing data
			}
		}
		return out;
	}
}

/** Every reason's shape, with the keys in the order `score` writes them (see `anyValueShape`). */
export const REASON_SHAPE = anyValueShape<Reason>({ criterion: null, label: null, value: null, status: null, subScore: null, weight: null, points: null, maxPoints: null });

const STATUS: ReasonStatus[] = ['matched', 'not_matched', 'missing', 'excluded'];
const MATCHED = 0;
const NOT_MATCHED = 1;
const MISSING = 2;
const EXCLUDED = 3;

export class WeightedScorer {
	private readonly criteria: CompiledCriterion[];
	// Per-item scratch space, reused because scoring is synchronous and runs for every account.
	private readonly subs: Float64Array;
	private readonly states: Uint8Array;
	private readonly values: unknown[];
	private readonly entries: ReasonEntry[];
	/** Entries for reasons of one account alone (values not remembered), one per criterion, reused. */
	private readonly ownEntries: Array<ReasonEntry | undefined>;
	private readonly result: WeightedScore = { score: null, reasons: [], missingFields: [], explanation: '' };
	private readonly cache: ReasonCache;
	private readonly explainer: Explainer;
	private readonly missingLists: MissingFieldLists;

	constructor(criteria: Criterion[], defaultMissing: MissingPolicy) {
		const ids = new Set<string>();
		this.criteria = criteria.map((c) => {
			if (ids.has(c.id)) throw new ConfigError(`Two criteria have the id "${c.id}"`, 'Give every criterion its own id.', c.id);
			ids.add(c.id);
			return {
				id: c.id,
				label: c.label ?? c.id,
				field: c.field ?? c.id,
				weight: c.weight,
				points: c.points ?? 100,
				elsePoints: c.elsePoints ?? 0,
				missing: c.missing ?? defaultMissing,
				test: compileCondition(c),
			};
		});
		if (!this.criteria.some((c) => c.weight > 0)) {
			throw new ConfigError('Every criterion has weight 0', 'Give at least one criterion a weight above 0.');
		}
		this.subs = new Float64Array(this.criteria.length);
		this.states = new Uint8Array(this.criteria.length);
		this.values = new Array(this.criteria.length).fill(null);
		this.entries = new Array(this.criteria.length);
		this.ownEntries = new Array(this.criteria.length);
		this.cache = new ReasonCache(this.criteria.length);
		this.explainer = new Explainer(this.criteria.map((c) => c.label));
		this.missingLists = new MissingFieldLists(this.criteria.map((c) => c.field));
	}

	private ownEntry(i: number, reason: Reason): ReasonEntry {
		const entry = this.ownEntries[i];
		if (!entry) return (this.ownEntries[i] = { reason, phrases: null });
		entry.reason = reason;
		return entry;
	}

	get ids(): string[] {
		return this.criteria.map((c) => c.id);
	}

	/** The account's score. The returned object is reused by the next call: read it at once, never keep it. */
	score(item: unknown, ctx: EvalContext, weights?: Record<string, number>): WeightedScore {
		const { criteria, subs, states, values } = this;
		const n = criteria.length;
		let missingMask = 0;
		let missingFields: string[] | null = null; // only for playbooks too large for a mask
		let totalWeight = 0;
		for (let i = 0; i < n; i++) {
			const c = criteria[i];
			const r = c.test(item, ctx);
			values[i] = r.value ?? null;
			if (r.missing) {
				if (this.missingLists.usable) missingMask |= 1 << i;
				else (missingFields ??= []).push(c.field);
				if (c.missing === 'exclude') {
					states[i] = EXCLUDED;
					continue;
				}
				states[i] = MISSING;
				subs[i] = c.missing === 'neutral' ? 50 : 0;
			} else {
				states[i] = r.matched ? MATCHED : NOT_MATCHED;
				subs[i] = r.bandPoints ?? (r.matched ? c.points : c.elsePoints);
			}
			totalWeight += weights?.[c.id] ?? c.weight;
		}
		const maps = this.cache.valuesFor(ctx.now, weights, totalWeight);
		const entries = this.entries;
		const reasons: Reason[] = new Array(n);
		let sum = 0;
		for (let i = 0; i < n; i++) {
			const c = criteria[i];
			const state = states[i];
			const scored = state !== EXCLUDED && totalWeight > 0;
			const sub = state === EXCLUDED ? null : subs[i];
			const weight = weights?.[c.id] ?? c.weight;
			const share = scored ? weight / totalWeight : 0;
			if (scored) sum += share * subs[i];
			const value = values[i];
			let entry = this.cache.known(maps[i], value, STATUS[state], sub);
			if (!entry) {
				const reason: Reason = {
					criterion: c.id,
					label: c.label,
					value: shownValue(value),
					status: STATUS[state],
					subScore: sub,
					weight,
					points: scored ? round1(share * subs[i]) : 0,
					maxPoints: scored ? round1(share * 100) : 0,
				};
				entry = this.cache.remember(maps[i], value, reason) ?? this.ownEntry(i, reason);
			}
			entries[i] = entry;
			reasons[i] = entry.reason;
		}
		// The scratch space keeps the last account's values and reasons until the next call; the
		// account's own item holds them anyway.
		const result = this.result;
		result.score = totalWeight > 0 ? round1(sum) : null;
		result.reasons = reasons;
		result.missingFields = missingFields ?? this.missingLists.forMask(missingMask);
		result.explanation = this.explainer.explain(result.score, entries);
		return result;
	}
}

type FieldDeclaration = z.infer<typeof FieldDeclarationSchema>;

/** Checks an item against the playbook's data dictionary, so bad CRM data is flagged, not scored silently. */
export function compileFieldChecks(fields: Record<string, FieldDeclaration> | undefined): (item: unknown, flags: Flag[]) => void {
	const checks = Object.entries(fields ?? {}).map(([field, d]) => {
		const keys = compilePath(field);
		const allowed = d.values ? new Set(d.values.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v))) : null;
		return (item: unknown, flags: Flag[]) => {
			const v = readPath(item, keys);
			if (isMissing(v)) return;
			if (d.type === 'number') {
				const n = toNumber(v);
				if (Number.isNaN(n)) return void flags.push({ field, code: 'not_a_number', message: `${field} is "${safeText(v)}", not a number` });
				if (d.min !== undefined && n < d.min) flags.push({ field, code: 'below_min', message: `${field} is ${n}, below ${d.min}` });
				if (d.max !== undefined && n > d.max) flags.push({ field, code: 'above_max', message: `${field} is ${n}, above ${d.max}` });
			} else if (d.type === 'date' && Number.isNaN(toTime(v))) {
				flags.push({ field, code: 'not_a_date', message: `${field} is "${safeText(v)}", not a date` });
			}
			if (allowed) {
				const values = Array.isArray(v) ? v : d.type === 'list' && typeof v === 'string' ? v.split(/[,;|]/) : [v];
				for (const x of values) {
					const k = typeof x === 'string' ? x.trim().toLowerCase() : x;
					if (k !== '' && !allowed.has(k)) flags.push({ field, code: 'unknown_value', message: `${field} has "${safeText(x)}", which is not one of the declared values` });
				}
			}
		};
	});
	return (item, flags) => {
		for (const check of checks) check(item, flags);
	};
}
