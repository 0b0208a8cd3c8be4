import { z } from 'zod';

/**
 * The metrics part of a company config (`metrics`): the thresholds of the pipeline anomalies and deal
 * warnings, quotas and spend per period. Defaults are here and only here.
 */
export const METRICS_DEFAULTS = {
	/** Coverage of the next period's quota under this is flagged (the playbook's healthy band is 3-5x). */
	minCoverage: 3,
	maxCoverage: 5,
	/** Pipeline created in the period under this share of the trailing periods' mean is flagged. */
	creationDropShare: 0.7,
	/** Periods before the current one that make the trailing norm. */
	trailingPeriods: 4,
	/** An open deal with no call, meeting or e-mail for this many days is stalled. */
	stalledDays: 14,
	/** A close date moved later this many times or more ("pushed more than once"). */
	closeDatePushes: 2,
	/** Deals behind a stage's historical p75 are measured against at least this many past stays. */
	minStaysForP75: 5,
	/** Fewer records than this behind a rate: the figure says the sample is small. */
	smallSample: 30,
} as const;

const positive = z.number().positive();

export const MetricsConfigSchema = z
	.object({
		quota: z
			.object({ week: positive.optional(), month: positive.optional(), quarter: positive.optional() })
			.strict()
			.optional()
			.describe('Bookings quota per period length, for coverage and forecast vs quota (the node\'s Quota parameter wins when set)'),
		spend: z
			.object({ week: positive.optional(), month: positive.optional(), quarter: positive.optional() })
			.strict()
			.optional()
			.describe('Sales and marketing spend per period length, for CAC'),
		minCoverage: positive.default(METRICS_DEFAULTS.minCoverage),
		maxCoverage: positive.default(METRICS_DEFAULTS.maxCoverage),
		creationDropShare: z.number().gt(0).lt(1).default(METRICS_DEFAULTS.creationDropShare),
		trailingPeriods: z.number().int().min(1).max(12).default(METRICS_DEFAULTS.trailingPeriods),
		stalledDays: z.number().int().min(1).default(METRICS_DEFAULTS.stalledDays),
		closeDatePushes: z.number().int().min(1).default(METRICS_DEFAULTS.closeDatePushes),
		minStaysForP75: z.number().int().min(1).default(METRICS_DEFAULTS.minStaysForP75),
		smallSample: z.number().int().min(1).default(METRICS_DEFAULTS.smallSample).describe('Fewer closed deals than this behind a learnt probability or an ICP lift: not used, and said so'),
		lateStages: z
			.array(z.string().min(1))
			.optional()
			.describe('Stages (the CRM\'s names, or canon stages) where a deal must have a known economic buyer; default: the second half of the funnel'),
		manager: z.email().optional().describe('Who gets warnings on deals without an owner (default: channels.notifyEmail)'),
	})
	.strict();

export type MetricsConfig = z.output<typeof MetricsConfigSchema>;

export const metricsConfig = (raw: MetricsConfig | undefined): MetricsConfig => raw ?? MetricsConfigSchema.parse({});
