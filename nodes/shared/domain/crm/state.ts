import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { RecordRejectedError, STATE_OBJECT, type CrmStore, type StoredRecord, type WriteAnswer } from './store';

/**
 * A small shared value a node keeps in the company's CRM store (the routing rotation), changed with
 * optimistic concurrency: read it with its revision, compute, write only if the revision is unchanged,
 * otherwise read again and compute again. Two workers that change it at once therefore never both win
 * with the same old value (no double assignment, no skipped rep), across restarts and queue-mode workers,
 * on every backend that keeps the store's conditional-write promise.
 */

export class StateConflictError extends Error {
	readonly fix = 'Many runs changed the same routing state at once; run the item again (nothing was assigned)';
	constructor(key: string, attempts: number) {
		super(`The shared state "${key.slice(0, 80)}" changed ${attempts} times while being written; nothing was written`);
		this.name = 'StateConflictError';
	}
}

export interface StateUpdate<R> {
	result: R;
	/** How many read-compute-write rounds it took (1 without a concurrent writer). */
	attempts: number;
	revision: number;
}

const MAX_ATTEMPTS = 25;

/** A short random pause that grows with each conflict, so racing writers spread out. */
const pause = async (attempt: number) => await delay(Math.floor(Math.random() * 10 * Math.min(attempt, 8)));

export async function readState<T>(store: CrmStore, key: string): Promise<{ value: T | null; record: StoredRecord | null }> {
	const [record] = await store.findByKeys(STATE_OBJECT, [key]);
	return { value: record ? ((record.fields.value as T | undefined) ?? null) : null, record: record ?? null };
}

/**
 * Applies `compute` to the current value and stores what it returns, retrying on a concurrent write.
 * `compute` must be pure: it may run more than once, and only the last run's result counts.
 */
export async function updateState<T, R>(store: CrmStore, key: string, compute: (current: T | null) => { value: T; result: R }, now: () => Date = () => new Date()): Promise<StateUpdate<R>> {
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const { value, record } = await readState<T>(store, key);
		const next = compute(value);
		const at = now().toISOString();
		let written: WriteAnswer;
		if (record) {
			[written] = await store.update([{ record: { ...record, fields: { value: next.value as unknown as Record<string, unknown> }, revision: record.revision + 1, updatedAt: at }, expectedRevision: record.revision }], [[]]);
		} else {
			const fresh: StoredRecord = { id: randomUUID(), object: STATE_OBJECT, key, aliases: [], fields: { value: next.value as unknown as Record<string, unknown> }, validated: [], revision: 1, duplicates: 0, writeKeys: [], createdAt: at, updatedAt: at };
			[written] = await store.insert([fresh], [[]]);
		}
		if (written instanceof RecordRejectedError) throw written;
		if (written) return { result: next.result, attempts: attempt, revision: written.revision };
		await pause(attempt);
	}
	throw new StateConflictError(key, MAX_ATTEMPTS);
}
