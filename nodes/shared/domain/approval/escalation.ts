import type { DateTime } from 'luxon';
import type { BusinessCalendar } from '../business-calendar';

/**
 * When each approver is asked, reminded and passed over, in business minutes: approver 1 gets the
 * request at once, a reminder before their window ends, then the request escalates to approver 2, and
 * so on; after the last window the default action applies. Counting working minutes only means a
 * request sent on Friday evening does not time out over the weekend.
 */
export interface EscalationSettings {
	/** Business minutes each approver has before the request moves on. */
	minutesPerApprover: number;
	/** Business minutes before an approver's window ends when they get a reminder (0: none). */
	reminderMinutesBefore: number;
}

export interface EscalationStep {
	approver: string;
	askAt: string;
	remindAt: string | null;
	until: string;
}

export interface EscalationPlan {
	steps: EscalationStep[];
	/** When the default action applies if nobody decided. */
	timeoutAt: string;
}

export function planEscalation(approvers: string[], requestedAt: DateTime, calendar: BusinessCalendar, settings: EscalationSettings): EscalationPlan {
	const steps: EscalationStep[] = [];
	let start = requestedAt;
	for (const approver of approvers) {
		const until = calendar.addBusinessMinutes(start, settings.minutesPerApprover);
		const remind = settings.reminderMinutesBefore > 0 && settings.reminderMinutesBefore < settings.minutesPerApprover
			? calendar.addBusinessMinutes(start, settings.minutesPerApprover - settings.reminderMinutesBefore)
			: null;
		steps.push({ approver, askAt: start.toUTC().toISO()!, remindAt: remind?.toUTC().toISO() ?? null, until: until.toUTC().toISO()! });
		start = until;
	}
	return { steps, timeoutAt: start.toUTC().toISO()! };
}

export type TimeoutAction = 'approve' | 'reject' | 'timedOut';

/** What a timeout may do: a T1 item is never approved by a clock, whatever the setting. */
export function actionOnTimeout(configured: TimeoutAction, tier: 'T1' | 'T2' | 'T3'): TimeoutAction {
	return configured === 'approve' && tier === 'T1' ? 'timedOut' : configured;
}
