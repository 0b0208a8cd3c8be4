import type { DateTime } from 'luxon';
import type { BusinessCalendar } from '../business-calendar';
import type { Tier } from './policy';

/**
 * Where one item's approval stands, and how votes and the clock move it on. Pure data in, data out:
 * the Approval Gate keeps this on the waiting item, so it is persisted with the run by n8n itself and
 * every later event (a decision, a timer tick) continues from exactly what happened before.
 *
 * - Who must approve: `any` (everyone is asked, the first decision wins), `all` (everyone is asked,
 *   each must approve, one rejection rejects), `chain` (asked one after another, in order).
 * - Time is counted in business minutes: each step has a window; a reminder goes to whoever has not
 *   decided yet shortly before it closes; an unanswered step escalates to the escalation approvers;
 *   when the last window closes the default action applies (never "approve" for T1).
 */

export type ApprovalMode = 'any' | 'all' | 'chain';
export type TimeoutAction = 'approve' | 'reject' | 'timedOut';
export type Decision = 'approved' | 'rejected';

/** What a timeout may do: a T1 item is never approved by a clock, whatever the setting. */
export function actionOnTimeout(configured: TimeoutAction, tier: Tier): TimeoutAction {
	return configured === 'approve' && tier === 'T1' ? 'timedOut' : configured;
}

export interface TimeSettings {
	/** Business minutes each step (and the escalation) stays open. */
	minutesPerStep: number;
	/** Business minutes before a window closes when the undecided get a reminder (0: none). */
	reminderMinutesBefore: number;
}

export interface TimeWindow {
	opensAt: string;
	remindAt: string | null;
	closesAt: string;
}

export interface Timeline {
	requestedAt: string;
	/** One window for `any` and `all`, one per approver for `chain`. */
	steps: TimeWindow[];
	/** Open from the moment a step closes undecided until `finalAt`; null without escalation approvers. */
	escalation: TimeWindow | null;
	/** When the default action applies if nobody decided. */
	finalAt: string;
}

const iso = (t: DateTime) => t.toUTC().toISO()!;

function timeWindow(opens: DateTime, calendar: BusinessCalendar, s: TimeSettings): { window: TimeWindow; closes: DateTime } {
	const closes = calendar.addBusinessMinutes(opens, s.minutesPerStep);
	const remind = s.reminderMinutesBefore > 0 && s.reminderMinutesBefore < s.minutesPerStep ? calendar.addBusinessMinutes(opens, s.minutesPerStep - s.reminderMinutesBefore) : null;
	return { window: { opensAt: iso(opens), remindAt: remind ? iso(remind) : null, closesAt: iso(closes) }, closes };
}

export function planTimeline(mode: ApprovalMode, approverCount: number, withEscalation: boolean, requestedAt: DateTime, calendar: BusinessCalendar, settings: TimeSettings): Timeline {
	const steps: TimeWindow[] = [];
	let opens = requestedAt;
	for (let k = 0; k < (mode === 'chain' ? Math.max(1, approverCount) : 1); k++) {
		const { window, closes } = timeWindow(opens, calendar, settings);
		steps.push(window);
		opens = closes;
	}
	const escalation = withEscalation ? timeWindow(opens, calendar, settings) : null;
	return { requestedAt: iso(requestedAt), steps, escalation: escalation?.window ?? null, finalAt: escalation ? iso(escalation.closes) : steps[steps.length - 1].closesAt };
}

/** Every moment something may be due (reminders, window ends), after `now`, in order. */
export function dueTimes(timeline: Timeline, now: DateTime): string[] {
	const all = [...timeline.steps, ...(timeline.escalation ? [timeline.escalation] : [])].flatMap((w) => [w.remindAt, w.closesAt]).filter((t): t is string => t !== null);
	return [...new Set(all)].filter((t) => Date.parse(t) > now.toMillis()).sort();
}

export interface Vote {
	approver: string;
	decision: Decision;
	at: string;
	comment: string | null;
	/** Field path -> new text, as the approver sent it for this item. */
	edits: Record<string, string>;
}

export interface Notice {
	kind: 'request' | 'reminder' | 'escalation';
	to: string[];
	at: string;
}

export interface Outcome {
	decision: Decision | 'timedOut';
	/** An approver, several joined with ", " (all must approve), or "timeout". */
	decidedBy: string;
	at: string;
	reason: string;
}

export interface Progress {
	mode: ApprovalMode;
	approvers: string[];
	escalateTo: string[];
	/** The current step of a chain (always 0 otherwise). */
	step: number;
	escalated: boolean;
	votes: Vote[];
	notices: Notice[];
	/** Windows whose reminder went out: "step:<n>" or "escalation". */
	reminded: string[];
	outcome: Outcome | null;
	/** Decisions sent through a valid link that did not count (decided meanwhile, a second click, not their turn), with why. */
	notCounted?: NotCounted[];
	/** Attempts beyond MAX_NOT_COUNTED, counted only. */
	notCountedOverflow?: number;
}

export interface NotCounted extends Vote {
	reason: string;
}

export interface Transition {
	progress: Progress;
	/** Messages to send now. */
	send: Notice[];
}

export type VoteRefusal = { status: 403 | 409; reason: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const includes = (list: string[], who: string) => list.some((x) => same(x, who));

function stepAskees(p: Progress): string[] {
	return p.mode === 'chain' ? [p.approvers[p.step]] : p.approvers;
}

/** Everyone who has been asked and has not decided yet. */
export function awaiting(p: Progress): string[] {
	if (p.outcome) return [];
	const asked = [...stepAskees(p), ...(p.escalated ? p.escalateTo : [])];
	return [...new Set(asked)].filter((who) => !p.votes.some((v) => same(v.approver, who)));
}

export function startProgress(mode: ApprovalMode, approvers: string[], escalateTo: string[], now: DateTime): Transition {
	const progress: Progress = { mode, approvers, escalateTo, step: 0, escalated: false, votes: [], notices: [], reminded: [], outcome: null };
	return notify(progress, [{ kind: 'request', to: stepAskees(progress), at: iso(now) }]);
}

function notify(progress: Progress, send: Notice[]): Transition {
	const real = send.filter((n) => n.to.length > 0);
	return { progress: { ...progress, notices: [...progress.notices, ...real] }, send: real };
}

const describeOutcome = (o: Outcome) => (o.decidedBy === 'timeout' ? `The request ${o.decision === 'timedOut' ? 'timed out' : `was ${o.decision} by the timeout rule`} at ${o.at}` : `${o.decidedBy} ${o.decision === 'timedOut' ? 'let it time out' : o.decision} it at ${o.at}`);

/** Whether `approver` may decide now, and if not, the status and the reason the page should give. */
export function checkVoter(p: Progress, approver: string): VoteRefusal | null {
	if (p.outcome) return { status: 409, reason: `This request is already decided: ${describeOutcome(p.outcome)}.` };
	const earlier = p.votes.find((v) => same(v.approver, approver));
	if (earlier) return { status: 409, reason: `You already ${earlier.decision === 'approved' ? 'approved' : 'rejected'} this request at ${earlier.at}.` };
	if (includes(awaiting(p), approver)) return null;
	if (p.mode === 'chain' && includes(p.approvers, approver)) return { status: 403, reason: `It is not your turn yet: ${p.approvers[p.step]} decides first.` };
	if (includes(p.escalateTo, approver)) return { status: 403, reason: 'You are asked only if the request is escalated, and it has not been.' };
	return { status: 403, reason: `${approver} is not asked to decide this request.` };
}

export function castVote(p: Progress, vote: Vote): Transition | VoteRefusal {
	const refusal = checkVoter(p, vote.approver);
	if (refusal) return refusal;
	const progress: Progress = { ...p, votes: [...p.votes, vote] };
	const decide = (decidedBy: string, reason: string): Transition => ({ progress: { ...progress, outcome: { decision: vote.decision, decidedBy, at: vote.at, reason } }, send: [] });
	const escalationVoter = p.escalated && includes(p.escalateTo, vote.approver) && !includes(stepAskees(p), vote.approver);
	if (escalationVoter) return decide(vote.approver, 'decided by an escalation approver');
	if (vote.decision === 'rejected') return decide(vote.approver, p.mode === 'any' ? 'first decision' : 'one rejection rejects');
	if (p.mode === 'any') return decide(vote.approver, 'first decision');
	if (p.mode === 'all') {
		const approvedBy = p.approvers.filter((who) => progress.votes.some((v) => same(v.approver, who) && v.decision === 'approved'));
		return approvedBy.length === p.approvers.length ? decide(approvedBy.join(', '), 'every approver approved') : { progress, send: [] };
	}
	if (p.step >= p.approvers.length - 1) return decide(p.approvers.join(', '), 'every approver in the chain approved');
	const next: Progress = { ...progress, step: p.step + 1 };
	return notify(next, [{ kind: 'request', to: stepAskees(next), at: vote.at }]);
}

/**
 * Decisions in the order they arrived (several may arrive within milliseconds): each one that may count
 * moves the item on; each other one is kept on the item with the reason it did not count, so the audit
 * trail has every attempt. `answers[i]` is null for a counted vote, else what its sender is told.
 */
/** Attempts kept per item beyond the counted votes; further ones are only counted (a link holder cannot grow the run without end). */
export const MAX_NOT_COUNTED = 50;

export function applyDecisions(p: Progress, votes: Vote[]): Transition & { answers: Array<VoteRefusal | null> } {
	let progress = p;
	const send: Notice[] = [];
	const answers: Array<VoteRefusal | null> = [];
	for (const vote of votes) {
		const result = castVote(progress, vote);
		if ('progress' in result) {
			progress = result.progress;
			send.push(...result.send);
			answers.push(null);
		} else {
			const kept = progress.notCounted ?? [];
			progress =
				kept.length < MAX_NOT_COUNTED
					? { ...progress, notCounted: [...kept, { ...vote, reason: result.reason }] }
					: { ...progress, notCountedOverflow: (progress.notCountedOverflow ?? 0) + 1 };
			answers.push(result);
		}
	}
	return { progress, send, answers };
}

/** Moves one item on to `now`: reminders, escalation and the default action, each at most once. */
export function advanceClock(p: Progress, timeline: Timeline, now: DateTime, timeoutAction: TimeoutAction, tier: Tier): Transition {
	if (p.outcome) return { progress: p, send: [] };
	const at = iso(now);
	const timeout = (reason: string): Transition => {
		const action = actionOnTimeout(timeoutAction, tier);
		const decision = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'timedOut';
		return { progress: { ...p, outcome: { decision, decidedBy: 'timeout', at, reason } }, send: [] };
	};
	const passed = (t: string | null) => t !== null && now.toMillis() >= Date.parse(t);
	if (passed(timeline.finalAt)) return timeout(`nobody decided by ${timeline.finalAt}`);

	let progress = p;
	const send: Notice[] = [];
	const step = timeline.steps[Math.min(p.step, timeline.steps.length - 1)];
	if (!p.escalated && passed(step.closesAt)) {
		if (!timeline.escalation || p.escalateTo.length === 0) return timeout(`nobody decided by ${step.closesAt}`);
		progress = { ...progress, escalated: true };
		send.push({ kind: 'escalation', to: p.escalateTo, at });
	}
	const window = progress.escalated ? timeline.escalation! : step;
	const key = progress.escalated ? 'escalation' : `step:${progress.step}`;
	if (passed(window.remindAt) && !progress.reminded.includes(key) && !send.some((n) => n.kind === 'escalation')) {
		progress = { ...progress, reminded: [...progress.reminded, key] };
		send.push({ kind: 'reminder', to: awaiting(progress), at });
	}
	return notify(progress, send);
}
