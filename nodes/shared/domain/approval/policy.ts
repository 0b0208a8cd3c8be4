/**
 * Graduated autonomy: whether an item may proceed without a person, decided before anyone is asked.
 * T1 accounts are human-led, T2 are co-pilot (a person approves unless the item is confident enough),
 * T3 are AI-led (automatic when confident and free of risk). A suspected prompt injection or any risk
 * flag always needs a person, whatever the tier.
 */

import { safeText } from '../text';

export type Tier = 'T1' | 'T2' | 'T3';

export interface PolicySettings {
	/** T2 items at or above this confidence proceed automatically. */
	t2AutoConfidence: number;
	/** T3 items at or above this confidence (and without risk flags) proceed automatically. */
	t3AutoConfidence: number;
	/** What an item with no recognisable tier is treated as: the cautious default is T1. */
	unknownTier: Tier;
}

export interface PolicyInput {
	tier: unknown;
	/** 0 to 1; null when the item carries none; anything else sends the item to a person. */
	confidence: number | null;
	/** The confidence as written, for the reason when it cannot be read. */
	confidenceText?: string;
	injectionSuspected: boolean;
	/** What the screen found, for the reason shown to the approver. */
	injectionReason?: string | null;
	/** Commitments (prices, discounts, budgets, approvals, "no review") in model text: only a person may settle them. */
	commitments?: string[];
	riskFlags: string[];
	/** Ids of custom rules (JSONata conditions, evaluated by the caller) that matched this item. */
	matchedRules: string[];
}

export interface PolicyDecision {
	needsHuman: boolean;
	tier: Tier;
	/** The rule that decided, e.g. "tier:T1", "risk-flags", "t3-confident". */
	ruleId: string;
	reason: string;
}

export function normalizeTier(value: unknown): Tier | null {
	const text = safeText(value ?? '', 20).trim().toUpperCase().replace(/^TIER\s*/, 'T');
	if (text === 'T1' || text === '1') return 'T1';
	if (text === 'T2' || text === '2') return 'T2';
	if (text === 'T3' || text === '3') return 'T3';
	return null;
}

export function decideApprovalNeed(input: PolicyInput, settings: PolicySettings): PolicyDecision {
	const known = normalizeTier(input.tier);
	const tier = known ?? settings.unknownTier;
	const unknownNote = known ? '' : ` (tier "${safeText(input.tier ?? null, 40)}" not recognised, treated as ${tier})`;
	const human = (ruleId: string, reason: string): PolicyDecision => ({ needsHuman: true, tier, ruleId, reason: reason + unknownNote });
	const auto = (ruleId: string, reason: string): PolicyDecision => ({ needsHuman: false, tier, ruleId, reason: reason + unknownNote });

	// A confidence that cannot be read must not unlock automation; the item is treated as the
	// cautious default tier.
	if (input.confidence !== null && !(input.confidence >= 0 && input.confidence <= 1)) {
		return { needsHuman: true, tier: settings.unknownTier, ruleId: 'bad-confidence', reason: `confidence "${safeText(input.confidenceText ?? input.confidence, 40)}" is not a number from 0 to 1` };
	}
	// The checks that always need a person come first, so no tier or threshold can skip them.
	if (input.injectionSuspected) return human('injection-suspected', `the input looks like a prompt-injection attempt${input.injectionReason ? ` (${input.injectionReason})` : ''}`);
	if (input.commitments?.length) return human('commitments', `model text makes commitments only a person may make: ${input.commitments.join(', ')}`);
	if (input.riskFlags.length) return human('risk-flags', `risk flags: ${safeText(input.riskFlags.join(', '), 200)}`);
	if (input.matchedRules.length) return human(`rule:${input.matchedRules[0]}`, `rule ${input.matchedRules.join(', ')} requires approval`);
	if (tier === 'T1') return human('tier:T1', 'T1 accounts are human-led');
	const confidence = input.confidence;
	if (tier === 'T2') {
		if (confidence !== null && confidence >= settings.t2AutoConfidence) return auto('t2-confident', `T2 with confidence ${confidence} >= ${settings.t2AutoConfidence}`);
		return human('tier:T2', confidence === null ? 'T2 item without a confidence' : `T2 with confidence ${confidence} < ${settings.t2AutoConfidence}`);
	}
	if (confidence !== null && confidence >= settings.t3AutoConfidence) return auto('t3-confident', `T3 with confidence ${confidence} >= ${settings.t3AutoConfidence}, no risk flags`);
	return human('t3-unsure', confidence === null ? 'T3 item without a confidence' : `T3 with confidence ${confidence} < ${settings.t3AutoConfidence}`);
}
