import type { DateTime } from 'luxon';
import type { BusinessCalendar } from '../business-calendar';

/**
 * The first-response SLA of a lead: its deadline in business time (a lead that arrives after hours
 * is clocked from the next working minute), when its owner is reminded, when the manager is alerted,
 * and when it is reassigned. Minutes per intent come from the company config (the playbook's
 * defaults: 5 for high intent, 15 for the rest).
 */

export interface SlaSettings {
	firstResponseMinutes: { highIntent: number; default: number };
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
	/** The breach that reassigns the lead (by the same routing rules). */
	reassignAt: string;
}

export function isHighIntent(intent: { category?: unknown; urgency?: unknown }, settings: Pick<SlaSettings, 'highIntentCategories'>): boolean {
	const category = typeof intent.category === 'string' ? intent.category.toLowerCase() : '';
	return intent.urgency === 'high' || settings.highIntentCategories.some((c) => c.toLowerCase() === category);
}

export function slaPlan(intent: { category?: unknown; urgency?: unknown }, settings: SlaSettings, calendar: BusinessCalendar, receivedAt: DateTime): SlaPlan {
	const high = isHighIntent(intent, settings);
	const minutes = high ? settings.firstResponseMinutes.highIntent : settings.firstResponseMinutes.default;
	const at = (m: number) => calendar.addBusinessMinutes(receivedAt, m).toUTC().toISO()!;
	return {
		highIntent: high,
		minutes,
		reason: high ? `high intent (${intent.urgency === 'high' ? 'urgent message' : String(intent.category)}): ${minutes} business minutes` : `${minutes} business minutes`,
		remindAt: at(Math.max(1, Math.round(minutes * settings.reminderShare))),
		dueAt: at(minutes),
		reassignAt: at(minutes * settings.reassignAfterBreaches),
	};
}
