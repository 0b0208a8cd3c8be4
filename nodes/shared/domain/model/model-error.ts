export type ModelErrorKind = 'rate_limit' | 'server' | 'timeout' | 'network' | 'auth' | 'bad_request' | 'invalid_output';

/**
 * A failed model call, classified so callers know whether another attempt can help and what to tell
 * the user. `retryAfterMs` carries the server's Retry-After when it sent one.
 */
export class ModelError extends Error {
	constructor(
		readonly kind: ModelErrorKind,
		message: string,
		readonly status?: number,
		readonly retryAfterMs?: number,
	) {
		super(message);
		this.name = 'ModelError';
	}

	get retryable(): boolean {
		return this.kind === 'rate_limit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
	}
}

function retryAfterMs(headers: unknown): number | undefined {
	const get = (name: string): string | null | undefined =>
		headers && typeof (headers as { get?: unknown }).get === 'function'
			? (headers as { get(n: string): string | null }).get(name)
			: (headers as Record<string, string> | undefined)?.[name];
	const ms = get('retry-after-ms');
	if (ms && Number.isFinite(Number(ms))) return Number(ms);
	const value = get('retry-after');
	if (!value) return undefined;
	if (Number.isFinite(Number(value))) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps an error thrown by the openai client (or fetch) to a ModelError. */
export function classifyModelError(error: unknown): ModelError {
	if (error instanceof ModelError) return error;
	const e = error as { status?: number; name?: string; message?: string; headers?: unknown; constructor?: { name?: string } };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	const message = e?.message ?? String(error);
	const name = `${e?.name ?? ''} ${e?.constructor?.name ?? ''}`;
	if (status === 429) return new ModelError('rate_limit', message, status, retryAfterMs(e.headers));
	if (status === 401 || status === 403) return new ModelError('auth', message, status);
	if (status !== undefined && status >= 500) return new ModelError('server', message, status, retryAfterMs(e.headers));
	if (status !== undefined && status >= 400) return new ModelError('bad_request', message, status);
	if (/timeout|timed out|abort/i.test(`${name} ${message}`)) return new ModelError('timeout', message);
	return new ModelError('network', message);
}
