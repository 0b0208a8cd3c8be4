import { DateTime } from 'luxon';
import { timerWorkflow } from '../../nodes/ApprovalGate/v1/timer-workflow';
import { BusinessCalendar } from '../../nodes/shared/domain/business-calendar';
import { ConfigError } from '../../nodes/shared/domain/config-error';
import { actionOnTimeout, advanceClock, applyDecisions, awaiting, castVote, MAX_NOT_COUNTED, checkVoter, dueTimes, planTimeline, startProgress, type Progress, type Timeline, type Vote } from '../../nodes/shared/domain/approval/progress';
import { decideApprovalNeed, normalizeTier, type PolicyInput } from '../../nodes/shared/domain/approval/policy';
import { signClockItem, signLink, verifyClockItem, verifyLink, verifyTick, type LinkClaims } from '../../nodes/shared/domain/approval/signed-link';
import { outputCount, outputIndex } from '../../nodes/ApprovalGate/v1/held-items';
import { missingLapItems } from '../../nodes/ApprovalGate/v1/loop-clock';
import { type GateSettings } from '../../nodes/ApprovalGate/v1/settings';

const settings = { t2AutoConfidence: 0.9, t3AutoConfidence: 0.7, unknownTier: 'T1' as const };
const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({ tier: 'T3', confidence: 0.95, injectionSuspected: false, riskFlags: [], matchedRules: [], ...over });

describe('approval policy: every tier and flag combination', () => {
	const cases: Array<[string, number | null, boolean, boolean, boolean, boolean, string]> = [];
	for (const tier of ['T1', 'T2', 'T3', 'gold']) {
		for (const confidence of [null, 0.5, 0.8, 0.95]) {
			for (const injection of [false, true]) {
				for (const risk of [false, true]) {
					for (const rule of [false, true]) {
						const t = normalizeTier(tier) ?? 'T1';
						let human: boolean;
						if (injection || risk || rule || t === 'T1') human = true;
						else if (t === 'T2') human = !(confidence !== null && confidence >= 0.9);
						else human = !(confidence !== null && confidence >= 0.7);
						cases.push([tier, confidence, injection, risk, rule, human, t]);
					}
				}
			}
		}
	}
	it.each(cases)('tier %s, confidence %s, injection %s, risk %s, rule %s -> human %s', (tier, confidence, injection, risk, rule, human, effective) => {
		const d = decideApprovalNeed(input({ tier, confidence, injectionSuspected: injection, riskFlags: risk ? ['competitor-present'] : [], matchedRules: rule ? ['discount-over-20'] : [] }), settings);
		expect(d.needsHuman).toBe(human);
		expect(d.tier).toBe(effective);
		expect(d.ruleId).toBeTruthy();
	});

	it('names the deciding rule, most cautious first', () => {
		expect(decideApprovalNeed(input({ injectionSuspected: true, riskFlags: ['x'] }), settings).ruleId).toBe('injection-suspected');
		expect(decideApprovalNeed(input({ riskFlags: ['no-champion'] }), settings)).toMatchObject({ ruleId: 'risk-flags', reason: 'risk flags: no-champion' });
		expect(decideApprovalNeed(input({ matchedRules: ['big-deal'] }), settings).ruleId).toBe('rule:big-deal');
		expect(decideApprovalNeed(input(), settings)).toMatchObject({ needsHuman: false, ruleId: 't3-confident' });
		expect(decideApprovalNeed(input({ tier: 'platinum' }), settings).reason).toContain('not recognised, treated as T1');
	});

	it('reads tiers written in several ways', () => {
		expect(['t1', 'Tier 2', '3', 'T3 '].map(normalizeTier)).toEqual(['T1', 'T2', 'T3', 'T3']);
		expect(normalizeTier('Disqualified')).toBeNull();
	});
});

describe('signed approval links', () => {
	const secret = 'a-long-test-secret-0123456789';
	const claims: LinkClaims = { executionId: '42', nodeId: 'node-1', approver: 'vp@acme.com', expiresAt: Date.parse('2026-12-01T00:00:00Z') };
	const now = Date.parse('2026-11-21T12:00:00Z');
	const allowed = ['manager@acme.com', 'VP@acme.com'];
	const sig = signLink(claims, secret);

	it('accepts the approver its link was made for', () => {
		expect(verifyLink(claims, sig, secret, allowed, now)).toEqual({ ok: true, claims });
	});

	it('rejects forged and altered links with 401, expired or no-longer-allowed approvers with 403', () => {
		expect(verifyLink(claims, signLink(claims, 'another-secret-0123456789'), secret, allowed, now)).toMatchObject({ ok: false, status: 401 });
		expect(verifyLink({ ...claims, approver: 'manager@acme.com' }, sig, secret, allowed, now)).toMatchObject({ ok: false, status: 401 });
		expect(verifyLink({ ...claims, executionId: '43' }, sig, secret, allowed, now)).toMatchObject({ ok: false, status: 401 });
		expect(verifyLink({ ...claims, expiresAt: claims.expiresAt + 1 }, sig, secret, allowed, now)).toMatchObject({ ok: false, status: 401 });
		expect(verifyLink(claims, '', secret, allowed, now)).toMatchObject({ ok: false, status: 401 });
		expect(verifyLink(claims, sig, secret, allowed, claims.expiresAt + 1)).toMatchObject({ ok: false, status: 403, reason: 'the link has expired' });
		expect(verifyLink(claims, sig, secret, ['manager@acme.com'], now)).toMatchObject({ ok: false, status: 403 });
	});

	it('cannot be shifted between fields to sign other claims', () => {
		const a = signLink({ executionId: '1', nodeId: '23', approver: 'x', expiresAt: 5 }, secret);
		const b = signLink({ executionId: '12', nodeId: '3', approver: 'x', expiresAt: 5 }, secret);
		expect(a).not.toBe(b);
	});

	it('refuses a short secret with the fix', () => {
		expect(() => signLink(claims, 'short')).toThrow(ConfigError);
	});
});

describe('approval timeline in business hours', () => {
	const calendar = new BusinessCalendar({ timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: [] });
	// Friday 16:00 Berlin: one business hour left that day.
	const friday = DateTime.fromISO('2026-11-20T16:00', { zone: 'Europe/Berlin' });

	it('gives each approver of a chain a window in turn, reminds before each closes, skips the weekend, then escalates', () => {
		const t = planTimeline('chain', 2, true, friday, calendar, { minutesPerStep: 240, reminderMinutesBefore: 60 });
		expect(t.steps).toEqual([
			{ opensAt: '2026-11-20T15:00:00.000Z', remindAt: '2026-11-23T10:00:00.000Z', closesAt: '2026-11-23T11:00:00.000Z' },
			{ opensAt: '2026-11-23T11:00:00.000Z', remindAt: '2026-11-23T14:00:00.000Z', closesAt: '2026-11-23T15:00:00.000Z' },
		]);
		expect(t.escalation).toEqual({ opensAt: '2026-11-23T15:00:00.000Z', remindAt: '2026-11-24T10:00:00.000Z', closesAt: '2026-11-24T11:00:00.000Z' });
		expect(t.finalAt).toBe('2026-11-24T11:00:00.000Z');
		expect(dueTimes(t, DateTime.fromISO('2026-11-23T12:00:00Z'))).toEqual(['2026-11-23T14:00:00.000Z', '2026-11-23T15:00:00.000Z', '2026-11-24T10:00:00.000Z', '2026-11-24T11:00:00.000Z']);
	});

	it('has one window when anyone or everyone decides, no reminder when it would not fit, and ends with it without escalation', () => {
		const t = planTimeline('all', 3, false, friday, calendar, { minutesPerStep: 30, reminderMinutesBefore: 30 });
		expect(t.steps).toEqual([{ opensAt: '2026-11-20T15:00:00.000Z', remindAt: null, closesAt: '2026-11-20T15:30:00.000Z' }]);
		expect(t.escalation).toBeNull();
		expect(t.finalAt).toBe('2026-11-20T15:30:00.000Z');
	});

	it('never approves a T1 item by timeout', () => {
		expect(actionOnTimeout('approve', 'T1')).toBe('timedOut');
		expect(actionOnTimeout('approve', 'T3')).toBe('approve');
		expect(actionOnTimeout('reject', 'T1')).toBe('reject');
	});
});

describe('approval progress: votes, chains, quorum, reminders and escalation', () => {
	const utc = (s: string) => DateTime.fromISO(s, { zone: 'utc' });
	const calendar = new BusinessCalendar({ timezone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], dayStart: '00:00', dayEnd: '24:00', holidays: [] });
	const t0 = utc('2026-11-23T09:00:00Z');
	const plan = (mode: 'any' | 'all' | 'chain', n: number, escalate: boolean): Timeline => planTimeline(mode, n, escalate, t0, calendar, { minutesPerStep: 60, reminderMinutesBefore: 15 });
	const vote = (approver: string, decision: 'approved' | 'rejected', at = '2026-11-23T09:10:00.000Z', edits: Record<string, string> = {}): Vote => ({ approver, decision, at, comment: null, edits });
	const progressed = (r: ReturnType<typeof castVote>): Progress => {
		if (!('progress' in r)) throw new Error(`refused: ${r.reason}`);
		return r.progress;
	};

	it('asks everyone at once when anyone may decide; the first decision wins and a second gets 409 naming it', () => {
		const start = startProgress('any', ['manager@a.com', 'vp@a.com'], [], t0);
		expect(start.send).toEqual([{ kind: 'request', to: ['manager@a.com', 'vp@a.com'], at: '2026-11-23T09:00:00.000Z' }]);
		const done = progressed(castVote(start.progress, vote('VP@a.com', 'rejected')));
		expect(done.outcome).toEqual({ decision: 'rejected', decidedBy: 'VP@a.com', at: '2026-11-23T09:10:00.000Z', reason: 'first decision' });
		expect(castVote(done, vote('manager@a.com', 'approved'))).toEqual({ status: 409, reason: 'This request is already decided: VP@a.com rejected it at 2026-11-23T09:10:00.000Z.' });
	});

	it('needs every approval when all must approve: a repeated vote gets 409, one rejection rejects', () => {
		let p = startProgress('all', ['a@x.com', 'b@x.com', 'c@x.com'], [], t0).progress;
		p = progressed(castVote(p, vote('a@x.com', 'approved')));
		expect(p.outcome).toBeNull();
		expect(awaiting(p)).toEqual(['b@x.com', 'c@x.com']);
		expect(checkVoter(p, 'a@x.com')).toEqual({ status: 409, reason: 'You already approved this request at 2026-11-23T09:10:00.000Z.' });
		p = progressed(castVote(p, vote('b@x.com', 'approved')));
		const approved = progressed(castVote(p, vote('c@x.com', 'approved')));
		expect(approved.outcome).toMatchObject({ decision: 'approved', decidedBy: 'a@x.com, b@x.com, c@x.com', reason: 'every approver approved' });
		const rejected = progressed(castVote(p, vote('c@x.com', 'rejected')));
		expect(rejected.outcome).toMatchObject({ decision: 'rejected', decidedBy: 'c@x.com', reason: 'one rejection rejects' });
	});

	it('asks a chain in order: the VP cannot decide before the manager, and is asked once the manager approves', () => {
		const p = startProgress('chain', ['manager@a.com', 'vp@a.com'], [], t0);
		expect(p.send).toEqual([{ kind: 'request', to: ['manager@a.com'], at: '2026-11-23T09:00:00.000Z' }]);
		expect(castVote(p.progress, vote('vp@a.com', 'approved'))).toEqual({ status: 403, reason: 'It is not your turn yet: manager@a.com decides first.' });
		const afterManager = castVote(p.progress, vote('manager@a.com', 'approved'));
		expect('send' in afterManager && afterManager.send).toEqual([{ kind: 'request', to: ['vp@a.com'], at: '2026-11-23T09:10:00.000Z' }]);
		const done = progressed(castVote(progressed(afterManager), vote('vp@a.com', 'approved', '2026-11-23T10:20:00.000Z')));
		expect(done.outcome).toMatchObject({ decision: 'approved', decidedBy: 'manager@a.com, vp@a.com' });
		expect(done.votes.map((v) => v.approver)).toEqual(['manager@a.com', 'vp@a.com']);
	});

	it('reminds the undecided once before the window closes, escalates when it closes, then applies the timeout action', () => {
		const timeline = plan('any', 2, true);
		let p = startProgress('any', ['manager@a.com', 'vp@a.com'], ['director@a.com'], t0).progress;
		const clock = (at: string) => {
			const r = advanceClock(p, timeline, utc(at), 'approve', 'T2');
			p = r.progress;
			return r.send.map((n) => `${n.kind}:${n.to.join('+')}`);
		};
		expect(clock('2026-11-23T09:30:00Z')).toEqual([]);
		expect(clock('2026-11-23T09:45:00Z')).toEqual(['reminder:manager@a.com+vp@a.com']);
		expect(clock('2026-11-23T09:50:00Z')).toEqual([]);
		expect(clock('2026-11-23T10:00:00Z')).toEqual(['escalation:director@a.com']);
		expect(checkVoter(p, 'director@a.com')).toBeNull();
		expect(clock('2026-11-23T10:45:00Z')).toEqual(['reminder:manager@a.com+vp@a.com+director@a.com']);
		expect(clock('2026-11-23T11:00:00Z')).toEqual([]);
		expect(p.outcome).toMatchObject({ decision: 'approved', decidedBy: 'timeout', reason: 'nobody decided by 2026-11-23T11:00:00.000Z' });
		expect(p.notices.map((n) => n.kind)).toEqual(['request', 'reminder', 'escalation', 'reminder']);
	});

	it('lets an escalation approver decide the whole request, and refuses them before the escalation', () => {
		const timeline = plan('chain', 2, true);
		const start = startProgress('chain', ['manager@a.com', 'vp@a.com'], ['director@a.com'], t0).progress;
		expect(checkVoter(start, 'director@a.com')).toEqual({ status: 403, reason: 'You are asked only if the request is escalated, and it has not been.' });
		const escalated = advanceClock(start, timeline, utc('2026-11-23T10:00:00Z'), 'timedOut', 'T1').progress;
		expect(escalated.escalated).toBe(true);
		const done = progressed(castVote(escalated, vote('director@a.com', 'approved', '2026-11-23T10:05:00.000Z')));
		expect(done.outcome).toMatchObject({ decision: 'approved', decidedBy: 'director@a.com', reason: 'decided by an escalation approver' });
	});

	it('times a T1 item out without escalation when its step closes, even when set to approve on timeout', () => {
		const timeline = plan('any', 1, false);
		const p = startProgress('any', ['manager@a.com'], [], t0).progress;
		const r = advanceClock(p, timeline, utc('2026-11-23T10:00:00Z'), 'approve', 'T1');
		expect(r.progress.outcome).toMatchObject({ decision: 'timedOut', decidedBy: 'timeout' });
	});

	it('skips what a late clock has missed: after the final deadline it goes straight to the timeout action', () => {
		const timeline = plan('any', 1, true);
		const p = startProgress('any', ['manager@a.com'], ['director@a.com'], t0).progress;
		const r = advanceClock(p, timeline, utc('2026-11-24T09:00:00Z'), 'reject', 'T3');
		expect(r.send).toEqual([]);
		expect(r.progress.outcome).toMatchObject({ decision: 'rejected', decidedBy: 'timeout' });
		// A decided item does not move any more.
		expect(advanceClock(r.progress, timeline, utc('2026-11-25T09:00:00Z'), 'approve', 'T3')).toEqual({ progress: r.progress, send: [] });
	});

	it('decisions arriving together: applied in arrival order, each one that does not count kept with its reason', () => {
		const any = startProgress('any', ['manager@a.com', 'vp@a.com'], [], t0).progress;
		const raced = applyDecisions(any, [vote('manager@a.com', 'approved'), vote('vp@a.com', 'rejected', '2026-11-23T09:10:00.020Z')]);
		expect(raced.progress.outcome).toMatchObject({ decision: 'approved', decidedBy: 'manager@a.com' });
		expect(raced.answers[0]).toBeNull();
		expect(raced.answers[1]).toEqual({ status: 409, reason: expect.stringContaining('already decided: manager@a.com approved it') });
		expect(raced.progress.notCounted).toEqual([{ ...vote('vp@a.com', 'rejected', '2026-11-23T09:10:00.020Z'), reason: raced.answers[1]!.reason }]);
		expect(raced.progress.votes).toHaveLength(1);

		// All of them: both approvals count, whichever came first; a double click is kept, not counted.
		const all = startProgress('all', ['manager@a.com', 'vp@a.com'], [], t0).progress;
		const both = applyDecisions(all, [vote('vp@a.com', 'approved'), vote('vp@a.com', 'approved'), vote('manager@a.com', 'approved')]);
		expect(both.answers.map((a) => a?.status ?? 'counted')).toEqual(['counted', 409, 'counted']);
		expect(both.progress.outcome).toMatchObject({ decision: 'approved', decidedBy: 'manager@a.com, vp@a.com' });
		expect(both.progress.notCounted).toHaveLength(1);

		// A chain tells the second approver it is not their turn, and says so on the item.
		const chain = applyDecisions(startProgress('chain', ['manager@a.com', 'vp@a.com'], [], t0).progress, [vote('vp@a.com', 'approved')]);
		expect(chain.answers[0]?.status).toBe(403);
		expect(chain.progress.votes).toHaveLength(0);
		expect(chain.progress.notCounted?.[0].reason).toMatch(/not your turn/);
	});

	it('keeps at most MAX_NOT_COUNTED refused attempts per item and counts the rest', () => {
		const done = progressed(castVote(startProgress('any', ['a@x.com'], [], t0).progress, vote('a@x.com', 'approved')));
		const spam = applyDecisions(done, Array.from({ length: MAX_NOT_COUNTED + 7 }, () => vote('a@x.com', 'rejected')));
		expect(spam.progress.notCounted).toHaveLength(MAX_NOT_COUNTED);
		expect(spam.progress.notCountedOverflow).toBe(7);
		expect(spam.answers.every((a) => a?.status === 409)).toBe(true);
	});
});

describe('signed timer ticks', () => {
	const secret = 'unit-test-secret-0123456789';
	it('accept only a tick signed for this execution, node and time, never an approver link', () => {
		const sig = signLink({ executionId: '7', nodeId: 'n1', approver: '', expiresAt: 1000, purpose: 'tick' }, secret);
		expect(verifyTick('7', 'n1', 1000, sig, secret)).toBe(true);
		expect(verifyTick('8', 'n1', 1000, sig, secret)).toBe(false);
		expect(verifyTick('7', 'n1', 2000, sig, secret)).toBe(false);
		const approverSig = signLink({ executionId: '7', nodeId: 'n1', approver: '', expiresAt: 1000 }, secret);
		expect(verifyTick('7', 'n1', 1000, approverSig, secret)).toBe(false);
	});
});

describe("the loop clock's signed items", () => {
	const secret = 'unit-test-secret-0123456789';
	it('pass only for the execution, gate and item they were laid out for, and nothing else signed passes for one', () => {
		const sig = signClockItem('7', 'n1', 3, secret);
		expect(verifyClockItem('7', 'n1', 3, sig, secret)).toBe(true);
		expect(verifyClockItem('8', 'n1', 3, sig, secret)).toBe(false);
		expect(verifyClockItem('7', 'n2', 3, sig, secret)).toBe(false);
		expect(verifyClockItem('7', 'n1', 4, sig, secret)).toBe(false);
		expect(verifyClockItem('7', 'n1', 3, sig, 'another-secret-0123456789')).toBe(false);
		expect(verifyClockItem('7', 'n1', Number.NaN, sig, secret)).toBe(false);
		expect(verifyClockItem('7', 'n1', 3, undefined, secret)).toBe(false);
		expect(verifyClockItem('7', 'n1', 3, '', secret)).toBe(false);
		// A tick or an approver link for the same execution and node is no clock item.
		expect(verifyClockItem('7', 'n1', 0, signLink({ executionId: '7', nodeId: 'n1', approver: '', expiresAt: 0, purpose: 'tick' }, secret), secret)).toBe(false);
		expect(verifyClockItem('7', 'n1', 0, signLink({ executionId: '7', nodeId: 'n1', approver: '#0', expiresAt: 0 }, secret), secret)).toBe(false);
		expect(verifyLink({ executionId: '7', nodeId: 'n1', approver: '#3', expiresAt: 0 }, sig, secret, ['#3'], -1).ok).toBe(false);
	});
});

describe("the loop clock's items coming back", () => {
	it('names the items that did not come back, and none when all did, in any order', () => {
		expect(missingLapItems([0, 1, 2])).toEqual([]);
		expect(missingLapItems([2, 0, 1])).toEqual([]);
		expect(missingLapItems([0, 2])).toEqual([1]);
		expect(missingLapItems([3])).toEqual([0, 1, 2]);
		expect(missingLapItems([0, 0])).toEqual([1]);
	});
});

describe("the gate's outputs", () => {
	it('put Clock first with the loop clock and every decision after it', () => {
		const cases: Array<[GateSettings['layout'], GateSettings['clock'], number, [number, number, number]]> = [
			['separate', 'execution', 3, [0, 1, 2]],
			['separate', 'loop', 4, [1, 2, 3]],
			['single', 'execution', 1, [0, 0, 0]],
			['single', 'loop', 2, [1, 1, 1]],
		];
		for (const [layout, clock, count, [approved, rejected, timedOut]] of cases) {
			expect(outputCount({ layout, clock })).toBe(count);
			expect([outputIndex('approved', { layout, clock }), outputIndex('rejected', { layout, clock }), outputIndex('timedOut', { layout, clock })]).toEqual([approved, rejected, timedOut]);
		}
	});
});

describe('approval page and decisions', () => {
	const { approvalPage, applyEdits, parseDecisionForm, requestText, resendPage, escapeHtml } = jest.requireActual('../../nodes/shared/domain/approval/approval-request') as typeof import('../../nodes/shared/domain/approval/approval-request');
	const { ApprovalRules } = jest.requireActual('../../nodes/shared/domain/approval/rules') as typeof import('../../nodes/shared/domain/approval/rules');

	it('shows the chosen fields escaped, editable fields as inputs, and decides only through the POST form', () => {
		const html = approvalPage('Reply to <Acme>', 'vp@acme.com', [{ index: 0, fields: [{ label: 'lead.company', value: '<script>x</script>' }], editable: [{ path: 'draft', value: 'Hi "Jane"' }] }], '2026-12-01T00:00:00.000Z');
		expect(html).toContain('Reply to &lt;Acme&gt;');
		expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
		expect(html).not.toContain('<script>');
		expect(html).toContain('<form method="POST">');
		expect(html).toContain('name="edit.0.draft"');
		expect(html).toContain('Hi &quot;Jane&quot;');
		expect(escapeHtml(`'&`)).toBe('&#39;&amp;');
	});

	it('reads the decision, the comment and only the allowed edits', () => {
		const parsed = parseDecisionForm({ decision: 'approve', comment: 'ok', 'edit.0.draft': 'New text', 'edit.0.price': '0', 'edit.2.draft': 'Other' }, ['draft']);
		expect(parsed).toEqual({ decision: 'approved', comment: 'ok', edits: new Map([[0, { draft: 'New text' }], [2, { draft: 'Other' }]]), notes: [] });
		expect(parseDecisionForm({ decision: 'maybe' }, [])).toEqual({ error: expect.stringContaining('no decision') });
		expect(parseDecisionForm(undefined, [])).toHaveProperty('error');
	});

	it('applies edits to copies and records before and after; unchanged fields are not edits', () => {
		const json = { draft: 'Old', lead: { company: 'Acme' } };
		const { json: out, changes } = applyEdits(json, { draft: 'New', 'lead.company': 'Acme' }, ['draft', 'lead.company']);
		expect(out).toEqual({ draft: 'New', lead: { company: 'Acme' } });
		expect(json.draft).toBe('Old');
		expect(changes).toEqual([{ field: 'draft', before: 'Old', after: 'New' }]);
	});

	it('writes a request with each approver\'s own link', () => {
		const text = requestText('Approve', [{ index: 0, fields: [{ label: 'tier', value: 'T1' }], editable: [] }], [{ approver: 'a@x.com', url: 'http://l/1' }, { approver: 'b@x.com', url: 'http://l/2' }], 'soon');
		expect(text).toContain('tier: T1');
		expect(text).toContain('a@x.com: http://l/1');
		expect(text).toContain('b@x.com: http://l/2');
	});

	it('writes lead data in each channel\'s own syntax: no mention, no masked link, no fake link line', () => {
		const hostile = 'Acme <!channel> <https://evil.example/ok|Approve here>\nmanager@acme.test: https://evil.example/approve @here';
		const items = [{ index: 0, fields: [{ label: 'company', value: hostile }], editable: [] }];
		const links = [{ approver: 'manager@acme.test', url: 'https://n8n.acme.test/webhook-waiting/1/approval?sig=abc' }];
		const slack = requestText('Approve <!here>', items, links, 'soon', 'slack');
		expect(slack).not.toMatch(/<!(channel|here)>|<https:\/\/evil|@here\b/);
		expect(slack).toContain('&lt;!channel&gt;');
		expect(slack).toContain('hxxps://evil[.]example/approve');
		// The only link in the message is the gate's, and it is the only line that starts with the approver.
		expect(slack.match(/<https?:[^>]+>/g)).toBeNull();
		expect(slack.match(/https?:\/\/\S+/g)).toEqual(['https://n8n.acme.test/webhook-waiting/1/approval?sig=abc']);
		expect(slack.split('\n').filter((l) => l.startsWith('manager@acme.test:'))).toHaveLength(1);
		const teams = requestText('Approve', [{ index: 0, fields: [{ label: 'company', value: '[Approve](https://evil.example) **now**' }], editable: [] }], links, 'soon', 'teams');
		// Markdown is escaped (the defanged dots' brackets too, so they render as written).
		expect(teams).toContain('\\[Approve\\]\\(hxxps://evil\\[.\\]example\\) \\*\\*now\\*\\*');
		const email = requestText('Approve', items, links, 'soon', 'email');
		expect(email).not.toContain('https://evil.example');
		expect(email.split('\n').filter((l) => /https?:\/\//.test(l))).toEqual(['manager@acme.test: https://n8n.acme.test/webhook-waiting/1/approval?sig=abc']);
		// A megabyte of lead text is shown cut, with a note.
		expect(requestText('A', [{ index: 0, fields: [{ label: 'x', value: 'y'.repeat(1_000_000) }], editable: [] }], links, 'soon', 'slack').length).toBeLessThan(2_000);
	});

	it('answers a decision that raced another with a page that sends the same form again, fields escaped', () => {
		const html = resendPage('Another decision is being recorded.', { decision: 'approve', comment: '"><script>alert(1)</script>', 'edit.0.body.draft': 'Hi & bye' }, 1500);
		expect(html).toContain('<h1>Not recorded yet</h1>');
		expect(html).toContain('<input type="hidden" name="comment" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
		expect(html).toContain('<input type="hidden" name="edit.0.body.draft" value="Hi &amp; bye">');
		expect(html).not.toContain('<script>alert(1)');
		// Without scripts the button sends the same form; with them it is sent after the delay.
		expect(html).toContain('<form method="POST" id="again">');
		expect(html).toContain('setTimeout(go,1500)');
	});

	it('bounds edits and comments and says so', () => {
		const parsed = parseDecisionForm({ decision: 'approve', comment: 'c'.repeat(5000), 'edit.0.draft': 'd'.repeat(1_000_000) }, ['draft']);
		expect('error' in parsed).toBe(false);
		if ('error' in parsed) return;
		expect(parsed.edits.get(0)!.draft).toHaveLength(10_000);
		expect(parsed.comment).toHaveLength(2_000);
		expect(parsed.notes).toEqual(['Your edit of draft was cut to 10000 characters.', 'Your comment was cut to 2000 characters.']);
	});

	it('evaluates approval rules; a rule that cannot be evaluated asks a person', async () => {
		const rules = new ApprovalRules([{ name: 'big-discount', condition: 'discount > 20' }, { name: 'broken', condition: '$undefinedFunction(x)' }, { name: '', condition: '' }]);
		expect(await rules.matching({ discount: 25 })).toEqual(['big-discount', 'broken']);
		expect(() => new ApprovalRules([{ name: 'bad', condition: 'discount >' }])).toThrow(ConfigError);
	});
});

describe('approval policy: unreadable confidence', () => {
	it('sends an item whose confidence is not a number from 0 to 1 to a person, as the cautious tier', () => {
		for (const confidence of [Number.NaN, 1.5, -0.1]) {
			expect(decideApprovalNeed(input({ tier: 'T3', confidence, confidenceText: String(confidence) }), settings)).toMatchObject({ needsHuman: true, tier: 'T1', ruleId: 'bad-confidence' });
		}
		expect(decideApprovalNeed(input({ confidence: Number('high'), confidenceText: 'high' }), settings).reason).toBe('confidence "high" is not a number from 0 to 1');
	});
});

describe("the gate's clock workflow", () => {
	it('waits until each due moment, then ticks; only a successful tick leads on to the next wait', () => {
		const wf = timerWorkflow('clock', [
			{ at: '2026-11-23T10:00:00.000Z', url: 'http://n8n/webhook-waiting/7/approval?tick=1&sig=a' },
			{ at: '2026-11-23T11:00:00.000Z', url: 'http://n8n/webhook-waiting/7/approval?tick=2&sig=b' },
		]);
		const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
		const next = (name: string) => wf.connections[name]?.main.map((out) => (out ?? []).map((c) => c.node));
		expect(next('Start')).toEqual([['Wait Until 2026-11-23T10:00:00.000Z']]);
		expect(next('Wait Until 2026-11-23T10:00:00.000Z')).toEqual([['Tick 1']]);
		expect(next('Tick 1')).toEqual([['Wait Until 2026-11-23T11:00:00.000Z']]);
		expect(next('Tick 2')).toBeUndefined();
		expect(byName['Wait Until 2026-11-23T11:00:00.000Z'].parameters).toEqual({ resume: 'specificTime', dateTime: '2026-11-23T11:00:00.000Z' });
		expect(byName['Tick 1']).toMatchObject({ parameters: { method: 'POST', url: 'http://n8n/webhook-waiting/7/approval?tick=1&sig=a' }, onError: 'continueErrorOutput' });
		expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(wf.nodes.length);
	});
});
