import { DateTime } from 'luxon';
import { ConfigError } from './config-error';

export interface BusinessCalendarConfig {
	/** IANA zone, e.g. "Europe/Berlin". */
	timezone: string;
	/** ISO weekdays that are working days: 1 = Monday ... 7 = Sunday. */
	workingDays: number[];
	/** "HH:mm" in the calendar's zone. */
	dayStart: string;
	dayEnd: string;
	/** "yyyy-MM-dd" for one date, or "MM-dd" for a holiday every year. */
	holidays: string[];
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
/** A calendar with no working time at all would make "next opening" loop for ever; stop at ten years. */
const MAX_DAYS_SEARCHED = 3660;

function minutesOfDay(text: string, name: string): number {
	// A working day may end at midnight ("24:00"), so a team working around the clock loses no minute.
	if (name === 'dayEnd' && text.trim() === '24:00') return 24 * 60;
	const m = TIME.exec(text.trim());
	if (!m) throw new ConfigError(`${name} "${text}" is not a time`, `Write ${name} as HH:mm, for example 09:00.`, name);
	return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Working time in one place (time zone, working days and hours, holidays), so SLA clocks, "after hours"
 * flags and approval timeouts all count the same minutes.
 */
export class BusinessCalendar {
	private readonly start: number;
	private readonly end: number;
	private readonly days: Set<number>;
	// Holidays as numbers (yyyymmdd and mmdd): toFormat() per check was most of the cost of a deadline.
	private readonly fixedHolidays = new Set<number>();
	private readonly yearlyHolidays = new Set<number>();

	constructor(readonly config: BusinessCalendarConfig) {
		if (!DateTime.local().setZone(config.timezone).isValid) {
			throw new ConfigError(
				`Time zone "${config.timezone}" is not known`,
				'Use an IANA time zone name such as Europe/Berlin, America/New_York or UTC.',
				'timezone',
			);
		}
		this.start = minutesOfDay(config.dayStart, 'dayStart');
		this.end = minutesOfDay(config.dayEnd, 'dayEnd');
		if (this.end <= this.start) {
			throw new ConfigError(
				`The working day ends (${config.dayEnd}) before it starts (${config.dayStart})`,
				'Set the end of the working day later than its start; overnight shifts are not supported.',
				'dayEnd',
			);
		}
		this.days = new Set(config.workingDays);
		if (this.days.size === 0 || [...this.days].some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
			throw new ConfigError(
				'No valid working days are selected',
				'Pick at least one working day (Monday to Sunday).',
				'workingDays',
			);
		}
		for (const raw of config.holidays) {
			const h = raw.trim();
			if (h === '') continue;
			if (/^\d{4}-\d{2}-\d{2}$/.test(h) && DateTime.fromISO(h).isValid) this.fixedHolidays.add(Number(h.replace(/-/g, '')));
			else if (/^\d{2}-\d{2}$/.test(h) && DateTime.fromISO(`2000-${h}`).isValid) this.yearlyHolidays.add(Number(h.replace('-', '')));
			else
				throw new ConfigError(
					`Holiday "${h}" is not a date`,
					'Write each holiday as YYYY-MM-DD (one date) or MM-DD (every year), separated by commas or new lines.',
					'holidays',
				);
		}
	}

	get timezone(): string {
		return this.config.timezone;
	}

	private isWorkingDay(dt: DateTime): boolean {
		if (!this.days.has(dt.weekday)) return false;
		const monthDay = dt.month * 100 + dt.day;
		return !this.yearlyHolidays.has(monthDay) && !this.fixedHolidays.has(dt.year * 10000 + monthDay);
	}

	private at(day: DateTime, minutes: number): DateTime {
		if (minutes >= 24 * 60) return day.startOf('day').plus({ days: 1 });
		return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
	}

	inZone(dt: DateTime): DateTime {
		return dt.setZone(this.config.timezone);
	}

	isOpen(instant: DateTime): boolean {
		const dt = this.inZone(instant);
		const m = dt.hour * 60 + dt.minute + dt.second / 60;
		return this.isWorkingDay(dt) && m >= this.start && m < this.end;
	}

	/** The instant itself when open, else the next moment the business opens. */
	nextOpen(instant: DateTime): DateTime {
		let dt = this.inZone(instant);
		if (this.isOpen(dt)) return dt;
		if (this.isWorkingDay(dt) && dt < this.at(dt, this.start)) return this.at(dt, this.start);
		for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
			dt = dt.plus({ days: 1 }).startOf('day');
			if (this.isWorkingDay(dt)) return this.at(dt, this.start);
		}
		throw new ConfigError('The calendar has no working time in the next ten years', 'Check the working days and holidays.');
	}

	/** Adds minutes of working time: 60 business minutes from Friday 16:30 is Monday 09:30. */
	addBusinessMinutes(instant: DateTime, minutes: number): DateTime {
		if (!(minutes > 0)) return this.inZone(instant);
		let cursor = this.nextOpen(instant);
		let remaining = minutes;
		for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
			const closing = this.at(cursor, this.end);
			const available = closing.diff(cursor, 'minutes').minutes;
			if (remaining <= available) return cursor.plus({ minutes: remaining });
			remaining -= available;
			cursor = this.nextOpen(closing);
		}
		throw new ConfigError('The deadline is more than ten years of working time away', 'Use a shorter duration.');
	}

	/** Working minutes between two instants (0 if end is not after start). */
	businessMinutesBetween(from: DateTime, to: DateTime): number {
		let total = 0;
		let cursor = this.nextOpen(from);
		for (let i = 0; i < MAX_DAYS_SEARCHED && cursor < to; i++) {
			const closing = this.at(cursor, this.end);
			const stop = closing < to ? closing : to;
			total += Math.max(0, stop.diff(cursor, 'minutes').minutes);
			if (closing >= to) break;
			cursor = this.nextOpen(closing);
		}
		return total;
	}
}
