/**
 * The fallback draft: a template with {{field}} placeholders filled from the item, so it states only
 * what the item holds. Values are one line each and capped; a placeholder without a value leaves its
 * line out rather than a gap ("Pain: " with nothing after it says nothing).
 */
export function renderTemplate(template: string, values: Record<string, unknown>): { text: string; missing: string[] } {
	const missing = new Set<string>();
	const line = (raw: string) =>
		raw.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_, key: string) => {
			const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
			const text = typeof v === 'string' || typeof v === 'number' ? String(v).replace(/[\s\u0000]+/g, ' ').trim().slice(0, 300) : Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ').slice(0, 300) : '';
			if (!text) missing.add(key);
			return text ? text : '\u0000';
		});
	const lines = template.split('\n').map(line).filter((l) => !l.includes('\u0000'));
	return { text: lines.join('\n').replace(/\n{3,}/g, '\n\n').trim(), missing: [...missing] };
}
