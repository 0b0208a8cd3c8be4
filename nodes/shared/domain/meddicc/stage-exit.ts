import { z } from 'zod';
import { ConfigError } from '../config-error';
import { evidenceText } from './crm';
import { FIELD_LABELS, MEDDICC_FIELDS, type FieldResult, type MeddiccField } from './meddicc';

/**
 * Stage exit criteria: when a deal may leave its stage. Per CRM stage name, the stage it moves to and
 * the MEDDICC fields that must be known (stated in a call, or validated in the CRM), optionally a
 * minimum completeness. Rules decide; the result is only a proposal: the deal-stage approval template
 * asks a person or applies it by tier and confidence. The criteria live in the company config.
 */

export const StageExitRuleSchema = z
	.object({
		next: z.string().min(1).describe('The CRM stage the deal moves to when the criteria are met'),
		requires: z.array(z.enum(MEDDICC_FIELDS)).default([]).describe('MEDDICC fields that must be known'),
		minCompleteness: z.number().min(0).max(100).optional().describe('Minimum MEDDICC completeness (0-100)'),
	})
	.strict();
export const StageExitCriteriaSchema = z.record(z.string().min(1), StageExitRuleSchema);
export type StageExitCriteria = z.infer<typeof StageExitCriteriaSchema>;

/** The criteria as a node parameter gives them (object or JSON text), validated; errors name the path and the fix. */
export function parseStageCriteria(value: unknown): StageExitCriteria {
	let data = value ?? {};
	if (typeof data === 'string') {
		try {
			data = data.trim() ? JSON.parse(data) : {};
		} catch {
			throw new ConfigError('Stage Exit Criteria is not valid JSON', 'Give an object such as {"Discovery": {"next": "Demo Scheduled", "requires": ["identifyPain"]}}, or {}', 'stageExitCriteria');
		}
	}
	const parsed = StageExitCriteriaSchema.safeParse(data);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`Stage Exit Criteria: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, `Each stage needs "next" (a stage name) and "requires" (MEDDICC fields: ${MEDDICC_FIELDS.join(', ')})`, 'stageExitCriteria');
	}
	return parsed.data;
}

export interface StageProgress {
	/** The deal's stage as the CRM names it; null when unknown. */
	current: string | null;
	/** The stage the criteria lead to; null when the stage has no criteria. */
	next: string | null;
	/** All criteria met: propose moving to `next`. */
	ready: boolean;
	/** Required fields not known yet (and the completeness shortfall), in the criteria's order. */
	missing: string[];
	/** The least confidence among the required fields (1 for validated ones); 0 when not ready. */
	confidence: number;
	/** The quotes behind the required fields, for the approver. */
	evidence: string;
	ruleId: string | null;
}

const known = (f: FieldResult | undefined) => !!f && (f.state === 'stated' || f.state === 'kept') && !!f.value;

export function stageProgress(current: unknown, criteria: StageExitCriteria, fields: Partial<Record<MeddiccField, FieldResult>>, completeness: number): StageProgress {
	const stage = typeof current === 'string' && current.trim() ? current.trim() : null;
	// Stage names are matched as the CRM writes them, then without case.
	const key = stage === null ? undefined : Object.prototype.hasOwnProperty.call(criteria, stage) ? stage : Object.keys(criteria).find((k) => k.toLowerCase() === stage.toLowerCase());
	const rule = key === undefined ? undefined : criteria[key];
	if (!rule) return { current: stage, next: null, ready: false, missing: [], confidence: 0, evidence: '', ruleId: null };
	const missing: string[] = rule.requires.filter((name) => !known(fields[name])).map((name) => FIELD_LABELS[name]);
	if (rule.minCompleteness !== undefined && completeness < rule.minCompleteness) missing.push(`completeness ${completeness} < ${rule.minCompleteness}`);
	const ready = missing.length === 0;
	const required = rule.requires.map((name) => fields[name]!).filter(Boolean);
	return {
		current: stage,
		next: rule.next,
		ready,
		missing,
		confidence: ready ? Math.min(1, ...required.map((f) => (f.state === 'kept' ? 1 : f.confidence))) : 0,
		evidence: ready
			? rule.requires
					.map((name) => `${FIELD_LABELS[name]}: ${fields[name]!.value}${fields[name]!.evidence.length ? ` ${fields[name]!.evidence.slice(0, 2).map(evidenceText).join(' ')}` : ' (validated in the CRM)'}`)
					.join('; ')
			: '',
		ruleId: `exit:${key}`,
	};
}
