import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BusinessCalendarConfig } from '../domain/business-calendar';

/** One business calendar parameter for every node that counts working time (SLA clocks, approval timeouts). */
export function calendarProperty(description: string, zoneDescription: string): INodeProperties {
	return {
		displayName: 'Business Calendar',
		name: 'calendar',
		type: 'collection',
		placeholder: 'Change Calendar',
		default: {},
		description: `${description}. Left empty: the company's calendar when a Company Config node ran before, else Monday to Friday, 09:00-17:00 UTC.`,
		options: [
			{
				displayName: 'Holidays',
				name: 'holidays',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: 'e.g. 2026-12-24, 12-25, 01-01',
				description: 'Dates with no working time: YYYY-MM-DD for one date, MM-DD for every year; comma- or line-separated',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: 'UTC',
				placeholder: 'e.g. Europe/Berlin',
				description: zoneDescription,
			},
			{
				displayName: 'Working Day End',
				name: 'dayEnd',
				type: 'string',
				default: '17:00',
				description: 'HH:mm in the calendar\'s time zone',
			},
			{
				displayName: 'Working Day Start',
				name: 'dayStart',
				type: 'string',
				default: '09:00',
				description: 'HH:mm in the calendar\'s time zone',
			},
			{
				displayName: 'Working Days',
				name: 'workingDays',
				type: 'multiOptions',
				options: [
					{ name: 'Friday', value: 5 },
					{ name: 'Monday', value: 1 },
					{ name: 'Saturday', value: 6 },
					{ name: 'Sunday', value: 7 },
					{ name: 'Thursday', value: 4 },
					{ name: 'Tuesday', value: 2 },
					{ name: 'Wednesday', value: 3 },
				],
				default: [1, 2, 3, 4, 5],
			},
		],
	};
}

export function splitList(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/**
 * The node's own calendar when it sets one; otherwise the portfolio company's (the config a Company
 * Config node put on the item), so a template moved to another company follows that company's hours;
 * otherwise Monday to Friday, 09:00-17:00 UTC.
 */
export function readCalendar(ctx: IExecuteFunctions, i: number): BusinessCalendarConfig {
	const calendar = ctx.getNodeParameter('calendar', i, {}) as IDataObject;
	if (Object.keys(calendar).length === 0) {
		const company = companyCalendar(ctx.getInputData()[i]?.json?.companyConfig);
		if (company) return company;
	}
	return {
		timezone: String(calendar.timezone ?? 'UTC').trim() || 'UTC',
		workingDays: ((calendar.workingDays as number[] | undefined) ?? [1, 2, 3, 4, 5]).map(Number),
		dayStart: String(calendar.dayStart ?? '09:00'),
		dayEnd: String(calendar.dayEnd ?? '17:00'),
		holidays: splitList(String(calendar.holidays ?? '')),
	};
}

function companyCalendar(config: unknown): BusinessCalendarConfig | null {
	const c = config && typeof config === 'object' ? (config as { calendar?: Partial<BusinessCalendarConfig> }).calendar : undefined;
	if (!c || typeof c !== 'object' || typeof c.timezone !== 'string') return null;
	return {
		timezone: c.timezone,
		workingDays: Array.isArray(c.workingDays) ? c.workingDays.map(Number) : [1, 2, 3, 4, 5],
		dayStart: typeof c.dayStart === 'string' ? c.dayStart : '09:00',
		dayEnd: typeof c.dayEnd === 'string' ? c.dayEnd : '17:00',
		holidays: Array.isArray(c.holidays) ? c.holidays.map(String) : [],
	};
}
