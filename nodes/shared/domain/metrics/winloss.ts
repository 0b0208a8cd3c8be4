import { ScoringContext, compileCondition } from '../scoring/conditions';
import type { Criterion, IcpPlaybook } from '../scoring/playbook-schema';
import type { Deal } from './deals';
import { round, inPeriod, type Period } from './figures';

/**
 * Win/loss: why deals closed the way they did, by reason, competitor, segment and source; and, from the
 * closed deals' accounts, how each ICP criterion of the current playbook relates to winning. The lift
 * suggests a new playbook version, which a person approves (Approval Gate) before any scoring uses it.
 */

export interface ClosedDeal {
	deal: Deal;
	/** The values it is broken down by (reason, competitor, segment, source). */
	dimensions: Record<string, string | null>;
	/** The deal's account (canonical account fields), when known. */
	account: Record<string, unknown> | null;
}

export interface Breakdown {
	value: string;
	won: number;
	lost: number;
	winRate: number | null;
}

export interface CriterionLift {
	criterion: string;
	label: string;
	weight: number;
	/** Closed deals whose account meets the criterion (its points at least 50), and their win rate. */
	meets: { deals: number; won: number; winRate: number | null };
	misses: { deals: number; won: number; winRate: number | null };
	/** Deals whose account has no value for the criterion's field. */
	unknown: number;
	/** Win rate when the criterion is met / overall win rate of the deals with a value. */
	lift: number | null;
	confidence: 'enough data' | 'small sample' | 'no data';
	note?: string;
}

export interface PlaybookChange {
	criterion: string;
	from: number;
	to: number;
	why: string;
}

export interface WinLoss {
	period: { from: string; to: string };
	won: number;
	lost: number;
	winRate: number | null;
	byDimension: Record<string, Breakdown[]>;
	icpLift: CriterionLift[];
	/** The playbook with the suggested weights, for approval; null when no criterion has enough data. */
	suggestedPlaybook: IcpPlaybook | null;
	changes: PlaybookChange[];
	method: string;
}

export const WINLOSS_DIMENSIONS = { reason: 'winLossReason', competitor: 'competitor', segment: 'tier', source: 'sourceChannel' } as const;

/** A weight moves with the lift, at most halved or doubled in one suggestion. */
const MAX_FACTOR = 2;
const METHOD = `A criterion is met when it scores at least 50 points for the account. Lift = win rate of the deals whose account meets it / win rate of all deals with a value for it. Suggested weight = current weight x lift, kept between /${MAX_FACTOR} and x${MAX_FACTOR}, only where both the deals that meet it and those that miss it number at least the small-sample threshold; other weights stay.`;

const rate = (won: number, n: number) => (n > 0 ? (round(won / n) as number) : null);

function criterionPoints(c: Criterion, account: Record<string, unknown>, ctx: ScoringContext, compiled: ReturnType<typeof compileCondition>): number | null {
	const r = compiled(account, ctx.next(ctx.now, undefined));
	if (r.missing) return null;
	if (c.op === 'bands') return r.bandPoints ?? 0;
	return r.matched ? (c.points ?? 100) : (c.elsePoints ?? 0);
}

export function winLoss(closed: readonly ClosedDeal[], period: Period, playbook: IcpPlaybook | null, smallSample: number, now: number): WinLoss {
	const inScope = closed.filter((c) => (c.deal.outcome === 'won' || c.deal.outcome === 'lost') && inPeriod(c.deal.closedAt, period));
	const won = inScope.filter((c) => c.deal.outcome === 'won').length;
	const byDimension: Record<string, Breakdown[]> = {};
	for (const name of Object.keys(WINLOSS_DIMENSIONS)) {
		const counts = new Map<string, { won: number; lost: number }>();
		for (const c of inScope) {
			const value = c.dimensions[name] ?? '(none)';
			const entry = counts.get(value) ?? { won: 0, lost: 0 };
			if (c.deal.outcome === 'won') entry.won++;
			else entry.lost++;
			counts.set(value, entry);
		}
		byDimension[name] = [...counts.entries()]
			.map(([value, n]) => ({ value, won: n.won, lost: n.lost, winRate: rate(n.won, n.won + n.lost) }))
			.sort((a, b) => b.won + b.lost - (a.won + a.lost) || a.value.localeCompare(b.value));
	}
	const icpLift: CriterionLift[] = [];
	const changes: PlaybookChange[] = [];
	const ctx = new ScoringContext();
	ctx.now = now;
	for (const c of playbook?.criteria ?? []) {
		const base = { criterion: c.id, label: c.label ?? c.id, weight: c.weight };
		if (c.op === 'jsonata') {
			icpLift.push({ ...base, meets: { deals: 0, won: 0, winRate: null }, misses: { deals: 0, won: 0, winRate: null }, unknown: inScope.length, lift: null, confidence: 'no data', note: 'JSONata criteria are not analysed' });
			continue;
		}
		const compiled = compileCondition(c);
		const meets = { deals: 0, won: 0 };
		const misses = { deals: 0, won: 0 };
		let unknown = 0;
		for (const d of inScope) {
			const points = d.account ? criterionPoints(c, d.account, ctx, compiled) : null;
			if (points === null) {
				unknown++;
				continue;
			}
			const side = points >= 50 ? meets : misses;
			side.deals++;
			if (d.deal.outcome === 'won') side.won++;
		}
		const known = meets.deals + misses.deals;
		const overall = rate(meets.won + misses.won, known);
		const meetsRate = rate(meets.won, meets.deals);
		const lift = overall !== null && overall > 0 && meetsRate !== null ? (round(meetsRate / overall) as number) : null;
		const enough = meets.deals >= smallSample && misses.deals >= smallSample;
		const confidence = known === 0 ? 'no data' : enough ? 'enough data' : 'small sample';
		icpLift.push({
			...base,
			meets: { ...meets, winRate: meetsRate },
			misses: { ...misses, winRate: rate(misses.won, misses.deals) },
			unknown,
			lift,
			confidence,
			...(confidence === 'small sample' ? { note: `${meets.deals} deal(s) meet it and ${misses.deals} miss it; at least ${smallSample} each are needed before a weight changes` } : {}),
		});
		if (enough && lift !== null) {
			const to = Math.round(Math.min(c.weight * MAX_FACTOR, Math.max(c.weight / MAX_FACTOR, c.weight * lift)) * 10) / 10;
			if (to !== c.weight) changes.push({ criterion: c.id, from: c.weight, to, why: `win rate ${Math.round((meetsRate ?? 0) * 100)}% when met vs ${Math.round(overall! * 100)}% overall (lift ${lift}, ${known} deals)` });
		}
	}
	const suggestedPlaybook =
		playbook && changes.length
			? { ...playbook, version: `${playbook.version ?? 'playbook'} + win/loss ${new Date(period.to).toISOString().slice(0, 10)}`, criteria: playbook.criteria.map((c) => ({ ...c, weight: changes.find((x) => x.criterion === c.id)?.to ?? c.weight })) }
			: null;
	return {
		period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
		won,
		lost: inScope.length - won,
		winRate: rate(won, inScope.length),
		byDimension,
		icpLift,
		suggestedPlaybook,
		changes,
		method: METHOD,
	};
}
