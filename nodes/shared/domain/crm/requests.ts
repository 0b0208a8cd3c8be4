import { ConfigError } from '../config-error';
import { versionHash } from '../hash';
import { safeText } from '../text';
import { leadTier, type AccountMatch } from './matching';
import type { Writer } from './merge';
import { CRM_FIELDS, MATCH_KEYS, normalizeKey, type CrmObject } from './model';
import type { UpsertRequest } from './upsert';

/**
 * From an item's canonical fields to an upsert request: the match key, what a lead write adds (first
 * touch, status, tier and owner from its account), and an activity's derived id. The node only reads
 * parameters and hands the fields over.
 */

export interface WriteSettings {
	writer: Writer;
	validates?: string[];
	/** Overrides the match key read from the fields. */
	key?: unknown;
	aliases?: unknown;
	repeatCounts?: boolean;
	idempotencyKey?: string;
	/** Portfolio company id from the config, written on accounts. */
	companyId?: string | null;
}

const listOf = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,;\s]+/) : []).map((x) => String(x).trim()).filter(Boolean);

export function matchKeyOf(object: CrmObject, fields: Record<string, unknown>, override?: unknown): string {
	const keyField = MATCH_KEYS[object];
	const raw = override !== undefined && override !== null && override !== '' ? override : fields[keyField];
	const key = normalizeKey(object, raw);
	if (key === null) {
		const hint =
			object === 'lead'
				? 'Run the Lead Normalizer first (it writes dedupeKey), or set Match Key'
				: object === 'account'
					? 'Give the account a domain (e.g. acme.com), or set Match Key'
					: object === 'contact'
						? 'Give the contact an e-mail, or set Match Key'
						: `Give the ${object} an externalId (the id in your CRM), or set Match Key`;
		throw new ConfigError(
			`No match key for this ${object}: ${keyField} is ${raw === undefined || raw === null || raw === '' ? 'empty' : `not usable (${safeText(raw)})`}`,
			hint,
			keyField,
		);
	}
	return key;
}

/** An activity without an id gets one from what identifies it, so logging it twice leaves one. */
export function activityId(fields: Record<string, unknown>): string {
	const parts = ['type', 'occurredAt', 'leadKey', 'contactEmail', 'accountDomain', 'opportunityId', 'summary'].map((k) => fields[k] ?? null);
	return `act_${versionHash(parts)}`;
}

export function buildRequest(object: CrmObject, input: Record<string, unknown>, settings: WriteSettings): UpsertRequest {
	const fields: Record<string, unknown> = { ...input };
	if (object === 'activity' && (fields.externalId === undefined || fields.externalId === null || fields.externalId === '') && settings.key === undefined) {
		fields.externalId = activityId(fields);
	}
	const key = matchKeyOf(object, fields, settings.key);
	fields[MATCH_KEYS[object]] = key;
	if (object === 'account' && settings.companyId && CRM_FIELDS.account.portfolioCompany) fields.portfolioCompany ??= settings.companyId;
	return {
		object,
		key,
		aliases: object === 'account' ? listOf(settings.aliases ?? fields.domains).map((d) => normalizeKey('account', d)).filter((d): d is string => !!d && d !== key) : undefined,
		fields,
		writer: settings.writer,
		validates: settings.validates,
		repeatCounts: settings.repeatCounts,
		idempotencyKey: settings.idempotencyKey || undefined,
	};
}

/**
 * What a lead write adds to the lead's own fields: its first touch (kept for good by the model's
 * firstTouch policy), status `new` (never a reset: noReset), and tier, owner and customer status from
 * the matched account (leadTier, the one home of that rule). `match` undefined means no lookup was
 * made (matching off, or a partial write such as a status change with nothing to match on): then the
 * account-derived fields are left as they are, never reset to "no account".
 */
export function leadWriteFields(fields: Record<string, unknown>, match: AccountMatch | null | undefined): Record<string, unknown> {
	const out: Record<string, unknown> = {
		...fields,
		firstTouchSource: fields.leadSource,
		firstTouchMedium: fields.leadMedium,
		firstTouchCampaign: fields.leadCampaign,
		firstTouchAt: fields.lastTouchAt,
		status: fields.status ?? 'new',
	};
	if (match === undefined) {
		const fit = leadTier(null, fields.icpTier);
		if (fit.tier) Object.assign(out, { tier: fit.tier, tierSource: fit.tierSource });
		return out;
	}
	const tier = leadTier(match, fields.icpTier);
	Object.assign(out, { tier: tier.tier, tierSource: tier.tierSource, accountDomain: tier.accountDomain, existingCustomer: tier.existingCustomer });
	if (tier.owner) out.owner = tier.owner;
	return out;
}

/** The activity a lead write logs: one per submission (its time and key make the id). */
export function submissionActivity(lead: Record<string, unknown>, key: string): Record<string, unknown> {
	return {
		type: 'form_submission',
		occurredAt: lead.lastTouchAt,
		leadKey: key,
		contactEmail: lead.email,
		accountDomain: lead.accountDomain,
		summary: typeof lead.message === 'string' ? lead.message.slice(0, 2000) : undefined,
		outcome: lead.intentCategory,
	};
}
