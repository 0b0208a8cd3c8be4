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

/** Longest text a model answer may put in one field; longer text is cut (no node writes more from a model). */
export const MAX_MODEL_TEXT = 2_000;
/** Most entries a model answer may put in one list (evidence, contacts, batch results); the rest are dropped. */
export const MAX_MODEL_LIST = 100;

/** A model's answer with every text and list cut to its bound, so one answer cannot flood an item or a CRM field. */
function bounded(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return value.length > MAX_MODEL_TEXT ? value.slice(0, MAX_MODEL_TEXT) : value;
	if (depth > 8 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.slice(0, MAX_MODEL_LIST).map((v) => bounded(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = bounded(v, depth + 1);
	return out;
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
	const result = schema.safeParse(bounded(data));
	if (result.success) return { ok: true, value: result.data };
	const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
	return { ok: false, error: `the answer does not match the schema: ${issues.join('; ')}` };
}
