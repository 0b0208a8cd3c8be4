import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { ConfigError } from './config-error';
import { flat } from './text';

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
const MINUTE = 60_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const DAY = 86_400_000;

function minutesOfDay(text: string, name: string): number {
	// A working day may end at midnight ("24:00"), so a team working around the clock loses no minute.
	if (name === 'dayEnd' && text.trim() === '24:00') return 24 * 60;
	const m = TIME.exec(text.trim());
	if (!m) throw new ConfigError(`${name} "${text}" is not a time`, `Write ${name} as HH:mm, for example 09:00.`, name);
	return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * An IANA zone whose UTC offsets are remembered per quarter hour. Luxon asks the zone for its offset
 * on every date operation, and for IANA zones that is an Intl formatToParts call: most of the time an
 * SLA deadline took. Offsets only change at transitions, which fall on quarter hours (every zone's
 * offset and DST step is a multiple of 15 minutes since the 1970s); an offset that is not (historic
 * local mean time) is not remembered.
 */
class CachedIanaZone extends Zone {
	private readonly inner: IANAZone;
	private readonly offsets = new Map<number, number>();
	private readonly offsetNames = new Map<string, string | null>();

	constructor(name: string) {
		super();
		this.inner = IANAZone.create(name);
	}

	override get type(): string {
		return 'iana';
	}

	override get name(): string {
		return this.inner.name;
	}

	override get isUniversal(): boolean {
		return false;
	}

	override get isValid(): boolean {
		return this.inner.isValid;
	}

	/**
	 * The offset's name ("GMT+1", "CET", "Central European Standard Time"), remembered per format, locale
	 * and offset: luxon builds an Intl.DateTimeFormat for each one it is asked (most of the time of a
	 * date written with ZZZZ), and within one zone the offset says which name applies.
	 */
	override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
		const key = `${options.format ?? ''}|${options.locale ?? ''}|${this.offset(ts)}`;
		if (this.offsetNames.has(key)) return this.offsetNames.get(key) ?? null;
		const name = this.inner.offsetName(ts, options);
		if (this.offsetNames.size > 1_000) this.offsetNames.clear();
		this.offsetNames.set(key, name);
		return name;
	}

	override formatOffset(ts: number, format: ZoneOffsetFormat): string {
		return this.inner.formatOffset(ts, format);
	}

	override offset(ts: number): number {
		const quarter = Math.floor(ts / 900_000);
		const known = this.offsets.get(quarter);
		if (known !== undefined) return known;
		const offset = this.inner.offset(ts);
		if (offset % 15 === 0) {
			if (this.offsets.size > 100_000) this.offsets.clear();
			this.offsets.set(quarter, offset);
		}
		return offset;
	}

	override equals(other: Zone): boolean {
		return other.type === 'iana' && other.name === this.name;
	}
}

const zones = new Map<string, CachedIanaZone>();

/** The cached zone of an IANA name (one per name, shared by every calendar). */
export function cachedZone(name: string): Zone {
	let zone = zones.get(name);
	if (!zone) {
		zone = new CachedIanaZone(name);
		if (!zone.isValid) return zone;
		zones.set(name, zone);
	}
	return zone;
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
	private readonly zoneObject: Zone;

	constructor(readonly config: BusinessCalendarConfig) {
		if (!DateTime.local().setZone(config.timezone).isValid) {
			throw new ConfigError(
				`Time zone "${config.timezone}" is not known`,
				'Use an IANA time zone name such as Europe/Berlin, America/New_York or UTC.',
				'timezone',
			);
		}
		this.zoneObject = cachedZone(config.timezone);
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

	/** The calendar's zone for luxon (offsets cached): use it instead of the name in hot paths. */
	get zone(): Zone {
		return this.zoneObject;
	}

	// The arithmetic runs on epoch milliseconds with the zone's cached offsets: a "local" millisecond
	// value is the wall-clock time written as if it were UTC, so a local day starts at a multiple of DAY.

	private localMs(ms: number): number {
		return ms + this.zoneObject.offset(ms) * MINUTE;
	}

	/**
	 * The instant of a local wall-clock time, resolved as luxon resolves it (its fixOffset): starting
	 * from the offset of the instant the time was derived from, a time in a DST gap moves forward, a
	 * time in a fold keeps the reading of that offset where it can.
	 */
	private instantOf(local: number, from: number): number {
		const o = this.zoneObject.offset(from);
		let guess = local - o * MINUTE;
		const o2 = this.zoneObject.offset(guess);
		if (o === o2) return guess;
		guess -= (o2 - o) * MINUTE;
		const o3 = this.zoneObject.offset(guess);
		if (o2 === o3) return guess;
		return local - Math.min(o2, o3) * MINUTE;
	}

	private isWorkingLocalDay(localDay: number): boolean {
		const d = new Date(localDay);
		const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
		if (!this.days.has(weekday)) return false;
		const monthDay = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
		return !this.yearlyHolidays.has(monthDay) && !this.fixedHolidays.has(d.getUTCFullYear() * 10000 + monthDay);
	}

	private static dayOf(local: number): number {
		return local - (((local % DAY) + DAY) % DAY);
	}

	private isOpenMs(ms: number): boolean {
		const local = this.localMs(ms);
		const day = BusinessCalendar.dayOf(local);
		const m = (local - day) / MINUTE;
		return m >= this.start && m < this.end && this.isWorkingLocalDay(day);
	}

	private nextOpenMs(ms: number): number {
		if (this.isOpenMs(ms)) return ms;
		const local = this.localMs(ms);
		let day = BusinessCalendar.dayOf(local);
		if ((local - day) / MINUTE < this.start && this.isWorkingLocalDay(day)) return this.instantOf(day + this.start * MINUTE, ms);
		for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
			day += DAY;
			// luxon goes to the start of that day first, then sets the opening time from there.
			if (this.isWorkingLocalDay(day)) return this.instantOf(day + this.start * MINUTE, this.instantOf(day, ms));
		}
		throw new ConfigError('The calendar has no working time in the next ten years', 'Check the working days and holidays.');
	}

	/** When the working day of an open instant ends. */
	private closingMs(ms: number): number {
		const day = BusinessCalendar.dayOf(this.localMs(ms));
		// A day that ends at 24:00 ends at the start of the next day.
		return this.end >= 24 * 60 ? this.instantOf(day + DAY, this.instantOf(day, ms)) : this.instantOf(day + this.end * MINUTE, ms);
	}

	private addBusinessMinutesMs(ms: number, minutes: number): number {
		let cursor = this.nextOpenMs(ms);
		let remaining = minutes;
		for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
			const closing = this.closingMs(cursor);
			const available = (closing - cursor) / MINUTE;
			if (remaining <= available) return cursor + remaining * MINUTE;
			remaining -= available;
			cursor = this.nextOpenMs(closing);
		}
		throw new ConfigError('The deadline is more than ten years of working time away', 'Use a shorter duration.');
	}

	private at(ms: number): DateTime {
		return DateTime.fromMillis(ms, { zone: this.zoneObject });
	}

	inZone(dt: DateTime): DateTime {
		return dt.setZone(this.zoneObject);
	}

	isOpen(instant: DateTime): boolean {
		return this.isOpenMs(instant.toMillis());
	}

	/** isOpen on epoch milliseconds, for hot paths that never need a DateTime. */
	isOpenAt(ms: number): boolean {
		return this.isOpenMs(ms);
	}

	/** addBusinessMinutes on epoch milliseconds. */
	addBusinessMinutesAt(ms: number, minutes: number): number {
		return minutes > 0 ? this.addBusinessMinutesMs(ms, minutes) : ms;
	}

	/**
	 * The instant as luxon's toISO() writes it in this calendar's zone (e.g.
	 * 2026-10-31T20:00:00.000-04:00), without building a DateTime: a lead's two dates were a fifth of
	 * its normalization time. Years 0 to 9999.
	 */
	isoAt(ms: number): string {
		const offset = this.zoneObject.offset(ms);
		const d = new Date(ms + offset * MINUTE);
		const abs = Math.abs(offset);
		return flat(`${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`);
	}

	/** The instant itself when open, else the next moment the business opens. */
	nextOpen(instant: DateTime): DateTime {
		const ms = instant.toMillis();
		const next = this.nextOpenMs(ms);
		return next === ms ? this.inZone(instant) : this.at(next);
	}

	/** Adds minutes of working time: 60 business minutes from Friday 16:30 is Monday 09:30. */
	addBusinessMinutes(instant: DateTime, minutes: number): DateTime {
		if (!(minutes > 0)) return this.inZone(instant);
		return this.at(this.addBusinessMinutesMs(instant.toMillis(), minutes));
	}

	/** Working minutes between two instants (0 if end is not after start). */
	businessMinutesBetween(from: DateTime, to: DateTime): number {
		const end = to.toMillis();
		let total = 0;
		let cursor = this.nextOpenMs(from.toMillis());
		for (let i = 0; i < MAX_DAYS_SEARCHED && cursor < end; i++) {
			const closing = this.closingMs(cursor);
			const stop = closing < end ? closing : end;
			total += Math.max(0, (stop - cursor) / MINUTE);
			if (closing >= end) break;
			cursor = this.nextOpenMs(closing);
		}
		return total;
	}
}
