import { inputText, safeText } from '../text';

/**
 * A call transcript, call notes or an e-mail thread as segments: who spoke, when, and what. Plain text
 * is split into lines, reading "Speaker: text", "[00:12:03] Speaker: text" or "Speaker (12:03): text"
 * when a line looks like that; any other line is a segment without a speaker.
 */
export interface Segment {
	speaker: string | null;
	timestamp: string | null;
	text: string;
}

const STAMP = String.raw`\d{1,2}:\d{2}(?::\d{2})?`;
const LINE_PATTERNS = [
	new RegExp(String.raw`^\[(${STAMP})\]\s*([^:\[\]]{1,60}):\s*(.*)$`),
	new RegExp(String.raw`^([^:()\[\]]{1,60})\s*\((${STAMP})\):\s*(.*)$`),
	new RegExp(String.raw`^(${STAMP})\s+([^:]{1,60}):\s*(.*)$`),
	/^([A-Z][\p{L}'.\- ]{0,40}):\s+(.*)$/u,
];

export function parseTranscript(input: unknown): Segment[] {
	if (Array.isArray(input)) {
		return input
			.map((s) => {
				const o = (s && typeof s === 'object' ? s : { text: s }) as Record<string, unknown>;
				const text = inputText(o.text ?? o.content ?? o.message ?? '').trim();
				const speaker = o.speaker ?? o.from ?? o.author ?? null;
				const timestamp = o.timestamp ?? o.time ?? o.start ?? null;
				return { speaker: speaker === null ? null : safeText(speaker, 200), timestamp: timestamp === null ? null : safeText(timestamp, 40), text };
			})
			.filter((s) => s.text !== '');
	}
	const segments: Segment[] = [];
	// Only text is a transcript: an object or a flag in its place is no transcript at all (the item says so).
	const text = typeof input === 'string' ? input : typeof input === 'number' && Number.isFinite(input) ? String(input) : '';
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line) continue;
		let m = LINE_PATTERNS[0].exec(line);
		if (m) {
			segments.push({ timestamp: m[1], speaker: m[2].trim(), text: m[3] });
			continue;
		}
		m = LINE_PATTERNS[1].exec(line);
		if (m) {
			segments.push({ speaker: m[1].trim(), timestamp: m[2], text: m[3] });
			continue;
		}
		m = LINE_PATTERNS[2].exec(line);
		if (m) {
			segments.push({ timestamp: m[1], speaker: m[2].trim(), text: m[3] });
			continue;
		}
		m = LINE_PATTERNS[3].exec(line);
		if (m && m[1].split(' ').length <= 4) {
			segments.push({ speaker: m[1].trim(), timestamp: null, text: m[2] });
			continue;
		}
		segments.push({ speaker: null, timestamp: null, text: line });
	}
	return segments;
}

/** The transcript as the model reads it: one line per segment, numbered, with speaker and time. */
export function renderSegments(segments: Segment[], offset = 0): string {
	return segments
		.map((s, i) => `#${offset + i + 1} ${s.timestamp ? `[${s.timestamp}] ` : ''}${s.speaker ? `${s.speaker}: ` : ''}${s.text}`)
		.join('\n');
}

/** Rough token count (about 4 characters per token for English), enough to size parts. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

/**
 * Splits segments into parts of at most `maxTokens` of transcript text (by the estimate), never inside
 * a segment unless one segment alone is larger; each part knows the index of its first segment.
 */
export function splitSegments(segments: Segment[], maxTokens: number): Array<{ start: number; segments: Segment[] }> {
	const parts: Array<{ start: number; segments: Segment[] }> = [];
	let current: Segment[] = [];
	let start = 0;
	let tokens = 0;
	segments.forEach((segment, i) => {
		const t = estimateTokens(segment.text);
		if (current.length && tokens + t > maxTokens) {
			parts.push({ start, segments: current });
			current = [];
			tokens = 0;
			start = i;
		}
		current.push(segment);
		tokens += t;
	});
	if (current.length) parts.push({ start, segments: current });
	return parts;
}
