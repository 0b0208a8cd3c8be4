import { text, toEpoch } from './deals';
import { Exclusions, figure, inPeriod, percentile, type Figure, type Period } from './figures';

/**
 * The activity figures: how much selling went into each opportunity, how fast leads were answered and
 * whether their first-response promise held, leads nobody owns. From canonical lead and activity
 * records (RevOps CRM searches), with the deals opened in the period.
 */

export interface Lead {
	id: string;
	firstTouchAt: number | null;
	firstRespondedAt: number | null;
	firstResponseDueAt: number | null;
	owner: string | null;
	group: string | null;
}

export interface Activity {
	id: string;
	type: string | null;
	occurredAt: number | null;
	group: string | null;
}

export interface ActivityInput {
	leads: readonly Lead[];
	activities: readonly Activity[];
	/** Whether lead and activity records were given at all (no input is not the same as none in the period). */
	given: { leads: boolean; activities: boolean };
}

/** Touches with the buyer; notes, form submissions and chats are the buyer's or nobody's work. */
export const SELLING_ACTIVITIES: ReadonlySet<string> = new Set(['call', 'email', 'meeting', 'linkedin']);

export function readLead(fields: Record<string, unknown>, index: number, groupBy: string): Lead {
	return {
		id: text(fields.dedupeKey ?? fields.email ?? fields.id) ?? `#${index + 1}`,
		firstTouchAt: toEpoch(fields.firstTouchAt ?? fields.createdAt),
		firstRespondedAt: toEpoch(fields.firstRespondedAt),
		firstResponseDueAt: toEpoch(fields.firstResponseDueAt),
		owner: text(fields.owner),
		group: groupBy ? text(fields[groupBy]) : null,
	};
}

export function readActivity(fields: Record<string, unknown>, index: number, groupBy: string): Activity {
	return {
		id: text(fields.externalId ?? fields.id) ?? `#${index + 1}`,
		type: text(fields.type)?.toLowerCase() ?? null,
		occurredAt: toEpoch(fields.occurredAt),
		group: groupBy ? text(fields[groupBy]) : null,
	};
}

/** `opened`: deals opened in the period; `asOf`: now (a deadline still ahead is not yet hit or missed). */
export function activityFigures(input: ActivityInput, period: Period, opened: number, asOf: number): Record<'activityToOpportunity' | 'responseMinutesMedian' | 'slaHitRate' | 'noOwnerLeads', Figure> {
	const actEx = new Exclusions();
	let touches = 0;
	for (const a of input.activities) {
		if (a.occurredAt === null) actEx.add(a.id, 'no occurredAt');
		else if (inPeriod(a.occurredAt, period) && a.type !== null && SELLING_ACTIVITIES.has(a.type)) touches++;
	}
	const responseEx = new Exclusions();
	const slaEx = new Exclusions();
	const minutes: number[] = [];
	let due = 0;
	let hit = 0;
	let noOwner = 0;
	let leadsInPeriod = 0;
	for (const l of input.leads) {
		if (l.firstTouchAt === null) {
			responseEx.add(l.id, 'no firstTouchAt');
			continue;
		}
		if (!inPeriod(l.firstTouchAt, period)) continue;
		leadsInPeriod++;
		if (l.owner === null) noOwner++;
		if (l.firstRespondedAt === null) responseEx.add(l.id, 'not answered yet');
		else if (l.firstRespondedAt < l.firstTouchAt) responseEx.add(l.id, 'answered before it arrived');
		else minutes.push((l.firstRespondedAt - l.firstTouchAt) / 60_000);
		if (l.firstResponseDueAt === null) slaEx.add(l.id, 'no firstResponseDueAt');
		else if (l.firstRespondedAt !== null && l.firstRespondedAt <= l.firstResponseDueAt) {
			due++;
			hit++;
		} else if (l.firstResponseDueAt < asOf) due++;
		else slaEx.add(l.id, 'deadline not reached yet');
	}
	minutes.sort((a, b) => a - b);
	const noLeads = input.given.leads ? 'no lead first touched in the period' : 'no lead records on the input (add a RevOps CRM search of leads)';
	return {
		activityToOpportunity: figure(
			'activityToOpportunity',
			input.given.activities && opened > 0 ? touches / opened : null,
			touches,
			actEx,
			input.given.activities ? 'no deal opened in the period' : 'no activity records on the input (add a RevOps CRM search of activities)',
		),
		responseMinutesMedian: figure('responseMinutesMedian', percentile(minutes, 0.5), minutes.length, responseEx, noLeads),
		slaHitRate: figure('slaHitRate', due > 0 ? hit / due : null, due, slaEx, noLeads),
		noOwnerLeads: figure('noOwnerLeads', input.given.leads ? noOwner : null, leadsInPeriod, new Exclusions(), noLeads),
	};
}
