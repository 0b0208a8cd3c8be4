import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ChatConfigSchema } from '../chat/config';
import { DraftingConfigSchema } from '../drafting/config';
import { OnboardingConfigSchema, ResearchConfigSchema } from '../planning/config';
import { MetricsConfigSchema } from '../metrics/config';
import { StageExitCriteriaSchema } from '../meddicc/stage-exit';
import { RoutingConfigSchema } from '../routing/config';
import { ConfigError } from '../config-error';
import { versionHash } from '../hash';
import { HealthPlaybookSchema, IcpPlaybookSchema } from '../scoring/playbook-schema';
import { CANON_STAGES, CRM_FIELDS, CRM_OBJECTS, MERGE_POLICIES, TIERS, type CrmObject, type MergePolicy } from './model';

/**
 * One portfolio company = one config object: its CRM backend, field and stage maps, playbooks,
 * calendar, SLAs, approvers and channels, prompt overrides. Templates read it in one place (the
 * Company Config node) and never carry their own copy of a setting, so moving a template to another
 * company means picking another config. Published as JSON Schema (dist/schemas/company-config.schema.json).
 */

export const COMPANY_CONFIG_VERSION = 1;

const Slug = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'lower-case letters, digits and underscores, starting with a letter (e.g. acme_saas)');
const Time = z.string().regex(/^(([01]?\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:mm, e.g. 09:00');

const objectKeyed = <T extends z.ZodType>(value: (object: CrmObject) => T) =>
	z.object(Object.fromEntries(CRM_OBJECTS.map((o) => [o, value(o).optional()]))).strict();

/** A map keyed by canonical field names of one object; a wrong key is named with the fix. */
const byCanonicalField = <T extends z.ZodType>(object: CrmObject, value: T) =>
	z.record(z.string(), value).superRefine((map, ctx) => {
		for (const key of Object.keys(map)) {
			if (!(key in CRM_FIELDS[object])) ctx.addIssue({ code: 'custom', path: [key], message: `not a canonical ${object} field (see dist/schemas/crm-model.schema.json)` });
		}
	});

export const CrmBackendSchema = z.discriminatedUnion('backend', [
	z
		.object({
			backend: z.literal('dataTables').describe('n8n Data Tables (n8n 2.x): no database to run; needs an n8n API credential on the CRM node'),
			tablePrefix: Slug.default('revops').describe('Tables are named <prefix>_record, <prefix>_history, <prefix>_association'),
		})
		.strict(),
	z
		.object({
			backend: z.literal('postgres').describe('PostgreSQL: the connection is the CRM node\'s PostgreSQL credential'),
			schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a plain lower-case PostgreSQL name, e.g. acme_revops').describe('One schema per company; created and migrated by the node'),
		})
		.strict(),
	z
		.object({
			backend: z.literal('hubspot').describe('HubSpot: the records are the portal\'s companies, contacts, deals, tickets and engagements; the connection is the CRM node\'s RevOps HubSpot API credential'),
			createProperties: z.boolean().default(true).describe('Create the custom properties (revops_*) the canonical model needs when the portal lacks them; false: the node names them instead'),
		})
		.strict(),
	z
		.object({
			backend: z.literal('salesforce').describe('Salesforce: the records are the org\'s Accounts, Contacts, Leads, Opportunities, Cases and Tasks; the connection is the CRM node\'s RevOps Salesforce API credential; the RevOps fields are created by an admin (the CRM node\'s Check Setup lists them)'),
			picklists: objectKeyed((o) => byCanonicalField(o, z.record(z.string().min(1).max(255), z.string().min(1).max(255))))
				.optional()
				.describe('Canonical value -> the Salesforce picklist value, per object and field, for fields the fieldMap puts on a Salesforce picklist (e.g. lead.status new -> "Open - Not Contacted"); read back the other way'),
			recordTypes: objectKeyed(() => z.string().regex(/^012[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'a record type id (starts with 012, 15 or 18 characters)'))
				.optional()
				.describe('The record type new records of an object get (its id, Setup > Object Manager > the object > Record Types)'),
		})
		.strict(),
]);

export const CompanyConfigSchema = z
	.object({
		$schema: z.string().optional(),
		configVersion: z.literal(COMPANY_CONFIG_VERSION).describe('Format version of this config'),
		company: z
			.object({
				id: Slug.describe('Stable id, written on every record as portfolioCompany'),
				name: z.string().min(1).max(200),
				currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. USD').default('USD'),
				country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. US').optional(),
			})
			.strict(),
		crm: CrmBackendSchema,
		fieldMap: objectKeyed((o) => byCanonicalField(o, z.string().min(1).max(200)))
			.optional()
			.describe('Canonical field -> the CRM\'s own field name, per object (HubSpot/Salesforce adapters)'),
		stageMap: z.record(z.string().min(1), z.enum(CANON_STAGES)).default({}).describe('The CRM\'s own deal stage name -> stage of the 7-stage canon'),
		stageProbabilities: z.partialRecord(z.enum(CANON_STAGES), z.number().min(0).max(1)).optional().describe('Win probability per canon stage, for the weighted forecast'),
		mergePolicies: objectKeyed((o) => byCanonicalField(o, z.enum(MERGE_POLICIES)))
			.optional()
			.describe('Per-field merge policy overrides (defaults in the canonical model)'),
		playbooks: z
			.object({
				icp: IcpPlaybookSchema.optional().describe('Account fit on canonical account fields (re-scoring)'),
				leadFit: IcpPlaybookSchema.optional().describe('Fit of an inbound lead from what its form says (field paths as lead.country): used only when the lead matches no account'),
				health: HealthPlaybookSchema.optional(),
			})
			.strict()
			.default({}),
		intentTaxonomy: z
			.object({ categories: z.array(z.object({ name: z.string().min(1), description: z.string().default('') }).passthrough()).min(1) })
			.passthrough()
			.optional()
			.describe('Same format as prompts/intent-taxonomy.json'),
		calendar: z
			.object({
				timezone: z.string().refine((tz) => {
					try {
						new Intl.DateTimeFormat('en', { timeZone: tz });
						return true;
					} catch {
						return false;
					}
				}, 'an IANA time zone, e.g. America/New_York'),
				workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
				dayStart: Time.default('09:00'),
				dayEnd: Time.default('17:00'),
				holidays: z.array(z.string().regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'yyyy-MM-dd or MM-dd')).default([]),
			})
			.strict(),
		slas: z
			.object({
				firstResponseMinutes: z
					.object({
						highIntent: z.number().int().positive().default(5),
						default: z.number().int().positive().default(15),
						byTier: z.partialRecord(z.enum(TIERS), z.number().int().positive()).optional().describe('At most this many minutes for a lead of the tier, whatever its intent (e.g. T1: 5)'),
					})
					.strict()
					.default({ highIntent: 5, default: 15 }),
				highIntentCategories: z.array(z.string().min(1)).default(['Pricing', 'Demo Request']).describe('Intent categories answered within the high-intent SLA (an urgent message always is)'),
				reminderShare: z.number().gt(0).lt(1).default(0.5).describe('The owner is reminded when this share of the SLA has passed'),
				reassignAfterBreaches: z.number().int().min(1).default(2).describe('After this many missed deadlines the lead is reassigned'),
			})
			.strict()
			.default({ firstResponseMinutes: { highIntent: 5, default: 15 }, highIntentCategories: ['Pricing', 'Demo Request'], reminderShare: 0.5, reassignAfterBreaches: 2 }),
		approvers: z
			.array(z.object({ name: z.string().min(1), email: z.email(), tiers: z.array(z.enum(TIERS)).default([...TIERS]) }).strict())
			.default([]),
		channels: z
			.object({
				slackWebhookUrl: z.url().optional(),
				slackChannel: z.string().regex(/^[CGD][A-Z0-9]{6,}$/, 'a Slack channel id, e.g. C0123456789').optional().describe('Where the RevOps Metrics report is posted with its charts (the Slack app must be in the channel)'),
				teamsWebhookUrl: z.url().optional(),
				notifyEmail: z.email().optional(),
				replyWebhookUrl: z.url().optional().describe('Where approved first replies are POSTed as { to, subject, text, approvedBy }: your e-mail sending service, or a webhook that sends as the owner'),
			})
			.strict()
			.default({}),
		prompts: z.record(z.string(), z.string().max(50_000)).default({}).describe('Prompt overrides by prompt file name (e.g. lead-summarizer.md)'),
		routing: RoutingConfigSchema.optional().describe('Reps, teams, territories, weights, caps and the queue owner: who owns a lead'),
		chat: ChatConfigSchema.optional().describe('The website assistant: approved sources and the sales-handoff rules (Chat Handoff node)'),
		drafting: DraftingConfigSchema.optional().describe('Approved content, banned phrases, required lines, tone and length of drafts (grounded drafting)'),
		research: ResearchConfigSchema.optional().describe('Account research: the pages read on each account\'s site, the industry and technology catalogs, how recent news must be (Account Planner)'),
		onboarding: OnboardingConfigSchema.optional().describe('The checklist a won deal starts, who owns onboarding, how often an overdue task is chased (Account Planner)'),
		metrics: MetricsConfigSchema.optional().describe('Quotas, spend and the thresholds of pipeline anomalies and deal warnings (RevOps Metrics node)'),
		stageExitCriteria: StageExitCriteriaSchema.optional().describe('Per CRM stage: the stage a deal moves to and the MEDDICC fields that must be known first (proposals go to the deal-stage approval)'),
	})
	.strict()
	.superRefine((config, ctx) => {
		// Exit criteria name the CRM's own stages: each must be in the stage map, or its proposals would map to no canon stage.
		const stages = Object.keys(config.stageMap);
		if (!config.stageExitCriteria || stages.length === 0) return;
		for (const [from, rule] of Object.entries(config.stageExitCriteria)) {
			for (const [stage, path] of [[from, ['stageExitCriteria', from]], [rule.next, ['stageExitCriteria', from, 'next']]] as const) {
				if (!stages.includes(stage)) ctx.addIssue({ code: 'custom', path: [...path], message: `"${stage}" is not a stage of stageMap (${stages.join(', ')})` });
			}
		}
	});

export type CompanyConfig = z.output<typeof CompanyConfigSchema>;

export interface LoadedCompanyConfig {
	config: CompanyConfig;
	/** Content hash: the config version on every audit entry. */
	version: string;
}

const cache = new Map<string, LoadedCompanyConfig>();
/**
 * The same configs by their exact JSON text. Every node of a run reads the config of every item, and
 * the content hash (keys sorted, then SHA-256) cost six times what JSON.stringify does: the text is a
 * safe key, as equal text is equal content, and a config changed in place has a new text. The hash
 * is taken only when the text is new.
 */
const byText = new Map<string, LoadedCompanyConfig>();
const MAX_CACHED = 100;

/**
 * Validates a config (object or JSON text). Errors name every path that is wrong and what it must be,
 * e.g. `crm.schema: a plain lower-case PostgreSQL name`.
 */
export function parseCompanyConfig(raw: unknown): LoadedCompanyConfig {
	const text = typeof raw === 'string' ? raw : raw && typeof raw === 'object' && !Array.isArray(raw) ? JSON.stringify(raw) : undefined;
	const seen = text === undefined ? undefined : byText.get(text);
	if (seen) return seen;
	const loaded = parseUncached(raw);
	if (text !== undefined && text.length <= 1_000_000) {
		if (byText.size >= MAX_CACHED) byText.clear();
		byText.set(text, loaded);
	}
	return loaded;
}

function parseUncached(raw: unknown): LoadedCompanyConfig {
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new ConfigError(`The company config is not valid JSON: ${(error as Error).message}`, 'Paste the whole config object, e.g. one of workflows/companies/*.json', '');
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new ConfigError('No company config on the item', 'Put a Company Config node before this one, or pass the config object in the "Company Config" parameter', '');
	}
	const version = versionHash(value);
	const known = cache.get(version);
	if (known) return known;
	const parsed = CompanyConfigSchema.safeParse(value);
	if (!parsed.success) {
		const issues = parsed.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
		throw new ConfigError(
			`The company config has ${parsed.error.issues.length} problem${parsed.error.issues.length > 1 ? 's' : ''}: ${issues.join('; ')}`,
			'Fix each path named above (the JSON Schema dist/schemas/company-config.schema.json checks it in an editor)',
			parsed.error.issues[0]?.path.join('.'),
		);
	}
	const loaded = { config: parsed.data, version };
	if (cache.size > MAX_CACHED) cache.clear();
	cache.set(version, loaded);
	return loaded;
}

/** Merge policy overrides of one object, as the upsert engine takes them. */
export function policiesFor(config: CompanyConfig | null, object: CrmObject): Record<string, MergePolicy> | undefined {
	return config?.mergePolicies?.[object] as Record<string, MergePolicy> | undefined;
}

/** The canon stage of a CRM stage name, case-insensitively; null when the map does not name it. */
export function canonStage(config: CompanyConfig, crmStage: unknown): string | null {
	if (typeof crmStage !== 'string') return null;
	const wanted = crmStage.trim().toLowerCase();
	for (const [name, stage] of Object.entries(config.stageMap)) if (name.toLowerCase() === wanted) return stage;
	return (CANON_STAGES as readonly string[]).includes(wanted) ? wanted : null;
}

/**
 * Finds a company's config by its id in folders of config files (*.json), first folder first: the
 * operator's folder, then the examples shipped with the package. Re-read when a file changes.
 */
export function loadCompanyConfigById(id: string, folders: readonly string[]): LoadedCompanyConfig {
	const wanted = id.trim();
	if (wanted === '') {
		throw new ConfigError(
			'No company chosen',
			'Set Company ID in the Company Config node, or set the REVOPS_COMPANY environment variable of n8n (and of every queue-mode worker) to the id of a company config',
			'companyId',
		);
	}
	const seen: string[] = [];
	for (const folder of folders) {
		let files: string[];
		try {
			files = fs.readdirSync(folder).filter((f) => f.endsWith('.json'));
		} catch {
			continue;
		}
		for (const file of files) {
			const full = path.join(folder, file);
			let entry: CachedFile;
			try {
				const stat = fs.statSync(full);
				const cached = fileCache.get(full);
				if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) entry = cached;
				else {
					entry = { mtimeMs: stat.mtimeMs, size: stat.size, raw: JSON.parse(fs.readFileSync(full, 'utf8')) };
					fileCache.set(full, entry);
				}
			} catch (error) {
				throw new ConfigError(`Company config file ${full} is not readable JSON: ${(error as Error).message}`, 'Fix or remove the file', full);
			}
			const fileId = (entry.raw as { company?: { id?: unknown } } | null)?.company?.id;
			if (typeof fileId === 'string') seen.push(fileId);
			// Validated once per version of the file: every node reading a reference comes here per item.
			if (fileId === wanted) return (entry.loaded ??= parseCompanyConfig(entry.raw));
		}
	}
	throw new ConfigError(
		`No company config with id "${wanted.slice(0, 60)}"`,
		`Put a config file (company.id "${wanted.slice(0, 60)}") in ${folders[0]}, or pick one of: ${[...new Set(seen)].join(', ') || '(none found)'}`,
		'companyId',
	);
}

interface CachedFile {
	mtimeMs: number;
	size: number;
	raw: unknown;
	loaded?: LoadedCompanyConfig;
}
const fileCache = new Map<string, CachedFile>();

/**
 * The config's large sections. A Company Config node set to put a reference on items leaves them
 * out: nodes that need them load the file again by the company's id (`resolveCompanyConfig`), and
 * every execution stores and loads about a sixth of the text. Expressions keep reading the rest
 * (company, calendar, slas, approvers, channels, stage maps, onboarding...) from the item.
 */
export const SECTIONS_LEFT_TO_FILE = ['playbooks', 'intentTaxonomy', 'prompts', 'routing', 'chat', 'drafting', 'research'] as const;

/** What marks a config on an item as a reference: the file's company id and the version it had. */
export interface CompanyConfigReference {
	companyId: string;
	version: string;
	leftOut: string[];
}

const references = new WeakMap<LoadedCompanyConfig, Record<string, unknown>>();

/**
 * The config as a reference puts it on items: every section but the large ones, and
 * `configReference`. One object per loaded config, shared by every item (n8n stores it once).
 */
export function companyConfigReference(loaded: LoadedCompanyConfig): Record<string, unknown> {
	const known = references.get(loaded);
	if (known) return known;
	const slim: Record<string, unknown> = {};
	const leftOut: string[] = [];
	for (const [key, value] of Object.entries(loaded.config)) {
		if ((SECTIONS_LEFT_TO_FILE as readonly string[]).includes(key)) leftOut.push(key);
		else slim[key] = value;
	}
	slim.configReference = { companyId: loaded.config.company.id, version: loaded.version, leftOut } satisfies CompanyConfigReference;
	references.set(loaded, slim);
	return slim;
}

/** The reference a config on an item carries (object or JSON text), or null for a whole config. */
export function configReferenceOf(raw: unknown): CompanyConfigReference | null {
	let value = raw;
	if (typeof raw === 'string') {
		if (!raw.includes('"configReference"')) return null;
		try {
			value = JSON.parse(raw);
		} catch {
			return null;
		}
	}
	const ref = value && typeof value === 'object' && !Array.isArray(value) ? (value as { configReference?: unknown }).configReference : undefined;
	if (!ref || typeof ref !== 'object') return null;
	const { companyId, version, leftOut } = ref as Partial<CompanyConfigReference>;
	if (typeof companyId !== 'string' || typeof version !== 'string') {
		throw new ConfigError('The company config on the item has a configReference without its companyId and version', 'Put the Company Config node\'s output on the item unchanged, or pass the whole config object', 'companyConfig');
	}
	return { companyId, version, leftOut: Array.isArray(leftOut) ? leftOut.map(String) : [] };
}

/**
 * A config as it travels on an item: a whole config is validated as it is; a reference is loaded
 * again from its file by the company's id. When the file has changed since the run began (a run
 * resumed after days waiting for an approval), the file as it is now decides what the reference
 * left out; the small settings on the item stay as they were. The Company Config node's audit entry
 * keeps the version the run began with; nodes that record the config version record the one read.
 */
export function resolveCompanyConfig(raw: unknown, folders: readonly string[]): LoadedCompanyConfig {
	const ref = configReferenceOf(raw);
	if (!ref) return parseCompanyConfig(raw);
	try {
		return loadCompanyConfigById(ref.companyId, folders);
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		throw new ConfigError(
			`The item carries a reference to company ${ref.companyId.slice(0, 60)}'s config file, which cannot be loaded here: ${error.message}`,
			`Give every n8n process (each queue-mode worker too) the same config folder (REVOPS_CONFIG_DIR), or set Put On Items to Whole Config in the Company Config node. ${error.fix}`,
			'companyConfig',
		);
	}
}

/**
 * Where a company's alerts and approval requests go: its Slack incoming webhook, else its Teams one.
 * Takes the config as it travels on an item (the Company Config node's `companyConfig`).
 */
export function companyAlertChannel(config: unknown): { channel: 'slack' | 'teams'; url: string } {
	const channels = config && typeof config === 'object' ? (config as { channels?: Record<string, unknown> }).channels : undefined;
	const url = (v: unknown) => (typeof v === 'string' && /^https?:\/\//i.test(v.trim()) ? v.trim() : null);
	const slack = url(channels?.slackWebhookUrl);
	if (slack) return { channel: 'slack', url: slack };
	const teams = url(channels?.teamsWebhookUrl);
	if (teams) return { channel: 'teams', url: teams };
	throw new ConfigError(
		config ? 'The company config has no channels.slackWebhookUrl or channels.teamsWebhookUrl' : 'No company config on the item to take the channel from',
		config ? 'Add the Slack or Teams incoming-webhook URL to the config\'s channels, or pick a channel in this node' : 'Put a Company Config node before this one, or pick a channel in this node',
		'channel',
	);
}

/**
 * Who decides for items of these tiers, from the config as it travels on an item: the config's
 * approvers whose `tiers` include every one of them (so nobody decides on an item of a tier they may
 * not approve), in the config's order, and whom an undecided request escalates to (channels.notifyEmail).
 */
export function companyApprovers(config: unknown, tiers: readonly string[]): { approvers: string[]; escalateTo: string[] } {
	const c = config && typeof config === 'object' ? (config as { approvers?: unknown; channels?: Record<string, unknown> }) : undefined;
	const listed = Array.isArray(c?.approvers) ? c.approvers : [];
	const wanted = [...new Set(tiers)].sort();
	const approvers = listed
		.filter((a): a is { email: string; tiers?: unknown } => !!a && typeof a === 'object' && typeof (a as { email?: unknown }).email === 'string' && (a as { email: string }).email.trim() !== '')
		// An approver without tiers approves every tier, as the config's default says.
		.filter((a) => !Array.isArray(a.tiers) || wanted.every((t) => (a.tiers as unknown[]).includes(t)))
		.map((a) => a.email.trim());
	if (approvers.length === 0) {
		throw new ConfigError(
			c ? `No approver in the company config may approve ${wanted.join(' and ')} items` : 'No company config on the item to take the approvers from',
			c
				? `Add an approver whose tiers include ${wanted.join(' and ')} to the config's approvers${wanted.length > 1 ? ', or send items of different tiers through the gate in separate runs' : ''}, or turn off Approvers From Company Config and list the approvers`
				: 'Put a Company Config node before this one, or turn off Approvers From Company Config and list the approvers',
			'approvers',
		);
	}
	const notify = typeof c?.channels?.notifyEmail === 'string' ? c.channels.notifyEmail.trim() : '';
	return { approvers: [...new Set(approvers)], escalateTo: notify && !approvers.includes(notify) ? [notify] : [] };
}
