import { normalizeTier } from '../approval/policy';
import type { BusinessCalendar } from '../business-calendar';
import type { OnboardingConfig } from './config';

/**
 * Close and onboard: the checklist a won deal starts (one task per entry, due a number of business
 * days after the win, each for a named person), and which open tasks are overdue and whose owner
 * must hear of it now. Task ids are stable (deal + entry), so a deal won twice, or a run repeated,
 * writes the same tasks again instead of new ones.
 */
export interface ChecklistDeal {
	dealId: string;
	accountDomain: string | null;
	accountName: string | null;
	tier: unknown;
	/** When the deal was won (ISO); now when unknown. */
	wonAt: string | null;
	dealOwner: string | null;
	accountOwner: string | null;
}

export interface ChecklistTask {
	externalId: string;
	type: 'task';
	checklist: 'onboarding';
	summary: string;
	outcome: string;
	owner: string | null;
	dueAt: string;
	taskStatus: 'open';
	occurredAt: string;
	accountDomain: string | null;
	opportunityId: string;
}

/** Minutes in a working day of the calendar, so "n business days" is n whole working days. */
function workdayMinutes(calendar: BusinessCalendar): number {
	const [sh, sm] = calendar.config.dayStart.split(':').map(Number);
	const end = calendar.config.dayEnd.trim() === '24:00' ? [24, 0] : calendar.config.dayEnd.split(':').map(Number);
	return Math.max(1, end[0] * 60 + end[1] - (sh * 60 + sm));
}

/** The moment `days` business days after `fromMs` (the end of that working day's hours when `days` is whole). */
export function businessDaysAfter(calendar: BusinessCalendar, fromMs: number, days: number): string {
	return calendar.isoAt(calendar.addBusinessMinutesAt(fromMs, days * workdayMinutes(calendar)));
}

export function onboardingChecklist(deal: ChecklistDeal, config: OnboardingConfig, calendar: BusinessCalendar, now: Date): { tasks: ChecklistTask[]; unassigned: string[] } {
	const tier = normalizeTier(deal.tier);
	const parsed = deal.wonAt ? Date.parse(deal.wonAt) : NaN;
	// A win dated in the future (a typo, a hostile value) starts the checklist now, not later.
	const from = Number.isFinite(parsed) ? Math.min(parsed, now.getTime()) : now.getTime();
	const owners: Record<string, string | null> = {
		accountOwner: deal.accountOwner ?? deal.dealOwner,
		dealOwner: deal.dealOwner ?? deal.accountOwner,
		onboardingOwner: config.owner ?? deal.dealOwner ?? deal.accountOwner,
	};
	const unassigned: string[] = [];
	const tasks = config.checklist
		.filter((entry) => !entry.tiers || (tier !== null && entry.tiers.includes(tier)))
		.map((entry) => {
			const owner = entry.owner in owners ? owners[entry.owner] : entry.owner;
			if (!owner) unassigned.push(entry.id);
			return {
				externalId: `onboarding:${deal.dealId}:${entry.id}`,
				type: 'task' as const,
				checklist: 'onboarding' as const,
				summary: deal.accountName ? `${entry.title} (${deal.accountName})` : entry.title,
				outcome: 'planned',
				owner: owner ?? null,
				dueAt: businessDaysAfter(calendar, from, entry.dueBusinessDays),
				taskStatus: 'open' as const,
				occurredAt: new Date(from).toISOString(),
				accountDomain: deal.accountDomain,
				opportunityId: deal.dealId,
			};
		});
	return { tasks, unassigned };
}

export interface TaskState {
	dueAt?: unknown;
	taskStatus?: unknown;
	completedAt?: unknown;
	alertedAt?: unknown;
}

export interface OverdueCheck {
	overdue: boolean;
	/** The owner must be told now (overdue, and not told within the reminder interval). */
	alert: boolean;
	/** Whole business-agnostic days past due (0 while not due). */
	daysOverdue: number;
	reason: string;
}

const time = (v: unknown) => (typeof v === 'string' || v instanceof Date ? Date.parse(String(v instanceof Date ? v.toISOString() : v)) : NaN);

export function checkOverdue(task: TaskState, now: Date, remindEveryHours: number): OverdueCheck {
	const status = typeof task.taskStatus === 'string' ? task.taskStatus.trim().toLowerCase() : 'open';
	if (status === 'done' || Number.isFinite(time(task.completedAt))) return { overdue: false, alert: false, daysOverdue: 0, reason: 'done' };
	const due = time(task.dueAt);
	if (!Number.isFinite(due)) return { overdue: false, alert: false, daysOverdue: 0, reason: 'no due date (dueAt is missing or not a date)' };
	const late = now.getTime() - due;
	if (late <= 0) return { overdue: false, alert: false, daysOverdue: 0, reason: `due ${new Date(due).toISOString()}` };
	const daysOverdue = Math.floor(late / 86_400_000);
	const alerted = time(task.alertedAt);
	const quiet = Number.isFinite(alerted) && now.getTime() - alerted < remindEveryHours * 3_600_000;
	return {
		overdue: true,
		alert: !quiet,
		daysOverdue,
		reason: quiet ? `overdue; the owner was told at ${new Date(alerted).toISOString()}, again after ${remindEveryHours} h` : `overdue since ${new Date(due).toISOString()}`,
	};
}
