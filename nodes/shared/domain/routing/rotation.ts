import { DateTime } from 'luxon';
import type { BusinessCalendarConfig } from '../business-calendar';
import { updateState } from '../crm/state';
import type { CrmStore } from '../crm/store';
import type { RoutingConfig } from './config';
import { repToday, reviewDecision, routeLead, type RepLoad, type RotationState, type RoutingDecision, type RoutingLead } from './route';

/**
 * Routing with memory: the round-robin credits and each rep's count of leads today are kept in the
 * company's CRM store (one state record per company) and changed with a conditional write, so a
 * restart continues the rotation where it stopped, and two leads that arrive at once in two workers
 * never get the same turn (the second re-reads and decides again). Leads of one batch are decided in
 * input order against one read and stored with one write.
 */

export interface RoutingState {
	v: 1;
	/** Smooth weighted round-robin credits per team and rep. */
	credits: RotationState;
	/** Leads assigned per rep on their current day (their zone). */
	daily: Record<string, { day: string; count: number }>;
}

export interface Assignment {
	decisions: RoutingDecision[];
	/** Read-decide-write rounds (more than one: another run assigned at the same moment). */
	attempts: number;
	/** Revision of the state record after the write: one per committed batch. */
	revision: number;
}

export const routingStateKey = (companyId: string) => `routing:${companyId}`;

/** Leads that are still open (new or working) per rep with an open-lead cap: the caps' load. */
export async function openLeadCounts(store: CrmStore, config: RoutingConfig): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const rep of config.reps) {
		if (rep.openCap === undefined) continue;
		let n = 0;
		for (const status of ['new', 'working']) {
			n += (await store.search('lead', [{ field: 'owner', op: 'eq', value: rep.email }, { field: 'status', op: 'eq', value: status }], rep.openCap + 1)).length;
		}
		counts[rep.id] = n;
	}
	return counts;
}

/** Decides a batch against a state (pure): the decisions and the state after them. */
export function decideBatch(
	leads: readonly RoutingLead[],
	config: RoutingConfig,
	company: BusinessCalendarConfig,
	state: RoutingState | null,
	open: Record<string, number>,
	now: DateTime,
): { decisions: RoutingDecision[]; state: RoutingState } {
	let credits: RotationState = state?.credits ?? {};
	const daily: RoutingState['daily'] = { ...(state?.daily ?? {}) };
	const openNow = { ...open };
	const today = new Map(config.reps.map((r) => [r.id, repToday(config, company, r.id, now)!]));
	const decisions = leads.map((lead) => {
		if (lead.review) return reviewDecision(config, credits, `${lead.review}: a person checks it before sales gets it`);
		const assignedToday: Record<string, number> = {};
		for (const [id, day] of today) assignedToday[id] = daily[id]?.day === day ? daily[id].count : 0;
		const load: RepLoad = { assignedToday, open: openNow };
		const decision = routeLead(lead, config, company, credits, load, now);
		credits = decision.rotation;
		if (decision.repId) {
			const day = today.get(decision.repId)!;
			daily[decision.repId] = { day, count: (daily[decision.repId]?.day === day ? daily[decision.repId].count : 0) + 1 };
			openNow[decision.repId] = (openNow[decision.repId] ?? 0) + 1;
		}
		return decision;
	});
	// Reps no longer in the config leave the state with their credits.
	const known = new Set(config.reps.map((r) => r.id));
	for (const id of Object.keys(daily)) if (!known.has(id)) delete daily[id];
	return { decisions, state: { v: 1, credits, daily } };
}

export async function assignOwners(
	store: CrmStore,
	companyId: string,
	leads: readonly RoutingLead[],
	config: RoutingConfig,
	company: BusinessCalendarConfig,
	now: DateTime = DateTime.utc(),
): Promise<Assignment> {
	if (leads.length === 0) return { decisions: [], attempts: 0, revision: 0 };
	const open = await openLeadCounts(store, config);
	const written = await updateState<RoutingState, RoutingDecision[]>(
		store,
		routingStateKey(companyId),
		(current) => {
			const { decisions, state } = decideBatch(leads, config, company, current?.v === 1 ? current : null, open, now);
			return { value: state, result: decisions };
		},
		() => now.toJSDate(),
	);
	return { decisions: written.result, attempts: written.attempts, revision: written.revision };
}
