import type { DateTime } from 'luxon';
import type { BusinessCalendar } from '../business-calendar';

/**
 * The first-response SLA of a lead: its deadline in business time (a lead that arrives after hours
 * is clocked from the next working minute), when its owner is reminded, when the manager is alerted,
 * and when it is reassigned. Minutes per intent come from the company config (the playbook's
 * defaults: 5 for high intent, 15 for the rest).
 */

export interface SlaSettings {
	firstResponseMinutes: { highIntent: number; default: number; byTier?: Partial<Record<string, number>> };
	highIntentCategories: string[];
	reminderShare: number;
	reassignAfterBreaches: number;
}

export interface SlaPlan {
	highIntent: boolean;
	minutes: number;
	reason: string;
	/** The owner is reminded. */
	remindAt: string;
	/** First breach: the owner's manager is alerted. */
	dueAt: string;
	/** The breach that reassigns the lead (by the same routing rules); null: never (a review). */
	reassignAt: string | null;
}

export function isHighIntent(intent: { category?: unknown; urgency?: unknown }, settings: Pick<SlaSettings, 'highIntentCategories'>): boolean {
	const category = typeof intent.category === 'string' ? intent.category.toLowerCase() : '';
	return intent.urgency === 'high' || settings.highIntentCategories.some((c) => c.toLowerCase() === category);
}

/** A review's SLA: its own minutes, a reminder, the manager told at the deadline, never reassigned. */
export function reviewPlan(minutes: number, settings: Pick<SlaSettings, 'reminderShare'>, calendar: BusinessCalendar, receivedAt: DateTime): SlaPlan {
	const at = (m: number) => calendar.addBusinessMinutes(receivedAt, m).toUTC().toISO()!;
	return { highIntent: false, minutes, reason: `review: ${minutes} business minutes`, remindAt: at(Math.max(1, Math.round(minutes * settings.reminderShare))), dueAt: at(minutes), reassignAt: null };
}

export function slaPlan(intent: { category?: unknown; urgency?: unknown; tier?: unknown }, settings: SlaSettings, calendar: BusinessCalendar, receivedAt: DateTime): SlaPlan {
	const high = isHighIntent(intent, settings);
	const byIntent = high ? settings.firstResponseMinutes.highIntent : settings.firstResponseMinutes.default;
	const byTier = typeof intent.tier === 'string' ? settings.firstResponseMinutes.byTier?.[intent.tier] : undefined;
	const minutes = byTier !== undefined && byTier < byIntent ? byTier : byIntent;
	const at = (m: number) => calendar.addBusinessMinutes(receivedAt, m).toUTC().toISO()!;
	const why = minutes === byTier && byTier !== byIntent ? `tier ${String(intent.tier)}` : high ? `high intent (${intent.urgency === 'high' ? 'urgent message' : String(intent.category)})` : 'default';
	return {
		highIntent: high,
		minutes,
		reason: `${why}: ${minutes} business minutes`,
		remindAt: at(Math.max(1, Math.round(minutes * settings.reminderShare))),
		dueAt: at(minutes),
		reassignAt: at(minutes * settings.reassignAfterBreaches),
	};
}

/** What the Lead Router writes on a lead it assigns: owner, rule, and the SLA's points in time. */
export function assignmentFields(decision: { owner: string; team: string | null; decidedBy: string; ruleId: string | null }, plan: SlaPlan, now: DateTime): Record<string, unknown> {
	return {
		owner: decision.owner,
		route: decision.team ?? 'queue',
		ownerAssignedAt: now.toUTC().toISO(),
		ownerRule: decision.ruleId ? `${decision.decidedBy}:${decision.ruleId}` : decision.decidedBy,
		slaStage: 'open',
		slaMinutes: plan.minutes,
		slaRemindAt: plan.remindAt,
		slaDueAt: plan.dueAt,
		firstResponseDueAt: plan.dueAt,
		slaReassignAt: plan.reassignAt,
		slaNextAt: plan.remindAt,
	};
}

export type SlaAction = 'remind' | 'escalate' | 'reassign';

/** The stages the SLA watcher looks at (the others need nothing more). */
export const WATCHED_SLA_STAGES = ['open', 'reminded', 'escalated'] as const;

const OPEN_STATUSES = new Set(['new', 'working']);
const ms = (v: unknown): number | null => {
	if (typeof v !== 'string') return null;
	const t = Date.parse(v);
	return Number.isFinite(t) ? t : null;
};

/**
 * The step a lead's SLA is due for now, the latest that applies (a watcher that was down does not
 * send a reminder for a lead already past its deadline): reassign once past the reassignment point
 * (unless the owner accepted it), escalate once past the deadline, remind once past the reminder
 * point. Null when nothing is due, the lead is answered or closed, or the dates are missing.
 */
export function dueSlaAction(fields: Record<string, unknown>, now: number): SlaAction | null {
	const stage = fields.slaStage;
	if (!(WATCHED_SLA_STAGES as readonly unknown[]).includes(stage)) return null;
	if (fields.status !== undefined && fields.status !== null && !OPEN_STATUSES.has(String(fields.status))) return null;
	if (fields.firstRespondedAt) return null;
	const next = ms(fields.slaNextAt);
	if (next === null || now < next) return null;
	const accepted = fields.responseOutcome === 'accepted';
	const reassignAt = ms(fields.slaReassignAt);
	if (!accepted && reassignAt !== null && now >= reassignAt) return 'reassign';
	const dueAt = ms(fields.slaDueAt);
	if (dueAt !== null && now >= dueAt && stage !== 'escalated') return 'escalate';
	const remindAt = ms(fields.slaRemindAt);
	if (remindAt !== null && now >= remindAt && stage === 'open') return 'remind';
	return null;
}

/** The SLA fields after a reminder or an escalation (a reassignment is a new assignment). */
export function afterSlaStep(action: Exclude<SlaAction, 'reassign'>, fields: Record<string, unknown>): Record<string, unknown> {
	if (action === 'remind') return { slaStage: 'reminded', slaNextAt: fields.slaDueAt };
	// After the deadline: watched on only for the reassignment, which an accepted lead (or a review) does not get.
	const final = fields.responseOutcome === 'accepted' || !fields.slaReassignAt;
	return { slaStage: final ? 'closed' : 'escalated', slaBreaches: 1, slaNextAt: final ? undefined : fields.slaReassignAt };
}
