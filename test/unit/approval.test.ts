import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../nodes/shared/domain/business-calendar';
import { ConfigError } from '../../nodes/shared/domain/config-error';
import { actionOnTimeout, planEscalation } from '../../nodes/shared/domain/approval/escalation';
import { decideApprovalNeed, normalizeTier, type PolicyInput } from '../../nodes/shared/domain/approval/policy';
import { signLink, verifyLink, type LinkClaims } from '../../nodes/shared/domain/approval/signed-link';

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

describe('escalation in business hours', () => {
	const calendar = new BusinessCalendar({ timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: [] });

	it('asks each approver in turn, reminds before each window ends, and skips the weekend', () => {
		// Friday 16:00 Berlin: one business hour left that day.
		const plan = planEscalation(['manager@acme.com', 'vp@acme.com'], DateTime.fromISO('2026-11-20T16:00', { zone: 'Europe/Berlin' }), calendar, { minutesPerApprover: 240, reminderMinutesBefore: 60 });
		expect(plan.steps).toEqual([
			{ approver: 'manager@acme.com', askAt: '2026-11-20T15:00:00.000Z', remindAt: '2026-11-23T10:00:00.000Z', until: '2026-11-23T11:00:00.000Z' },
			{ approver: 'vp@acme.com', askAt: '2026-11-23T11:00:00.000Z', remindAt: '2026-11-23T14:00:00.000Z', until: '2026-11-23T15:00:00.000Z' },
		]);
		expect(plan.timeoutAt).toBe('2026-11-23T15:00:00.000Z');
	});

	it('never approves a T1 item by timeout', () => {
		expect(actionOnTimeout('approve', 'T1')).toBe('timedOut');
		expect(actionOnTimeout('approve', 'T3')).toBe('approve');
		expect(actionOnTimeout('reject', 'T1')).toBe('reject');
	});
});

describe('approval page and decisions', () => {
	const { approvalPage, applyEdits, parseDecisionForm, requestText, escapeHtml } = jest.requireActual('../../nodes/shared/domain/approval/approval-request') as typeof import('../../nodes/shared/domain/approval/approval-request');
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
		expect(parsed).toEqual({ decision: 'approved', comment: 'ok', edits: new Map([[0, { draft: 'New text' }], [2, { draft: 'Other' }]]) });
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
