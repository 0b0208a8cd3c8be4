import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal configurations hash equally whatever order they were built in. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => {
		if (v && typeof v === 'object' && !Array.isArray(v)) {
			return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
		}
		return v;
	});
}

/** Short, stable content hash used as a ruleset or prompt version in audit trails. */
export function versionHash(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}
