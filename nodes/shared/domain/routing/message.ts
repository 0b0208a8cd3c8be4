import { DateTime } from 'luxon';
import { channelText, type TextChannel } from '../approval/channel-text';
import type { ResponseAction } from './response';

/**
 * The messages of the handoff, as the playbook describes the rep message: who, from where (source,
 * campaign), what they want (use case), how urgent, the next step, the summary, the owner's booking
 * link, the deadline in the owner's own time, and the one-click links. Lead data is shown in each
 * channel's own syntax (no mention, no masked link, URLs defanged); only the links are ours.
 */

export type MessageKind = 'new' | 'review' | 'reminder' | 'escalation' | 'reassigned';

export interface OwnerMessageInput {
	kind: MessageKind;
	lead: Record<string, unknown>;
	owner: string;
	ownerName?: string | null;
	/** The owner's zone, for the deadline. */
	timezone: string;
	calendarLink?: string | null;
	links?: Partial<Record<ResponseAction, string>>;
	/** Escalation: whose lead it is; reassigned: who had it. */
	previousOwner?: string | null;
	why?: string | null;
}

export interface OwnerMessage {
	subject: string;
	text: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

function deadline(lead: Record<string, unknown>, zone: string): string {
	const due = DateTime.fromISO(s(lead.slaDueAt) || s(lead.firstResponseDueAt), { zone: 'utc' });
	if (!due.isValid) return '';
	const local = due.setZone(zone);
	return `${(local.isValid ? local : due).toFormat('ccc d LLL, HH:mm')} (${local.isValid ? zone : 'UTC'})`;
}

export function leadName(lead: Record<string, unknown>): string {
	const person = [s(lead.firstName), s(lead.lastName)].filter(Boolean).join(' ') || s(lead.email) || s(lead.phone) || 'A lead';
	const company = s(lead.company) || s(lead.companyDomain);
	return company ? `${person}, ${company}` : person;
}

export function ownerMessage(input: OwnerMessageInput, channel: TextChannel): OwnerMessage {
	const { lead } = input;
	const t = (v: string) => channelText(v, channel);
	const who = leadName(lead);
	const tier = s(lead.tier) || 'untiered';
	const due = deadline(lead, input.timezone);
	const minutes = s(lead.slaMinutes);
	const subject = {
		new: `New ${tier} lead for you: ${who}`,
		review: `Please review a lead before sales gets it: ${who}`,
		reminder: `Reminder: ${who} is waiting for your first response`,
		escalation: `SLA missed: ${who} (${input.previousOwner ?? input.owner}) has had no first response`,
		reassigned: `Lead reassigned to you: ${who}`,
	}[input.kind];
	const rows: Array<[string, string]> = [
		['Lead', who],
		['E-mail', s(lead.email)],
		['Phone', s(lead.phone)],
		['Tier', `${tier}${lead.icpFitScore !== undefined && lead.icpFitScore !== null ? ` (fit ${s(lead.icpFitScore)})` : ''}`],
		['Source', [s(lead.leadSource), s(lead.leadMedium)].filter(Boolean).join(' / ')],
		['Campaign', s(lead.leadCampaign)],
		['Use case', [s(lead.intentCategory), s(lead.buyingStage)].filter(Boolean).join(', ')],
		['Urgency', s(lead.intentUrgency)],
		['Next step', s(lead.recommendedNextStep)],
		['Summary', s(lead.leadSummary) || s(lead.message)],
		['Respond by', due ? `${due}${minutes ? `, ${minutes} business minutes` : ''}` : ''],
		['Your booking link for the lead', s(input.calendarLink)],
	];
	const intro = {
		new: `${t(input.ownerName || input.owner)}, a new lead is yours.`,
		review: `${t(input.ownerName || input.owner)}, this lead needs a person's look first${input.why ? ` (${t(input.why)})` : ''}. Release it to sales, or mark it not a fit.`,
		reminder: `${t(input.owner)}, this lead has not had a first response yet.`,
		escalation: `The first-response deadline has passed and ${t(input.previousOwner ?? input.owner)} has not responded.${input.why ? ` ${t(input.why)}` : ''}`,
		reassigned: `${t(input.ownerName || input.owner)}, this lead is now yours: ${t(input.previousOwner ?? 'its owner')} missed the deadline.${input.why ? ` ${t(input.why)}` : ''}`,
	}[input.kind];
	const body = rows
		.filter(([, v]) => v !== '')
		// The booking link is the owner's own, from the config: shown as a link, never defanged.
		.map(([k, v]) => `${k}: ${k.startsWith('Your booking link') ? v : t(v)}`)
		.join('\n');
	const links = input.links
		? `\n\nOne click records your answer (links for ${t(input.owner)} only):\n${[
				['Looks fine: send it to sales', input.links.release],
				['Accepted', input.links.accepted],
				['Contacted', input.links.contacted],
				['Not a fit', input.links.not_a_fit],
			]
				.filter(([, url]) => url)
				.map(([label, url]) => `${label}: ${url}`)
				.join('\n')}`
		: '';
	return { subject: t(subject), text: `${t(subject)}\n\n${intro}\n\n${body}${links}` };
}
