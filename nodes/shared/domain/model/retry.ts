import { setTimeout as delay } from 'node:timers/promises';
import { classifyModelError, type ModelError } from './model-error';

export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this ends the retries instead of stalling the run (default 60 s). */
	maxRetryAfterMs?: number;
	/** Injected for tests; Math.random in production. */
	random?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

const defaultSleep = (ms: number): Promise<void> => delay(ms);

/**
 * Delay before attempt `attempt + 1`: the server's Retry-After when it gave one (honoured as given),
 * otherwise exponential
 * backoff with "equal jitter" (half fixed, half random), so a burst of 429s does not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, error?: ModelError): number {
	if (error?.retryAfterMs !== undefined) return error.retryAfterMs;
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const random = policy.random ?? Math.random;
	return Math.round(exp / 2 + random() * (exp / 2));
}

/** Runs `call` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function withRetries<T>(call: (attempt: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<{ value: T; attempts: number }> {
	const sleep = policy.sleep ?? defaultSleep;
	for (let attempt = 1; ; attempt++) {
		try {
			return { value: await call(attempt), attempts: attempt };
		} catch (raw) {
			const error = classifyModelError(raw);
			const tooLong = error.retryAfterMs !== undefined && error.retryAfterMs > (policy.maxRetryAfterMs ?? 60_000);
			if (!error.retryable || attempt >= policy.maxAttempts || tooLong) {
				(error as ModelError & { attempts?: number }).attempts = attempt;
				throw error;
			}
			await sleep(backoffDelayMs(attempt, policy, error));
		}
	}
}
