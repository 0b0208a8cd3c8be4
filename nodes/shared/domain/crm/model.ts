import { z } from 'zod';
import { meddiccCrmField } from '../meddicc/crm';
import { MEDDICC_FIELDS } from '../meddicc/meddicc';

/**
 * The canonical sales data model: the playbook's minimum objects and the fields the nodes produce.
 * This file is the one home of object names, field names, their types, match keys and merge
 * policies. Every backend (PostgreSQL, n8n Data Tables, HubSpot, Salesforce) stores these names, or
 * maps them through the company config's field map. Published as JSON Schema (dist/schemas/).
 *
 * Versioned: a change that renames or retypes a field raises the major version, a new field the minor.
 */
export const CRM_MODEL_VERSION = '1.6.0';

export const CRM_OBJECTS = ['account', 'contact', 'lead', 'opportunity', 'activity', 'case'] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];

/** The 7-stage canon an opportunity's stage maps to (company stage names map here via the config). */
export const CANON_STAGES = [
	'market_strategy',
	'account_planning',
	'pipeline_generation',
	'pipeline_progression',
	'close_onboard',
	'retention_growth',
	'ops_analytics',
] as const;

export const TIERS = ['T1', 'T2', 'T3'] as const;
export const LEAD_STATUSES = ['new', 'working', 'contacted', 'qualified', 'disqualified', 'nurture'] as const;
/** Where a lead's first-response SLA stands (routing/sla.ts moves it on). */
export const SLA_STAGES = ['open', 'reminded', 'escalated', 'responded', 'closed'] as const;
export const RESPONSE_OUTCOMES = ['accepted', 'contacted', 'not_a_fit'] as const;
export const LIFECYCLES = ['prospect', 'customer', 'churned'] as const;
export const DEAL_ROLES = ['Economic Buyer', 'Champion', 'Influencer', 'Blocker', 'Coach', 'unknown'] as const;
export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'linkedin', 'form_submission', 'chat', 'note', 'task'] as const;
/** Where a task (an activity of type `task`) stands. */
export const TASK_STATUSES = ['open', 'done'] as const;

/**
 * How a write treats a field that already has a value (an empty incoming value never blanks one, and
 * a field a person validated is never overwritten by a rule or a model, whatever the policy):
 * - lastWrite: the newest value wins.
 * - fillEmpty: written only while the field is empty.
 * - firstTouch: the first value is kept for good (first-touch attribution).
 * - append: lists gain the new distinct entries; text gains a new line.
 * - noReset: like lastWrite, except the initial value (a lead's `new`) never replaces a later one.
 * - max: the larger number wins (counters, peak scores).
 */
export const MERGE_POLICIES = ['lastWrite', 'fillEmpty', 'firstTouch', 'append', 'noReset', 'max'] as const;
export type MergePolicy = (typeof MERGE_POLICIES)[number];

export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'list' | 'json';

export interface FieldSpec {
	type: FieldType;
	policy: MergePolicy;
	description: string;
	values?: readonly string[];
	/** For noReset: the value that never replaces another. */
	initial?: string;
	/** Longest text stored (strings only): SHORT_TEXT unless the field holds prose (LONG_TEXT). */
	maxLength?: number;
}

/** Longest value of a short text field (a name, a country, a URL). */
export const SHORT_TEXT = 2_000;
/** Longest value of a prose field (a message, a summary, an explanation): the Lead Normalizer's message bound. */
export const LONG_TEXT = 10_000;

const f = (type: FieldType, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type, policy: 'lastWrite', description, ...extra });
const longText = (description: string, extra: Partial<FieldSpec> = {}): FieldSpec => f('string', description, { maxLength: LONG_TEXT, ...extra });
const oneOf = (values: readonly string[], description: string, extra: Partial<FieldSpec> = {}): FieldSpec => f('string', description, { values, ...extra });

const scoring = {
	icpFitScore: f('number', 'ICP fit score 0-100 (ICP Scorer)'),
	icpTier: f('string', 'ICP tier label of the playbook (ICP Scorer)'),
	icpGrade: f('string', 'ICP grade A-D (ICP Scorer)'),
	icpEngagementScore: f('number', 'Engagement score 0-100 (ICP Scorer)'),
	icpExplanation: longText('Why the ICP score is what it is'),
	icpRulesetVersion: f('string', 'Version of the ICP playbook that scored'),
};

const meddicc = Object.fromEntries(
	MEDDICC_FIELDS.flatMap((name) => {
		const key = meddiccCrmField(name);
		return [
			[key, longText(`MEDDICC ${name}: the value, only when its evidence supports it`)],
			[`${key}Evidence`, f('list', `MEDDICC ${name}: the quotes that support the value`, { policy: 'append' })],
		];
	}),
) as Record<string, FieldSpec>;

export const CRM_FIELDS: Record<CrmObject, Record<string, FieldSpec>> = {
	account: {
		name: f('string', 'Company name'),
		domain: f('string', 'Primary registrable domain (the match key)', { policy: 'firstTouch' }),
		domains: f('list', 'Other domains of the company (aliases for matching)', { policy: 'append' }),
		tier: oneOf(TIERS, 'Account tier: T1 human-led, T2 co-pilot, T3 AI-led (account value)'),
		industry: f('string', 'Industry'),
		employeeCount: f('number', 'Employees'),
		annualRevenue: f('number', 'Annual revenue in the company currency'),
		country: f('string', 'ISO 3166-1 alpha-2 country'),
		techStack: f('list', 'Technologies in use', { policy: 'append' }),
		lastFundingAt: f('date', 'Last funding round'),
		isCompetitor: f('boolean', 'The company is a competitor'),
		...scoring,
		weeklyActiveUsersPct: f('number', 'Share of seats active in the last week, 0-100'),
		seatUtilizationPct: f('number', 'Share of purchased seats in use, 0-100'),
		openEscalations: f('number', 'Open support escalations'),
		nps: f('number', 'Latest NPS, -100 to 100'),
		paymentStatus: oneOf(['current', 'late', 'failed'], 'Payment status'),
		lastEngagementAt: f('date', 'Last engagement with the customer', { policy: 'max' }),
		executiveSponsor: f('string', 'Executive sponsor on the customer side'),
		renewalDate: f('date', 'Next renewal'),
		healthScore: f('number', 'Health score 0-100 (Health Score)'),
		healthBand: f('string', 'Health band (Health Score)'),
		healthTrend: f('string', 'up, down or flat'),
		healthDelta: f('number', 'Change against the previous health score'),
		healthChurnRisks: longText('Churn risks found, separated by "; "'),
		healthExpansionSignals: longText('Expansion signals found, separated by "; "'),
		healthOverrideActive: f('boolean', 'A person\'s health override is in force'),
		healthExplanation: longText('Why the health score is what it is'),
		healthRulesetVersion: f('string', 'Version of the health playbook that scored'),
		owner: f('string', 'Account owner (user id or e-mail)'),
		arr: f('number', 'Recurring revenue from this customer per year, company currency (its history gives NRR and GRR)'),
		lifecycle: oneOf(LIFECYCLES, 'prospect, customer or churned'),
		portfolioCompany: f('string', 'Portfolio company id of the config'),
		// Account research and planning (1.6.0): what the account's own pages say, and what to do next.
		researchedAt: f('date', 'When the account\'s own web pages were last read (Account Planner)', { policy: 'max' }),
		researchEvidence: f('list', 'What the research found and where: "field: quote (page)"'),
		recentNews: f('list', 'Recent news from the account\'s pages: "date kind: headline (page)"'),
		nextAction: longText('Recommended next action on the account, and why (Account Planner)'),
		nextActionDueAt: f('date', 'When the recommended next action is due'),
	},
	contact: {
		email: f('string', 'E-mail (the match key)', { policy: 'firstTouch' }),
		firstName: f('string', 'First name'),
		lastName: f('string', 'Last name'),
		phone: f('string', 'Phone in E.164'),
		jobTitle: f('string', 'Job title'),
		dealRole: oneOf(DEAL_ROLES, 'Role in the deal'),
		engagementLevel: oneOf(['high', 'medium', 'low', 'unknown'], 'Engagement level'),
		lastTouchAt: f('date', 'Last touch', { policy: 'max' }),
		consent: oneOf(['granted', 'withdrawn', 'unknown'], 'Marketing consent'),
		unsubscribed: f('boolean', 'Unsubscribed from e-mail'),
		accountDomain: f('string', 'Domain of the account the contact belongs to', { policy: 'fillEmpty' }),
	},
	lead: {
		dedupeKey: f('string', 'Dedupe key of the Lead Normalizer (the match key)', { policy: 'firstTouch' }),
		email: f('string', 'E-mail'),
		phone: f('string', 'Phone in E.164'),
		firstName: f('string', 'First name'),
		lastName: f('string', 'Last name'),
		jobTitle: f('string', 'Job title'),
		company: f('string', 'Company name as given'),
		companyDomain: f('string', 'Registrable company domain'),
		website: f('string', 'Website'),
		country: f('string', 'ISO 3166-1 alpha-2 country'),
		state: f('string', 'State, province or region as given (territory routing)', { policy: 'fillEmpty' }),
		employeeCount: f('number', 'Employees as given on the form (segment routing)', { policy: 'fillEmpty' }),
		annualRevenue: f('number', 'Annual revenue as given on the form (segment routing)', { policy: 'fillEmpty' }),
		productLine: f('string', 'Product line or business unit the lead asked about', { policy: 'fillEmpty' }),
		message: longText('The latest message of the lead'),
		firstTouchSource: f('string', 'Source of the first touch', { policy: 'firstTouch' }),
		firstTouchMedium: f('string', 'Medium of the first touch', { policy: 'firstTouch' }),
		firstTouchCampaign: f('string', 'Campaign of the first touch', { policy: 'firstTouch' }),
		firstTouchAt: f('date', 'When the lead first arrived', { policy: 'firstTouch' }),
		leadSource: f('string', 'Source of the last touch'),
		leadMedium: f('string', 'Medium of the last touch'),
		leadCampaign: f('string', 'Campaign of the last touch'),
		lastTouchAt: f('date', 'When the lead last arrived', { policy: 'max' }),
		...scoring,
		intentCategory: f('string', 'Intent category (Intent Classifier)'),
		intentConfidence: f('number', 'Intent confidence 0-1'),
		intentUrgency: f('string', 'Urgency'),
		buyingStage: f('string', 'Buying stage'),
		intentLabels: f('string', 'Every intent label found, separated by ", "'),
		leadSummary: longText('Grounded summary (Lead Summarizer)'),
		recommendedNextStep: longText('Recommended next step'),
		status: oneOf(LEAD_STATUSES, 'Lead status; a repeat submission never resets it', { policy: 'noReset', initial: 'new' }),
		owner: f('string', 'Lead owner (user id or e-mail)', { policy: 'fillEmpty' }),
		route: f('string', 'Team or queue the lead was routed to'),
		tier: oneOf(TIERS, 'Tier: the account\'s tier when the lead matches one, otherwise from fit'),
		tierSource: oneOf(['account', 'fit'], 'Where the tier came from'),
		accountDomain: f('string', 'Domain of the matched account', { policy: 'fillEmpty' }),
		existingCustomer: f('boolean', 'The matched account is a customer'),
		firstResponseDueAt: f('date', 'First-response deadline', { policy: 'firstTouch' }),
		firstRespondedAt: f('date', 'When the first response went out', { policy: 'firstTouch' }),
		ownerAssignedAt: f('date', 'When the current owner was assigned (Lead Router)'),
		ownerRule: f('string', 'What assigned the owner: account-owner, a routing rule with round-robin, or queue-owner'),
		previousOwners: f('list', 'Owners the lead was taken from after missed SLAs', { policy: 'append' }),
		slaStage: oneOf(SLA_STAGES, 'Where the first-response SLA stands'),
		slaMinutes: f('number', 'First-response SLA in business minutes (by intent and tier)'),
		slaRemindAt: f('date', 'When the owner is reminded'),
		slaDueAt: f('date', "The current owner's deadline (firstResponseDueAt keeps the first promise)"),
		slaReassignAt: f('date', 'When the lead is reassigned if nobody responded'),
		slaNextAt: f('date', 'When the SLA watcher must look at the lead next (empty: nothing left to watch)'),
		slaBreaches: f('number', 'Deadlines missed', { policy: 'max' }),
		responseOutcome: oneOf(RESPONSE_OUTCOMES, "The owner's answer: accepted, contacted or not a fit"),
		acceptedAt: f('date', 'When the owner accepted the lead', { policy: 'firstTouch' }),
		responseMinutes: f('number', 'Minutes from first touch to first response (wall clock)', { policy: 'firstTouch' }),
		responseBusinessMinutes: f('number', 'Business minutes from first touch to first response', { policy: 'firstTouch' }),
		notFitReason: longText('Why the owner marked the lead not a fit'),
		// Sequences (outbound and re-engagement): what stops them, and how far they got (1.5.0).
		repliedAt: f('date', 'When the lead last replied to one of our messages', { policy: 'max' }),
		unsubscribedAt: f('date', 'When the lead asked not to be written to again (never written to after)', { policy: 'firstTouch' }),
		bouncedAt: f('date', 'When a message to the lead bounced', { policy: 'max' }),
		meetingBookedAt: f('date', 'When a meeting was booked', { policy: 'max' }),
		ownerTookOverAt: f('date', 'When the owner took the conversation over (sequences stop)', { policy: 'max' }),
		sequenceStartedAt: f('date', 'When the first sequence message was sent', { policy: 'firstTouch' }),
		sequenceTouches: f('number', 'Sequence messages sent', { policy: 'max' }),
		lastSequenceAt: f('date', 'When the last sequence message was sent', { policy: 'max' }),
	},
	opportunity: {
		externalId: f('string', 'Opportunity id (the match key)', { policy: 'firstTouch' }),
		name: f('string', 'Opportunity name'),
		accountDomain: f('string', 'Domain of the account', { policy: 'fillEmpty' }),
		stage: oneOf(CANON_STAGES, 'Stage in the 7-stage canon'),
		crmStage: f('string', 'The CRM\'s own stage name'),
		amount: f('number', 'Amount in the company currency'),
		currency: f('string', 'ISO 4217 currency'),
		closeDate: f('date', 'Expected or actual close date'),
		outcome: oneOf(['open', 'won', 'lost'], 'Open, won or lost (a reopened deal is open again); the metrics count wins and losses by it'),
		openedAt: f('date', 'When the deal was opened (the sales cycle starts here)', { policy: 'firstTouch' }),
		closedAt: f('date', 'When the deal was won or lost'),
		owner: f('string', 'Opportunity owner'),
		sourceChannel: f('string', 'Source channel'),
		competitor: f('string', 'Main competitor'),
		winLossReason: longText('Why it was won or lost'),
		forecastCategory: oneOf(['pipeline', 'best_case', 'commit', 'closed', 'omitted'], 'Forecast category'),
		lastActivityAt: f('date', 'Last call, meeting or e-mail with the buyer', { policy: 'max' }),
		contactCount: f('number', 'Contacts engaged on the deal (one is single-threaded)'),
		meddiccCompleteness: f('number', 'MEDDICC completeness 0-100 (MEDDICC Extractor)'),
		meddiccRisks: longText('Deal risks found, separated by ", "'),
		...meddicc,
	},
	activity: {
		externalId: f('string', 'Activity id (the match key; the CRM node derives one when absent)', { policy: 'firstTouch' }),
		type: oneOf(ACTIVITY_TYPES, 'What happened'),
		outcome: f('string', 'Outcome'),
		durationMinutes: f('number', 'Duration in minutes'),
		nextStep: longText('Agreed next step'),
		summary: longText('What was said or sent (grounded)'),
		occurredAt: f('date', 'When it happened'),
		accountDomain: f('string', 'Related account domain'),
		contactEmail: f('string', 'Related contact e-mail'),
		leadKey: f('string', 'Related lead dedupe key'),
		opportunityId: f('string', 'Related opportunity id'),
		// Tasks (1.6.0): an activity of type `task` is work a person owes, with a due date.
		owner: f('string', 'Who the task is for (user id or e-mail)'),
		dueAt: f('date', 'When the task is due'),
		taskStatus: oneOf(TASK_STATUSES, 'open or done', { policy: 'noReset', initial: 'open' }),
		completedAt: f('date', 'When the task was done'),
		checklist: f('string', 'The checklist the task belongs to (e.g. onboarding), empty for a single task'),
		alertedAt: f('date', 'When the owner was last told the task is overdue', { policy: 'max' }),
	},
	case: {
		externalId: f('string', 'Case or ticket id (the match key)', { policy: 'firstTouch' }),
		subject: f('string', 'Subject'),
		category: f('string', 'Category'),
		status: f('string', 'Status'),
		openedAt: f('date', 'Opened at', { policy: 'firstTouch' }),
		resolvedAt: f('date', 'Resolved at'),
		escalationLevel: f('number', 'Escalation level (0 = none)', { policy: 'max' }),
		description: longText('What the customer wrote', { policy: 'fillEmpty' }),
		accountDomain: f('string', 'Related account domain'),
		contactEmail: f('string', 'E-mail of who opened it'),
	},
};

/** The field that identifies a record of each object, and what it is normalized from. */
export const MATCH_KEYS: Record<CrmObject, string> = {
	account: 'domain',
	contact: 'email',
	lead: 'dedupeKey',
	opportunity: 'externalId',
	activity: 'externalId',
	case: 'externalId',
};

/** Normalizes a match key so "ACME.com " and "acme.com" are one record. */
export function normalizeKey(object: CrmObject, value: unknown): string | null {
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	// Control characters (NUL above all, which PostgreSQL cannot store) never belong to a key.
	let key = String(value).normalize('NFKC').replace(/[\u0000-\u001f\u007f]/g, '').trim();
	if (object === 'account' || object === 'contact') key = key.toLowerCase();
	if (object === 'account') key = key.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');
	return key.length > 0 && key.length <= 320 ? key : null;
}

function zodFor(spec: FieldSpec): z.ZodType {
	let schema: z.ZodType;
	switch (spec.type) {
		case 'number':
			schema = z.number().finite().describe(spec.description);
			break;
		case 'boolean':
			schema = z.boolean().describe(spec.description);
			break;
		case 'date':
			schema = z.iso.datetime({ offset: true }).describe(`${spec.description} (ISO 8601)`);
			break;
		case 'list':
			schema = z.array(z.string()).describe(spec.description);
			break;
		case 'json':
			schema = z.unknown().describe(spec.description);
			break;
		default:
			// `unknown` is a valid answer for every choice field (nothing is invented to fill it).
			schema = spec.values ? z.enum([...new Set([...spec.values, 'unknown'])] as [string, ...string[]]).describe(spec.description) : z.string().max(spec.maxLength ?? SHORT_TEXT).describe(spec.description);
	}
	return schema;
}

/** One zod schema per object: every field optional (a write is a patch), unknown fields refused. */
export const CRM_RECORD_SCHEMAS = Object.fromEntries(
	CRM_OBJECTS.map((object) => [
		object,
		z
			.object(Object.fromEntries(Object.entries(CRM_FIELDS[object]).map(([name, spec]) => [name, zodFor(spec).nullable().optional()])))
			.strict()
			.describe(`Canonical ${object} (n8n-nodes-revops CRM model ${CRM_MODEL_VERSION})`),
	]),
) as Record<CrmObject, z.ZodObject>;

/** The whole model as one schema (for the published JSON Schema). */
export const CRM_MODEL_SCHEMA = z.object(Object.fromEntries(CRM_OBJECTS.map((o) => [o, CRM_RECORD_SCHEMAS[o].optional()]))).describe(
	`n8n-nodes-revops canonical CRM model ${CRM_MODEL_VERSION}: one key per object`,
);

export function isCrmObject(value: unknown): value is CrmObject {
	return typeof value === 'string' && (CRM_OBJECTS as readonly string[]).includes(value);
}
