import type { CrmObject } from './model';
import type { FieldValue } from './merge';

/**
 * The backend interface: all a CRM backend (PostgreSQL, n8n Data Tables, HubSpot, Salesforce) must do.
 * Small on purpose: the merge rules, idempotency and conflict handling live in upsert.ts and hold the
 * same for every backend. Batch-first: a single write is a batch of one.
 *
 * The one promise a backend must keep: `insert` and `update` are conditional. An insert whose match
 * key exists, or an update whose record's revision moved since it was read, writes nothing and answers
 * null for that record; the engine then re-reads and re-merges. A record and its history entries are
 * written together (in one transaction where the backend has them).
 *
 * A backend that refuses one record of a batch (a vendor CRM rejecting a value) answers a
 * RecordRejectedError for it; the others are written, and the engine reports it as that item's error.
 */
/**
 * Records a node keeps beside the CRM data, under the same conditional-write promise (the routing
 * rotation of a company): never a CRM object, never searched, no history.
 */
export const STATE_OBJECT = 'revops_state';
export type StoreObject = CrmObject | typeof STATE_OBJECT;

export interface StoredRecord {
	id: string;
	object: StoreObject;
	/** Normalized match key (domain, e-mail, dedupe key, external id). */
	key: string;
	/** Other keys that find the record: an account's other domains (other objects have none). */
	aliases: string[];
	fields: Record<string, FieldValue>;
	/** Fields a person validated: never overwritten by a rule or a model. */
	validated: string[];
	/** Grows by one with every write; the condition of the next write. */
	revision: number;
	/** Repeat submissions merged into this record. */
	duplicates: number;
	/** Idempotency keys of the latest writes: the same item written twice changes nothing. */
	writeKeys: string[];
	createdAt: string;
	updatedAt: string;
}

export interface HistoryEntry {
	object: CrmObject;
	recordId: string;
	field: string;
	before: FieldValue | null;
	after: FieldValue | null;
	/** The merge policy that wrote, `created`, or `repeat` for a counted repeat submission. */
	change: string;
	/** `rule:Lead Normalizer`, `model:MEDDICC Extractor`, `human:jane@acme.com`. */
	writer: string;
	executionId: string | null;
	at: string;
}

export interface SearchCondition {
	field: string;
	op: 'eq' | 'neq' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'empty' | 'notEmpty';
	value?: string | number | boolean | null;
}

export interface Association {
	from: { object: CrmObject; id: string };
	to: { object: CrmObject; id: string };
	label: string;
}

/** One page of a scan: records in a stable order, their history of the asked fields, where to go on. */
export interface ScanPage {
	records: StoredRecord[];
	/** The changes of the asked fields of these records, oldest first per record. */
	history: HistoryEntry[];
	/** Hand back to get the next page; null after the last. */
	next: string | null;
}

/** One record a backend refused (its words, and the fix); the rest of the batch is written. */
export class RecordRejectedError extends Error {
	constructor(
		message: string,
		readonly fix = 'Correct the value the CRM names (or the property type in the CRM) and run the item again',
	) {
		super(message);
		this.name = 'RecordRejectedError';
	}
}

/** What a conditional write answers per record: written, moved on (null), or refused. */
export type WriteAnswer = StoredRecord | null | RecordRejectedError;

export interface CrmStore {
	/** Shown in outputs and errors: `postgres`, `dataTables`, `hubspot`... */
	readonly backend: string;
	/** Statements or API calls made so far (for `npm run bench`). */
	readonly calls: number;
	/** Creates or migrates what the backend needs; safe to call from many workers at once. */
	ensureSchema(): Promise<void>;
	/** Records whose match key or one of whose aliases is among `keys`. */
	findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]>;
	/** Inserts new records (revision 1); null where the match key is taken. */
	insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<WriteAnswer[]>;
	/** Writes records whose revision is still `expectedRevision`; null where it moved. */
	update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<WriteAnswer[]>;
	search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]>;
	history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]>;
	/**
	 * Every record of `object` that matches `where`, a page at a time (about `pageSize` records), each
	 * page with the changes of `historyFields` of its records: how a whole pipeline is read (the metrics)
	 * without one call per record. Start with `cursor` null, then pass each page's `next`.
	 */
	scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage>;
	/** Idempotent: linking twice leaves one link. Answers how many links are new. */
	associate(links: readonly Association[]): Promise<number>;
	close(): Promise<void>;
}

/**
 * A search as pages of a scan, up to `limit` records: for backends whose scan is their only way to
 * list records by condition (HubSpot, Salesforce).
 */
export async function searchByScan(store: Pick<CrmStore, 'scan'>, object: CrmObject, where: readonly SearchCondition[], limit: number, pageSize: number): Promise<StoredRecord[]> {
	const out: StoredRecord[] = [];
	let cursor: string | null = null;
	do {
		const page: ScanPage = await store.scan(object, where, [], cursor, pageSize);
		out.push(...page.records);
		cursor = page.next;
	} while (cursor && out.length < limit);
	return out.slice(0, limit);
}
