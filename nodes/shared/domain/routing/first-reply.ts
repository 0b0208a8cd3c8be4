/**
 * Who is owed a first reply once the Lead Router has assigned the lead: the one home of that rule (the
 * Lead Router's "Split by First Reply" outputs use it; the inbound processing template drafts a reply
 * only on its Reply Owed output).
 *
 * A first reply is owed to a lead that is new (a repeat submission was answered, or is being answered,
 * when it first came in), not Disqualified (no fit: its owner decides whether to answer), and not held
 * in the review queue (the reviewer releases it to an owner first, and that owner answers). A lead
 * routed without a routing section in the company config is still owed one: the reply does not wait
 * for the config.
 */
export interface FirstReplyFacts {
	/** Whether the CRM write created the lead (the RevOps CRM node's `crm.isNew`). Anything but `true` counts as a repeat. */
	isNew: unknown;
	/** The lead's tier after its CRM write (`crm.tier`). */
	tier: unknown;
	/** How the Lead Router decided (`routing.decidedBy`); absent when routing is not configured. */
	decidedBy: unknown;
}

export interface FirstReply {
	owed: boolean;
	/** Why, in words for the execution view and the audit. */
	reason: string;
}

export function firstReplyFor(facts: FirstReplyFacts): FirstReply {
	if (facts.isNew !== true) return { owed: false, reason: 'a repeat submission: the lead got its first reply when it first came in' };
	if (facts.tier === 'Disqualified') return { owed: false, reason: 'the lead is Disqualified: its owner decides whether to answer' };
	if (facts.decidedBy === 'review-queue') return { owed: false, reason: 'the lead waits in the review queue: the owner it is released to answers' };
	return { owed: true, reason: `a new ${typeof facts.tier === 'string' && facts.tier ? `${facts.tier} ` : ''}lead, not Disqualified and not held for review` };
}
