import jsonata from 'jsonata';
import { ConfigError } from '../config-error';

export interface ApprovalRule {
	name: string;
	condition: string;
}

/** Builder-written JSONata conditions that send an item to a person when true, compiled once per run. */
export class ApprovalRules {
	private readonly compiled: Array<{ name: string; expr: ReturnType<typeof jsonata> }>;

	constructor(rules: ApprovalRule[]) {
		this.compiled = rules
			.filter((r) => r.condition.trim())
			.map((r, i) => {
				const name = r.name.trim() || `rule-${i + 1}`;
				try {
					return { name, expr: jsonata(r.condition) };
				} catch (error) {
					throw new ConfigError(
						`Approval rule "${name}" is not valid JSONata: ${(error as { message?: string }).message}`,
						'Fix the condition, e.g. `crmPatch.discountPercent > 20` or `$count(riskFlags) > 0`.',
						'approvalRules',
					);
				}
			});
	}

	/** Names of the rules whose condition is true for this item; a condition that fails counts as true. */
	async matching(item: unknown): Promise<string[]> {
		const matched: string[] = [];
		for (const { name, expr } of this.compiled) {
			let result: unknown;
			try {
				result = await expr.evaluate(item);
			} catch {
				// A condition that cannot be evaluated must not let an item through unreviewed.
				result = true;
			}
			if (result === true || (Array.isArray(result) && result.includes(true))) matched.push(name);
		}
		return matched;
	}
}
