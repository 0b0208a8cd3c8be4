import { safeText } from '../text';
import { ConfigError } from '../config-error';
import { versionHash } from '../hash';
import { compilePath, outOfRangeNumber, readPath, toNumber, toTime, ScoringContext, type Flag } from './conditions';
import { parsePlaybook } from './parse-playbook';
import { HealthPlaybookSchema, type HealthPlaybook } from './playbook-schema';
import { RuleFlags, type RuleHit } from './rule-flags';
import { compileFieldChecks, JsonataConditions, WeightedScorer, type Reason } from './weighted-score';

export interface HealthOverride {
	active: boolean;
	score: number | null;
	band: string | null;
	reason: string | null;
	by: string | null;
	expiresAt: string | null;
	/** Why an override on the item was not applied. */
	ignoredBecause: string | null;
}

export interface HealthResult {
	healthScore: number | null;
	band: string;
	computedScore: number | null;
	computedBand: string;
	segment: string | null;
	override: HealthOverride | null;
	trend: { previousScore: number; delta: number; direction: 'up' | 'down' | 'flat' } | null;
	churnRisks: readonly RuleHit[];
	expansionSignals: readonly RuleHit[];
	reasons: Reason[];
	explanation: string;
	/** Lists may be shared between accounts (one frozen list per combination, or empty): read-only. */
	missingFields: readonly string[];
	flags: readonly Flag[];
	/** Hash of the effective playbook that decided this result. */
	rulesetVersion: string;
}

export class HealthScorer {
	readonly playbook: HealthPlaybook;
	readonly rulesetVersion: string;
	/** Band names from best to worst: the node's outputs, in order. */
	readonly bandNames: string[];
	readonly jsonata: JsonataConditions;
	private readonly context = new ScoringContext();
	private readonly measures: WeightedScorer;
	private readonly bands: Array<{ name: string; min: number }>;
	private readonly churn: RuleFlags;
	private readonly expansion: RuleFlags;
	private readonly checkFields: (item: unknown, flags: Flag[]) => void;
	private readonly segmentKeys: string[] | null;
	private readonly previousKeys: string[] | null;
	private readonly overrideKeys: string[] | null;

	constructor(playbookInput: unknown) {
		this.playbook = parsePlaybook(HealthPlaybookSchema, playbookInput, 'health playbook');
		const p = this.playbook;
		this.rulesetVersion = versionHash(p);
		this.measures = new WeightedScorer(p.measures, p.missingData);
		this.bands = [...p.bands].sort((a, b) => b.min - a.min);
		this.bandNames = this.bands.map((b) => b.name);
		this.churn = new RuleFlags(p.churnRisks);
		this.expansion = new RuleFlags(p.expansionSignals);
		this.checkFields = compileFieldChecks(p.fields);
		this.jsonata = new JsonataConditions([...p.measures, ...p.churnRisks, ...p.expansionSignals]);
		this.segmentKeys = p.segments ? compilePath(p.segments.field) : null;
		this.previousKeys = p.trend ? compilePath(p.trend.previousScoreField) : null;
		this.overrideKeys = p.override ? compilePath(p.override.field) : null;
	}

	bandOf(score: number | null): string {
		// Unknown health is reported in the worst band: nobody should assume an account is fine.
		if (score === null) return this.bands[this.bands.length - 1].name;
		return (this.bands.find((b) => score >= b.min) ?? this.bands[this.bands.length - 1]).name;
	}

	private readOverride(item: unknown, now: number): HealthOverride | null {
		if (!this.overrideKeys) return null;
		const raw = readPath(item, this.overrideKeys);
		if (raw === undefined || raw === null || raw === '') return null;
		const o = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
		const score = o.score === undefined || o.score === null || o.score === '' ? null : toNumber(o.score);
		const band = typeof o.band === 'string' && o.band ? o.band : null;
		const expires = toTime(o.expiresAt);
		const base = {
			score: score !== null && !Number.isNaN(score) ? Math.max(0, Math.min(100, score)) : null,
			band,
			reason: typeof o.reason === 'string' ? o.reason : null,
			by: typeof o.by === 'string' ? o.by : null,
			expiresAt: Number.isNaN(expires) ? null : new Date(expires).toISOString(),
		};
		let ignoredBecause: string | null = null;
		if (typeof raw !== 'object') ignoredBecause = 'the override is not an object with score or band, reason and expiresAt';
		else if (base.score === null && base.band === null) ignoredBecause = 'the override has neither a valid score nor a band';
		else if (band !== null && !this.bandNames.includes(band)) ignoredBecause = `band "${band}" is not one of ${this.bandNames.join(', ')}`;
		else if (Number.isNaN(expires)) ignoredBecause = 'the override has no valid expiresAt; overrides must expire';
		else if (expires <= now) ignoredBecause = `the override expired at ${base.expiresAt}`;
		return { ...base, active: ignoredBecause === null, ignoredBecause };
	}

	score(item: unknown, now: number, jsonata?: Map<string, unknown>): HealthResult {
		const ctx = this.context.next(now, jsonata);
		const flags = ctx.flags;
		this.checkFields(item, flags);
		let segment: string | null = null;
		let weights: Record<string, number> | undefined;
		if (this.segmentKeys && this.playbook.segments) {
			const v = readPath(item, this.segmentKeys);
			segment = v === undefined || v === null || v === '' ? null : safeText(v, 100);
			const sets = this.playbook.segments.weights;
			// Own keys only: a segment named "__proto__" or "constructor" is not a weight set.
			weights = (segment !== null && Object.prototype.hasOwnProperty.call(sets, segment) ? sets[segment] : undefined) ?? sets.default;
		}
		const computed = this.measures.score(item, ctx, weights);
		const computedBand = this.bandOf(computed.score);
		const override = this.readOverride(item, now);
		let healthScore = computed.score;
		let band = computedBand;
		if (override?.active) {
			if (override.score !== null) {
				healthScore = override.score;
				band = override.band ?? this.bandOf(override.score);
			} else band = override.band as string;
		}
		let trend: HealthResult['trend'] = null;
		if (this.previousKeys && healthScore !== null) {
			const raw = readPath(item, this.previousKeys);
			const prev = toNumber(raw);
			const outOfRange = raw === undefined || raw === null || raw === '' ? null : outOfRangeNumber(raw, prev) ?? (Number.isNaN(prev) ? 'not a number' : prev < 0 || prev > 100 ? 'not a score from 0 to 100' : null);
			if (outOfRange) flags.push({ field: this.playbook.trend!.previousScoreField, code: 'out_of_range', message: `${this.playbook.trend!.previousScoreField} is ${safeText(raw)}, ${outOfRange}; no trend` });
			else if (!Number.isNaN(prev)) {
				const delta = Math.round((healthScore - prev) * 10) / 10;
				const flat = this.playbook.trend?.flatWithin ?? 2;
				trend = { previousScore: prev, delta, direction: Math.abs(delta) <= flat ? 'flat' : delta > 0 ? 'up' : 'down' };
			}
		}
		return {
			healthScore,
			band,
			computedScore: computed.score,
			computedBand,
			segment,
			override,
			trend,
			churnRisks: this.churn.hits(item, ctx),
			expansionSignals: this.expansion.hits(item, ctx),
			reasons: computed.reasons,
			explanation: computed.explanation,
			missingFields: computed.missingFields,
			flags: ctx.takeFlags(),
			rulesetVersion: this.rulesetVersion,
		};
	}
}

/** Every band of the playbook needs an output of the node, or its accounts would have nowhere to go. */
export function assertBandsHaveOutputs(bandNames: string[], outputs: string[]): void {
	if (bandNames.every((b) => outputs.includes(b))) return;
	throw new ConfigError(
		`The playbook's bands (${bandNames.join(', ')}) do not match the node's Band Outputs (${outputs.join(', ')})`,
		'Set Band Outputs to the band names of the playbook, best to worst, so each band has an output.',
		'bandOutputs',
	);
}
