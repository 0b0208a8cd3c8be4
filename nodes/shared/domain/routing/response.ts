import { DateTime } from 'luxon';
import { escapeHtml, htmlPage } from '../approval/approval-request';
import { partsSignatureMatches, signParts } from '../approval/signed-link';
import type { BusinessCalendar } from '../business-calendar';

/**
 * The owner's side of the handoff: one-click links in the owner's message (accepted, contacted, not a
 * fit), each signed for one company, lead, owner and action, and what a click records on the lead.
 * A link works only for the lead's current owner: after a reassignment the old owner's links are
 * refused. Clicking twice records once.
 */

export const RESPONSE_ACTIONS = ['accepted', 'contacted', 'not_a_fit', 'release'] as const;
/** The links a sales owner gets; a reviewer also gets "release" (checked: route it to sales). */
export const OWNER_ACTIONS: readonly ResponseAction[] = ['accepted', 'contacted', 'not_a_fit'];
export const REVIEW_ACTIONS: readonly ResponseAction[] = ['release', 'not_a_fit'];
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

/** How long an owner's links work. */
export const RESPONSE_LINK_DAYS = 30;

/** The reasons offered on the "not a fit" page (the owner may add a few words). */
export const NOT_FIT_REASONS = ['Wrong company size or segment', 'No budget or need', 'Student, job seeker or vendor', 'Competitor', 'Already a customer or in touch', 'Other'] as const;
const MAX_NOTE = 300;

export interface ResponseClaims {
	company: string;
	lead: string;
	owner: string;
	action: ResponseAction;
	expiresAt: number;
}

const parts = (c: ResponseClaims) => ['lead-response', c.company, c.lead, c.owner.toLowerCase(), c.action, String(c.expiresAt)];

/** The link for one action: the response webhook's URL with the claims and their signature. */
export function responseLink(webhookUrl: string, claims: ResponseClaims, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set('c', claims.company);
	url.searchParams.set('l', claims.lead);
	url.searchParams.set('o', claims.owner);
	url.searchParams.set('a', claims.action);
	url.searchParams.set('e', String(claims.expiresAt));
	url.searchParams.set('s', signParts(parts(claims), secret));
	return url.toString();
}

export function responseLinks(webhookUrl: string, base: Omit<ResponseClaims, 'action' | 'expiresAt'>, secret: string, now: number, actions: readonly ResponseAction[] = OWNER_ACTIONS): Partial<Record<ResponseAction, string>> {
	const expiresAt = now + RESPONSE_LINK_DAYS * 86_400_000;
	return Object.fromEntries(actions.map((action) => [action, responseLink(webhookUrl, { ...base, action, expiresAt }, secret)]));
}

export type ResponseCheck = { ok: true; claims: ResponseClaims; reason: string | null; note: string | null } | { ok: false; status: 400 | 401 | 403; message: string };

const one = (v: unknown): string | null => {
	const first = Array.isArray(v) ? v[0] : v;
	return typeof first === 'string' && first.length <= 1000 ? first : null;
};

/**
 * Reads a click (the webhook's query) and checks its signature and expiry. 401: forged or altered;
 * 403: expired; 400: not a link of ours at all.
 */
export function checkResponseQuery(query: unknown, secret: string, now: number): ResponseCheck {
	const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
	const [company, lead, owner, action, expires, signature] = ['c', 'l', 'o', 'a', 'e', 's'].map((k) => one(q[k]));
	if (!company || !lead || !owner || !action || !expires || !signature) return { ok: false, status: 400, message: 'This link is incomplete. Open it from the message again; copying it may have cut it.' };
	if (!(RESPONSE_ACTIONS as readonly string[]).includes(action)) return { ok: false, status: 400, message: 'This link names no known answer.' };
	const claims: ResponseClaims = { company, lead, owner, action: action as ResponseAction, expiresAt: Number(expires) };
	if (!Number.isFinite(claims.expiresAt) || !partsSignatureMatches(parts(claims), signature, secret)) return { ok: false, status: 401, message: 'This link is not valid.' };
	if (now > claims.expiresAt) return { ok: false, status: 403, message: `This link expired on ${new Date(claims.expiresAt).toISOString().slice(0, 10)}. Update the lead in the CRM instead.` };
	const reason = one(q.reason);
	const note = one(q.note);
	return {
		ok: true,
		claims,
		reason: reason && (NOT_FIT_REASONS as readonly string[]).includes(reason) ? reason : null,
		note: note ? note.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim().slice(0, MAX_NOTE) || null : null,
	};
}

export interface ResponseOutcome {
	/** What to write on the lead; null when nothing is written (refused, or already recorded). */
	fields: Record<string, unknown> | null;
	/** The activity to log with it. */
	activity: Record<string, unknown> | null;
	/** What the owner sees. */
	page: { title: string; message: string; status: number };
	/** The "not a fit" click without a reason: show the reason form. */
	needsReason?: boolean;
	/** A reviewer released the lead: route it by the rules (the caller does, it needs the rotation). */
	release?: boolean;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Why the owner's click may not be recorded on this lead as it is now (null: it may). */
export function responseRefusal(lead: Record<string, unknown> | null, owner: string): string | null {
	if (!lead) return 'This lead is no longer in the CRM.';
	if (text(lead.owner).toLowerCase() !== owner.toLowerCase()) return `This lead was reassigned${lead.owner ? ` to ${text(lead.owner)}` : ''}; your link no longer applies.`;
	return null;
}

/**
 * What a click records. Contacted: the first response (status contacted, response time from the
 * lead's first touch, in wall and business minutes), the SLA answered. Accepted: the owner took it
 * (status working unless already further; no reassignment any more). Not a fit: disqualified with the
 * reason. A click that changes nothing says what was recorded before.
 */
export function applyResponse(claims: ResponseClaims, reason: string | null, note: string | null, lead: Record<string, unknown>, calendar: BusinessCalendar, now: DateTime): ResponseOutcome {
	const at = now.toUTC().toISO()!;
	const name = [text(lead.firstName), text(lead.lastName)].filter(Boolean).join(' ') || text(lead.email) || 'the lead';
	const activity = (summary: string, type: 'note' | 'email' = 'note') => ({
		externalId: `resp_${claims.lead}_${claims.action}`.slice(0, 300),
		type,
		occurredAt: at,
		leadKey: claims.lead,
		contactEmail: lead.email,
		accountDomain: lead.accountDomain,
		outcome: claims.action,
		summary,
	});
	if (claims.action === 'contacted') {
		if (lead.firstRespondedAt) return { fields: null, activity: null, page: { title: 'Already recorded', message: `The first response to ${name} was recorded at ${text(lead.firstRespondedAt)}.`, status: 200 } };
		const first = DateTime.fromISO(text(lead.firstTouchAt), { zone: 'utc' });
		const minutes = first.isValid ? Math.max(0, Math.round(now.diff(first, 'minutes').minutes)) : undefined;
		const business = first.isValid ? calendar.businessMinutesBetween(first, now) : undefined;
		return {
			fields: { status: 'contacted', responseOutcome: 'contacted', firstRespondedAt: at, responseMinutes: minutes, responseBusinessMinutes: business, slaStage: 'responded' },
			activity: activity(`First response recorded by ${claims.owner}${minutes !== undefined ? ` after ${minutes} minutes (${business} business minutes)` : ''}${note ? `: ${note}` : ''}`),
			page: { title: 'Response recorded', message: `Thank you: your first response to ${name} is recorded${minutes !== undefined ? `, ${business} business minutes after the lead came in` : ''}.`, status: 200 },
		};
	}
	if (claims.action === 'accepted') {
		if (lead.acceptedAt || lead.firstRespondedAt) return { fields: null, activity: null, page: { title: 'Already recorded', message: `${name} is already yours (${lead.firstRespondedAt ? 'responded' : 'accepted'}).`, status: 200 } };
		const fields: Record<string, unknown> = { responseOutcome: 'accepted', acceptedAt: at };
		if (lead.status === 'new' || !lead.status) fields.status = 'working';
		// Past the deadline (manager alerted) only the reassignment was left to watch: an accepted lead has none.
		if (lead.slaStage === 'escalated') fields.slaStage = 'closed';
		return {
			fields,
			activity: activity(`Accepted by ${claims.owner}`),
			page: { title: 'Lead accepted', message: `${name} is yours. Please respond${lead.slaDueAt ? ` by ${text(lead.slaDueAt)}` : ''} and use the "Contacted" link once you have.`, status: 200 },
		};
	}
	if (claims.action === 'release') {
		if (lead.route !== 'review') return { fields: null, activity: null, page: { title: 'Already routed', message: `${name} is no longer in review (owner: ${text(lead.owner)}).`, status: 200 } };
		return { fields: null, activity: activity(`Released from review by ${claims.owner}`), release: true, page: { title: 'Sent to sales', message: `${name} goes to sales.`, status: 200 } };
	}
	if (lead.responseOutcome === 'not_a_fit') return { fields: null, activity: null, page: { title: 'Already recorded', message: `${name} is already marked not a fit (${text(lead.notFitReason)}).`, status: 200 } };
	if (!reason) return { fields: null, activity: null, needsReason: true, page: { title: 'Why is this lead not a fit?', message: `Pick a reason for ${name}; it is stored on the lead and counted in the win/loss review.`, status: 200 } };
	const why = note ? `${reason}: ${note}` : reason;
	return {
		fields: { status: 'disqualified', responseOutcome: 'not_a_fit', notFitReason: why, slaStage: 'closed' },
		activity: activity(`Marked not a fit by ${claims.owner}: ${why}`),
		page: { title: 'Marked not a fit', message: `${name} is marked not a fit (${why}). Nothing more will be sent to you about this lead.`, status: 200 },
	};
}

/** The page an owner sees after a click: what was recorded, or why not. */
export function responsePage(title: string, message: string): string {
	return htmlPage(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** What the confirmation button says per action. */
const CONFIRM: Record<ResponseAction, { title: string; button: string; message: (name: string) => string }> = {
	accepted: { title: 'Take this lead?', button: 'Yes, it is mine', message: (name) => `Confirm that you take ${name}. Reassignment stops; please still respond within the deadline.` },
	contacted: { title: 'Record your first response?', button: 'Yes, I have contacted them', message: (name) => `Confirm that you have contacted ${name}. The response time is stored on the lead.` },
	not_a_fit: { title: 'Why is this lead not a fit?', button: 'Mark not a fit', message: (name) => `Pick a reason for ${name}; it is stored on the lead and counted in the win/loss review.` },
	release: { title: 'Send this lead to sales?', button: 'Yes, route it to sales', message: (name) => `Confirm that ${name} looks genuine: it is routed to sales by the rules and its new owner is told.` },
};

/**
 * The page a link opens: nothing is recorded until the person presses the button, which POSTs the
 * link's signed values back to the same address. Mail scanners and link previews that fetch every
 * link (Outlook Safe Links, chat unfurling) therefore record nothing. "Not a fit" asks for the reason
 * on the same form. No script.
 */
export function responseConfirmPage(action: ResponseAction, leadName: string, claims: Record<string, unknown>, message?: string): string {
	const c = CONFIRM[action];
	const hidden = ['c', 'l', 'o', 'a', 'e', 's']
		.map((k) => [k, one(claims[k])] as const)
		.filter(([, v]) => v !== null)
		.map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v!)}">`)
		.join('');
	const reason =
		action === 'not_a_fit'
			? `<p><label>Reason <select name="reason">${NOT_FIT_REASONS.map((r) => `<option>${escapeHtml(r)}</option>`).join('')}</select></label></p><p><label>A few words (optional)<textarea name="note" rows="2" maxlength="${MAX_NOTE}"></textarea></label></p>`
			: '';
	return htmlPage(
		c.title,
		`<h1>${escapeHtml(c.title)}</h1><p>${escapeHtml(message ?? c.message(leadName))}</p><form method="POST">${hidden}${reason}<p><button class="${action === 'not_a_fit' ? 'reject' : 'approve'}" type="submit">${escapeHtml(c.button)}</button></p></form>`,
	);
}
