// Reliability figures (items tried, stopped runs, unflagged garbage, lost votes): each property or race
// test reports what it saw here. They are printed with the test output and, when
// REVOPS_RELIABILITY_FILE is set (`npm run reliability` sets it), appended to that file as JSON lines,
// so the command can print one table to compare release with release.
import fs from 'node:fs';

export interface HostileFigures {
	kind: 'hostile';
	node: string;
	items: number;
	out: number;
	stoppedRuns: number;
	/** Values out of any sane range (or model answers out of the schema) that the items carried. */
	garbage: number;
	/** Of those, how many left the node without a flag naming the field. */
	unflagged: number;
	/** Longest text the node wrote into an item, in characters. */
	longestWritten: number;
}

export interface RaceFigures {
	kind: 'race';
	mode: string;
	where: string;
	rounds: number;
	/** Decisions whose sender was told "Recorded". */
	told: number;
	/** Of those, how many did not count. */
	lost: number;
	/** Decisions that did not count and are on the item's record with why. */
	onRecord: number;
	/** Decisions that came after the counted one had been applied (answered by n8n, or by the gate without a resume). */
	afterEnd: number;
}

export function reportReliability(figures: HostileFigures | RaceFigures): void {
	process.stdout.write(`reliability: ${JSON.stringify(figures)}\n`);
	const file = process.env.REVOPS_RELIABILITY_FILE;
	if (file) fs.appendFileSync(file, `${JSON.stringify({ ...figures, at: new Date().toISOString() })}\n`);
}
