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

	/** Attempts made before giving up, when known. */
	attempts?: number;
	/** What the user can do about it, for the error's description in n8n. */
	fix?: string;

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

const KIND_WORDS: Record<ModelErrorKind, string> = {
	rate_limit: 'rate-limited by the provider',
	server: 'a server error at the provider',
	timeout: 'no answer within the timeout',
	network: 'the endpoint could not be reached or the connection broke',
	auth: 'the API key was refused',
	bad_request: 'the endpoint refused the request',
	invalid_output: 'the answer did not match the required format',
};

const KIND_FIXES: Record<ModelErrorKind, string> = {
	rate_limit: "Lower Concurrency or set Requests per Minute in the node's options, raise Max Attempts, or try again later.",
	server: "The provider is failing: try again later, or raise Max Attempts in the node's options.",
	timeout: "Raise Timeout (Seconds) in the node's options, use a faster model, or check the endpoint.",
	network: "Check the Base URL of the RevOps Model API credential (or the connected Chat Model) and that n8n can reach it; proxies and firewalls apply.",
	auth: 'Check the API key of the RevOps Model API credential (or the connected Chat Model).',
	bad_request: 'Check the model name in the credential and that the endpoint offers chat completions.',
	invalid_output: "Use a more capable model, or set When the Model Fails to use the template where the node offers it.",
};

/**
 * The final error of a model request, said so that a person knows what failed and what to do: which
 * request, how many attempts ran of how many allowed, the last status or cause, and the fix. "terminated"
 * or "Unexpected end of JSON input" alone tells nobody anything.
 */
export function explainModelFailure(raw: unknown, context: { request: string; model: string; maxAttempts: number }): ModelError {
	const error = classifyModelError(raw);
	if (error.fix) return error;
	const attempts = error.attempts ?? (raw as { attempts?: number })?.attempts;
	const tries = attempts ? ` after ${attempts} of ${context.maxAttempts} attempt${context.maxAttempts === 1 ? '' : 's'}${error.retryable && attempts >= context.maxAttempts ? ' (the retry budget ran out)' : ''}` : '';
	const status = error.status ? ` (HTTP ${error.status})` : '';
	const cause = error.message && error.message !== 'undefined' ? `: ${error.message}` : '';
	const explained = new ModelError(error.kind, `Model request "${context.request}" to ${context.model} failed${tries}: ${KIND_WORDS[error.kind]}${status}${cause}`, error.status, error.retryAfterMs);
	explained.attempts = attempts;
	explained.fix = KIND_FIXES[error.kind];
	const meta = (error as ModelError & { meta?: unknown }).meta;
	if (meta) (explained as ModelError & { meta?: unknown }).meta = meta;
	return explained;
}

/**
 * The message of a failure that is about one answer (it broke the required format even after a repair
 * attempt), or null for any other failure. Such an answer is one item's problem: the item falls back
 * (rules, template, or "unknown") with this message as its flag, and the run goes on. A model that
 * cannot be reached, refuses the key or runs out of retries stays an error the node's settings decide.
 */
export function unusableAnswer(error: unknown): string | null {
	return error instanceof ModelError && error.kind === 'invalid_output' ? error.message : null;
}
