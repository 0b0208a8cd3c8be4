import { safeText } from '../text';
import { compileCondition, type CompiledCondition, type EvalContext } from './conditions';
import type { Condition } from './playbook-schema';
import { NO_ITEMS } from './shared-lists';

export interface RuleHit {
	id: string;
	label: string;
	field: string | null;
	value: unknown;
	reason: string;
}

function describe(c: Condition, value: unknown): string {
	const label = c.label ?? c.id;
	if (c.op === 'jsonata') return `${label} (rule ${c.id})`;
	const shown = Array.isArray(value) ? value.slice(0, 3).map((v) => safeText(v)).join(', ') : value === null || value === undefined ? 'missing' : safeText(value);
	return `${label}: ${c.field} = ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

/** Knock-outs, churn risks and expansion signals: conditions whose matches are reported with a reason. */
export class RuleFlags {
	private readonly rules: Array<{ c: Condition; test: CompiledCondition }>;

	constructor(conditions: Condition[]) {
		this.rules = conditions.map((c) => ({ c, test: compileCondition(c) }));
	}

	/** The rules the item matched; items that match none share one frozen empty list. */
	hits(item: unknown, ctx: EvalContext): readonly RuleHit[] {
		let out: RuleHit[] | null = null;
		for (const { c, test } of this.rules) {
			const r = test(item, ctx);
			if (r.matched) (out ??= []).push({ id: c.id, label: c.label ?? c.id, field: c.field ?? null, value: r.value ?? null, reason: describe(c, r.value) });
		}
		return out ?? NO_ITEMS;
	}
}
