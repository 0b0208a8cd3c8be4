import { AccountIndex, leadAccountKeys, leadTier, type AccountMatch } from './matching';
import type { MergePolicy } from './model';
import { CRM_OBJECTS, type CrmObject } from './model';
import { buildRequest, leadWriteFields, submissionActivity, type WriteSettings } from './requests';
import type { CrmStore, StoredRecord } from './store';
import { upsertMany, type UpsertOutcome, type UpsertRequest } from './upsert';

/**
 * What the CRM node does with a batch of items, apart from reading parameters: build each write, match
 * leads to accounts in one lookup, upsert, and log a lead's submission as an activity. One item's bad
 * data is that item's error, never the batch's.
 */

export interface WriteInput {
	fields: Record<string, unknown>;
	settings: WriteSettings;
}

export interface AccountSummary {
	id: string;
	domain: string;
	name: string | null;
	tier: string | null;
	owner: string | null;
	lifecycle: string | null;
	via: 'domain' | 'alias';
}

export interface WriteResult {
	outcome: UpsertOutcome;
	account: AccountSummary | null;
	activity: UpsertOutcome | null;
}

export interface WriteOptions {
	dryRun?: boolean;
	policies?: Readonly<Record<string, MergePolicy>>;
	/** Leads: take tier, owner and customer status from the account their domain belongs to. */
	matchAccounts?: boolean;
	/** Leads: log each submission as a form_submission activity. */
	logSubmissions?: boolean;
	executionId?: string | null;
	now?: () => number;
	/** Opportunities: the canon stage of the CRM's own stage name (the company config's stageMap). */
	canonStage?: (crmStage: unknown) => string | null;
}

export class CrmConflictError extends Error {
	readonly fix = 'Another writer kept changing this record; run the item again (nothing was lost or half-written)';
	constructor(object: CrmObject, key: string, attempts: number) {
		super(`The ${object} "${key.slice(0, 80)}" changed ${attempts} times while being written; not written`);
		this.name = 'CrmConflictError';
	}
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function summarize(record: StoredRecord, match: AccountMatch): AccountSummary {
	return {
		id: record.id,
		domain: record.key,
		name: text(record.fields.name),
		tier: text(record.fields.tier),
		owner: text(record.fields.owner),
		lifecycle: text(record.fields.lifecycle),
		via: match.via,
	};
}

/**
 * Finds the account of each lead (null where none, or where the lead is null) in one lookup: by company
 * domain, website or work e-mail, then by the accounts' other domains.
 */
export async function matchLeads(store: CrmStore, leads: ReadonlyArray<Record<string, unknown> | null>): Promise<Array<{ match: AccountMatch; record: StoredRecord } | null>> {
	const keys = new Set<string>();
	for (const lead of leads) if (lead) for (const k of leadAccountKeys(lead)) keys.add(k);
	const found = keys.size ? await store.findByKeys('account', [...keys]) : [];
	const byId = new Map(found.map((r) => [r.id, r]));
	const index = new AccountIndex(found.map((r) => ({ id: r.id, domain: r.key, domains: r.aliases, tier: r.fields.tier, owner: r.fields.owner, lifecycle: r.fields.lifecycle, name: r.fields.name })));
	return leads.map((lead) => {
		const match = lead ? index.match(lead) : null;
		return match ? { match, record: byId.get(match.account.id)! } : null;
	});
}

/** What the CRM node says about a lead's account (matched, or not) without writing anything. */
export function accountView(m: { match: AccountMatch; record: StoredRecord } | null, fitTier: unknown) {
	const tier = leadTier(m?.match ?? null, fitTier);
	return { account: m ? summarize(m.record, m.match) : null, existingCustomer: tier.existingCustomer, tier: tier.tier, tierSource: tier.tierSource, owner: tier.owner };
}

export async function writeRecords(store: CrmStore, object: CrmObject, inputs: ReadonlyArray<WriteInput | Error>, options: WriteOptions = {}): Promise<Array<WriteResult | Error>> {
	const results: Array<WriteResult | Error> = new Array(inputs.length);
	const accounts = new Map<number, { match: AccountMatch; record: StoredRecord }>();

	if (object === 'lead' && options.matchAccounts !== false) {
		for (const [i, m] of (await matchLeads(store, inputs.map((input) => (input instanceof Error ? null : input.fields)))).entries()) if (m) accounts.set(i, m);
	}

	const requests: UpsertRequest[] = [];
	const requestOf: number[] = [];
	inputs.forEach((input, i) => {
		if (input instanceof Error) {
			results[i] = input;
			return;
		}
		try {
			// A lead with something to match on and matching on: its account, or null for none.
			const looked = object === 'lead' && options.matchAccounts !== false && leadAccountKeys(input.fields).length > 0;
			let fields = object === 'lead' ? leadWriteFields(input.fields, looked ? (accounts.get(i)?.match ?? null) : undefined) : input.fields;
			// An opportunity written with the CRM's stage name gets its canon stage from the company's map.
			if (object === 'opportunity' && options.canonStage && fields.crmStage != null && fields.stage == null) {
				const stage = options.canonStage(fields.crmStage);
				if (stage) fields = { ...fields, stage };
			}
			requests.push(buildRequest(object, fields, input.settings));
			requestOf.push(i);
		} catch (error) {
			results[i] = error as Error;
		}
	});

	const outcomes = requests.length ? await upsertMany(store, requests, options) : [];
	const activities: UpsertRequest[] = [];
	const activityOf: number[] = [];
	outcomes.forEach((outcome, n) => {
		const i = requestOf[n];
		if (outcome.action === 'conflict') {
			results[i] = new CrmConflictError(object, requests[n].key, outcome.attempts);
			return;
		}
		if (outcome.rejected) {
			results[i] = outcome.rejected;
			return;
		}
		const account = accounts.get(i);
		results[i] = { outcome, account: account ? summarize(account.record, account.match) : null, activity: null };
		const logged = object === 'lead' && options.logSubmissions !== false && (outcome.action === 'created' || outcome.repeat) && outcome.record;
		if (logged) {
			activities.push(buildRequest('activity', submissionActivity(outcome.record!.fields, outcome.record!.key), { writer: requests[n].writer }));
			activityOf.push(i);
		}
	});
	if (activities.length && !options.dryRun) {
		const logged = await upsertMany(store, activities, options);
		logged.forEach((outcome, n) => {
			const result = results[activityOf[n]];
			if (!(result instanceof Error)) result.activity = outcome;
		});
	}
	return results;
}

export function checkObject(value: unknown): CrmObject {
	if (!(CRM_OBJECTS as readonly unknown[]).includes(value)) throw new Error(`Unknown CRM object ${String(value).slice(0, 40)}; pick one of ${CRM_OBJECTS.join(', ')}`);
	return value as CrmObject;
}
