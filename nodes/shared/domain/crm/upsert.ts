import { randomUUID } from 'node:crypto';
import { canonicalJson, versionHash } from '../hash';
import { mergeRecord, type FieldChange, type SkippedField, type Writer } from './merge';
import type { CrmObject, MergePolicy } from './model';
import { RecordRejectedError, type CrmStore, type HistoryEntry, type StoredRecord, type WriteAnswer } from './store';

/**
 * Read, merge, conditional write; on a conflict read again and merge again. The same for every
 * backend, so "a validated value is never overwritten", "no lost update" and "the same item written
 * twice leaves one record" hold wherever the records live.
 */

export interface UpsertRequest {
	object: CrmObject;
	/** Normalized match key (see normalizeKey). */
	key: string;
	/** Other keys of the record: accounts only (their other domains); ignored for other objects. */
	aliases?: string[];
	fields: Record<string, unknown>;
	writer: Writer;
	/** Fields a person vouches for (writer kind 'human' only). */
	validates?: string[];
	/** A new submission of the same thing (a form sent again): counted, never a reset. */
	repeatCounts?: boolean;
	/** Same key, same write: applied once. Defaults to a hash of object, key and fields. */
	idempotencyKey?: string;
	/**
	 * Compare-and-set: checked against the record as read (null: none yet) before every merge, so also
	 * after a conflict's re-read. A reason refuses the write (action `refused`), e.g. "the lead was
	 * reassigned meanwhile": two SLA watchers never both send the same reminder.
	 */
	guard?: (record: StoredRecord | null) => string | null;
}

export type UpsertAction = 'created' | 'updated' | 'unchanged' | 'already_applied' | 'refused' | 'conflict' | 'rejected';

export interface UpsertOutcome {
	action: UpsertAction;
	record: StoredRecord | null;
	/** The record before this write (null when created). */
	before: StoredRecord | null;
	changes: FieldChange[];
	skipped: SkippedField[];
	/** The record existed and this was a repeat submission. */
	repeat: boolean;
	/** Reads it took (more than one means another writer got there first). */
	attempts: number;
	/** Why the request's guard refused the write. */
	refused?: string;
	/** Why the backend refused the record (action `rejected`): its words and the fix. */
	rejected?: RecordRejectedError;
}

export interface UpsertOptions {
	dryRun?: boolean;
	policies?: Readonly<Record<string, MergePolicy>>;
	now?: () => number;
	/** Re-reads after a conflict before the item is flagged (default 8). */
	maxAttempts?: number;
	executionId?: string | null;
}

const WRITE_KEYS_KEPT = 50;

export function idempotencyKeyOf(request: UpsertRequest): string {
	return request.idempotencyKey ?? versionHash([request.object, request.key, canonicalJson(request.fields), request.validates ?? []]);
}

interface Working {
	original: StoredRecord | null;
	record: StoredRecord;
	history: HistoryEntry[];
	members: number[];
}

export async function upsertMany(store: CrmStore, requests: readonly UpsertRequest[], options: UpsertOptions = {}): Promise<UpsertOutcome[]> {
	const now = options.now ?? Date.now;
	const maxAttempts = options.maxAttempts ?? 8;
	const outcomes: Array<UpsertOutcome | undefined> = new Array(requests.length);
	const attempts = new Array<number>(requests.length).fill(0);
	let pending = requests.map((_, i) => i);

	for (let round = 0; round < maxAttempts && pending.length > 0; round++) {
		const byObject = new Map<CrmObject, number[]>();
		for (const i of pending) byObject.set(requests[i].object, [...(byObject.get(requests[i].object) ?? []), i]);
		const retry: number[] = [];
		for (const [object, indices] of byObject) {
			const aliasesOf = (i: number) => (object === 'account' ? (requests[i].aliases ?? []) : []);
			const keys = [...new Set(indices.flatMap((i) => [requests[i].key, ...aliasesOf(i)]))];
			const found = await store.findByKeys(object, keys);
			const lookup = new Map<string, StoredRecord>();
			for (const r of found) {
				lookup.set(r.key, r);
				for (const a of r.aliases) if (!lookup.has(a)) lookup.set(a, r);
			}
			// Requests for one record merge in input order into one working copy: one write per record.
			const groups = new Map<string, Working>();
			const at = new Date(now()).toISOString();
			for (const i of indices) {
				attempts[i] += 1;
				const request = requests[i];
				const existing = lookup.get(request.key) ?? aliasesOf(i).map((a) => lookup.get(a)).find(Boolean) ?? null;
				const groupKey = existing ? existing.id : `new:${request.key}`;
				let group = groups.get(groupKey);
				if (request.guard) {
					const current = group ? (group.members.length || group.original ? group.record : null) : existing;
					const refused = request.guard(current);
					if (refused !== null) {
						outcomes[i] = { action: 'refused', record: current, before: current, changes: [], skipped: [], repeat: false, attempts: attempts[i], refused };
						continue;
					}
				}
				if (!group) {
					const record: StoredRecord = existing
						? { ...existing, fields: { ...existing.fields }, aliases: [...existing.aliases], validated: [...existing.validated], writeKeys: [...existing.writeKeys] }
						: { id: randomUUID(), object, key: request.key, aliases: [], fields: {}, validated: [], revision: 0, duplicates: 0, writeKeys: [], createdAt: at, updatedAt: at };
					group = { original: existing, record, history: [], members: [] };
					groups.set(groupKey, group);
				}
				const record = group.record;
				const writeKey = idempotencyKeyOf(request);
				const before = group.original ? structuredClone(record) : null;
				if (record.writeKeys.includes(writeKey)) {
					outcomes[i] = { action: 'already_applied', record, before, changes: [], skipped: [], repeat: false, attempts: attempts[i] };
					continue;
				}
				const merged = mergeRecord(object, record.revision === 0 && group.members.length === 0 ? null : record, request.fields, {
					writer: request.writer,
					validates: request.validates,
					policies: options.policies,
					now: now(),
				});
				const isNew = record.revision === 0 && group.members.length === 0;
				const repeat = !isNew && request.repeatCounts === true;
				const writer = `${request.writer.kind}:${request.writer.name}`;
				for (const c of merged.changes) {
					group.history.push({ object, recordId: record.id, field: c.field, before: c.before, after: c.after, change: isNew ? 'created' : c.policy, writer, executionId: options.executionId ?? null, at });
				}
				if (repeat) {
					group.history.push({ object, recordId: record.id, field: '_duplicates', before: record.duplicates, after: record.duplicates + 1, change: 'repeat', writer, executionId: options.executionId ?? null, at });
					record.duplicates += 1;
				}
				const newAliases = aliasesOf(i).filter((a) => a !== record.key && !record.aliases.includes(a));
				record.fields = merged.fields;
				record.validated = merged.validated;
				record.aliases.push(...newAliases);
				const changed = isNew || merged.changes.length > 0 || repeat || newAliases.length > 0 || merged.validated.length !== (before?.validated.length ?? 0);
				if (changed) record.writeKeys = [...record.writeKeys, writeKey].slice(-WRITE_KEYS_KEPT);
				group.members.push(i);
				outcomes[i] = {
					action: isNew ? 'created' : changed ? 'updated' : 'unchanged',
					record,
					before,
					changes: merged.changes,
					skipped: merged.skipped,
					repeat,
					attempts: attempts[i],
				};
			}
			if (options.dryRun) continue;

			const inserts: Working[] = [];
			const updates: Working[] = [];
			for (const group of groups.values()) {
				if (group.members.length === 0) continue;
				const dirty = group.members.some((i) => outcomes[i]!.action !== 'unchanged');
				if (!group.original) inserts.push(group);
				else if (dirty) updates.push(group);
			}
			const stamp = new Date(now()).toISOString();
			const inserted = inserts.length
				? await store.insert(
						inserts.map((g) => ({ ...g.record, revision: 1, createdAt: stamp, updatedAt: stamp })),
						inserts.map((g) => g.history),
					)
				: [];
			const updated = updates.length
				? await store.update(
						updates.map((g) => ({ record: { ...g.record, revision: g.original!.revision + 1, updatedAt: stamp }, expectedRevision: g.original!.revision })),
						updates.map((g) => g.history),
					)
				: [];
			const settle = (group: Working, written: WriteAnswer) => {
				for (const i of group.members) {
					if (written instanceof RecordRejectedError) outcomes[i] = { ...outcomes[i]!, action: 'rejected', record: group.original, rejected: written };
					else if (written) outcomes[i] = { ...outcomes[i]!, record: written };
					else {
						outcomes[i] = undefined;
						retry.push(i);
					}
				}
			};
			inserts.forEach((g, n) => settle(g, inserted[n]));
			updates.forEach((g, n) => settle(g, updated[n]));
		}
		pending = retry.sort((a, b) => a - b);
	}
	for (const i of pending) {
		outcomes[i] = { action: 'conflict', record: null, before: null, changes: [], skipped: [], repeat: false, attempts: attempts[i] };
	}
	return outcomes as UpsertOutcome[];
}
