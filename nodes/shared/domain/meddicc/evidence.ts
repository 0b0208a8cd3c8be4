import { collapseWhiteSpace } from '../text';
import type { Segment } from './transcript';

/**
 * Finds quotes in the source. Tolerant of case, whitespace and typographic quote marks, dashes and
 * ellipses; not of changed, added or dropped words, so a paraphrase is not found. The source is
 * normalized once; each lookup is one indexOf over it.
 */
const FOLD: Record<string, string> = {};
for (const c of '\u2018\u2019\u201A\u201B\u2032\u0060\u00B4') FOLD[c] = "'";
for (const c of '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB') FOLD[c] = '"';
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD[c] = '-';
FOLD['\u2026'] = '...';
const MARKS = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2010-\u2015\u2212\u2026]/;
const MARKS_ALL = new RegExp(MARKS.source, 'g');
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * Typographic marks folded, any run of whitespace one space. A 40,000-token transcript is normalized
 * on every check: a callback per space was most of the check's time, so the marks are folded only
 * when there are some, and plain ASCII skips the Unicode normalization (a no-op for it).
 */
export function normalizeForMatch(text: string): string {
	let t = NOT_ASCII.test(text) ? text.normalize('NFKC').toLowerCase() : text.toLowerCase();
	if (MARKS.test(t)) t = t.replace(MARKS_ALL, (c) => FOLD[c]);
	return collapseWhiteSpace(t).trim();
}

export interface EvidenceHit {
	segmentIndex: number;
	speaker: string | null;
	timestamp: string | null;
}

export class EvidenceIndex {
	private readonly text: string;
	/** Start offset of each segment in `text`, ascending. */
	private readonly starts: number[] = [];

	constructor(private readonly segments: Segment[]) {
		const parts: string[] = [];
		let offset = 0;
		for (const segment of segments) {
			const normalized = normalizeForMatch(segment.text);
			this.starts.push(offset);
			parts.push(normalized);
			offset += normalized.length + 1;
		}
		// Segments are joined with a newline, which no normalized quote contains, so a quote never
		// matches across two speakers' turns.
		this.text = parts.join('\n');
	}

	/** Whether a short fragment (a name) is written this way somewhere in the source. */
	contains(fragment: string): boolean {
		const needle = normalizeForMatch(fragment);
		return needle.length >= 2 && this.text.includes(needle);
	}

	/** Where a quote appears verbatim (up to the tolerated differences), or null. */
	find(quote: string): EvidenceHit | null {
		const needle = normalizeForMatch(quote).replace(/^["']+|["']+$/g, '').trim();
		// Too short to be evidence of anything ("yes", "ok").
		if (needle.replace(/[^\p{L}\p{N}]/gu, '').length < 8) return null;
		const at = this.text.indexOf(needle);
		if (at < 0) return null;
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= at) lo = mid;
			else hi = mid - 1;
		}
		const segment = this.segments[lo];
		return { segmentIndex: lo, speaker: segment.speaker, timestamp: segment.timestamp };
	}
}
