import { z } from 'zod';

/**
 * The playbook format shared by the ICP Scorer and the Health Score: one JSON document per portfolio
 * company, validated here, published as JSON Schema for editors (dist/schemas/).
 */

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const OPERATORS = [
	'equals',
	'notEquals',
	'in',
	'notIn',
	'between',
	'gt',
	'gte',
	'lt',
	'lte',
	'bands',
	'containsAny',
	'containsAll',
	'exists',
	'notExists',
	'withinDays',
	'olderThanDays',
	'jsonata',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const MissingPolicySchema = z
	.enum(['neutral', 'zero', 'exclude'])
	.describe('What a criterion scores when its field is missing: neutral (50), zero, or excluded with the other weights renormalized');
export type MissingPolicy = z.infer<typeof MissingPolicySchema>;

export const BandSchema = z
	.object({
		min: z.number().optional().describe('Lower bound, inclusive; open when absent'),
		max: z.number().optional().describe('Upper bound, exclusive; open when absent'),
		points: z.number().min(0).max(100).describe('Score 0-100 for a value in this band'),
		label: z.string().optional(),
	})
	.strict();

const conditionShape = {
	id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, _ . : or -').describe('Stable identifier, shown in reasons'),
	label: z.string().optional().describe('Words for the explanation sentence'),
	field: z.string().optional().describe('Dot path of the value on the item, e.g. account.employees'),
	op: z.enum(OPERATORS),
	value: Scalar.optional(),
	values: z.array(Scalar).optional(),
	min: z.number().optional(),
	max: z.number().optional(),
	days: z.number().positive().optional().describe('For withinDays / olderThanDays'),
	bands: z.array(BandSchema).min(1).optional().describe('For op "bands": numeric ranges mapped to points'),
	expression: z.string().optional().describe('For op "jsonata": a JSONata expression over the item; truthy means match'),
	caseSensitive: z.boolean().optional(),
	allowNegative: z.boolean().optional().describe('Numeric fields: whether negative values are real (they are flagged otherwise)'),
};

function checkOperands(c: { op: Operator; field?: string; value?: unknown; values?: unknown[]; min?: number; max?: number; days?: number; bands?: unknown[]; expression?: string }, ctx: z.RefinementCtx) {
	const need = (key: string, ok: boolean, what: string) => {
		if (!ok) ctx.addIssue({ code: 'custom', path: [key], message: `operator "${c.op}" needs ${what}` });
	};
	if (c.op !== 'jsonata') need('field', !!c.field, 'a field');
	switch (c.op) {
		case 'equals':
		case 'notEquals':
			need('value', c.value !== undefined, 'a value');
			break;
		case 'in':
		case 'notIn':
		case 'containsAny':
		case 'containsAll':
			need('values', Array.isArray(c.values) && c.values.length > 0, 'a non-empty list of values');
			break;
		case 'between':
			need('min', c.min !== undefined || c.max !== undefined, 'min and/or max');
			if (c.min !== undefined && c.max !== undefined && c.min > c.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must not be below min' });
			break;
		case 'gt':
		case 'gte':
		case 'lt':
		case 'lte':
			need('value', typeof c.value === 'number', 'a numeric value');
			break;
		case 'bands':
			need('bands', Array.isArray(c.bands) && c.bands.length > 0, 'bands');
			break;
		case 'withinDays':
		case 'olderThanDays':
			need('days', c.days !== undefined, 'days');
			break;
		case 'jsonata':
			need('expression', !!c.expression, 'an expression');
			break;
	}
}

export const ConditionSchema = z.object(conditionShape).strict().superRefine(checkOperands);
export type Condition = z.infer<typeof ConditionSchema>;

export const CriterionSchema = z
	.object({
		...conditionShape,
		weight: z.number().min(0).describe('Relative weight; weights need not add up to anything'),
		points: z.number().min(0).max(100).optional().describe('Score 0-100 when the condition matches (default 100)'),
		elsePoints: z.number().min(0).max(100).optional().describe('Score 0-100 when it does not (default 0)'),
		missing: MissingPolicySchema.optional().describe('Overrides the playbook-wide missing-data policy'),
	})
	.strict()
	.superRefine(checkOperands);
export type Criterion = z.infer<typeof CriterionSchema>;

export const FieldDeclarationSchema = z
	.object({
		type: z.enum(['string', 'number', 'boolean', 'date', 'list']),
		values: z.array(Scalar).optional().describe('Allowed values; others are flagged as unknown'),
		min: z.number().optional(),
		max: z.number().optional(),
	})
	.strict();

const commonShape = {
	$schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors'),
	name: z.string().optional(),
	version: z.string().optional().describe('Your own label; the effective configuration is hashed into rulesetVersion anyway'),
	missingData: MissingPolicySchema.default('exclude'),
	fields: z.record(z.string(), FieldDeclarationSchema).optional().describe('Data dictionary: types and allowed values, checked on every item'),
};

export const IcpPlaybookSchema = z
	.object({
		...commonShape,
		criteria: z.array(CriterionSchema).min(1).describe('Fit criteria'),
		knockouts: z.array(ConditionSchema).default([]).describe('Any match disqualifies, whatever the score'),
		tiers: z
			.object({ T1: z.number().min(0).max(100), T2: z.number().min(0).max(100), T3: z.number().min(0).max(100) })
			.strict()
			.default({ T1: 75, T2: 50, T3: 25 })
			.refine((t) => t.T1 >= t.T2 && t.T2 >= t.T3, 'tier thresholds must satisfy T1 >= T2 >= T3')
			.describe('Minimum fit score per tier; below T3 is Disqualified'),
		minEvidence: z
			.object({
				knownWeightPercent: z.number().min(0).max(100).describe('Share of the total criteria weight that must have data'),
				capTier: z.enum(['T2', 'T3', 'Disqualified']).default('T3').describe('The best tier a lead or account with less data can get'),
			})
			.strict()
			.optional()
			.describe('Thin data: with less data than this, a high fit on the few known criteria cannot lift the tier above capTier'),
		engagement: z
			.object({
				eventsField: z.string().default('events'),
				typeField: z.string().default('type'),
				dateField: z.string().default('at'),
				halfLifeDays: z.number().positive().default(14),
				eventPoints: z.record(z.string(), z.number().min(0)),
				fullScoreAt: z.number().positive().default(100).describe('Decayed points that make an engagement score of 100'),
			})
			.strict()
			.optional(),
		grades: z
			.object({
				fit: z.object({ A: z.number(), B: z.number() }).strict().default({ A: 75, B: 50 }),
				engagement: z.object({ '1': z.number(), '2': z.number() }).strict().default({ '1': 66, '2': 33 }),
			})
			.strict()
			.optional(),
	})
	.strict();
export type IcpPlaybook = z.infer<typeof IcpPlaybookSchema>;

export const HealthPlaybookSchema = z
	.object({
		...commonShape,
		measures: z.array(CriterionSchema).min(1),
		segments: z
			.object({
				field: z.string(),
				weights: z.record(z.string(), z.record(z.string(), z.number().min(0))).describe('Per segment value: measure id -> weight'),
			})
			.strict()
			.optional(),
		bands: z
			.array(z.object({ name: z.string().min(1), min: z.number().min(0).max(100) }).strict())
			.min(2)
			.max(6)
			.default([
				{ name: 'green', min: 70 },
				{ name: 'yellow', min: 40 },
				{ name: 'red', min: 0 },
			])
			.refine((b) => b.some((x) => x.min === 0), 'one band must start at 0 so every score has a band')
			.refine((b) => new Set(b.map((x) => x.name)).size === b.length, 'band names must be unique'),
		trend: z
			.object({ previousScoreField: z.string(), flatWithin: z.number().min(0).default(2) })
			.strict()
			.optional(),
		churnRisks: z.array(ConditionSchema).default([]),
		expansionSignals: z.array(ConditionSchema).default([]),
		override: z.object({ field: z.string() }).strict().optional().describe('Item field holding { score | band, reason, expiresAt, by }'),
	})
	.strict();
export type HealthPlaybook = z.infer<typeof HealthPlaybookSchema>;
