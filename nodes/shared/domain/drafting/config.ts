import { z } from 'zod';

/**
 * Grounded drafting's part of a company config (`drafting`): the approved content a draft may state
 * facts from, the phrases it must never use, the lines it must carry, tone and length per kind, and
 * the templates used when there is no model. Defaults are here and only here.
 */

export const DRAFT_KINDS = ['firstReply', 'outboundTouch', 'reengagement', 'meetingBrief', 'proposalOutline', 'handoffDoc', 'qbrBrief'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** Drafts that go to a customer; the others are for our own people (briefs, outlines, handoffs). */
export const CUSTOMER_FACING: Record<DraftKind, boolean> = {
	firstReply: true,
	outboundTouch: true,
	reengagement: true,
	meetingBrief: false,
	proposalOutline: false,
	handoffDoc: false,
	qbrBrief: false,
};

export const DRAFTING_DEFAULTS = {
	maxWords: { firstReply: 150, outboundTouch: 120, reengagement: 100, meetingBrief: 300, proposalOutline: 400, handoffDoc: 500, qbrBrief: 400 } as Record<DraftKind, number>,
	/** Under this share of the draft's sentences kept after the checks, the draft goes to a person as it is. */
	minKeptShare: 0.6,
	tone: 'clear, friendly and brief; no hype',
	language: 'en',
	/** When there is no model (or its draft fails the checks), these say only what the item and config hold. */
	templates: {
		firstReply: 'Hi {{firstName}},\n\nThank you for reaching out to {{companyName}}. {{ownerName}} will get back to you about "{{topic}}" shortly.\n\nBest regards,\n{{ownerName}}',
		outboundTouch: 'Hi {{firstName}},\n\n{{valueProposition}}\n\nWould a short call be useful?\n\nBest regards,\n{{ownerName}}',
		reengagement: 'Hi {{firstName}},\n\nWe last spoke about "{{topic}}". Is this still on your list? Happy to help when the time is right.\n\nBest regards,\n{{ownerName}}',
		meetingBrief: 'Meeting brief: {{accountName}}\nTier: {{tier}}\nOpen points: {{openPoints}}\nLast activity: {{lastActivity}}',
		proposalOutline: 'Proposal outline: {{accountName}}\nPain: {{identifyPain}}\nMetrics: {{metrics}}\nDecision process: {{decisionProcess}}\nPrices and terms: to be set by the owner and approved',
		handoffDoc: 'Handoff to customer success: {{accountName}}\nChampion: {{champion}}\nEconomic buyer: {{economicBuyer}}\nPain: {{identifyPain}}\nSuccess metrics: {{metrics}}\nCommitments made: {{commitments}}',
		qbrBrief: 'QBR brief: {{accountName}}\nHealth: {{healthBand}} ({{healthScore}})\nRisks: {{churnRisks}}\nExpansion signals: {{expansionSignals}}\nOpen cases: {{openCases}}\nSuggested next step: {{nextStep}}',
	} as Record<DraftKind, string>,
};

export const APPROVED_CONTENT_KINDS = ['valueProposition', 'caseStudy', 'productFact', 'pricingRule', 'other'] as const;

export const DraftingConfigSchema = z
	.object({
		approvedContent: z
			.array(
				z
					.object({
						id: z.string().min(1).max(120),
						kind: z.enum(APPROVED_CONTENT_KINDS),
						title: z.string().min(1).max(300),
						text: z.string().min(1).max(10_000).describe('What a draft may say: every number, name and date in a draft must be here or on the item'),
					})
					.strict(),
			)
			.default([]),
		bannedPhrases: z.array(z.string().min(2).max(200)).default([]).describe('Never in a draft (a sentence with one is removed)'),
		requiredLines: z
			.array(z.object({ text: z.string().min(1).max(1000), kinds: z.array(z.enum(DRAFT_KINDS)).optional().describe('Default: every customer-facing draft') }).strict())
			.default([])
			.describe('Lines every draft must end with (unsubscribe footer, legal)'),
		tone: z.string().max(500).default(DRAFTING_DEFAULTS.tone),
		language: z.string().min(2).max(10).default(DRAFTING_DEFAULTS.language),
		maxWords: z.partialRecord(z.enum(DRAFT_KINDS), z.number().int().min(20).max(2000)).optional(),
		templates: z.partialRecord(z.enum(DRAFT_KINDS), z.string().min(1).max(5000)).optional().describe('Fallback text per kind with {{field}} placeholders'),
		sequence: z
			.object({
				inactiveDays: z.partialRecord(z.enum(['T1', 'T2', 'T3']), z.number().int().min(1).max(3650)).optional().describe('Days without a touch or reply before the first message, by tier (defaults 30, 21, 14)'),
				gapDays: z.number().int().min(1).max(365).optional().describe('Days between messages (default 7)'),
				maxTouches: z.number().int().min(1).max(20).optional().describe('Messages per sequence (default 3)'),
				dailyCapPerSender: z.number().int().min(1).max(10_000).optional().describe('Messages one sender sends a day (default 40)'),
			})
			.strict()
			.optional()
			.describe('Outbound and re-engagement sequences: when a lead is due, how often, how many a day'),
	})
	.strict();

export type DraftingConfig = z.output<typeof DraftingConfigSchema>;
export type ApprovedContent = DraftingConfig['approvedContent'][number];

export const draftingConfig = (raw: DraftingConfig | undefined): DraftingConfig => raw ?? DraftingConfigSchema.parse({});
export const maxWordsFor = (config: DraftingConfig, kind: DraftKind) => config.maxWords?.[kind] ?? DRAFTING_DEFAULTS.maxWords[kind];
export const templateFor = (config: DraftingConfig, kind: DraftKind) => config.templates?.[kind] ?? DRAFTING_DEFAULTS.templates[kind];
