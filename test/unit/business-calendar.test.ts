import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../nodes/shared/domain/business-calendar';
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
