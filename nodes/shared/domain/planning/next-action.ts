import { normalizeTier } from '../approval/policy';
import type { Tier } from '../approval/policy';
import { TRIGGER_NEWS } from './catalogs';
import type { NewsFinding } from './research';

/**
 * The one home of "what should happen next with this account": rules on the ICP fit, the account
 * tier, where the account is in its life (prospect, customer, churned), an open deal, and recent news.
 * The answer names the action, why, how urgent, by when (business days) and for whom, and is a task
 * for the owner unless there is nothing to do.
 */
export const NEXT_ACTIONS = {
	no_action: { title: 'No action', priority: 'low', days: null },
	research_manually: { title: 'Fill in what research could not find, then re-score', priority: 'low', days: 5 },
	account_plan: { title: 'Build the account plan: map the buying committee and agree the entry point', priority: 'high', days: 5 },
	reach_out_on_trigger: { title: 'Reach out about recent news', priority: 'high', days: 2 },
	add_to_sequence: { title: 'Add the best-fit contacts to an outbound sequence', priority: 'medium', days: 5 },
	nurture: { title: 'Keep in nurture; look again next quarter', priority: 'low', days: 15 },
	brief_deal_owner: { title: 'Brief the deal owner on recent news', priority: 'medium', days: 2 },
	expansion_check: { title: 'Check for expansion with the customer', priority: 'medium', days: 5 },
	winback: { title: 'Plan a win-back conversation', priority: 'medium', days: 10 },
} as const satisfies Record<string, { title: string; priority: 'high' | 'medium' | 'low'; days: number | null }>;
export type NextActionId = keyof typeof NEXT_ACTIONS;

/** How well the account fits, from the ICP Scorer's tier: T1 strong, T2 good, T3 weak, Disqualified none. */
const FIT: Record<string, 'strong' | 'good' | 'weak' | 'none'> = { T1: 'strong', T2: 'good', T3: 'weak', DISQUALIFIED: 'none' };

export interface NextActionInput {
	/** The ICP Scorer's tier (T1, T2, T3, Disqualified) and fit score (null: no criterion had data). */
	icpTier: string | null;
	fitScore: number | null;
	/** The account's own tier (T1 human-led, T2 co-pilot, T3 AI-led). */
	tier: unknown;
	lifecycle: string | null;
	isCompetitor: boolean;
	/** The ICP score was knocked out (competitor, unsupported country). */
	knockedOut: boolean;
	hasOpenDeal: boolean;
	news: readonly NewsFinding[];
	owner: string | null;
	/** The open deal's owner: a brief about news goes to them. */
	dealOwner?: string | null;
	/** Who gets a task when the account has no owner (the routing queue owner). */
	fallbackOwner: string | null;
}

export interface NextAction {
	action: NextActionId;
	title: string;
	why: string[];
	priority: 'high' | 'medium' | 'low';
	dueBusinessDays: number | null;
	owner: string | null;
	tier: Tier | null;
	/** The news the action is about, when it is about news. */
	news: NewsFinding | null;
}

export function recommendNextAction(input: NextActionInput): NextAction {
	const tier = normalizeTier(input.tier);
	const fit = input.fitScore === null ? null : (FIT[String(input.icpTier ?? '').trim().toUpperCase()] ?? null);
	const label = `ICP ${input.icpTier ?? 'unscored'}${input.fitScore === null ? '' : `, fit ${input.fitScore}`}`;
	const trigger = input.news.find((n) => TRIGGER_NEWS.includes(n.kind)) ?? null;
	const lifecycle = (input.lifecycle ?? 'prospect').toLowerCase();
	const why: string[] = [];
	const answer = (action: NextActionId, news: NewsFinding | null = null): NextAction => {
		const spec = NEXT_ACTIONS[action];
		const title = news ? `${spec.title}: ${news.headline.slice(0, 160)}` : spec.title;
		// T1 accounts are human-led: their tasks are never low priority.
		const priority = tier === 'T1' && action !== 'no_action' && spec.priority === 'low' ? 'medium' : spec.priority;
		const owner = action === 'no_action' ? null : ((action === 'brief_deal_owner' ? input.dealOwner : null) ?? input.owner ?? input.fallbackOwner);
		return { action, title, why, priority, dueBusinessDays: spec.days, owner, tier, news };
	};

	if (input.isCompetitor) return why.push('the account is a competitor'), answer('no_action');
	if (lifecycle === 'customer') {
		if (trigger) return why.push(`a customer with recent ${trigger.kind} news (${trigger.date})`), answer('expansion_check', trigger);
		return why.push('a customer without new signals: the health watch covers it'), answer('no_action');
	}
	if (input.knockedOut) return why.push('knocked out by the ICP playbook'), answer('no_action');
	if (input.hasOpenDeal) {
		if (trigger) return why.push(`an open deal, and recent ${trigger.kind} news (${trigger.date})`), answer('brief_deal_owner', trigger);
		return why.push('an open deal: the deal process leads'), answer('no_action');
	}
	if (!fit) return why.push(`no ICP fit (${label}): too little is known to score the account`), answer('research_manually');
	if (lifecycle === 'churned') {
		if (fit === 'strong' || fit === 'good') return why.push(`a former customer still fitting the ICP (${label})`), answer('winback', trigger);
		return why.push(`a former customer (${label})`), answer('no_action');
	}
	if (fit === 'strong' || (tier === 'T1' && fit !== 'none')) {
		why.push(fit === 'strong' ? `a strong ICP fit (${label})` : `a T1 account, human-led (${label})`);
		if (trigger) return why.push(`recent ${trigger.kind} news (${trigger.date})`), answer('reach_out_on_trigger', trigger);
		return answer('account_plan');
	}
	if (fit === 'good') {
		why.push(`a good ICP fit (${label})`);
		if (trigger) return why.push(`recent ${trigger.kind} news (${trigger.date})`), answer('reach_out_on_trigger', trigger);
		return answer('add_to_sequence');
	}
	if (fit === 'weak') return why.push(`a weak ICP fit (${label})`), answer('nurture');
	return why.push(`below the ICP (${label})`), answer('no_action');
}
