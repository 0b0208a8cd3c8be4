import { DateTime, IANAZone } from 'luxon';
import { BusinessCalendar, cachedZone } from '../../nodes/shared/domain/business-calendar';
import { ConfigError } from '../../nodes/shared/domain/config-error';

const ny = new BusinessCalendar({ timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: ['2026-11-26', '12-25'] });
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' });
const fmt = (dt: DateTime) => dt.toFormat("yyyy-MM-dd'T'HH:mm");

describe('BusinessCalendar', () => {
	it('knows when the business is open', () => {
		expect(ny.isOpen(at('2026-11-23T09:00'))).toBe(true); // Monday opening
		expect(ny.isOpen(at('2026-11-23T16:59'))).toBe(true);
		expect(ny.isOpen(at('2026-11-23T17:00'))).toBe(false);
		expect(ny.isOpen(at('2026-11-22T12:00'))).toBe(false); // Sunday
		expect(ny.isOpen(at('2026-11-26T12:00'))).toBe(false); // Thanksgiving, a dated holiday
		expect(ny.isOpen(at('2027-12-25T12:00'))).toBe(false); // yearly holiday (a Saturday anyway)
		expect(ny.isOpen(at('2028-12-25T12:00'))).toBe(false); // yearly holiday on a Monday
		// The instant is read in the calendar's zone, whatever zone it arrives in.
		expect(ny.isOpen(DateTime.fromISO('2026-11-23T14:30:00Z'))).toBe(true); // 09:30 in New York
	});

	it('adds business minutes across evenings, weekends and holidays', () => {
		expect(fmt(ny.addBusinessMinutes(at('2026-11-23T10:00'), 60))).toBe('2026-11-23T11:00');
		expect(fmt(ny.addBusinessMinutes(at('2026-11-20T16:30'), 60))).toBe('2026-11-23T09:30'); // Friday -> Monday
		expect(fmt(ny.addBusinessMinutes(at('2026-11-21T03:00'), 60))).toBe('2026-11-23T10:00'); // Saturday night
		expect(fmt(ny.addBusinessMinutes(at('2026-11-25T16:00'), 120))).toBe('2026-11-27T10:00'); // skips Thanksgiving
		expect(fmt(ny.addBusinessMinutes(at('2026-11-23T08:00'), 8 * 60))).toBe('2026-11-23T17:00');
		expect(fmt(ny.addBusinessMinutes(at('2026-11-23T08:00'), 0))).toBe('2026-11-23T08:00');
	});

	it('works around the clock when the day ends at 24:00, with no minute lost at midnight', () => {
		const always = new BusinessCalendar({ timezone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], dayStart: '00:00', dayEnd: '24:00', holidays: [] });
		const start = DateTime.fromISO('2026-11-21T23:30:00Z', { zone: 'utc' });
		expect(always.isOpen(start)).toBe(true);
		expect(always.addBusinessMinutes(start, 60).toUTC().toISO()).toBe('2026-11-22T00:30:00.000Z');
		expect(always.businessMinutesBetween(start, DateTime.fromISO('2026-11-23T23:30:00Z'))).toBe(2880);
		expect(() => new BusinessCalendar({ ...always.config, dayStart: '24:00' })).toThrow(ConfigError);
	});

	it('counts wall-clock hours across a DST change', () => {
		// New York leaves DST on Sunday 2026-11-01; Friday 16:00 + 2h business = Monday 10:00 local.
		const due = ny.addBusinessMinutes(at('2026-10-30T16:00'), 120);
		expect(fmt(due)).toBe('2026-11-02T10:00');
		expect(due.offset).toBe(-300);
	});

	it('measures business minutes between two instants', () => {
		expect(ny.businessMinutesBetween(at('2026-11-20T16:00'), at('2026-11-23T10:00'))).toBe(120);
		expect(ny.businessMinutesBetween(at('2026-11-23T10:00'), at('2026-11-23T09:00'))).toBe(0);
	});

	it.each([
		[{ timezone: 'Mars/Base' }, 'timezone', 'IANA'],
		[{ dayStart: '9am' }, 'dayStart', 'HH:mm'],
		[{ dayStart: '18:00', dayEnd: '09:00' }, 'dayEnd', 'later than its start'],
		[{ workingDays: [] }, 'workingDays', 'at least one'],
		[{ workingDays: [0, 8] }, 'workingDays', 'at least one'],
		[{ holidays: ['25.12.2026'] }, 'holidays', 'YYYY-MM-DD'],
		[{ holidays: ['2026-02-30'] }, 'holidays', 'YYYY-MM-DD'],
	])('rejects %p with a fix the user can apply', (override, pathName, fix) => {
		const config = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: [], ...override };
		let error: unknown;
		try {
			new BusinessCalendar(config as never);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).path).toBe(pathName);
		expect((error as ConfigError).fix).toContain(fix);
	});
});

/**
 * The calendar's arithmetic runs on epoch milliseconds over cached zone offsets (for speed); this is
 * the plain luxon version it replaced, kept as the reference it must agree with.
 */
class LuxonReference {
	constructor(private readonly c: { timezone: string; workingDays: number[]; start: number; end: number; holidays: string[] }) {}
	private working(dt: DateTime) {
		return this.c.workingDays.includes(dt.weekday) && !this.c.holidays.some((h) => h === dt.toFormat('MM-dd') || h === dt.toISODate());
	}
	private at(day: DateTime, minutes: number) {
		if (minutes >= 24 * 60) return day.startOf('day').plus({ days: 1 });
		return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
	}
	isOpen(instant: DateTime) {
		const dt = instant.setZone(this.c.timezone);
		const m = dt.hour * 60 + dt.minute + dt.second / 60;
		return this.working(dt) && m >= this.c.start && m < this.c.end;
	}
	nextOpen(instant: DateTime): DateTime {
		let dt = instant.setZone(this.c.timezone);
		if (this.isOpen(dt)) return dt;
		if (this.working(dt) && dt < this.at(dt, this.c.start)) return this.at(dt, this.c.start);
		for (let i = 0; i < 3660; i++) {
			dt = dt.plus({ days: 1 }).startOf('day');
			if (this.working(dt)) return this.at(dt, this.c.start);
		}
		throw new Error('no opening');
	}
	add(instant: DateTime, minutes: number): DateTime {
		let cursor = this.nextOpen(instant);
		let remaining = minutes;
		for (let i = 0; i < 3660; i++) {
			const closing = this.at(cursor, this.c.end);
			const available = closing.diff(cursor, 'minutes').minutes;
			if (remaining <= available) return cursor.plus({ minutes: remaining });
			remaining -= available;
			cursor = this.nextOpen(closing);
		}
		throw new Error('no deadline');
	}
}

describe('BusinessCalendar arithmetic against plain luxon', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const fc = require('fast-check') as typeof import('fast-check');
	const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC', 'America/Sao_Paulo', 'Asia/Tehran'];
	const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

	it("names offsets as luxon's own zone does, for random zones, instants, formats and languages (the names are remembered per offset)", () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...zones, 'Europe/London', 'Europe/Dublin', 'America/Los_Angeles'),
				fc.oneof(fc.integer({ min: 1_704_067_200, max: 1_861_920_000 }).map((s) => s * 1000), fc.constantFrom(Date.UTC(2026, 2, 29, 0, 59), Date.UTC(2026, 2, 29, 1, 0), Date.UTC(2026, 9, 25, 0, 59), Date.UTC(2026, 9, 25, 1, 0))),
				fc.constantFrom('short', 'long'),
				fc.constantFrom('en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP'),
				(timezone, ms, format, locale) => {
					const ours = DateTime.fromMillis(ms, { zone: cachedZone(timezone), locale }).toFormat(format === 'short' ? 'ZZZZ' : 'ZZZZZ');
					// luxon's own IANA zone (the name "UTC" alone gives luxon's fixed-offset zone, named differently).
					const plain = DateTime.fromMillis(ms, { zone: IANAZone.create(timezone), locale }).toFormat(format === 'short' ? 'ZZZZ' : 'ZZZZZ');
					expect(ours).toBe(plain);
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('agrees on open, next opening and deadlines for random zones, hours and instants (DST days included)', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...zones),
				fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
				// Working days of two hours or more (a day shorter than a DST gap is not a business calendar).
				fc.integer({ min: 0, max: 22 * 60 }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: start + 120, max: 24 * 60 }))),
				// 2024-2028, minute resolution, with extra weight on the days clocks change in March/April and October/November.
				fc.oneof(fc.integer({ min: 1_704_067_200, max: 1_861_920_000 }).map((s) => s * 1000), fc.constantFrom(Date.UTC(2026, 2, 8, 6, 30), Date.UTC(2026, 10, 1, 5, 30), Date.UTC(2026, 2, 29, 0, 59), Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 3, 5, 14, 0))),
				fc.integer({ min: 1, max: 6000 }),
				(timezone, workingDays, [start, end], ms, minutes) => {
					const holidays = ['12-25', '2026-11-26'];
					const calendar = new BusinessCalendar({ timezone, workingDays, dayStart: hhmm(start), dayEnd: end === 24 * 60 ? '24:00' : hhmm(end), holidays });
					const reference = new LuxonReference({ timezone, workingDays, start, end, holidays });
					const instant = DateTime.fromMillis(ms, { zone: 'utc' });
					expect(calendar.isOpen(instant)).toBe(reference.isOpen(instant));
					expect(calendar.nextOpen(instant).toMillis()).toBe(reference.nextOpen(instant).toMillis());
					expect(calendar.addBusinessMinutes(instant, minutes).toMillis()).toBe(reference.add(instant, minutes).toMillis());
				},
			),
			{ numRuns: 3000 },
		);
	});

	it("writes an instant's ISO text exactly as luxon's toISO does in the calendar's zone, and its epoch-millisecond methods agree", () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...zones),
				// 1970-2100 at millisecond resolution, with the DST change days weighted in.
				fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(Date.UTC(2026, 2, 8, 7, 0), Date.UTC(2026, 10, 1, 5, 59, 59, 999), Date.UTC(2026, 2, 29, 1, 0), Date.UTC(2026, 9, 25, 0, 59))),
				fc.integer({ min: 0, max: 3000 }),
				(timezone, ms, minutes) => {
					const calendar = new BusinessCalendar({ timezone, workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: ['12-25'] });
					const instant = DateTime.fromMillis(ms, { zone: 'utc' });
					expect(calendar.isoAt(ms)).toBe(DateTime.fromMillis(ms, { zone: calendar.zone }).toISO());
					expect(calendar.isoAt(ms)).toBe(DateTime.fromMillis(ms, { zone: timezone === 'UTC' ? 'Etc/UTC' : timezone }).toISO());
					expect(calendar.isOpenAt(ms)).toBe(calendar.isOpen(instant));
					expect(calendar.addBusinessMinutesAt(ms, minutes)).toBe(calendar.addBusinessMinutes(instant, minutes).toMillis());
				},
			),
			{ numRuns: 3000, seed: 20261203 },
		);
	});
});
