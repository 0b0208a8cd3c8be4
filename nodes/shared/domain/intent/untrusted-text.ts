/**
 * Text written by outsiders (form messages, e-mails, transcripts) goes to a model as data: wrapped in
 * a tag it cannot close, and screened for attempts to give the model instructions.
 */

const PATTERNS: Array<{ id: string; re: RegExp; reason: string }> = [
	{ id: 'ignore-instructions', re: /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|system|your)\b[^.\n]{0,20}\b(instructions?|prompts?|rules?|messages?)\b/i, reason: 'asks to ignore earlier instructions' },
	{ id: 'role-play', re: /\b(you are now|from now on,? you|pretend (to be|you are)|(you|please|now) act as)\b/i, reason: 'tries to give the model a new role' },
	{ id: 'system-prompt', re: /\b(system prompt|developer message|hidden instructions?|reveal your (prompt|instructions))\b/i, reason: 'mentions the system prompt' },
	{ id: 'fake-markup', re: /<\/?\s*(system|assistant|untrusted_input|instructions?)\s*>|\[\/?(INST|SYS)\]|<\|im_(start|end)\|>/i, reason: 'contains chat or prompt markup' },
	{ id: 'force-output', re: /\b(classify|categori[sz]e|mark|label|route)\b[^.\n]{0,30}\b(this|me|the lead|it)\b[^.\n]{0,20}\bas\b/i, reason: 'tells the classifier what to answer' },
	{ id: 'json-injection', re: /"(category|confidence|urgency)"\s*:/i, reason: 'contains answer-shaped JSON' },
	{ id: 'fake-role', re: /(^|[\n.!?]\s*)(system|assistant|developer)\s*:/i, reason: 'writes as if it were the system or the assistant' },
	{ id: 'field-assignment', re: /\b(category|confidence|urgency|priority|tier|score|intent)\s*(=|:=)\s*\S/i, reason: 'sets an answer field' },
];

export interface InjectionCheck {
	suspected: boolean;
	/** Why, in words, when suspected. */
	reason: string | null;
	patterns: string[];
}

export function checkForInjection(text: string): InjectionCheck {
	const hits = PATTERNS.filter((p) => p.re.test(text));
	return { suspected: hits.length > 0, reason: hits.length ? hits.map((h) => h.reason).join('; ') : null, patterns: hits.map((h) => h.id) };
}

/** Wraps untrusted text so it reads as data; a closing tag inside the text is defused. */
export function asUntrustedData(label: string, text: string): string {
	const safe = text.replace(/<\s*\/?\s*untrusted_input[^>]*>/gi, '[tag removed]');
	return `<untrusted_input name="${label}">\n${safe}\n</untrusted_input>`;
}
