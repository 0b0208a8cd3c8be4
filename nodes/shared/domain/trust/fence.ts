/**
 * Nothing from outside is trusted in a prompt: every field that came from a form, a chat, an e-mail,
 * a transcript or a CRM text field written by people reaches a model inside a tag it cannot close,
 * labelled as data. Field names and values alike are fenced; only our own fixed words stay outside.
 */
const TAG = /<\s*\/?\s*untrusted_input[^>]*>/gi;

/** Wraps untrusted text so it reads as data; a closing tag inside the text is defused. */
export function asUntrustedData(label: string, text: string): string {
	const safe = text.replace(TAG, '[tag removed]');
	return `<untrusted_input name="${label.replace(/[^\w.-]/g, '_')}">\n${safe}\n</untrusted_input>`;
}

/** Several outside fields, each fenced on its own; empty ones are left out. */
export function fenceFields(fields: Record<string, unknown>, maxChars = 300): string {
	const parts: string[] = [];
	for (const [name, value] of Object.entries(fields)) {
		if (value === null || value === undefined || value === '' || typeof value === 'object') continue;
		parts.push(asUntrustedData(name, String(value).slice(0, maxChars)));
	}
	return parts.length ? parts.join('\n') : '(none)';
}
