import { checkSupport, evidenceText } from '../trust/support';

export interface GroundingCheck {
	grounded: boolean;
	/** Facts in the summary (numbers with their units, amounts, dates, names) that the source does not state. */
	unsupported: string[];
}

/**
 * A summary is grounded when the source supports every fact in it, with the same meaning (see
 * trust/support.ts); sentences of the source that are instructions or requests to record something
 * are not evidence. `allowed` lists words of our own that are never facts.
 */
export function checkGrounding(summary: string, source: string, allowed: string[] = []): GroundingCheck {
	const check = checkSupport(summary, evidenceText(source).text, allowed);
	return { grounded: check.supported, unsupported: check.unsupported };
}

export function countWords(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

/** Cuts text to a word cap at a word boundary, ending with an ellipsis when cut. */
export function capWords(text: string, max: number): { text: string; truncated: boolean } {
	const words = text.split(/\s+/).filter(Boolean);
	if (words.length <= max) return { text: words.join(' '), truncated: false };
	return { text: `${words.slice(0, max).join(' ').replace(/[,;:.]$/, '')}…`, truncated: true };
}
