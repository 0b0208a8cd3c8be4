import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parseCompanyConfig, type CompanyConfig } from '../../nodes/shared/domain/crm/company-config';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { buildRequest } from '../../nodes/shared/domain/crm/requests';
import type { StoredRecord } from '../../nodes/shared/domain/crm/store';
import { assignLeads, checkSlas, previewResponse, recordResponse, ROUTER_WRITER, type HandoffContext } from '../../nodes/shared/domain/routing/handoff';
import { ownerMessage } from '../../nodes/shared/domain/routing/message';
import { checkResponseQuery, responseConfirmPage, responseLinks } from '../../nodes/shared/domain/routing/response';
import { assignOwners, routingStateKey } from '../../nodes/shared/domain/routing/rotation';
import { readState } from '../../nodes/shared/domain/crm/state';
import { MemoryStore } from '../crm/memory-store';

const SECRET = 'a-long-test-secret-for-links-0123456789';
const acme = (): CompanyConfig => parseCompanyConfig(JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/companies/acme-saas-us.json'), 'utf8'))).config;

/** A lead as Save Lead leaves it. */
async function saveLead(store: MemoryStore, n: number, fields: Record<string, unknown>, at: DateTime): Promise<StoredRecord> {
	const key = `lead-${n}`;
	const [out] = await upsertMany(store, [buildRequest('lead', { dedupeKey: key, status: 'new', email: `buyer${n}@prospect${n}.example`, lastTouchAt: at.toISO(), firstTouchAt: at.toISO(), ...fields }, { writer: { kind: 'rule', name: 'Lead Normalizer' } })], { now: () => at.toMillis() });
	return out.record!;
}

// Wednesday 2 December 2026, 10:00 in New York (Acme's calendar: 08:00-18:00).
const NY_MORNING = DateTime.fromISO('2026-12-02T15:00:00Z', { zone: 'utc' });

describe('lead handoff: assignment with a stored rotation', () => {
	it('writes owner, rule and SLA on the lead, explains the decision, and keeps the owner of a repeat submission', async () => {
		const store = new MemoryStore();
		const config = acme();
		const ctx: HandoffContext = { store, config, now: NY_MORNING };
		const lead = await saveLead(store, 1, { country: 'US', intentCategory: 'Pricing', tier: 'T2' }, NY_MORNING);
		const [result] = (await assignLeads(ctx, [{ record: lead, extra: { state: 'NY' } }])) as Exclude<Awaited<ReturnType<typeof assignLeads>>[number], Error>[];
		expect(result.decision).toMatchObject({ team: 'east', ruleId: 'north-america', decidedBy: 'round-robin' });
		expect(['omar.haddad@acme-analytics.example', 'lena.park@acme-analytics.example']).toContain(result.owner);
		// Pricing is high intent: 5 business minutes, reminded at half, reassigned at the second deadline.
		expect(result.record.fields).toMatchObject({ owner: result.owner, route: 'east', ownerRule: 'round-robin:north-america', slaStage: 'open', slaMinutes: 5, slaRemindAt: '2026-12-02T15:03:00.000Z', slaDueAt: '2026-12-02T15:05:00.000Z', firstResponseDueAt: '2026-12-02T15:05:00.000Z', slaReassignAt: '2026-12-02T15:10:00.000Z' });
		const history = store.log.filter((h) => h.recordId === lead.id && h.field === 'owner');
		expect(history).toEqual([expect.objectContaining({ writer: 'rule:Lead Router', after: result.owner })]);

		// The same lead sent again: kept, no new turn of the rotation.
		const before = await readState(store, routingStateKey('acme_saas'));
		const [again] = (await assignLeads(ctx, [{ record: result.record }])) as Exclude<Awaited<ReturnType<typeof assignLeads>>[number], Error>[];
		expect(again).toMatchObject({ decision: null, owner: result.owner });
		expect((await readState(store, routingStateKey('acme_saas'))).record!.revision).toBe(before.record!.revision);
	});

	it('gives a known account its owner (replacing the owner Save Lead copied only when that owner can take it), and T1 leads the T1 SLA', async () => {
		const store = new MemoryStore();
		const config = acme();
		const lead = await saveLead(store, 2, { country: 'US', tier: 'T1', intentCategory: 'Partnership', owner: 'maya.chen@acme-analytics.example' }, NY_MORNING);
		const [result] = (await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead, accountOwner: 'maya.chen@acme-analytics.example' }])) as any[];
		expect(result.decision).toMatchObject({ decidedBy: 'account-owner', owner: 'maya.chen@acme-analytics.example' });
		// Partnership is not high intent (15 minutes), but T1 caps it at 5; Maya works in Los Angeles (07:00 there): the clock starts at 08:00 PT.
		expect(result.record.fields).toMatchObject({ slaMinutes: 5, slaDueAt: '2026-12-02T16:05:00.000Z' });
		expect(result.plan.reason).toBe('tier T1: 5 business minutes');
	});

	it('gives a known account\'s lead to its owner even when that owner is outside the inbound rotation', async () => {
		const store = new MemoryStore();
		const lead = await saveLead(store, 3, { country: 'US', owner: 'kim@fund.example' }, NY_MORNING);
		const [r] = (await assignLeads({ store, config: acme(), now: NY_MORNING }, [{ record: lead, accountOwner: 'kim@fund.example' }])) as any[];
		expect(r.decision).toMatchObject({ owner: 'kim@fund.example', decidedBy: 'account-owner', repId: null });
		expect(r.decision.steps[0].outcome).toContain('not in the routing config');
		expect(r.record.fields.owner).toBe('kim@fund.example');
	});

	it('never gives two leads the same turn when runs assign at the same moment (optimistic rotation state)', async () => {
		const store = new MemoryStore();
		const config = acme();
		const lead = { country: 'US', state: 'NY', tier: 'T3' };
		// 40 runs of one lead each, all at once (as 40 queue-mode workers would).
		const runs = await Promise.all(Array.from({ length: 40 }, () => assignOwners(store, 'acme_saas', [lead], config.routing!, config.calendar, NY_MORNING)));
		const owners = runs.map((r) => r.decisions[0].repId);
		// East team: Omar weight 2, Lena weight 1: exactly 2:1 over 39 turns, and no turn lost or doubled.
		const count = (id: string) => owners.filter((o) => o === id).length;
		expect(count('omar') + count('lena')).toBe(40);
		expect(Math.abs(count('omar') - (40 * 2) / 3)).toBeLessThanOrEqual(1);
		const { value, record } = await readState<any>(store, routingStateKey('acme_saas'));
		expect(record!.revision).toBe(40);
		expect(value.daily.lena.count + value.daily.omar.count).toBe(40);
		expect(runs.some((r) => r.attempts > 1)).toBe(true);
	});

	it('refuses a company config without routing, naming the fix', async () => {
		const config = { ...acme(), routing: undefined };
		await expect(assignLeads({ store: new MemoryStore(), config, now: NY_MORNING }, [])).rejects.toThrow(/has no routing/);
	});
});

describe('lead handoff: a simulated business day', () => {
	// 1,000 leads from 07:00 to 19:00 New York time, across territories and time zones, with Lena away
	// in the afternoon (out-of-office from the next day is checked by date, so she is made absent by date).
	it('assigns every lead exactly once, shares by weight within 5%, and never to someone away while someone eligible is in', async () => {
		const store = new MemoryStore();
		const base = acme();
		const config: CompanyConfig = { ...base, routing: { ...base.routing!, reps: base.routing!.reps.map((r) => (r.id === 'lena' ? { ...r, dailyCap: undefined, outOfOffice: [{ from: '2026-12-02', to: '2026-12-02' }] } : r.id === 'raj' ? { ...r, openCap: undefined } : r)) } };
		const states = ['NY', 'CA', 'TX', 'WA', 'MA', 'CO'];
		const start = DateTime.fromISO('2026-12-02T12:00:00Z', { zone: 'utc' });
		const assigned: Array<{ owner: string; team: string | null; at: DateTime; repId: string | null; offHours: boolean }> = [];
		for (let n = 0; n < 1000; n++) {
			const at = start.plus({ seconds: Math.floor((n * 12 * 3600) / 1000) });
			const lead = await saveLead(store, n, { country: 'US', tier: n % 10 === 0 ? 'T1' : 'T3', intentCategory: n % 3 === 0 ? 'Pricing' : 'Product Question' }, at);
			// Batches of 1-3 leads per run, as forms arrive.
			const [r] = (await assignLeads({ store, config, now: at }, [{ record: lead, extra: { state: states[n % states.length] } }])) as any[];
			assigned.push({ owner: r.owner, team: r.decision.team, at, repId: r.decision.repId, offHours: r.decision.offHours });
		}
		const leads = [...store.records.values()].filter((r) => r.object === 'lead');
		expect(leads).toHaveLength(1000);
		expect(leads.every((l) => typeof l.fields.owner === 'string' && l.fields.ownerAssignedAt)).toBe(true);
		// Every owner write happened once per lead.
		expect(store.log.filter((h) => h.field === 'owner' && h.writer === 'rule:Lead Router')).toHaveLength(1000);
		expect(assigned.some((a) => a.repId === 'lena')).toBe(false);
		// East team (NY, TX, MA, not T1) while Lena is away: all Omar. West (CA, WA, CO): Maya and Raj 1:1.
		const west = assigned.filter((a) => a.team === 'west');
		const maya = west.filter((a) => a.repId === 'maya').length;
		const inNow = west.filter((a) => !a.offHours);
		expect(inNow.length).toBeGreaterThan(100);
		// Nobody off work got a lead while a teammate was in.
		for (const a of west) if (a.offHours) expect(west.filter((b) => b.at.equals(a.at) && !b.offHours)).toHaveLength(0);
		const share = maya / west.length;
		expect(Math.abs(share - 0.5)).toBeLessThanOrEqual(0.05);
	});

	it('reminds, escalates and reassigns at the right business minutes, across a restart, and each step happens once', async () => {
		const data = new MemoryStore();
		const config = acme();
		// 17:55 in New York: Omar/Lena have 5 working minutes left today.
		const arrival = DateTime.fromISO('2026-12-02T22:55:00Z', { zone: 'utc' });
		const lead = await saveLead(data, 7, { country: 'US', intentCategory: 'Product Question', tier: 'T3' }, arrival);
		const [assigned] = (await assignLeads({ store: data, config, now: arrival }, [{ record: lead, extra: { state: 'NY' } }])) as any[];
		const first = assigned.owner;
		// 15 business minutes: 5 today, 10 tomorrow from 08:00 (13:00Z). Reminder at 7.5 -> 8 minutes: 08:03.
		expect(assigned.record.fields).toMatchObject({ slaRemindAt: '2026-12-03T13:03:00.000Z', slaDueAt: '2026-12-03T13:10:00.000Z', slaReassignAt: '2026-12-03T13:25:00.000Z' });

		const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
		const pass = async (iso: string) => await checkSlas({ store: data, config, now: at(iso) });
		expect((await pass('2026-12-03T02:00:00Z')).steps).toEqual([]);
		const reminded = await pass('2026-12-03T13:03:00Z');
		expect(reminded.steps.map((s) => [s.action, s.owner])).toEqual([['remind', first]]);
		// A second watcher at the same minute (a restart, or another worker) finds nothing more to do.
		expect((await pass('2026-12-03T13:03:30Z')).steps).toEqual([]);
		const escalated = await pass('2026-12-03T13:10:00Z');
		expect(escalated.steps).toEqual([expect.objectContaining({ action: 'escalate', owner: first, manager: 'dana.ruiz@acme-analytics.example' })]);
		const reassigned = await pass('2026-12-03T13:25:00Z');
		expect(reassigned.steps).toHaveLength(1);
		const step = reassigned.steps[0];
		expect(step).toMatchObject({ action: 'reassign', previousOwner: first, stayed: false });
		expect(step.owner).not.toBe(first);
		expect(step.record.fields).toMatchObject({ previousOwners: [first], slaStage: 'open', slaBreaches: 2, firstResponseDueAt: '2026-12-03T13:10:00.000Z', slaDueAt: '2026-12-03T13:40:00.000Z' });
		const ownerHistory = data.log.filter((h) => h.recordId === lead.id && h.field === 'owner').map((h) => h.after);
		expect(ownerHistory).toEqual([first, step.owner]);
		expect(data.log.filter((h) => h.recordId === lead.id && h.field === 'slaStage').map((h) => h.after)).toEqual(['open', 'reminded', 'escalated', 'open']);
	});

	it('two watchers at once send each step once', async () => {
		const store = new MemoryStore();
		const config = acme();
		for (let n = 0; n < 30; n++) {
			const lead = await saveLead(store, 100 + n, { country: 'US', intentCategory: 'Pricing' }, NY_MORNING);
			await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead, extra: { state: 'NY' } }]);
		}
		const later = NY_MORNING.plus({ minutes: 3 });
		const [a, b] = await Promise.all([checkSlas({ store, config, now: later }), checkSlas({ store, config, now: later })]);
		expect(a.steps.length + b.steps.length).toBe(30);
		expect(a.skipped + b.skipped).toBe(30);
	});

	it('keeps an accepted lead with its owner past the deadline (the manager is still told), and stops once contacted', async () => {
		const store = new MemoryStore();
		const config = acme();
		const lead = await saveLead(store, 9, { country: 'US', intentCategory: 'Pricing' }, NY_MORNING);
		const [assigned] = (await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead }])) as any[];
		const claims = { company: 'acme_saas', lead: lead.key, owner: assigned.owner };
		await recordResponse({ store, config, now: NY_MORNING.plus({ minutes: 1 }) }, { ...claims, action: 'accepted', expiresAt: Infinity }, null, null);
		const steps = async (minutes: number) => (await checkSlas({ store, config, now: NY_MORNING.plus({ minutes }) })).steps.map((s) => s.action);
		expect(await steps(3)).toEqual(['remind']);
		expect(await steps(5)).toEqual(['escalate']);
		expect(await steps(60)).toEqual([]);
		const [stored] = await store.findByKeys('lead', [lead.key]);
		expect(stored.fields).toMatchObject({ slaStage: 'closed', status: 'working', owner: assigned.owner, responseOutcome: 'accepted' });
	});
	it('stops watching a lead answered another way, and stores its response time', async () => {
		const store = new MemoryStore();
		const config = acme();
		const lead = await saveLead(store, 31, { country: 'US', intentCategory: 'Pricing' }, NY_MORNING);
		await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead }]);
		// The processing template's first reply (or a person in the CRM) marks it contacted 2 minutes in.
		await upsertMany(store, [buildRequest('lead', { dedupeKey: lead.key, status: 'contacted', firstRespondedAt: NY_MORNING.plus({ minutes: 2 }).toISO() }, { writer: { kind: 'human', name: 'dana.ruiz@acme-analytics.example' } })]);
		const pass = await checkSlas({ store, config, now: NY_MORNING.plus({ minutes: 3 }) });
		expect(pass).toMatchObject({ checked: 1, steps: [] });
		const [stored] = await store.findByKeys('lead', [lead.key]);
		expect(stored.fields).toMatchObject({ slaStage: 'responded', responseMinutes: 2, responseBusinessMinutes: 2 });
		expect((await checkSlas({ store, config, now: NY_MORNING.plus({ minutes: 30 }) })).checked).toBe(0);
	});
});

describe('lead handoff: the owner\'s one-click links', () => {
	async function assigned() {
		const store = new MemoryStore();
		const config = acme();
		const lead = await saveLead(store, 11, { country: 'US', intentCategory: 'Pricing', firstName: 'Ana', company: 'Prospect' }, NY_MORNING);
		const [r] = (await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead }])) as any[];
		const links = responseLinks('https://n8n.example/webhook/revops-lead-response', { company: 'acme_saas', lead: lead.key, owner: r.owner }, SECRET, NY_MORNING.toMillis()) as Record<string, string>;
		const click = (url: string, extra: Record<string, string> = {}, minutes = 4) => {
			const query = Object.fromEntries(new URL(url).searchParams);
			const check = checkResponseQuery({ ...query, ...extra }, SECRET, NY_MORNING.plus({ minutes }).toMillis());
			return { check, query };
		};
		return { store, config, lead, owner: r.owner as string, links, click };
	}

	it('records the first response with its response time, once, as a person, with an activity', async () => {
		const { store, config, lead, owner, links, click } = await assigned();
		const { check, query } = click(links.contacted);
		expect(check.ok).toBe(true);
		if (!check.ok) return;
		const now = NY_MORNING.plus({ minutes: 4 });
		// Opening the link (a person, or a mail scanner prefetching it) writes nothing: it shows a form
		// that POSTs the signed values back.
		const revision = store.log.length;
		const preview = await previewResponse({ store, config, now }, check.claims);
		expect(preview).toMatchObject({ confirm: true, leadName: 'Ana, Prospect' });
		expect(store.log.length).toBe(revision);
		const form = responseConfirmPage('contacted', preview.leadName, query);
		expect(form).toContain('<form method="POST">');
		expect(form).toContain(`name="s" value="${query.s}"`);
		const result = await recordResponse({ store, config, now }, check.claims, check.reason, check.note);
		expect(result).toMatchObject({ written: true, page: { title: 'Response recorded' } });
		expect(result.record!.fields).toMatchObject({ status: 'contacted', responseOutcome: 'contacted', firstRespondedAt: now.toISO(), responseMinutes: 4, responseBusinessMinutes: 4, slaStage: 'responded' });
		expect(store.log.find((h) => h.recordId === lead.id && h.field === 'firstRespondedAt')!.writer).toBe(`human:${owner}`);
		expect([...store.records.values()].filter((r) => r.object === 'activity' && r.fields.leadKey === lead.key && r.fields.outcome === 'contacted')).toHaveLength(1);
		const again = await recordResponse({ store, config, now: now.plus({ minutes: 1 }) }, check.claims, null, null);
		expect(again).toMatchObject({ written: false, page: { title: 'Already recorded' } });
		// Opening it again shows what was recorded, without a form.
		expect(await previewResponse({ store, config, now }, check.claims)).toMatchObject({ confirm: false, page: { title: 'Already recorded' } });
		expect(store.log.filter((h) => h.recordId === lead.id && h.field === 'firstRespondedAt')).toHaveLength(1);
	});

	it('refuses forged, altered, expired and cut links, and the old owner\'s link after a reassignment', async () => {
		const { store, config, lead, links, click } = await assigned();
		const url = new URL(links.contacted);
		expect(click(links.contacted, { a: 'not_a_fit' }).check).toMatchObject({ ok: false, status: 401 });
		expect(click(links.contacted, { o: 'mallory@evil.example' }).check).toMatchObject({ ok: false, status: 401 });
		expect(click(links.contacted, { s: url.searchParams.get('s')!.slice(1) }).check).toMatchObject({ ok: false, status: 401 });
		expect(click(links.contacted, {}, 31 * 24 * 60).check).toMatchObject({ ok: false, status: 403 });
		expect(checkResponseQuery({ c: 'acme_saas', l: lead.key }, SECRET, 0)).toMatchObject({ ok: false, status: 400 });
		expect(checkResponseQuery({ ...Object.fromEntries(url.searchParams), s: [url.searchParams.get('s'), 'x'] }, SECRET, NY_MORNING.toMillis())).toMatchObject({ ok: true });
		// Reassigned to someone else: the old link no longer records anything.
		await upsertMany(store, [buildRequest('lead', { dedupeKey: lead.key, owner: 'raj.patel@acme-analytics.example' }, { writer: ROUTER_WRITER })], { policies: { owner: 'lastWrite' } });
		const { check } = click(links.contacted);
		if (!check.ok) throw new Error('expected a valid signature');
		const result = await recordResponse({ store, config, now: NY_MORNING.plus({ minutes: 4 }) }, check.claims, null, null);
		expect(result).toMatchObject({ written: false, page: { status: 409, message: expect.stringContaining('reassigned to raj.patel@acme-analytics.example') } });
	});

	it('asks why before marking a lead not a fit, and records the reason', async () => {
		const { store, config, links, click } = await assigned();
		const first = click(links.not_a_fit);
		if (!first.check.ok) throw new Error('expected a valid link');
		const asked = await recordResponse({ store, config, now: NY_MORNING }, first.check.claims, first.check.reason, first.check.note);
		expect(asked).toMatchObject({ written: false, needsReason: true });
		const page = responseConfirmPage('not_a_fit', 'Ana', first.query, asked.page.message);
		expect(page).toContain('<select name="reason">');
		expect(page).toContain(`name="s" value="${first.query.s}"`);
		const answered = click(links.not_a_fit, { reason: 'Competitor', note: 'Works at <b>Rival</b>\u0000 Inc.' });
		if (!answered.check.ok) throw new Error('expected a valid link');
		const result = await recordResponse({ store, config, now: NY_MORNING }, answered.check.claims, answered.check.reason, answered.check.note);
		expect(result.record!.fields).toMatchObject({ status: 'disqualified', responseOutcome: 'not_a_fit', notFitReason: 'Competitor: Works at <b>Rival</b> Inc.', slaStage: 'closed' });
		// A reason that is not one of ours is not stored as one.
		expect(click(links.not_a_fit, { reason: 'DROP TABLE' }).check).toMatchObject({ ok: true, reason: null });
	});
});

describe('lead handoff: the review queue', () => {
	it('gives an unclear lead to the reviewer with its own SLA, never reassigns it, and routes it by the rules once released', async () => {
		const store = new MemoryStore();
		const config = acme();
		const lead = await saveLead(store, 21, { country: 'US', intentCategory: 'Pricing' }, NY_MORNING);
		const [r] = (await assignLeads({ store, config, now: NY_MORNING }, [{ record: lead, extra: { state: 'CA' }, review: 'the Intent Classifier was unsure (confidence 0.41)' }])) as any[];
		expect(r.decision).toMatchObject({ decidedBy: 'review-queue', owner: 'sales-queue@acme-analytics.example', team: 'review' });
		expect(r.record.fields).toMatchObject({ route: 'review', slaMinutes: 60, slaDueAt: '2026-12-02T16:00:00.000Z', slaRemindAt: '2026-12-02T15:30:00.000Z' });
		expect(r.record.fields.slaReassignAt).toBeUndefined();
		// No turn of the rotation was used.
		expect((await readState(store, routingStateKey('acme_saas'))).value).toMatchObject({ daily: {} });
		const steps = async (minutes: number) => (await checkSlas({ store, config, now: NY_MORNING.plus({ minutes }) })).steps.map((s) => [s.action, s.manager]);
		expect(await steps(30)).toEqual([['remind', 'revops@acme-analytics.example']]);
		expect(await steps(60)).toEqual([['escalate', 'revops@acme-analytics.example']]);
		expect(await steps(600)).toEqual([]);

		const later = NY_MORNING.plus({ minutes: 70 });
		const released = await recordResponse({ store, config, now: later }, { company: 'acme_saas', lead: lead.key, owner: 'sales-queue@acme-analytics.example', action: 'release', expiresAt: Infinity }, null, null);
		expect(released).toMatchObject({ written: true, page: { title: 'Sent to sales' } });
		expect(released.released!.decision).toMatchObject({ team: 'west', ruleId: 'west' });
		// The promise made to the lead stays; the sales owner's clock starts now.
		expect(released.record!.fields).toMatchObject({ route: 'west', slaStage: 'open', firstResponseDueAt: '2026-12-02T16:00:00.000Z', slaDueAt: later.plus({ minutes: 5 }).toISO() });
		expect(store.log.find((h) => h.recordId === lead.id && h.field === 'route' && h.after === 'west')!.writer).toBe('human:sales-queue@acme-analytics.example');
		// Releasing twice routes once.
		const again = await recordResponse({ store, config, now: later }, { company: 'acme_saas', lead: lead.key, owner: 'sales-queue@acme-analytics.example', action: 'release', expiresAt: Infinity }, null, null);
		expect(again.written).toBe(false);
	});
});

describe('lead handoff: the owner message', () => {
	it('carries what the playbook asks for and shows hostile lead data as text in Slack', () => {
		const lead = {
			firstName: '<!channel> Ana',
			company: '<https://evil.example|Approve here>',
			email: 'ana@prospect.example',
			tier: 'T2',
			leadSource: 'google',
			leadMedium: 'cpc',
			leadCampaign: 'q4-pricing',
			intentCategory: 'Pricing',
			intentUrgency: 'high',
			recommendedNextStep: 'Send pricing and book a call',
			leadSummary: 'Wants pricing for 40 seats.\nContacted: https://evil.example/ok',
			slaDueAt: '2026-12-02T15:05:00.000Z',
			slaMinutes: 5,
		};
		const { text, subject } = ownerMessage({ kind: 'new', lead, owner: 'omar.haddad@acme-analytics.example', ownerName: 'Omar Haddad', timezone: 'America/New_York', calendarLink: 'https://cal.acme-analytics.example/omar-haddad', links: { contacted: 'https://n8n.example/webhook/x?s=1' } }, 'slack');
		expect(subject).toContain('New T2 lead');
		for (const part of ['Source: google / cpc', 'Campaign: q4-pricing', 'Use case: Pricing', 'Urgency: high', 'Next step: Send pricing and book a call', 'Respond by: Wed 2 Dec, 10:05 (America/New_York), 5 business minutes', 'Your booking link for the lead: https://cal.acme-analytics.example/omar-haddad', 'Contacted: https://n8n.example/webhook/x?s=1']) {
			expect(text).toContain(part);
		}
		expect(text).not.toContain('<!channel>');
		expect(text).not.toContain('<https://evil.example|');
		expect(text).not.toMatch(/\nContacted: https:\/\/evil/);
		expect(text).toContain('hxxps://evil[.]example');
	});
});
