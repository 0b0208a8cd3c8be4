import { z } from 'zod';
import { ConfigError } from '../config-error';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema that OpenAI's strict structured outputs accept for a zod schema: every object lists
 * all its properties as required and forbids others. Fields a model may leave empty must therefore be
 * `.nullable()`, never `.optional()`; an optional field is a programming error caught here.
 */
export function strictJsonSchema(schema: z.ZodType): JsonSchema {
	const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
	delete json.$schema;
	const visit = (node: unknown, path: string): void => {
		if (!node || typeof node !== 'object') return;
		const s = node as JsonSchema;
		if (s.properties && typeof s.properties === 'object') {
			const keys = Object.keys(s.properties as object);
			const required = new Set((s.required as string[] | undefined) ?? []);
			const optional = keys.filter((k) => !required.has(k));
			if (optional.length) {
				throw new ConfigError(
					`Model output schema has optional field ${path}${optional[0]}`,
					'Use .nullable() for fields a model may leave empty; strict structured output needs every field present.',
				);
			}
			s.additionalProperties = false;
			s.required = keys;
			for (const k of keys) visit((s.properties as JsonSchema)[k], `${path}${k}.`);
		}
		delete s.default;
		if (s.items) visit(s.items, `${path}[].`);
		for (const key of ['anyOf', 'oneOf', 'allOf']) for (const sub of (s[key] as unknown[]) ?? []) visit(sub, path);
		for (const sub of Object.values((s.definitions as JsonSchema) ?? (s.$defs as JsonSchema) ?? {})) visit(sub, path);
	};
	visit(json, '');
	return json;
}

export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses a model's text as JSON and validates it; an invalid answer yields no value at all. */
export function parseModelOutput<T>(text: string | null | undefined, schema: z.ZodType<T>): ParsedOutput<T> {
	if (!text) return { ok: false, error: 'the answer was empty' };
	const cleaned = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
	let data: unknown;
	try {
		data = JSON.parse(cleaned);
	} catch (error) {
		return { ok: false, error: `the answer is not valid JSON (${(error as Error).message})` };
	}
	const result = schema.safeParse(data);
	if (result.success) return { ok: true, value: result.data };
	const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
	return { ok: false, error: `the answer does not match the schema: ${issues.join('; ')}` };
}
