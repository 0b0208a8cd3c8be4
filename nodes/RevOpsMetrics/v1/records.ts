import type { INodeExecutionData } from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import type { CrmObject } from '../../shared/domain/crm/model';
import type { CrmStore, HistoryEntry, StoredRecord } from '../../shared/domain/crm/store';
import { readActivity, readLead, type Activity, type Lead } from '../../shared/domain/metrics/activity';
import { readAccount, type Account } from '../../shared/domain/metrics/retention';
import { DealTableBuilder, type DealTable } from '../../shared/domain/metrics/table';

/**
 * Where each input item's record is (a RevOps CRM search puts it at crm.record.fields), and the CRM
 * history reads the metrics need, a few deals at a time.
 */

/** History entries read per record from the CRM, and records read at once. */
export const HISTORY_LIMIT = 500;
const HISTORY_CONCURRENCY = 8;

export interface ItemRecord {
	index: number;
	fields: Record<string, unknown>;
	/** The CRM object the item says it holds (crm.object of a search), or null. */
	object: string | null;
}

export interface ReadRecords {
	records: ItemRecord[];
	/** Items that hold no record (a search that found nothing, a path that is absent). */
	withoutRecord: number[];
}

export function readRecords(items: readonly INodeExecutionData[], from: string): ReadRecords {
	const records: ItemRecord[] = [];
	const withoutRecord: number[] = [];
	for (let i = 0; i < items.length; i++) {
		const at = from ? getPath(items[i].json, from) : undefined;
		// A search that found nothing answers { crm: { found: false } }: no record, counted on the output.
		const fields = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>) : items[i].json.crm && from.startsWith('crm.') ? null : items[i].json;
		const object = getPath(items[i].json, 'crm.object');
		if (!fields) withoutRecord.push(i);
		else records.push({ index: i, fields, object: typeof object === 'string' ? object : null });
	}
	return { records, withoutRecord };
}

/**
 * Adds each record's changes of `fields` from the CRM's history under the names `as` gives, as
 * [{ to, at }] (the record id of a RevOps CRM search). Answers how many records had no id.
 */
export async function addHistory(store: CrmStore, items: readonly INodeExecutionData[], records: ItemRecord[], object: 'opportunity' | 'account', as: Record<string, string>): Promise<number> {
	let missing = 0;
	for (let start = 0; start < records.length; start += HISTORY_CONCURRENCY) {
		await Promise.all(
			records.slice(start, start + HISTORY_CONCURRENCY).map(async (r) => {
				const id = getPath(items[r.index].json, 'crm.record.id');
				if (typeof id !== 'string') {
					missing++;
					return;
				}
				const entries = await store.history(object, id, HISTORY_LIMIT);
				const added: Record<string, unknown> = {};
				for (const [field, name] of Object.entries(as)) added[name] = changesOf(entries, field).get(id) ?? [];
				r.fields = { ...r.fields, ...added };
			}),
		);
	}
	return missing;
}

/** Records read per page when the whole CRM is read (one statement or a few API calls each). */
export const SCAN_PAGE = 5_000;

/** The changes of one field per record, as [{ to, at }] in the entries' order (values that were cleared left out). */
function changesOf(history: readonly HistoryEntry[], field: string): Map<string, Array<{ to: unknown; at: string }>> {
	const changes = new Map<string, Array<{ to: unknown; at: string }>>();
	for (const e of history) {
		if (e.field !== field || e.after === null || e.after === undefined) continue;
		const list = changes.get(e.recordId);
		if (list) list.push({ to: e.after, at: e.at });
		else changes.set(e.recordId, [{ to: e.after, at: e.at }]);
	}
	return changes;
}

/** Each record's fields with its store id, and the changes of one field from the history under `as`. */
function withHistory(records: readonly StoredRecord[], history: readonly HistoryEntry[], field: string, as: string): Array<Record<string, unknown>> {
	const changes = changesOf(history, field);
	return records.map((r) => ({ id: r.id, ...r.fields, [as]: changes.get(r.id) ?? [] }));
}

/** Every record of one object, page by page, handed to `take` with its history of `field` under `as`. */
async function scanAll(store: CrmStore, object: CrmObject, field: string | null, as: string, take: (page: Array<Record<string, unknown>>) => void): Promise<void> {
	let cursor: string | null = null;
	do {
		const page = await store.scan(object, [], field ? [field] : [], cursor, SCAN_PAGE);
		take(field ? withHistory(page.records, page.history, field, as) : page.records.map((r) => ({ id: r.id, ...r.fields })));
		cursor = page.next;
	} while (cursor !== null);
}

export interface CrmRecords {
	deals: DealTable;
	leads: Lead[];
	activities: Activity[];
	accounts: Account[];
}

/**
 * The company's whole CRM as the KPIs read it: every opportunity with the history of its funnel stage,
 * every lead and activity, every account with its revenue history, a page at a time (deals straight
 * into the columnar table, so a million of them are never held as records all at once).
 */
export async function readCrm(store: CrmStore, funnelField: 'stage' | 'crmStage', groupBy: string): Promise<CrmRecords> {
	const builder = new DealTableBuilder(groupBy, SCAN_PAGE, SCAN_PAGE * 5);
	let read = 0;
	await scanAll(store, 'opportunity', funnelField, 'stageHistory', (page) => {
		const first = read;
		builder.add(page, (k) => first + k);
		read += page.length;
	});
	const leads: Lead[] = [];
	await scanAll(store, 'lead', null, '', (page) => page.forEach((f) => leads.push(readLead(f, leads.length, groupBy))));
	const activities: Activity[] = [];
	await scanAll(store, 'activity', null, '', (page) => page.forEach((f) => activities.push(readActivity(f, activities.length, groupBy))));
	const accounts: Account[] = [];
	await scanAll(store, 'account', 'arr', 'arrHistory', (page) => page.forEach((f) => accounts.push(readAccount(f, accounts.length, groupBy))));
	return { deals: builder.finish(), leads, activities, accounts };
}
