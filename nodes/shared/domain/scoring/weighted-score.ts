import jsonata from 'jsonata';
import { ConfigError } from '../config-error';
import { compileCondition, compilePath, isMissing, readPath, toNumber, toTime, type CompiledCondition, type EvalContext, type Flag } from './conditions';
import type { Condition, Criterion, MissingPolicy } from './playbook-schema';
import type { z } from 'zod';
import type { FieldDeclarationSchema } from './playbook-schema';

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
	missingFields: string[];
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

const round1 = (n: number) => Math.round(n * 10) / 10;

function shortValue(v: unknown): string {
	if (Array.isArray(v)) return v.slice(0, 3).map(String).join(', ') + (v.length > 3 ? ', ...' : '');
	const s = String(v);
	return s.length > 30 ? `${s.slice(0, 27)}...` : s;
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

export class WeightedScorer {
	private readonly criteria: CompiledCriterion[];

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
	}

	get ids(): string[] {
		return this.criteria.map((c) => c.id);
	}

	score(item: unknown, ctx: EvalContext, weights?: Record<string, number>): WeightedScore {
		const n = this.criteria.length;
		const reasons: Reason[] = new Array(n);
		const missingFields: string[] = [];
		let totalWeight = 0;
		for (let i = 0; i < n; i++) {
			const c = this.criteria[i];
			const weight = weights?.[c.id] ?? c.weight;
			const r = c.test(item, ctx);
			let status: ReasonStatus;
			let sub: number | null;
			if (r.missing) {
				missingFields.push(c.field);
				sub = c.missing === 'neutral' ? 50 : c.missing === 'zero' ? 0 : null;
				status = sub === null ? 'excluded' : 'missing';
			} else {
				sub = r.bandPoints ?? (r.matched ? c.points : c.elsePoints);
				status = r.matched ? 'matched' : 'not_matched';
			}
			if (sub !== null) totalWeight += weight;
			reasons[i] = { criterion: c.id, label: c.label, value: r.value ?? null, status, subScore: sub, weight, points: 0, maxPoints: 0 };
		}
		let score: number | null = null;
		if (totalWeight > 0) {
			let sum = 0;
			for (let i = 0; i < n; i++) {
				const sub = reasons[i].subScore;
				if (sub === null) continue;
				const share = reasons[i].weight / totalWeight;
				reasons[i].points = round1(share * sub);
				reasons[i].maxPoints = round1(share * 100);
				sum += share * sub;
			}
			score = Math.round(sum * 10) / 10;
		}
		return { score, reasons, missingFields, explanation: explain(score, reasons) };
	}
}

/** The two reasons with the largest key, without sorting or copying (this runs for every item). */
function topTwo(reasons: Reason[], key: (r: Reason) => number): Reason[] {
	let first: Reason | null = null;
	let second: Reason | null = null;
	for (const r of reasons) {
		const k = key(r);
		if (k <= 0) continue;
		if (!first || k > key(first)) {
			second = first;
			first = r;
		} else if (!second || k > key(second)) second = r;
	}
	return second ? [first as Reason, second] : first ? [first] : [];
}

const gained = (r: Reason) => r.points;
const lost = (r: Reason) => (r.status === 'excluded' ? 0 : r.maxPoints - r.points);

function explain(score: number | null, reasons: Reason[]): string {
	if (score === null) return 'No score: none of the criteria had data.';
	let text = `${score}/100`;
	const positive = topTwo(reasons, gained);
	if (positive.length) text += `; up: ${positive.map((r) => `${r.label} = ${shortValue(r.value)} (+${r.points})`).join(', ')}`;
	const negative = topTwo(reasons, lost);
	if (negative.length) {
		text += `; down: ${negative.map((r) => `${r.label}${r.status === 'missing' ? ' unknown' : ` = ${shortValue(r.value)}`} (-${round1(r.maxPoints - r.points)})`).join(', ')}`;
	}
	let excluded = '';
	let count = 0;
	for (const r of reasons) {
		if (r.status !== 'excluded') continue;
		if (count < 3) excluded += (count ? ', ' : '') + r.label;
		count++;
	}
	if (count) text += `; not scored (no data): ${excluded}${count > 3 ? ', ...' : ''}`;
	return `${text}.`;
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
				if (Number.isNaN(n)) return void flags.push({ field, code: 'not_a_number', message: `${field} is "${String(v).slice(0, 40)}", not a number` });
				if (d.min !== undefined && n < d.min) flags.push({ field, code: 'below_min', message: `${field} is ${n}, below ${d.min}` });
				if (d.max !== undefined && n > d.max) flags.push({ field, code: 'above_max', message: `${field} is ${n}, above ${d.max}` });
			} else if (d.type === 'date' && Number.isNaN(toTime(v))) {
				flags.push({ field, code: 'not_a_date', message: `${field} is "${String(v).slice(0, 40)}", not a date` });
			}
			if (allowed) {
				const values = Array.isArray(v) ? v : d.type === 'list' && typeof v === 'string' ? v.split(/[,;|]/) : [v];
				for (const x of values) {
					const k = typeof x === 'string' ? x.trim().toLowerCase() : x;
					if (k !== '' && !allowed.has(k)) flags.push({ field, code: 'unknown_value', message: `${field} has "${String(x).slice(0, 40)}", which is not one of the declared values` });
				}
			}
		};
	});
	return (item, flags) => {
		for (const check of checks) check(item, flags);
	};
}
