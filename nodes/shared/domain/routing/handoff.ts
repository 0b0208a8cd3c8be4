import { DateTime } from 'luxon';
import { BusinessCalendar } from '../business-calendar';
import { ConfigError } from '../config-error';
import type { CompanyConfig } from '../crm/company-config';
import { buildRequest } from '../crm/requests';
import type { CrmStore, StoredRecord } from '../crm/store';
import { upsertMany, type UpsertOutcome, type UpsertRequest } from '../crm/upsert';
import type { Writer } from '../crm/merge';
import type { Rep, RoutingConfig } from './config';
import { leadName } from './message';
import { applyResponse, responseRefusal, type ResponseClaims, type ResponseOutcome } from './response';
import { calendarOfRep, type RoutingDecision, type RoutingLead } from './route';
import { assignOwners } from './rotation';
import { afterSlaStep, assignmentFields, dueSlaAction, reviewPlan, slaPlan, WATCHED_SLA_STAGES, type SlaAction, type SlaPlan } from './sla';

/**
 * The lead handoff against the company's CRM store: assign owners (and start their SLA clocks), move
 * SLAs on (remind, escalate, reassign), and record what an owner answered. Every write is conditional
 * on what was read (a guard), so two runs at once never both act on the same lead, and every change is
 * in the lead's history with its writer. No n8n here: the Lead Router node adds parameters, messages
 * and items.
 */

export interface HandoffContext {
	store: CrmStore;
	config: CompanyConfig;
	now: DateTime;
	executionId?: string | null;
	/** `rule:Lead Router` unless a person acted. */
	writer?: Writer;
}

export const ROUTER_WRITER: Writer = { kind: 'rule', name: 'Lead Router' };

/** The owner chosen by the router replaces an owner the lead got from its account at save time. */
const ASSIGN_POLICIES = { owner: 'lastWrite', firstResponseDueAt: 'lastWrite' } as const;
const REASSIGN_POLICIES = { owner: 'lastWrite' } as const;

export function routingOf(config: CompanyConfig): RoutingConfig {
	if (!config.routing) {
		throw new ConfigError(
			`The company config of ${config.company.id} has no routing`,
			'Add routing to the company config: reps (id, name, email, teams, weight, hours), rules, and the queueOwner who takes what nobody else can (see workflows/companies/acme-saas-us.json)',
			'routing',
		);
	}
	return config.routing;
}

export function repOf(config: CompanyConfig, owner: unknown): Rep | null {
	const email = typeof owner === 'string' ? owner.toLowerCase() : '';
	return config.routing?.reps.find((r) => r.email.toLowerCase() === email) ?? null;
}

/** The calendar an owner's SLA runs on: a rep's own hours and zone, the company's for anyone else. */
export function ownerCalendar(config: CompanyConfig, owner: unknown): BusinessCalendar {
	const rep = repOf(config, owner);
	return (rep && config.routing ? calendarOfRep(config.routing, config.calendar, rep.id) : null) ?? new BusinessCalendar(config.calendar);
}

/** Who hears about a missed deadline: the owner's manager, else the company's notify address, else the queue owner. */
export function managerOf(config: CompanyConfig, owner: unknown): string {
	return repOf(config, owner)?.manager ?? config.channels.notifyEmail ?? routingOf(config).queueOwner;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** What the rules look at: the stored lead, and what the form said beyond the canonical fields. */
export function routingLeadOf(fields: Record<string, unknown>, extra: Record<string, unknown> = {}, accountOwner?: unknown): RoutingLead {
	return {
		country: text(fields.country) ?? text(extra.country),
		region: text(extra.region),
		state: text(fields.state) ?? text(extra.state) ?? text(extra.stateCode),
		employeeCount: number(fields.employeeCount) ?? number(extra.employeeCount) ?? number(extra.employees),
		annualRevenue: number(fields.annualRevenue) ?? number(extra.annualRevenue) ?? number(extra.revenue),
		productLine: text(fields.productLine) ?? text(extra.productLine) ?? text(extra.product),
		tier: text(fields.tier),
		accountOwner: text(accountOwner),
		excludeOwners: Array.isArray(fields.previousOwners) ? fields.previousOwners : undefined,
	};
}

/** The SLA clock starts when the lead came (its last touch), never later than now. */
function arrival(fields: Record<string, unknown>, now: DateTime): DateTime {
	const at = DateTime.fromISO(text(fields.lastTouchAt) ?? '', { zone: 'utc' });
	return at.isValid && at <= now && now.diff(at, 'days').days < 7 ? at : now;
}

function planFor(config: CompanyConfig, owner: string, fields: Record<string, unknown>, from: DateTime, review = false): SlaPlan {
	if (review) return reviewPlan(routingOf(config).review.minutes, config.slas, ownerCalendar(config, owner), from);
	return slaPlan({ category: fields.intentCategory, urgency: fields.intentUrgency, tier: fields.tier }, config.slas, ownerCalendar(config, owner), from);
}

export interface LeadToAssign {
	/** The lead as stored (after Save Lead). */
	record: StoredRecord;
	/** Form values the rules may use beyond the canonical lead (state, employees, product line). */
	extra?: Record<string, unknown>;
	accountOwner?: unknown;
	/** Why a person must check the lead first (it then goes to the review queue); null: route it. */
	review?: string | null;
	/** Decide again although the lead has an owner (a lead released from review). */
	force?: boolean;
}

export interface AssignResult {
	/** Null when the lead already had an owner the router assigned (a repeat submission): kept. */
	decision: RoutingDecision | null;
	owner: string;
	plan: SlaPlan | null;
	outcome: UpsertOutcome | null;
	/** Rounds it took to store the rotation (more than one: another run assigned at the same moment). */
	attempts: number;
	record: StoredRecord;
}

export async function assignLeads(ctx: HandoffContext, leads: ReadonlyArray<LeadToAssign | Error>): Promise<Array<AssignResult | Error>> {
	const routing = routingOf(ctx.config);
	const results: Array<AssignResult | Error> = leads.map((l) => (l instanceof Error ? l : (null as unknown as AssignResult)));
	const todo: number[] = [];
	leads.forEach((l, i) => {
		if (l instanceof Error) return;
		if (!l.force && text(l.record.fields.ownerAssignedAt) && text(l.record.fields.owner)) {
			results[i] = { decision: null, owner: String(l.record.fields.owner), plan: null, outcome: null, attempts: 0, record: l.record };
		} else todo.push(i);
	});
	if (todo.length === 0) return results;
	const chosen = leads as LeadToAssign[];
	const assignment = await assignOwners(
		ctx.store,
		ctx.config.company.id,
		todo.map((i) => ({ ...routingLeadOf(chosen[i].record.fields, chosen[i].extra, chosen[i].accountOwner), review: chosen[i].review ?? null })),
		routing,
		ctx.config.calendar,
		ctx.now,
	);
	const requests: UpsertRequest[] = [];
	const plans: SlaPlan[] = [];
	todo.forEach((i, n) => {
		const decision = assignment.decisions[n];
		const { record } = chosen[i];
		const released = chosen[i].force === true;
		// A lead released from review is clocked from now: the review took its own time.
		const plan = planFor(ctx.config, decision.owner, record.fields, released ? ctx.now : arrival(record.fields, ctx.now), decision.decidedBy === 'review-queue');
		plans.push(plan);
		// What the rules looked at is kept on the lead, so a later decision (a release, a reassignment) sees the same.
		const facts = routingLeadOf(record.fields, chosen[i].extra);
		const fields: Record<string, unknown> = { state: facts.state, employeeCount: facts.employeeCount, annualRevenue: facts.annualRevenue, productLine: facts.productLine, ...assignmentFields(decision, plan, ctx.now) };
		// The lead's first promise is kept when it leaves review; the new owner's deadline is slaDueAt.
		if (released) delete fields.firstResponseDueAt;
		requests.push({
			...buildRequest('lead', { dedupeKey: record.key, ...fields }, { writer: ctx.writer ?? ROUTER_WRITER }),
			guard: released
				? (current) => (current?.fields.route === 'review' ? null : `already routed to ${String(current?.fields.owner)}`)
				: // Another run assigned it meanwhile (the same lead sent twice at once): theirs stands.
					(current) => (current && text(current.fields.ownerAssignedAt) ? `already assigned to ${String(current.fields.owner)}` : null),
		});
	});
	const outcomes = await upsertMany(ctx.store, requests, { policies: ASSIGN_POLICIES, executionId: ctx.executionId, now: () => ctx.now.toMillis() });
	todo.forEach((i, n) => {
		const outcome = outcomes[n];
		if (outcome.action === 'conflict') {
			results[i] = new Error(`The lead ${chosen[i].record.key.slice(0, 60)} kept changing while its owner was written; run it again`);
			return;
		}
		if (outcome.rejected) {
			results[i] = outcome.rejected;
			return;
		}
		const refused = outcome.action === 'refused';
		const record = outcome.record ?? chosen[i].record;
		results[i] = {
			decision: refused ? null : assignment.decisions[n],
			owner: refused ? String(record.fields.owner) : assignment.decisions[n].owner,
			plan: refused ? null : plans[n],
			outcome,
			attempts: assignment.attempts,
			record,
		};
	});
	return results;
}

export interface SlaStepResult {
	action: SlaAction;
	/** The lead after the step. */
	record: StoredRecord;
	owner: string;
	/** Reassign: the owner it was taken from; others: the owner. */
	previousOwner: string;
	manager: string;
	decision: RoutingDecision | null;
	/** Reassign: nobody else could take it, so it stays and the manager is told. */
	stayed: boolean;
}

export interface SlaCheck {
	checked: number;
	steps: SlaStepResult[];
	/** Steps another run took first (their guard refused): not sent twice. */
	skipped: number;
}

/** Leads due for an SLA step now (oldest first per stage), at most `limit` per stage. */
export async function dueLeads(store: CrmStore, now: DateTime, limit: number): Promise<StoredRecord[]> {
	const found: StoredRecord[] = [];
	for (const stage of WATCHED_SLA_STAGES) {
		found.push(...(await store.search('lead', [{ field: 'slaStage', op: 'eq', value: stage }, { field: 'slaNextAt', op: 'lte', value: now.toUTC().toISO()! }], limit)));
	}
	return found;
}

/**
 * One pass of the SLA watcher: every lead whose next SLA point has passed gets its step, written only
 * if the lead is still as it was read (so a second watcher running at the same moment skips it).
 */
export async function checkSlas(ctx: HandoffContext, limit = 200): Promise<SlaCheck> {
	const routing = routingOf(ctx.config);
	const now = ctx.now.toMillis();
	const leads = await dueLeads(ctx.store, ctx.now, limit);
	const decided = leads.map((record) => ({ record, action: dueSlaAction(record.fields, now) }));
	const due = decided.filter((d): d is { record: StoredRecord; action: SlaAction } => d.action !== null);
	await closeAnswered(ctx, decided.filter((d) => d.action === null).map((d) => d.record));
	const unchanged = (read: StoredRecord) => (current: StoredRecord | null) =>
		current && current.fields.slaStage === read.fields.slaStage && current.fields.slaNextAt === read.fields.slaNextAt && current.fields.owner === read.fields.owner && !current.fields.firstRespondedAt
			? null
			: 'the lead changed since it was read (another watcher or the owner acted)';

	const reassign = due.filter((d) => d.action === 'reassign');
	const assignment = reassign.length
		? await assignOwners(
				ctx.store,
				ctx.config.company.id,
				reassign.map((d) => routingLeadOf({ ...d.record.fields, previousOwners: [...(Array.isArray(d.record.fields.previousOwners) ? d.record.fields.previousOwners : []), d.record.fields.owner] }, {}, undefined)),
				routing,
				ctx.config.calendar,
				ctx.now,
			)
		: { decisions: [] as RoutingDecision[] };
	const decisionOf = new Map(reassign.map((d, n) => [d.record.id, assignment.decisions[n]]));

	const requests: UpsertRequest[] = due.map(({ record, action }) => {
		let fields: Record<string, unknown>;
		if (action === 'reassign') {
			const decision = decisionOf.get(record.id)!;
			const breaches = ctx.config.slas.reassignAfterBreaches;
			if (decision.owner.toLowerCase() === String(record.fields.owner).toLowerCase()) fields = { slaStage: 'closed', slaBreaches: breaches };
			else {
				// firstResponseDueAt keeps the first promise to the lead; the new owner's deadline is slaDueAt.
				const assigned = assignmentFields(decision, planFor(ctx.config, decision.owner, record.fields, ctx.now), ctx.now);
				delete assigned.firstResponseDueAt;
				fields = { ...assigned, previousOwners: [String(record.fields.owner)], slaBreaches: breaches };
			}
		} else fields = afterSlaStep(action, record.fields);
		return { ...buildRequest('lead', { dedupeKey: record.key, ...fields }, { writer: ctx.writer ?? ROUTER_WRITER }), guard: unchanged(record) };
	});
	const outcomes = requests.length ? await upsertMany(ctx.store, requests, { policies: REASSIGN_POLICIES, executionId: ctx.executionId, now: () => now }) : [];
	const steps: SlaStepResult[] = [];
	let skipped = 0;
	due.forEach(({ record, action }, n) => {
		const outcome = outcomes[n];
		if (outcome.action !== 'updated' || !outcome.record) {
			skipped += 1;
			return;
		}
		const previousOwner = String(record.fields.owner);
		const decision = decisionOf.get(record.id) ?? null;
		const owner = String(outcome.record.fields.owner);
		steps.push({ action, record: outcome.record, owner, previousOwner, manager: managerOf(ctx.config, previousOwner), decision, stayed: action === 'reassign' && owner.toLowerCase() === previousOwner.toLowerCase() });
	});
	return { checked: leads.length, steps, skipped };
}

/**
 * Leads the watcher found whose SLA needs nothing more because they were answered another way (the
 * processing template's first reply, a person in the CRM): their stage is closed so the watcher stops
 * reading them, and a response made elsewhere gets its response time.
 */
async function closeAnswered(ctx: HandoffContext, leads: readonly StoredRecord[]): Promise<void> {
	const requests = leads.map((record) => {
		const f = record.fields;
		const fields: Record<string, unknown> = { slaStage: f.firstRespondedAt ? 'responded' : 'closed' };
		const first = DateTime.fromISO(text(f.firstTouchAt) ?? '', { zone: 'utc' });
		const responded = DateTime.fromISO(text(f.firstRespondedAt) ?? '', { zone: 'utc' });
		if (first.isValid && responded.isValid && f.responseMinutes === undefined) {
			fields.responseMinutes = Math.max(0, Math.round(responded.diff(first, 'minutes').minutes));
			fields.responseBusinessMinutes = ownerCalendar(ctx.config, f.owner).businessMinutesBetween(first, responded);
		}
		return { ...buildRequest('lead', { dedupeKey: record.key, ...fields }, { writer: ctx.writer ?? ROUTER_WRITER }), guard: (current: StoredRecord | null) => (current && current.fields.slaStage === f.slaStage ? null : 'changed meanwhile') };
	});
	if (requests.length) await upsertMany(ctx.store, requests, { executionId: ctx.executionId, now: () => ctx.now.toMillis() });
}

export interface ResponseResult extends ResponseOutcome {
	record: StoredRecord | null;
	written: boolean;
	/** A lead released from review: its new owner (to be told). */
	released?: AssignResult;
}

export interface ResponsePreview {
	/** Show the confirmation form (nothing recorded yet); otherwise `page` says why not or what was recorded. */
	confirm: boolean;
	leadName: string;
	page: { title: string; message: string; status: number };
}

/**
 * What a link shows when it is opened (GET): nothing is written. The confirmation form when the click
 * can be recorded; otherwise why not (another company, the lead reassigned) or what was recorded before.
 */
export async function previewResponse(ctx: HandoffContext, claims: ResponseClaims): Promise<ResponsePreview> {
	if (claims.company !== ctx.config.company.id) return { confirm: false, leadName: '', page: { title: 'Wrong workflow', message: 'This link belongs to another company; open it from the message you received.', status: 403 } };
	const [record] = await ctx.store.findByKeys('lead', [claims.lead]);
	const refusal = responseRefusal(record?.fields ?? null, claims.owner);
	if (refusal) return { confirm: false, leadName: '', page: { title: 'Not recorded', message: refusal, status: record ? 409 : 404 } };
	const name = leadName(record.fields);
	// A click that would change nothing says what was recorded before, without a form.
	const outcome = applyResponse(claims, 'Other', null, record.fields, ownerCalendar(ctx.config, claims.owner), ctx.now);
	if (!outcome.fields && !outcome.release) return { confirm: false, leadName: name, page: outcome.page };
	return { confirm: true, leadName: name, page: { title: 'Confirm', message: '', status: 200 } };
}

/** Records an owner's click (already checked: signature, expiry) on the lead, with an activity. */
export async function recordResponse(ctx: HandoffContext, claims: ResponseClaims, reason: string | null, note: string | null): Promise<ResponseResult> {
	if (claims.company !== ctx.config.company.id) {
		return { fields: null, activity: null, record: null, written: false, page: { title: 'Wrong workflow', message: 'This link belongs to another company; open it from the message you received.', status: 403 } };
	}
	const [record] = await ctx.store.findByKeys('lead', [claims.lead]);
	const refusal = responseRefusal(record?.fields ?? null, claims.owner);
	if (refusal) return { fields: null, activity: null, record: record ?? null, written: false, page: { title: 'Not recorded', message: refusal, status: record ? 409 : 404 } };
	const outcome = applyResponse(claims, reason, note, record.fields, ownerCalendar(ctx.config, claims.owner), ctx.now);
	if (outcome.release) {
		const [released] = await assignLeads({ ...ctx, writer: { kind: 'human', name: claims.owner.toLowerCase() } }, [{ record, force: true }]);
		if (released instanceof Error || !released.decision) {
			return { ...outcome, record, written: false, page: { title: 'Not recorded', message: released instanceof Error ? released.message : `The lead was ${released.outcome?.refused ?? 'routed meanwhile'}.`, status: 409 } };
		}
		await upsertMany(ctx.store, [buildRequest('activity', { ...outcome.activity, summary: `Released from review by ${claims.owner} to ${released.owner}` }, { writer: { kind: 'human', name: claims.owner.toLowerCase() } })], { executionId: ctx.executionId, now: () => ctx.now.toMillis() });
		return { ...outcome, record: released.record, written: true, released, page: { title: 'Sent to sales', message: `Thank you. The lead now belongs to ${released.owner}, who has been told.`, status: 200 } };
	}
	if (!outcome.fields) return { ...outcome, record, written: false };
	const writer: Writer = { kind: 'human', name: claims.owner.toLowerCase() };
	const [written] = await upsertMany(
		ctx.store,
		[
			{
				...buildRequest('lead', { dedupeKey: record.key, ...outcome.fields }, { writer }),
				guard: (current) => responseRefusal(current?.fields ?? null, claims.owner) ?? (claims.action === 'contacted' && current?.fields.firstRespondedAt ? 'already recorded' : null),
			},
		],
		{ executionId: ctx.executionId, now: () => ctx.now.toMillis() },
	);
	if (written.action === 'refused' || written.action === 'conflict' || written.action === 'rejected') {
		return { ...outcome, fields: null, activity: null, record: written.record, written: false, page: { title: 'Not recorded', message: written.refused ?? written.rejected?.message ?? 'The lead kept changing; open the link again.', status: 409 } };
	}
	if (outcome.activity) await upsertMany(ctx.store, [buildRequest('activity', outcome.activity, { writer })], { executionId: ctx.executionId, now: () => ctx.now.toMillis() });
	return { ...outcome, record: written.record, written: true };
}
