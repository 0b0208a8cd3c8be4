import { DateTime } from 'luxon';
import { BusinessCalendar, type BusinessCalendarConfig } from '../business-calendar';
import type { Rep, RoutingConfig, RoutingRule } from './config';

/**
 * Who owns a lead, rules first, every step explained: the matched account's owner (when they can take
 * it), then the first routing rule that matches picks a team, then a weighted round-robin among the
 * team's reps who can take it now, and the queue owner when nobody can. Pure: the rotation state and
 * the reps' load come in and the new rotation state goes out, so the caller stores them (and keeps
 * two leads arriving at once from reading the same state).
 */


/**
 * Whether a CRM owner value is an address a lead can go to: letters, digits and . _ % + ' - before the
 * @, and a domain of such labels ending in a name of two letters or more. "!@!.!" is not one.
 */
export function isOwnerEmail(value: string): boolean {
	return /^[a-z0-9._%+'-]+@([a-z0-9-]+\.)+[a-z]{2,}$/i.test(value);
}
export interface RoutingLead {
	country?: unknown;
	region?: unknown;
	state?: unknown;
	employeeCount?: unknown;
	annualRevenue?: unknown;
	productLine?: unknown;
	tier?: unknown;
	/** The matched account's owner (an e-mail), if any. */
	accountOwner?: unknown;
	/** Owners who must not get the lead again (it was taken from them after missed SLAs). */
	excludeOwners?: unknown;
	/** Why the lead goes to the review queue instead (the classifier was unsure, an injection was suspected). */
	review?: string | null;
}

/** Smooth weighted round-robin per team: each rep's running credit (nginx's algorithm). */
export type RotationState = Record<string, Record<string, number>>;

/** What each rep already has: new leads today (in their zone) and open leads. */
export interface RepLoad {
	assignedToday?: Record<string, number>;
	open?: Record<string, number>;
}

export interface RoutingStep {
	rule: string;
	outcome: string;
}

export interface RoutingDecision {
	owner: string;
	ownerName: string | null;
	repId: string | null;
	team: string | null;
	/** What decided: account-owner, a rule id + round-robin, queue-owner, or review-queue (a person checks it first). */
	decidedBy: 'account-owner' | 'round-robin' | 'queue-owner' | 'review-queue';
	ruleId: string | null;
	/** The rep was off work when the lead came: the SLA clock starts at their next working minute. */
	offHours: boolean;
	calendarLink: string | null;
	steps: RoutingStep[];
	rotation: RotationState;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const inList = (list: string[] | undefined, v: unknown) => list === undefined || (text(v) !== null && list.some((x) => x.toLowerCase() === text(v)!.toLowerCase()));
const inRange = (min: number | undefined, max: number | undefined, v: unknown) => {
	if (min === undefined && max === undefined) return true;
	const n = num(v);
	return n !== null && (min === undefined || n >= min) && (max === undefined || n < max);
};

export function ruleMatches(rule: RoutingRule, lead: RoutingLead): boolean {
	const w = rule.when;
	return (
		inList(w.countries, lead.country) &&
		inList(w.regions, lead.region) &&
		inList(w.states, lead.state) &&
		inList(w.productLines, lead.productLine) &&
		inList(w.tiers, lead.tier) &&
		inRange(w.employeesMin, w.employeesMax, lead.employeeCount) &&
		inRange(w.revenueMin, w.revenueMax, lead.annualRevenue)
	);
}

/** A rep's working time: their own zone and hours where set, the company's otherwise (holidays too). */
export function repCalendar(rep: Rep, company: BusinessCalendarConfig): BusinessCalendar {
	return new BusinessCalendar({
		timezone: rep.timezone ?? company.timezone,
		workingDays: rep.workingDays ?? company.workingDays,
		dayStart: rep.dayStart ?? company.dayStart,
		dayEnd: rep.dayEnd ?? company.dayEnd,
		holidays: company.holidays,
	});
}

export type Availability = 'in' | 'off-hours' | 'absent' | 'at-daily-cap' | 'at-open-cap' | 'previous-owner';

/** The rep's date and whether they are at work, for one minute: leads of one batch arrive within seconds. */
const minuteCache = new WeakMap<BusinessCalendar, { minute: number; today: string; open: boolean }>();

function atMinute(calendar: BusinessCalendar, now: DateTime): { today: string; open: boolean } {
	const minute = Math.floor(now.toMillis() / 60_000);
	const known = minuteCache.get(calendar);
	if (known && known.minute === minute) return known;
	const start = DateTime.fromMillis(minute * 60_000, { zone: 'utc' });
	const fresh = { minute, today: calendar.inZone(start).toISODate()!, open: calendar.isOpen(start) };
	minuteCache.set(calendar, fresh);
	return fresh;
}

export function availability(rep: Rep, calendar: BusinessCalendar, load: RepLoad, now: DateTime): Availability {
	const { today, open } = atMinute(calendar, now);
	if (rep.outOfOffice.some((o) => o.from <= today && today <= o.to)) return 'absent';
	if (rep.dailyCap !== undefined && (load.assignedToday?.[rep.id] ?? 0) >= rep.dailyCap) return 'at-daily-cap';
	if (rep.openCap !== undefined && (load.open?.[rep.id] ?? 0) >= rep.openCap) return 'at-open-cap';
	return open ? 'in' : 'off-hours';
}

/** One smooth weighted round-robin pick: every candidate earns its weight, the richest is picked and pays the total. */
export function pickWeighted(credits: Record<string, number>, candidates: ReadonlyArray<{ id: string; weight: number }>): { id: string; credits: Record<string, number> } {
	const next = { ...credits };
	const total = candidates.reduce((s, c) => s + c.weight, 0);
	let best: { id: string; credit: number } | null = null;
	for (const c of candidates) {
		const credit = (next[c.id] ?? 0) + c.weight;
		next[c.id] = credit;
		if (best === null || credit > best.credit) best = { id: c.id, credit };
	}
	next[best!.id] -= total;
	return { id: best!.id, credits: next };
}

/** The rep's working calendar (cached with the config): the SLA of a lead they own runs on it. */
export function calendarOfRep(config: RoutingConfig, company: BusinessCalendarConfig, repId: string): BusinessCalendar | null {
	return calendarsOf(config, company).get(repId) ?? null;
}

/** The rep's date now, in their zone: daily caps count per this day. */
export function repToday(config: RoutingConfig, company: BusinessCalendarConfig, repId: string, now: DateTime): string | null {
	const calendar = calendarOfRep(config, company, repId);
	return calendar ? atMinute(calendar, now).today : null;
}

/** Each rep's calendar, built once per routing config and company calendar (a decision is then a few lookups). */
const calendarCache = new WeakMap<RoutingConfig, WeakMap<BusinessCalendarConfig, Map<string, BusinessCalendar>>>();

function calendarsOf(config: RoutingConfig, company: BusinessCalendarConfig): Map<string, BusinessCalendar> {
	let byCompany = calendarCache.get(config);
	if (!byCompany) calendarCache.set(config, (byCompany = new WeakMap()));
	let calendars = byCompany.get(company);
	if (!calendars) byCompany.set(company, (calendars = new Map(config.reps.map((r) => [r.id, repCalendar(r, company)]))));
	return calendars;
}

export function routeLead(lead: RoutingLead, config: RoutingConfig, company: BusinessCalendarConfig, rotation: RotationState, load: RepLoad, now: DateTime): RoutingDecision {
	const steps: RoutingStep[] = [];
	const calendars = calendarsOf(config, company);
	const excluded = new Set(Array.isArray(lead.excludeOwners) ? lead.excludeOwners.map((o) => text(o)?.toLowerCase()).filter(Boolean) : []);
	const status = (rep: Rep): Availability => (excluded.has(rep.email.toLowerCase()) ? 'previous-owner' : availability(rep, calendars.get(rep.id)!, load, now));
	const decision = (rep: Rep, decidedBy: RoutingDecision['decidedBy'], team: string | null, ruleId: string | null, next: RotationState, state: Availability): RoutingDecision => ({
		owner: rep.email,
		ownerName: rep.name,
		repId: rep.id,
		team,
		decidedBy,
		ruleId,
		offHours: state === 'off-hours',
		calendarLink: rep.calendarLink ?? null,
		steps,
		rotation: next,
	});

	const accountOwner = text(lead.accountOwner)?.toLowerCase() ?? null;
	if (config.accountOwnerFirst && accountOwner) {
		const rep = config.reps.find((r) => r.email.toLowerCase() === accountOwner);
		const state = rep ? status(rep) : null;
		if (rep && (state === 'in' || state === 'off-hours')) {
			steps.push({ rule: 'account-owner', outcome: `${rep.email} owns the account${state === 'off-hours' ? ' (off work now: the clock starts at their next working minute)' : ''}` });
			return decision(rep, 'account-owner', null, null, rotation, state);
		}
		if (!rep && !excluded.has(accountOwner) && isOwnerEmail(accountOwner)) {
			// An owner outside the inbound rotation (an account executive, a partner manager) still owns
			// the account's leads; their hours are not known, so the company's count.
			steps.push({ rule: 'account-owner', outcome: `${accountOwner} owns the account (not in the routing config: the company's hours apply)` });
			return { owner: accountOwner, ownerName: null, repId: null, team: null, decidedBy: 'account-owner', ruleId: null, offHours: false, calendarLink: null, steps, rotation };
		}
		steps.push({ rule: 'account-owner', outcome: rep ? `${rep.email} owns the account but is ${state}` : `${accountOwner} owns the account but had the lead before` });
	}

	const rule = config.rules.find((r) => ruleMatches(r, lead));
	const team = rule?.team ?? config.defaultTeam;
	steps.push({ rule: rule ? `rule:${rule.id}` : 'default-team', outcome: `team ${team}${rule?.label ? ` (${rule.label})` : ''}` });

	const members = config.reps.filter((r) => r.teams.includes(team) && r.weight > 0);
	const states = new Map(members.map((r) => [r.id, status(r)]));
	// Who is in now shares the lead; when nobody is, who is merely off work (not absent, not capped).
	const inNow = members.filter((r) => states.get(r.id) === 'in');
	const pool = inNow.length ? inNow : members.filter((r) => states.get(r.id) === 'off-hours');
	const skipped = members.filter((r) => !pool.includes(r)).map((r) => `${r.id} ${states.get(r.id)}`);
	if (pool.length === 0) {
		steps.push({ rule: 'queue-owner', outcome: `nobody in team ${team} can take it${skipped.length ? ` (${skipped.join(', ')})` : ''}` });
		return { owner: config.queueOwner, ownerName: null, repId: null, team, decidedBy: 'queue-owner', ruleId: rule?.id ?? null, offHours: false, calendarLink: null, steps, rotation };
	}
	const picked = pickWeighted(rotation[team] ?? {}, pool.map((r) => ({ id: r.id, weight: r.weight })));
	const rep = pool.find((r) => r.id === picked.id)!;
	steps.push({ rule: 'round-robin', outcome: `${rep.id} of ${pool.map((r) => `${r.id}×${r.weight}`).join(', ')}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}` });
	return decision(rep, 'round-robin', team, rule?.id ?? null, { ...rotation, [team]: picked.credits }, states.get(rep.id)!);
}

/** A lead a person must check before sales gets it: the review queue's owner, no turn of the rotation. */
export function reviewDecision(config: RoutingConfig, rotation: RotationState, why: string): RoutingDecision {
	return {
		owner: config.review.owner ?? config.queueOwner,
		ownerName: null,
		repId: null,
		team: 'review',
		decidedBy: 'review-queue',
		ruleId: null,
		offHours: false,
		calendarLink: null,
		steps: [{ rule: 'review-queue', outcome: why }],
		rotation,
	};
}
