import { normalizeTier, type Tier } from '../approval/policy';
import type { DraftingConfig } from './config';

/**
 * Sequences (outbound touches and re-engagement): whether a lead is due for its next message, or why
 * its sequence stopped, and the daily send cap per sender. The one home of the stop rules: an
 * unsubscribe or a bounce ends every sequence for good; a reply, a booked meeting, the owner taking
 * over or a closed status end it. A re-engagement starts when the lead has been quiet for its tier's
 * number of days; an outbound sequence (the lead was picked for it) starts at once unless somebody
 * talked with the lead within `gapDays`; then a message every `gapDays` until `maxTouches`.
 */

/** Which sequence: outbound (a picked prospect, started at once) or re-engagement (a lead gone quiet). */
export type SequenceKind = 'outbound' | 'reengagement';

export const SEQUENCE_DEFAULTS = {
	/** Days without a touch or a reply before the first message, by tier (unknown tier: T2's). */
	inactiveDays: { T1: 30, T2: 21, T3: 14 } as Record<Tier, number>,
	/** Days between messages of a sequence. */
	gapDays: 7,
	maxTouches: 3,
	/** Messages one sender may send a day (sent ones, not drafts for review). */
	dailyCapPerSender: 40,
};

/** Lead statuses that end a sequence (the lead is no longer one to chase). */
const CLOSED_STATUSES = new Set(['qualified', 'disqualified']);

export interface SequenceSettings {
	inactiveDays: Record<Tier, number>;
	gapDays: number;
	maxTouches: number;
	dailyCapPerSender: number;
}

export function sequenceSettings(config: DraftingConfig): SequenceSettings {
	const s = config.sequence;
	return {
		inactiveDays: { ...SEQUENCE_DEFAULTS.inactiveDays, ...(s?.inactiveDays ?? {}) },
		gapDays: s?.gapDays ?? SEQUENCE_DEFAULTS.gapDays,
		maxTouches: s?.maxTouches ?? SEQUENCE_DEFAULTS.maxTouches,
		dailyCapPerSender: s?.dailyCapPerSender ?? SEQUENCE_DEFAULTS.dailyCapPerSender,
	};
}

export interface SequenceDecision {
	due: boolean;
	/** The touch to send when due (1 = the first). */
	touch: number | null;
	/** Why the sequence is over for this lead (null while it runs). */
	stopped: 'unsubscribed' | 'bounced' | 'closed' | 'meetingBooked' | 'ownerTookOver' | 'replied' | 'finished' | null;
	reason: string;
}

const DAY = 86_400_000;
const time = (v: unknown): number | null => {
	if (typeof v !== 'string' && typeof v !== 'number') return null;
	const t = typeof v === 'number' ? v : Date.parse(v);
	return Number.isFinite(t) ? t : null;
};
const present = (v: unknown) => v !== null && v !== undefined && v !== '' && v !== false;
const days = (ms: number) => Math.floor(ms / DAY);

export function sequenceDecision(lead: Record<string, unknown>, rawTier: unknown, now: number, s: SequenceSettings, kind: SequenceKind = 'reengagement'): SequenceDecision {
	const stop = (stopped: NonNullable<SequenceDecision['stopped']>, reason: string): SequenceDecision => ({ due: false, touch: null, stopped, reason });
	const wait = (reason: string): SequenceDecision => ({ due: false, touch: null, stopped: null, reason });
	// Any value at all counts here (a CRM that writes "yes" or a bad date): one message too many is the costly mistake.
	if (present(lead.unsubscribedAt)) return stop('unsubscribed', 'the lead unsubscribed: never written to again');
	// A contact record says the same with its consent and unsubscribed flag.
	if (lead.unsubscribed === true || lead.consent === 'withdrawn') return stop('unsubscribed', 'the contact withdrew consent: never written to again');
	if (present(lead.bouncedAt)) return stop('bounced', 'a message to the lead bounced');
	const status = typeof lead.status === 'string' ? lead.status.toLowerCase() : '';
	if (CLOSED_STATUSES.has(status)) return stop('closed', `the lead is ${status}`);
	if (time(lead.meetingBookedAt) !== null) return stop('meetingBooked', 'a meeting is booked');
	if (time(lead.ownerTookOverAt) !== null) return stop('ownerTookOver', 'the owner took the conversation over');
	const touches = typeof lead.sequenceTouches === 'number' && Number.isFinite(lead.sequenceTouches) && lead.sequenceTouches > 0 ? Math.floor(lead.sequenceTouches) : 0;
	const lastSent = time(lead.lastSequenceAt);
	const replied = time(lead.repliedAt);
	const started = time(lead.sequenceStartedAt) ?? lastSent;
	if (touches > 0 && replied !== null && started !== null && replied >= started) return stop('replied', 'the lead replied to the sequence');
	if (touches >= s.maxTouches) return stop('finished', `all ${s.maxTouches} messages were sent`);
	const tier = normalizeTier(rawTier) ?? 'T2';
	if (touches === 0 && kind === 'outbound') {
		// Picked for outbound: the first message now, unless a conversation is going on.
		const last = Math.max(time(lead.lastTouchAt) ?? -Infinity, replied ?? -Infinity);
		const since = Number.isFinite(last) ? days(now - last) : Infinity;
		return since >= s.gapDays ? { due: true, touch: 1, stopped: null, reason: Number.isFinite(since) ? `first outbound message, ${since} days after the last touch` : 'first outbound message' } : wait(`touched ${since} of ${s.gapDays} days ago: outbound waits for a quiet gap`);
	}
	if (touches === 0) {
		// Quiet since the last touch or reply, whichever is later; a lead never touched is not quiet.
		const quiet = Math.max(time(lead.lastTouchAt) ?? -Infinity, replied ?? -Infinity, time(lead.firstTouchAt) ?? -Infinity);
		if (!Number.isFinite(quiet)) return wait('no touch on record to be quiet since');
		const since = days(now - quiet);
		return since >= s.inactiveDays[tier] ? { due: true, touch: 1, stopped: null, reason: `quiet for ${since} days (${tier}: ${s.inactiveDays[tier]})` } : wait(`quiet for ${since} of ${s.inactiveDays[tier]} days (${tier})`);
	}
	const gap = lastSent === null ? Infinity : days(now - lastSent);
	return gap >= s.gapDays ? { due: true, touch: touches + 1, stopped: null, reason: `message ${touches + 1} of ${s.maxTouches}, ${gap} days after the last` } : wait(`message ${touches} was sent ${gap} of ${s.gapDays} days ago`);
}

/** The send-cap state of a company for one day: messages sent per sender. */
export interface SendCapState {
	day: string;
	sent: Record<string, number>;
}

/** One slot for `sender` on `day` if the cap allows (for updateState: pure, may run more than once). */
export function claimSendSlot(current: SendCapState | null, day: string, sender: string, cap: number): { value: SendCapState; result: { granted: boolean; sent: number } } {
	const state: SendCapState = current && current.day === day ? { day, sent: { ...current.sent } } : { day, sent: {} };
	const sent = state.sent[sender] ?? 0;
	if (sent >= cap) return { value: state, result: { granted: false, sent } };
	state.sent[sender] = sent + 1;
	return { value: state, result: { granted: true, sent: sent + 1 } };
}

/** The lead fields to write once a sequence message is sent. */
export const sentPatch = (touch: number, at: string) => ({ sequenceTouches: touch, lastSequenceAt: at, ...(touch === 1 ? { sequenceStartedAt: at } : {}) });

export const sendCapKey = (companyId: string) => `send-cap:${companyId}`;
