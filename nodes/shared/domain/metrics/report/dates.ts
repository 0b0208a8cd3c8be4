/** Days as the company's calendar has them: a month in Berlin starts at 22:00 or 23:00 UTC. */

/** The calendar day of a moment in a time zone, yyyy-MM-dd. */
export const dayIn = (t: number, timezone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);

/** "2026-10-01 to 2026-10-31": the first and the last day of a period [from, to) in the company's zone. */
export const periodLabel = (p: { from: string; to: string }, timezone: string) => `${dayIn(Date.parse(p.from), timezone)} to ${dayIn(Date.parse(p.to) - 1, timezone)}`;
