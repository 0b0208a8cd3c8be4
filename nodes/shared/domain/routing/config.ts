import { z } from 'zod';

/**
 * A company's routing: its reps (teams, weights, hours, absences, caps, booking links), the rules
 * that pick a team (territory, segment, product line, tier), and the queue owner who takes a lead
 * nobody else can. Part of the company config (`routing`); the rules are read in order.
 */

const time = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'HH:mm, e.g. 09:00');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd');

export const RepSchema = z
	.object({
		id: z.string().min(1).max(100).describe('Stable id of the rep (kept in the rotation state)'),
		name: z.string().min(1).max(200),
		email: z.email().describe('The owner written on the lead'),
		teams: z.array(z.string().min(1)).min(1).default(['sales']),
		weight: z.number().min(0).max(100).default(1).describe('Share of the round-robin: weight 2 gets twice the leads of weight 1'),
		timezone: z.string().optional().describe("IANA zone; default: the company calendar's"),
		workingDays: z.array(z.number().int().min(1).max(7)).optional(),
		dayStart: time.optional(),
		dayEnd: time.optional(),
		outOfOffice: z
			.array(z.object({ from: day, to: day }).strict())
			.default([])
			.describe('Absences, both days included, in the rep\'s zone'),
		dailyCap: z.number().int().positive().optional().describe('At most this many new leads a day'),
		openCap: z.number().int().positive().optional().describe('At most this many open (new or working) leads'),
		calendarLink: z.url().optional().describe('Booking link given to the lead'),
		manager: z.email().optional().describe('Alerted when this rep breaches an SLA'),
	})
	.strict();

export const RoutingRuleSchema = z
	.object({
		id: z.string().min(1).max(100),
		label: z.string().max(200).optional(),
		team: z.string().min(1).describe('The team whose reps share the leads this rule matches'),
		when: z
			.object({
				countries: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
				regions: z.array(z.string().min(1)).optional(),
				states: z.array(z.string().min(1)).optional(),
				employeesMin: z.number().min(0).optional(),
				employeesMax: z.number().min(0).optional(),
				revenueMin: z.number().min(0).optional(),
				revenueMax: z.number().min(0).optional(),
				productLines: z.array(z.string().min(1)).optional(),
				tiers: z.array(z.enum(['T1', 'T2', 'T3', 'Disqualified'])).optional(),
			})
			.strict()
			.default({}),
	})
	.strict();

export const RoutingConfigSchema = z
	.object({
		reps: z.array(RepSchema).default([]),
		rules: z.array(RoutingRuleSchema).default([]).describe('In order; the first that matches picks the team'),
		defaultTeam: z.string().min(1).default('sales').describe('The team when no rule matches'),
		queueOwner: z.email().describe('Takes a lead nobody eligible can: never a lead without an owner'),
		accountOwnerFirst: z.boolean().default(true).describe("A lead of a known account goes to the account's owner when that owner can take it"),
		review: z
			.object({
				owner: z.email().optional().describe('Checks leads the Intent Classifier was unsure of, or that look like an injection attempt; default: the queue owner'),
				minutes: z.number().int().positive().default(60).describe('Business minutes to review a lead; then the manager (notify address) is told'),
			})
			.strict()
			.default({ minutes: 60 })
			.describe('The review queue: leads a person checks before sales gets them'),
	})
	.strict()
	.superRefine((config, ctx) => {
		const ids = new Set<string>();
		config.reps.forEach((rep, i) => {
			if (ids.has(rep.id)) ctx.addIssue({ code: 'custom', path: ['reps', i, 'id'], message: `"${rep.id}" is used by two reps` });
			ids.add(rep.id);
		});
		const teams = new Set(config.reps.flatMap((r) => r.teams));
		config.rules.forEach((rule, i) => {
			if (!teams.has(rule.team)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'team'], message: `no rep is in team "${rule.team}"` });
		});
	});

export type RoutingConfig = z.output<typeof RoutingConfigSchema>;
export type Rep = z.output<typeof RepSchema>;
export type RoutingRule = z.output<typeof RoutingRuleSchema>;
