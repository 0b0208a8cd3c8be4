import { matches } from '../../nodes/shared/domain/crm/data-table-store';
import type { CrmObject } from '../../nodes/shared/domain/crm/model';
import type { Association, CrmStore, HistoryEntry, ScanPage, SearchCondition, StoreObject, StoredRecord } from '../../nodes/shared/domain/crm/store';

/**
 * A backend in memory, for tests only: it keeps the CrmStore contract (conditional insert and update,
 * history with the record) and is checked by the same contract suite as PostgreSQL
 * (test/crm/store-contract.ts).
 */
export class MemoryStore implements CrmStore {
	readonly backend = 'memory';
	calls = 0;
	readonly records = new Map<string, StoredRecord>();
	readonly log: HistoryEntry[] = [];
	readonly links = new Set<string>();

	async ensureSchema(): Promise<void> {}

	async findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]> {
		this.calls += 1;
		const wanted = new Set(keys);
		return [...this.records.values()].filter((r) => r.object === object && (wanted.has(r.key) || r.aliases.some((a) => wanted.has(a)))).map((r) => structuredClone(r));
	}

	async insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		await Promise.resolve();
		this.calls += 1;
		return records.map((r, n) => {
			if ([...this.records.values()].some((x) => x.object === r.object && x.key === r.key)) return null;
			this.records.set(r.id, structuredClone(r));
			this.log.push(...history[n]);
			return structuredClone(r);
		});
	}

	async update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		await Promise.resolve();
		this.calls += 1;
		return records.map(({ record, expectedRevision }, n) => {
			const current = this.records.get(record.id);
			if (!current || current.revision !== expectedRevision) return null;
			const next = { ...structuredClone(record), revision: current.revision + 1, createdAt: current.createdAt };
			this.records.set(record.id, next);
			this.log.push(...history[n]);
			return structuredClone(next);
		});
	}

	async search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]> {
		this.calls += 1;
		return [...this.records.values()].filter((r) => r.object === object && where.every((c) => matches(object, r.fields[c.field], c))).slice(0, limit).map((r) => structuredClone(r));
	}

	async history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]> {
		this.calls += 1;
		return this.log.filter((h) => h.object === object && h.recordId === recordId).slice(0, limit);
	}

	async scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage> {
		this.calls += 1;
		const all = [...this.records.values()].filter((r) => r.object === object && where.every((c) => matches(object, r.fields[c.field], c))).sort((a, b) => (a.id < b.id ? -1 : 1));
		const start = cursor === null ? 0 : all.findIndex((r) => r.id > cursor);
		const records = start < 0 ? [] : all.slice(start, start + pageSize).map((r) => structuredClone(r));
		const ids = new Set(records.map((r) => r.id));
		const history = this.log.filter((h) => h.object === object && ids.has(h.recordId) && historyFields.includes(h.field));
		const last = records.at(-1);
		return { records, history, next: last && start + pageSize < all.length ? last.id : null };
	}

	async associate(links: readonly Association[]): Promise<number> {
		this.calls += 1;
		let added = 0;
		for (const l of links) {
			const id = `${l.from.id}>${l.to.id}>${l.label}`;
			if (!this.links.has(id)) added += 1;
			this.links.add(id);
		}
		return added;
	}

	async close(): Promise<void> {}
}
