/**
 * What this n8n process knows about resuming a waiting run, kept per process (webhooks reach the main
 * process in regular and queue mode alike).
 *
 * - n8n resumes a waiting run once at a time and drops a second resume that arrives before the first
 *   has paused the run again ("already being resumed by another process"). A resume handed over is
 *   remembered with the state it was handed over from; once the waiting items show a newer state, it
 *   was applied. Until then the run is busy: a decision is not told "Recorded", a tick is retried.
 * - Decisions that arrive within COLLECT_MS of each other (two approvers clicking at once) are handed
 *   over as one resume, in the order they arrived. The first to count decides; each other one gets its
 *   true answer and is kept on the item, so the audit trail has every attempt.
 */

import { sleep } from 'n8n-workflow';

/** After this long a handed-over resume that changed nothing counts as lost, and decisions go ahead. */
const HAND_OVER_HOLD_MS = 20_000;
/** How long the first decision waits for others on the same run before it is handed over. */
export const COLLECT_MS = 300;

const handedOver = new Map<string, { stamp: string; at: number }>();

interface Batch<T, R> {
	stamp: string;
	attempts: T[];
	result: Promise<R>;
}
const collecting = new Map<string, Batch<unknown, unknown>>();

/** Whether a resume of this run, handed over from the state `stamp`, has not shown up yet. */
export function isBusy(executionId: string, stamp: string): boolean {
	const now = Date.now();
	for (const [id, h] of handedOver) if (now - h.at > HAND_OVER_HOLD_MS) handedOver.delete(id);
	const inFlight = handedOver.get(executionId);
	if (inFlight && inFlight.stamp !== stamp) handedOver.delete(executionId);
	return !!inFlight && inFlight.stamp === stamp;
}

export function markHandedOver(executionId: string, stamp: string): void {
	handedOver.set(executionId, { stamp, at: Date.now() });
}

/** Forgets a hand-over that did not happen (a batch with nothing to count resumes nothing). */
export function releaseHandOver(executionId: string): void {
	handedOver.delete(executionId);
}

/** Whether decisions on this run, from the state `stamp`, are being collected right now (a new one joins them). */
export function isCollecting(executionId: string, stamp: string): boolean {
	return collecting.get(executionId)?.stamp === stamp;
}

/**
 * Adds a decision to the run's batch, or starts one: the first waits COLLECT_MS, then `handOver` gets
 * every attempt in arrival order, once. Resolves, for each caller, to its position and what
 * `handOver` returned. While a batch collects, the run counts as busy (ticks wait).
 */
export async function collectDecision<T, R>(executionId: string, stamp: string, attempt: T, handOver: (attempts: T[]) => R): Promise<{ index: number; result: R }> {
	const current = collecting.get(executionId) as Batch<T, R> | undefined;
	if (current && current.stamp === stamp) {
		const index = current.attempts.push(attempt) - 1;
		return { index, result: await current.result };
	}
	let settle!: (r: { ok: true; value: R } | { ok: false; error: unknown }) => void;
	const settled = new Promise<{ ok: true; value: R } | { ok: false; error: unknown }>((resolve) => (settle = resolve));
	const batch: Batch<T, R> = {
		stamp,
		attempts: [attempt],
		result: settled.then((s) => {
			if (s.ok) return s.value;
			throw s.error;
		}),
	};
	collecting.set(executionId, batch as Batch<unknown, unknown>);
	markHandedOver(executionId, stamp);
	await sleep(COLLECT_MS);
	collecting.delete(executionId);
	let outcome: { ok: true; value: R } | { ok: false; error: unknown };
	try {
		outcome = { ok: true, value: handOver(batch.attempts) };
	} catch (error) {
		outcome = { ok: false, error };
	}
	// Everyone who joined hears the same outcome as the first.
	settle(outcome);
	if (!outcome.ok) {
		batch.result.catch(() => undefined);
		return await Promise.reject(outcome.error);
	}
	return { index: 0, result: outcome.value };
}
