import { versionHash } from '../hash';
import { compilePath, readPath, toTime, ScoringContext, type Flag } from './conditions';
import { parsePlaybook } from './parse-playbook';
import { IcpPlaybookSchema, type IcpPlaybook } from './playbook-schema';
import { RuleFlags, type RuleHit } from './rule-flags';
import { anyValueShape, round1 } from './tenths';
import { compileFieldChecks, JsonataConditions, WeightedScorer, type Reason } from './weighted-score';

export const ICP_TIERS = ['T1', 'T2', 'T3', 'Disqualified'] as const;
export type IcpTier = (typeof ICP_TIERS)[number];

export interface IcpResult {
	fitScore: number | null;
	engagementScore: number | null;
	grade: string | null;
	tier: IcpTier;
	tierReason: string;
	knockouts: readonly RuleHit[];
	reasons: Reason[];
	explanation: string;
	/** Lists may be shared between accounts (one frozen list per combination, or empty): read-only. */
	missingFields: readonly string[];
	flags: readonly Flag[];
	/** Hash of the effective playbook that decided this result. */
	rulesetVersion: string;
}

/** Every result's shape, with the keys in the order `score` writes them (see `anyValueShape`). */
export const ICP_RESULT_SHAPE = anyValueShape<IcpResult>({
	fitScore: null,
	engagementScore: null,
	grade: null,
	tier: null,
	tierReason: null,
	knockouts: null,
	reasons: null,
	explanation: null,
	missingFields: null,
	flags: null,
	rulesetVersion: null,
});

const DAY_MS = 86_400_000;

/** The compiled ICP playbook: validate once, then score any number of accounts synchronously. */
/** Better tiers rank lower. */
const TIER_RANK: Record<IcpTier, number> = { T1: 0, T2: 1, T3: 2, Disqualified: 3 };

export class IcpScorer {
	readonly playbook: IcpPlaybook;
	readonly rulesetVersion: string;
	private readonly fit: WeightedScorer;
	private readonly knockouts: RuleFlags;
	private readonly checkFields: (item: unknown, flags: Flag[]) => void;
	readonly jsonata: JsonataConditions;
	private readonly context = new ScoringContext();
	private readonly tierReasons = new Map<number, string>();
	private readonly events: { keys: string[]; type: string[]; at: string[]; halfLife: number; points: Record<string, number>; full: number } | null;

	constructor(playbookInput: unknown) {
		this.playbook = parsePlaybook(IcpPlaybookSchema, playbookInput, 'ICP playbook');
		const p = this.playbook;
		this.rulesetVersion = versionHash(p);
		this.fit = new WeightedScorer(p.criteria, p.missingData);
		this.knockouts = new RuleFlags(p.knockouts);
		this.checkFields = compileFieldChecks(p.fields);
		this.jsonata = new JsonataConditions([...p.criteria, ...p.knockouts]);
		const e = p.engagement;
		this.events = e
			? { keys: compilePath(e.eventsField), type: compilePath(e.typeField), at: compilePath(e.dateField), halfLife: e.halfLifeDays, points: e.eventPoints, full: e.fullScoreAt }
			: null;
	}

	/** Decayed engagement: each event's points halve every half-life; null when the item has no events field. */
	private engagement(item: unknown, now: number, flags: Flag[]): number | null {
		const e = this.events;
		if (!e) return null;
		const list = readPath(item, e.keys);
		if (list === undefined || list === null) return null;
		if (!Array.isArray(list)) {
			flags.push({ field: e.keys.join('.'), code: 'not_a_list', message: 'engagement events are not a list; engagement not scored' });
			return null;
		}
		let total = 0;
		for (const ev of list) {
			const type = readPath(ev, e.type);
			const points = typeof type === 'string' && Object.prototype.hasOwnProperty.call(e.points, type) ? e.points[type] : undefined;
			if (!points) continue;
			const t = toTime(readPath(ev, e.at));
			if (Number.isNaN(t)) continue;
			const ageDays = Math.max(0, (now - t) / DAY_MS);
			total += points * 0.5 ** (ageDays / e.halfLife);
		}
		return round1(Math.min(100, (100 * total) / e.full));
	}

	private grade(fit: number | null, engagement: number | null): string | null {
		if (fit === null || engagement === null) return null;
		const g = this.playbook.grades ?? { fit: { A: 75, B: 50 }, engagement: { '1': 66, '2': 33 } };
		const letter = fit >= g.fit.A ? 'A' : fit >= g.fit.B ? 'B' : 'C';
		const digit = engagement >= g.engagement['1'] ? '1' : engagement >= g.engagement['2'] ? '2' : '3';
		return letter + digit;
	}

	/**
	 * "fit 62.5 is at or above T2 (55)": a fit score has at most 1,001 values and decides the tier, so
	 * each sentence is written once and shared by every account with that score.
	 */
	private tierReason(tier: IcpTier, score: number): string {
		let text = this.tierReasons.get(score);
		if (text === undefined) {
			const t = this.playbook.tiers;
			text = `fit ${score} is ${tier === 'Disqualified' ? `below T3 (${t.T3})` : `at or above ${tier} (${t[tier]})`}`;
			if (this.tierReasons.size < 2048) this.tierReasons.set(score, text);
		}
		return text;
	}

	score(item: unknown, now: number, jsonata?: Map<string, unknown>): IcpResult {
		const ctx = this.context.next(now, jsonata);
		const flags = ctx.flags;
		this.checkFields(item, flags);
		const knockouts = this.knockouts.hits(item, ctx);
		const fit = this.fit.score(item, ctx);
		const engagementScore = this.engagement(item, now, flags);
		const t = this.playbook.tiers;
		let tier: IcpTier;
		let tierReason: string;
		if (knockouts.length) {
			tier = 'Disqualified';
			tierReason = `knock-out: ${knockouts.map((k) => k.reason).join('; ')}`;
		} else if (fit.score === null) {
			tier = 'Disqualified';
			tierReason = 'no fit criterion had data, so fit is unknown';
		} else {
			tier = fit.score >= t.T1 ? 'T1' : fit.score >= t.T2 ? 'T2' : fit.score >= t.T3 ? 'T3' : 'Disqualified';
			tierReason = this.tierReason(tier, fit.score);
		}
		let explanation = fit.explanation;
		const min = this.playbook.minEvidence;
		if (min && !knockouts.length && fit.score !== null) {
			const total = fit.reasons.reduce((s, r) => s + r.weight, 0);
			const known = fit.reasons.reduce((s, r) => s + (r.status === 'matched' || r.status === 'not_matched' ? r.weight : 0), 0);
			const share = total > 0 ? Math.round((known / total) * 1000) / 10 : 0;
			if (share < min.knownWeightPercent && TIER_RANK[tier] < TIER_RANK[min.capTier]) {
				const thin = `thin data: ${share}% of the fit weight has data (the playbook needs ${min.knownWeightPercent}%), so at most ${min.capTier}`;
				tier = min.capTier;
				tierReason = `${tierReason}; ${thin}`;
				explanation = `${explanation} ${thin[0].toUpperCase()}${thin.slice(1)}.`;
			}
		}
		return {
			fitScore: fit.score,
			engagementScore,
			grade: this.grade(fit.score, engagementScore),
			tier,
			tierReason,
			knockouts,
			reasons: fit.reasons,
			explanation,
			missingFields: fit.missingFields,
			flags: ctx.takeFlags(),
			rulesetVersion: this.rulesetVersion,
		};
	}
}
