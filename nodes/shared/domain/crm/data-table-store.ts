import { ConfigError } from '../config-error';
import type { FieldValue } from './merge';
import type { CrmObject } from './model';
import { CRM_FIELDS } from './model';
import type { Association, CrmStore, HistoryEntry, ScanPage, SearchCondition, StoreObject, StoredRecord } from './store';

/**
 * The n8n Data Tables backend: records in n8n's own database, no server to run. n8n lets only its own
 * Data Table node use tables from inside a workflow, so this backend talks to n8n's public REST API
 * (`/api/v1/data-tables`, n8n 2.x) with an API key: the same tables a user opens under Overview > Data
 * tables. The HTTP call is injected (the node passes n8n's request helper, tests a real server).
 *
 * Data Tables have no unique constraint: two workers inserting the same new key both succeed. The
 * store settles it after the insert: the row with the lowest id wins, the other is deleted and its
 * writer re-reads and merges into the winner, as after any conflict. Updates are conditional on the
 * revision (`rows/update` with `rid = ? AND revision = ?`).
 */

export interface HttpRequest {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Below the API root, e.g. `/data-tables`. */
	path: string;
	qs?: Record<string, string | number | boolean>;
	body?: unknown;
}
export type HttpCall = (request: HttpRequest) => Promise<unknown>;

type Column = { name: string; type: 'string' | 'number' | 'boolean' | 'date' };
const TABLES: Record<'record' | 'history' | 'association', Column[]> = {
	record: [
		{ name: 'rid', type: 'string' },
		{ name: 'object', type: 'string' },
		{ name: 'match_value', type: 'string' },
		{ name: 'aliases', type: 'string' },
		{ name: 'fields', type: 'string' },
		{ name: 'validated', type: 'string' },
		{ name: 'revision', type: 'number' },
		{ name: 'duplicates', type: 'number' },
		{ name: 'write_ids', type: 'string' },
		{ name: 'created_at', type: 'date' },
		{ name: 'updated_at', type: 'date' },
	],
	history: [
		{ name: 'object', type: 'string' },
		{ name: 'record_id', type: 'string' },
		{ name: 'field', type: 'string' },
		{ name: 'before', type: 'string' },
		{ name: 'after', type: 'string' },
		{ name: 'change', type: 'string' },
		{ name: 'writer', type: 'string' },
		{ name: 'execution_id', type: 'string' },
		{ name: 'at', type: 'date' },
	],
	association: [
		{ name: 'link_id', type: 'string' },
		{ name: 'from_object', type: 'string' },
		{ name: 'from_id', type: 'string' },
		{ name: 'to_object', type: 'string' },
		{ name: 'to_id', type: 'string' },
		{ name: 'label', type: 'string' },
	],
};

type Row = Record<string, string | number | boolean | null> & { id: number };
type Filter = { type: 'and' | 'or'; filters: Array<{ columnName: string; condition: string; value: string | number | boolean | null }> };

const PAGE = 250;
const KEYS_PER_QUERY = 40;
const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown, fallback: T): T => {
	if (typeof v !== 'string' || v === '') return fallback;
	try {
		return JSON.parse(v) as T;
	} catch {
		return fallback;
	}
};
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function toRecord(r: Row): StoredRecord {
	return {
		id: String(r.rid),
		object: r.object as CrmObject,
		key: String(r.match_value),
		aliases: parse<string[]>(r.aliases, []),
		fields: parse<Record<string, FieldValue>>(r.fields, {}),
		validated: parse<string[]>(r.validated, []),
		revision: Number(r.revision),
		duplicates: Number(r.duplicates ?? 0),
		writeKeys: parse<string[]>(r.write_ids, []),
		createdAt: iso(r.created_at),
		updatedAt: iso(r.updated_at),
	};
}

function toHistory(object: CrmObject, r: Row): HistoryEntry {
	return {
		object,
		recordId: String(r.record_id),
		field: String(r.field),
		before: parse<FieldValue | null>(r.before, null),
		after: parse<FieldValue | null>(r.after, null),
		change: String(r.change),
		writer: String(r.writer),
		executionId: r.execution_id === null ? null : String(r.execution_id),
		at: iso(r.at),
	};
}

function toRow(r: StoredRecord): Record<string, string | number | null> {
	return {
		rid: r.id,
		object: r.object,
		match_value: r.key,
		aliases: json(r.aliases),
		fields: json(r.fields),
		validated: json(r.validated),
		revision: r.revision,
		duplicates: r.duplicates,
		write_ids: json(r.writeKeys),
		created_at: r.createdAt,
		updated_at: r.updatedAt,
	};
}

/** Table ids per API and prefix, found or created once per process. */
const tableIds = new Map<string, Promise<Record<keyof typeof TABLES, string>>>();

export class DataTableStore implements CrmStore {
	readonly backend = 'dataTables';
	private requests = 0;
	private ids: Record<keyof typeof TABLES, string> | null = null;

	constructor(
		private readonly http: HttpCall,
		private readonly prefix: string,
		/** Identifies the n8n instance (its API URL), so table ids are cached per instance. */
		private readonly instance: string,
	) {
		if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) {
			throw new ConfigError(`Table prefix "${prefix.slice(0, 60)}" is not a plain lower-case name`, 'Use letters a-z, digits and underscores, e.g. acme (company config: crm.tablePrefix)', 'crm.tablePrefix');
		}
	}

	get calls(): number {
		return this.requests;
	}

	private async call<T>(request: HttpRequest): Promise<T> {
		this.requests += 1;
		return (await this.http(request)) as T;
	}

	private table(name: keyof typeof TABLES): string {
		if (!this.ids) throw new Error('ensureSchema() must run before the Data Tables store is used');
		return this.ids[name];
	}

	async ensureSchema(): Promise<void> {
		const cacheKey = `${this.instance}|${this.prefix}`;
		let pending = tableIds.get(cacheKey);
		if (!pending) {
			pending = this.findOrCreateTables();
			tableIds.set(cacheKey, pending);
			pending.catch(() => tableIds.delete(cacheKey));
		}
		this.ids = await pending;
	}

	private async findOrCreateTables(): Promise<Record<keyof typeof TABLES, string>> {
		const ids = {} as Record<keyof typeof TABLES, string>;
		for (const [suffix, columns] of Object.entries(TABLES) as Array<[keyof typeof TABLES, Column[]]>) {
			const name = `${this.prefix}_${suffix}`;
			const find = async () => {
				const list = await this.call<{ data: Array<{ id: string; name: string }> }>({ method: 'GET', path: '/data-tables', qs: { filter: JSON.stringify({ name }), limit: PAGE } });
				return list.data.find((t) => t.name === name)?.id ?? null;
			};
			let id = await find();
			if (!id) {
				try {
					id = (await this.call<{ id: string }>({ method: 'POST', path: '/data-tables', body: { name, columns } })).id;
				} catch (error) {
					// Another worker created it first (409): use theirs.
					id = await find();
					if (!id) throw error;
				}
			}
			ids[suffix] = id;
		}
		return ids;
	}

	/** One page of rows (n8n's cursor paging) and the cursor of the next, null after the last. */
	private async page(table: keyof typeof TABLES, filter: Filter | null, sortBy: string | undefined, cursor: string | null, limit = PAGE): Promise<{ data: Row[]; next: string | null }> {
		const qs: Record<string, string | number> = { limit };
		if (filter) qs.filter = JSON.stringify(filter);
		if (sortBy) qs.sortBy = sortBy;
		if (cursor) qs.cursor = cursor;
		const page = await this.call<{ data: Row[]; nextCursor?: string | null }>({ method: 'GET', path: `/data-tables/${this.table(table)}/rows`, qs });
		return { data: page.data, next: page.nextCursor || null };
	}

	private async rows(table: keyof typeof TABLES, filter: Filter | null, sortBy?: string): Promise<Row[]> {
		const out: Row[] = [];
		let cursor: string | null = null;
		do {
			const page = await this.page(table, filter, sortBy, cursor);
			out.push(...page.data);
			cursor = page.next;
		} while (cursor);
		return out;
	}

	/** Every row per (object, key): duplicates from racing inserts included, lowest id first. */
	private async rowsByKeys(object: StoreObject, keys: readonly string[]): Promise<Row[]> {
		const found = new Map<number, Row>();
		for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
			const chunk = keys.slice(i, i + KEYS_PER_QUERY);
			const filters = [
				...chunk.map((k) => ({ columnName: 'match_value', condition: 'eq', value: k })),
				...chunk.map((k) => ({ columnName: 'aliases', condition: 'like', value: `%${JSON.stringify(k).replace(/[%_]/g, '')}%` })),
			];
			for (const row of await this.rows('record', { type: 'or', filters })) if (row.object === object) found.set(row.id, row);
		}
		const wanted = new Set(keys);
		return [...found.values()]
			.filter((r) => wanted.has(String(r.match_value)) || parse<string[]>(r.aliases, []).some((a) => wanted.has(a)))
			.sort((a, b) => a.id - b.id);
	}

	async findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]> {
		if (keys.length === 0) return [];
		const winners = new Map<string, Row>();
		for (const row of await this.rowsByKeys(object, keys)) if (!winners.has(String(row.match_value))) winners.set(String(row.match_value), row);
		return [...winners.values()].map(toRecord);
	}

	private async writeHistory(entries: HistoryEntry[]): Promise<void> {
		for (let i = 0; i < entries.length; i += 1000) {
			const data = entries.slice(i, i + 1000).map((e) => ({
				object: e.object,
				record_id: e.recordId,
				field: e.field,
				before: json(e.before),
				after: json(e.after),
				change: e.change,
				writer: e.writer,
				execution_id: e.executionId,
				at: e.at,
			}));
			await this.call({ method: 'POST', path: `/data-tables/${this.table('history')}/rows`, body: { data, returnType: 'count' } });
		}
	}

	async insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		const object = records[0]?.object;
		if (!object) return [];
		for (let i = 0; i < records.length; i += 1000) {
			await this.call({ method: 'POST', path: `/data-tables/${this.table('record')}/rows`, body: { data: records.slice(i, i + 1000).map(toRow), returnType: 'count' } });
		}
		// Settle racing inserts: per key, the lowest row id is the record; later rows are withdrawn.
		const rows = await this.rowsByKeys(object, records.map((r) => r.key));
		const winnerByKey = new Map<string, Row>();
		for (const row of rows) if (!winnerByKey.has(String(row.match_value))) winnerByKey.set(String(row.match_value), row);
		const result: Array<StoredRecord | null> = [];
		const won: HistoryEntry[] = [];
		for (const [n, record] of records.entries()) {
			const winner = winnerByKey.get(record.key);
			if (winner && winner.rid === record.id) {
				result.push(toRecord(winner));
				won.push(...history[n]);
			} else {
				result.push(null);
				await this.call({ method: 'DELETE', path: `/data-tables/${this.table('record')}/rows/delete`, qs: { filter: JSON.stringify({ type: 'and', filters: [{ columnName: 'rid', condition: 'eq', value: record.id }] }) } });
			}
		}
		await this.writeHistory(won);
		return result;
	}

	async update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		const result: Array<StoredRecord | null> = [];
		const written: HistoryEntry[] = [];
		for (const [n, { record, expectedRevision }] of records.entries()) {
			const data = toRow(record);
			delete data.rid;
			delete data.created_at;
			const rows = await this.call<Row[] | boolean>({
				method: 'PATCH',
				path: `/data-tables/${this.table('record')}/rows/update`,
				body: {
					filter: { type: 'and', filters: [{ columnName: 'rid', condition: 'eq', value: record.id }, { columnName: 'revision', condition: 'eq', value: expectedRevision }] },
					data: { ...data, revision: expectedRevision + 1 },
					returnData: true,
				},
			});
			const row = Array.isArray(rows) ? rows[0] : undefined;
			result.push(row ? toRecord(row) : null);
			if (row) written.push(...history[n]);
		}
		await this.writeHistory(written);
		return result;
	}

	async search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]> {
		for (const c of where) {
			if (!CRM_FIELDS[object][c.field]) throw new ConfigError(`${c.field} is not a field of the canonical ${object}`, `Pick one of: ${Object.keys(CRM_FIELDS[object]).join(', ')}`, 'conditions');
		}
		// Fields are stored as one JSON text per record, so conditions are checked here, page by page.
		const rows = await this.rows('record', { type: 'and', filters: [{ columnName: 'object', condition: 'eq', value: object }] }, 'updatedAt:desc');
		return rows
			.map(toRecord)
			.filter((r) => where.every((c) => matches(object, r.fields[c.field], c)))
			.slice(0, Math.max(1, Math.min(10_000, Math.floor(limit))));
	}

	async history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]> {
		const rows = await this.rows('history', { type: 'and', filters: [{ columnName: 'record_id', condition: 'eq', value: recordId }] });
		return rows
			.filter((r) => r.object === object)
			.sort((a, b) => a.id - b.id)
			.slice(0, limit)
			.map((r) => toHistory(object, r));
	}

	async scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage> {
		for (const c of where) {
			if (!CRM_FIELDS[object][c.field]) throw new ConfigError(`${c.field} is not a field of the canonical ${object}`, `Pick one of: ${Object.keys(CRM_FIELDS[object]).join(', ')}`, 'conditions');
		}
		// n8n's own cursor over the rows in id order; the conditions are checked here, as in search.
		const page = await this.page('record', { type: 'and', filters: [{ columnName: 'object', condition: 'eq', value: object }] }, 'id:asc', cursor, Math.max(1, Math.min(PAGE, Math.floor(pageSize))));
		const records = page.data.map(toRecord).filter((r) => where.every((c) => matches(object, r.fields[c.field], c)));
		const fields = new Set(historyFields);
		const history: HistoryEntry[] = [];
		if (fields.size > 0) {
			for (let i = 0; i < records.length; i += KEYS_PER_QUERY) {
				const filters = records.slice(i, i + KEYS_PER_QUERY).map((r) => ({ columnName: 'record_id', condition: 'eq', value: r.id }));
				const rows = (await this.rows('history', { type: 'or', filters })).filter((r) => r.object === object && fields.has(String(r.field)));
				history.push(...rows.sort((a, b) => a.id - b.id).map((r) => toHistory(object, r)));
			}
		}
		return { records, history, next: page.next };
	}

	async associate(links: readonly Association[]): Promise<number> {
		if (links.length === 0) return 0;
		const ids = links.map((l) => `${l.from.id}>${l.to.id}>${l.label}`);
		const existing = new Set<string>();
		for (let i = 0; i < ids.length; i += KEYS_PER_QUERY) {
			const filters = ids.slice(i, i + KEYS_PER_QUERY).map((id) => ({ columnName: 'link_id', condition: 'eq', value: id }));
			for (const row of await this.rows('association', { type: 'or', filters })) existing.add(String(row.link_id));
		}
		const fresh = links.filter((_, n) => !existing.has(ids[n])).filter((l, n, all) => all.findIndex((x) => `${x.from.id}>${x.to.id}>${x.label}` === `${l.from.id}>${l.to.id}>${l.label}`) === n);
		if (fresh.length === 0) return 0;
		const data = fresh.map((l) => ({ link_id: `${l.from.id}>${l.to.id}>${l.label}`, from_object: l.from.object, from_id: l.from.id, to_object: l.to.object, to_id: l.to.id, label: l.label }));
		await this.call({ method: 'POST', path: `/data-tables/${this.table('association')}/rows`, body: { data, returnType: 'count' } });
		return fresh.length;
	}

	async close(): Promise<void> {}
}

/** One search condition against a stored value (texts case-insensitively, numbers and dates as such). */
export function matches(object: CrmObject, value: FieldValue | undefined, c: SearchCondition): boolean {
	const spec = CRM_FIELDS[object][c.field];
	const empty = value === null || value === undefined || value === '';
	if (c.op === 'empty') return empty;
	if (c.op === 'notEmpty') return !empty;
	if (empty) return c.op === 'neq';
	if (spec?.type === 'number' || spec?.type === 'date') {
		const a = spec.type === 'date' ? Date.parse(String(value)) : Number(value);
		const b = spec.type === 'date' ? Date.parse(String(c.value)) : Number(c.value);
		if (c.op === 'eq') return a === b;
		if (c.op === 'neq') return a !== b;
		if (c.op === 'gt') return a > b;
		if (c.op === 'gte') return a >= b;
		if (c.op === 'lt') return a < b;
		if (c.op === 'lte') return a <= b;
	}
	const text = (Array.isArray(value) ? value.join(', ') : String(value)).toLowerCase();
	const want = String(c.value ?? '').toLowerCase();
	if (c.op === 'eq') return text === want;
	if (c.op === 'neq') return text !== want;
	if (c.op === 'contains') return text.includes(want);
	return c.op === 'gt' ? text > want : c.op === 'gte' ? text >= want : c.op === 'lt' ? text < want : text <= want;
}
