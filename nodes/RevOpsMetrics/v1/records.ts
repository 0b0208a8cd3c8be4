import type { INodeExecutionData } from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import type { CrmStore } from '../../shared/domain/crm/store';

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
				for (const [field, name] of Object.entries(as)) added[name] = entries.filter((e) => e.field === field && e.after !== null && e.after !== undefined).map((e) => ({ to: e.after, at: e.at }));
				r.fields = { ...r.fields, ...added };
			}),
		);
	}
	return missing;
}
