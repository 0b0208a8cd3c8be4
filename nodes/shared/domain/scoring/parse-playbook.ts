import type { z } from 'zod';
import { ConfigError } from '../config-error';

function pathText(path: ReadonlyArray<PropertyKey>): string {
	let out = '';
	for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
	return out || '(root)';
}

/**
 * Validates a playbook (object or JSON text) and names every bad path with what is expected, e.g.
 * `criteria[2].weight: Invalid input: expected number, received string`.
 */
export function parsePlaybook<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
	let value = input;
	if (typeof input === 'string') {
		try {
			value = JSON.parse(input);
		} catch (error) {
			throw new ConfigError(
				`The ${what} is not valid JSON: ${(error as Error).message}`,
				'Check the JSON for a missing comma, quote or bracket near the position given.',
			);
		}
	}
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const problems = result.error.issues.slice(0, 8).map((i) => `${pathText(i.path)}: ${i.message}`);
	const more = result.error.issues.length > 8 ? ` (and ${result.error.issues.length - 8} more)` : '';
	throw new ConfigError(
		`The ${what} is invalid: ${problems.join('; ')}${more}`,
		'Fix the listed paths; the JSON Schema in dist/schemas of the package describes every field.',
		pathText(result.error.issues[0].path),
	);
}
