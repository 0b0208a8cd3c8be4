import { z } from 'zod';
import { DEFAULT_INDUSTRIES, DEFAULT_PAGES, DEFAULT_TECHNOLOGIES, RESEARCH_DEFAULTS } from './catalogs';

/**
 * Account planning's part of a company config: `research` (which pages of an account to read and the
 * catalogs the rules match against) and `onboarding` (the checklist a won deal starts, and how often
 * an overdue task is chased). Defaults come from catalogs.ts and ONBOARDING_DEFAULTS, nowhere else.
 */

const Industry = z.object({ name: z.string().min(1).max(80).transform((s) => s.trim().toLowerCase()), keywords: z.array(z.string().min(2).max(80)).min(1).max(200) }).strict();
const Technology = z
	.object({
		name: z.string().min(1).max(80).transform((s) => s.trim().toLowerCase()),
		markup: z.array(z.string().min(4).max(200)).max(50).default([]).describe('Pieces of script/stylesheet addresses only this technology loads'),
		names: z.array(z.string().min(2).max(80)).max(20).default([]).describe('How the technology is named in text'),
	})
	.strict()
	.transform((t) => ({ ...t, names: t.names.length ? t.names : [t.name] }));

export const ResearchConfigSchema = z
	.object({
		pages: z
			.array(z.string().regex(/^\/[^\s]*$/, 'a path on the account\'s site, starting with /, e.g. /about'))
			.min(1)
			.max(30)
			.default([...DEFAULT_PAGES])
			.describe('Paths read on every account\'s site'),
		urlTemplate: z
			.string()
			.regex(/^https?:\/\/.*\{domain\}.*$/, 'an http(s) address with {domain} (and {path}), e.g. https://{domain}{path}')
			.default('https://{domain}{path}')
			.describe('How a page address is built from the account domain and a path (a cache or proxy can go here)'),
		allowPrivateNetwork: z.boolean().default(false).describe('Read pages whose address is on this machine or a private network (an intranet cache); off, such an address is refused'),
		industries: z.array(Industry).min(1).default(DEFAULT_INDUSTRIES.map((i) => ({ ...i, keywords: [...i.keywords] }))),
		technologies: z.array(Technology).default(DEFAULT_TECHNOLOGIES.map((t) => ({ ...t, markup: [...t.markup], names: [...t.names] }))),
		newsDays: z.number().int().min(1).max(3650).default(RESEARCH_DEFAULTS.newsDays),
		industryMinScore: z.number().min(1).max(1000).default(RESEARCH_DEFAULTS.industryMinScore),
		industryLead: z.number().min(1).max(10).default(RESEARCH_DEFAULTS.industryLead),
	})
	.strict();
export type ResearchConfig = z.output<typeof ResearchConfigSchema>;

/** Who a checklist task is for: the account's owner, the deal's owner, the company's onboarding owner, or an address. */
export const TASK_OWNERS = ['accountOwner', 'dealOwner', 'onboardingOwner'] as const;

export const ONBOARDING_DEFAULTS = {
	checklist: [
		{ id: 'welcome', title: 'Send the welcome e-mail and introduce the onboarding owner', dueBusinessDays: 1, owner: 'onboardingOwner' },
		{ id: 'handoff-call', title: 'Hold the sales-to-success handoff call', dueBusinessDays: 2, owner: 'dealOwner' },
		{ id: 'kickoff', title: 'Hold the kickoff call with the champion and agree success metrics', dueBusinessDays: 5, owner: 'onboardingOwner' },
		{ id: 'access', title: 'Provision admin accounts and single sign-on', dueBusinessDays: 7, owner: 'onboardingOwner' },
		{ id: 'integration', title: 'Connect the first integration or data import', dueBusinessDays: 15, owner: 'onboardingOwner' },
		{ id: 'training', title: 'Train the first users', dueBusinessDays: 20, owner: 'onboardingOwner' },
		{ id: 'value-review', title: 'Review first value against the agreed success metrics', dueBusinessDays: 45, owner: 'accountOwner' },
	],
	/** An overdue task's owner is told again after this many hours. */
	remindEveryHours: 24,
} as const;

export const OnboardingConfigSchema = z
	.object({
		owner: z.email().optional().describe('Who runs onboarding (customer success); the deal owner when empty'),
		checklist: z
			.array(
				z
					.object({
						id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}$/, 'a short id in lower case, e.g. kickoff'),
						title: z.string().min(3).max(300),
						dueBusinessDays: z.number().int().min(0).max(365).describe('Business days after the deal was won'),
						owner: z.union([z.enum(TASK_OWNERS), z.email()]).default('onboardingOwner'),
						tiers: z.array(z.enum(['T1', 'T2', 'T3'])).optional().describe('Only for accounts of these tiers (default: all)'),
					})
					.strict(),
			)
			.min(1)
			.max(100)
			.refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'every checklist id must be different')
			.default(ONBOARDING_DEFAULTS.checklist.map((c) => ({ ...c }))),
		remindEveryHours: z.number().min(1).max(24 * 30).default(ONBOARDING_DEFAULTS.remindEveryHours),
	})
	.strict();
export type OnboardingConfig = z.output<typeof OnboardingConfigSchema>;

export function researchConfig(raw: unknown): ResearchConfig {
	return ResearchConfigSchema.parse(raw ?? {});
}

export function onboardingConfig(raw: unknown): OnboardingConfig {
	return OnboardingConfigSchema.parse(raw ?? {});
}
