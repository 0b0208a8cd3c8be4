import { normalizeTier } from '../approval/policy';
import { CUSTOMER_FACING, type DraftKind } from './config';
import type { DraftCheck } from './check';

/**
 * Who a draft goes to, by the account's tier (the one home of drafting's autonomy): T1 is human-led,
 * so its drafts are for the owner only and never sent by us; T2 is co-pilot, so a person reviews and
 * sends; T3 is AI-led, so a draft is sent by itself only when every check is clean. Drafts for our own
 * people (briefs, outlines, handoffs) go to the owner; anything with a promise goes to a person.
 */

export type DraftRoute = 'send' | 'review' | 'ownerOnly';

export interface DraftDecision {
	route: DraftRoute;
	reason: string;
}

export function routeDraft(rawTier: unknown, kind: DraftKind, check: Pick<DraftCheck, 'commitments' | 'clean' | 'reviewReasons'>): DraftDecision {
	// Tiers are read as the Approval Gate reads them ("Tier 2", 2, "t2"); anything else is no tier.
	const tier = normalizeTier(rawTier);
	if (!CUSTOMER_FACING[kind]) return { route: 'ownerOnly', reason: 'an internal document: for the owner' };
	if (tier === 'T1') return { route: 'ownerOnly', reason: 'T1 is human-led: the owner writes to this account, the draft is a suggestion' };
	if (check.commitments.length) return { route: 'review', reason: `a person must approve what it promises (${check.commitments.join('; ')})` };
	if (tier === 'T3' && check.clean) return { route: 'send', reason: 'T3 is AI-led and every check is clean' };
	if (tier === 'T3') return { route: 'review', reason: `T3, but a person must look: ${check.reviewReasons.join('; ')}` };
	if (tier === 'T2') return { route: 'review', reason: 'T2 is co-pilot: a person reviews and sends' };
	return { route: 'review', reason: 'no tier known: a person reviews' };
}
