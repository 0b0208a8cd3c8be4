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
		description,
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

export function readCalendar(ctx: IExecuteFunctions, i: number): BusinessCalendarConfig {
	const calendar = ctx.getNodeParameter('calendar', i, {}) as IDataObject;
	return {
		timezone: String(calendar.timezone ?? 'UTC').trim() || 'UTC',
		workingDays: ((calendar.workingDays as number[] | undefined) ?? [1, 2, 3, 4, 5]).map(Number),
		dayStart: String(calendar.dayStart ?? '09:00'),
		dayEnd: String(calendar.dayEnd ?? '17:00'),
		holidays: splitList(String(calendar.holidays ?? '')),
	};
}
