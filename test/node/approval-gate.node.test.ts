import { node, runNode } from './workflow-runner';

const credentials = { revOpsApprovalApi: { secret: 'node-test-secret-0123456789' } };
const gate = (parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
	node('Approval Gate', 'approvalGate', { approvers: 'manager@acme.test', channel: 'none', ...parameters } as never, { credentials: { revOpsApprovalApi: { id: '1', name: 't' } }, ...extra });

describe("Approval Gate in n8n's execution engine", () => {
	it('lets the policy decide alone when no item needs a person, and records which rule did', async () => {
		const result = await runNode(
			gate(),
			[
				{ json: { id: 1, icp: { tier: 'T3' }, intent: { confidence: 0.95 } } },
				{ json: { id: 2, icp: { tier: 'T2' }, intent: { confidence: 0.92 } } },
			],
			credentials,
		);
		const [approved, rejected, timedOut] = result.outputs('Approval Gate') as any[][];
		expect(approved.map((i) => i.json.id)).toEqual([1, 2]);
		expect(rejected).toHaveLength(0);
		expect(timedOut).toHaveLength(0);
		expect(approved[0].json.approval).toMatchObject({ decision: 'approved', decidedBy: 'policy', ruleId: 't3-confident', humanRequired: false, tier: 'T3' });
		expect(approved[1].json.approval.ruleId).toBe('t2-confident');
		expect(approved[0].json._meta).toMatchObject({ node: 'approvalGate', decidedBy: 'rule', ruleId: 't3-confident' });
		expect(approved.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('puts the run to wait when an item needs a person, with each item and its links on the waiting run', async () => {
		const result = await runNode(
			gate({ approvers: 'manager@acme.test, vp@acme.test' }),
			[
				{ json: { id: 1, icp: { tier: 'T1' } } },
				{ json: { id: 2, icp: { tier: 'T3' }, intent: { confidence: 0.99 } } },
			],
			credentials,
		);
		expect(result.run.status).toBe('waiting');
		expect(result.run.waitTill).toBeInstanceOf(Date);
		const [waiting] = result.outputs('Approval Gate') as any[][];
		expect(waiting[0].json.approval).toMatchObject({ decision: 'pending', humanRequired: true, ruleId: 'tier:T1', approvers: ['manager@acme.test', 'vp@acme.test'] });
		expect(waiting[0].json.approval.links.map((l: any) => l.approver)).toEqual(['manager@acme.test', 'vp@acme.test']);
		expect(waiting[0].json.approval.links[0].url).toMatch(/\/approval\?.*approver=manager%40acme\.test.*&exp=\d+&sig=/);
		expect(waiting[1].json.approval).toMatchObject({ decision: 'approved', decidedBy: 'policy' });
	});

	it('asks only the first approver of a chain, plans each step in business time, and lays out the timeout for n8n\'s own timer', async () => {
		const result = await runNode(
			gate({ approvers: 'manager@acme.test, vp@acme.test', approvalMode: 'chain', escalateTo: 'director@acme.test', timeoutMinutes: 60, reminderMinutes: 15, timeoutAction: 'approve' }),
			[{ json: { id: 1, icp: { tier: 'T1' } } }],
			credentials,
		);
		expect(result.run.status).toBe('waiting');
		const [[waiting]] = result.outputs('Approval Gate') as any[][];
		const approval = waiting.json.approval;
		expect(approval).toMatchObject({ decision: 'pending', decidedBy: null, mode: 'chain', approvers: ['manager@acme.test', 'vp@acme.test'] });
		expect(approval.links.map((l: any) => l.approver)).toEqual(['manager@acme.test']);
		expect(approval.progress.notices).toEqual([expect.objectContaining({ kind: 'request', to: ['manager@acme.test'] })]);
		expect(approval.timeline.steps).toHaveLength(2);
		expect(approval.timeline.escalation).not.toBeNull();
		// Should the clock fail, n8n's own timer resumes the node with this input: a T1 item times out,
		// approve-on-timeout notwithstanding, and the live state rides along for decisions and ticks.
		const laidOut = (result.run.data.executionData as any).nodeExecutionStack[0].data.main;
		expect(laidOut[0]).toHaveLength(0);
		expect(laidOut[2].map((i: any) => [i.json.approval.decision, i.json.approval.decidedBy])).toEqual([['timedOut', 'timeout']]);
		expect(laidOut[2][0].json.approval.live).toMatchObject({ mode: 'chain', step: 0, outcome: null });
		expect(result.run.waitTill!.getTime()).toBe(Date.parse(approval.timeline.finalAt) + 2 * 60_000);
	});

	it('with "On Error" continuing, sends items whose request could not go out to the Error output; decided items still leave', async () => {
		const result = await runNode(
			gate({ channel: 'slack', webhookUrl: 'http://127.0.0.1:9/unreachable' }, { onError: 'continueErrorOutput' }),
			[
				{ json: { id: 1, icp: { tier: 'T1' } } },
				{ json: { id: 2, icp: { tier: 'T3' }, intent: { confidence: 0.99 } } },
			],
			credentials,
		);
		expect(result.run.status).not.toBe('waiting');
		const [approved, rejected, timedOut, failed] = result.outputs('Approval Gate') as any[][];
		expect(approved.map((i) => i.json.id)).toEqual([2]);
		expect(rejected).toHaveLength(0);
		expect(timedOut).toHaveLength(0);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toBe('The service refused the connection - perhaps it is offline');
		expect(failed[0].error?.description).toContain('The approval request could not be sent via slack. Check the webhook URL');
		expect(failed[0].pairedItem).toEqual({ item: 0 });
	});

	it('stops with a clear error when a person is needed but no approver is set', async () => {
		const result = await runNode(gate({ approvers: ' , ' }), [{ json: { icp: { tier: 'T1' } } }], credentials);
		const error = result.run.data.resultData.error as any;
		expect(error.message).toBe('No approvers are set, but an item needs a person');
		expect(error.description).toContain('comma-separated');
		expect(result.run.status).not.toBe('waiting');
	});

	describe('approvers from the company config', () => {
		const companyConfig = {
			approvers: [
				{ name: 'Sales Lead', email: 'lead@acme.test', tiers: ['T1', 'T2'] },
				{ name: 'Desk', email: 'desk@acme.test', tiers: ['T3'] },
				{ name: 'Head of Sales', email: 'head@acme.test', tiers: ['T1', 'T2', 'T3'] },
			],
			channels: { notifyEmail: 'revops@acme.test' },
		};
		const fromConfig = gate({ approvers: '', approversFromConfig: true });

		it("asks the config's approvers who may approve the item's tier, and escalates to its notify e-mail", async () => {
			const result = await runNode(fromConfig, [{ json: { id: 1, crm: { tier: 'T3' }, companyConfig } }, { json: { id: 2, crm: { tier: 'T3' }, intent: { confidence: 0.2 }, companyConfig } }], credentials);
			expect(result.run.status).toBe('waiting');
			const [waiting] = result.outputs('Approval Gate') as any[][];
			expect(waiting[0].json.approval).toMatchObject({ decision: 'pending', tier: 'T3', approvers: ['desk@acme.test', 'head@acme.test'] });
			expect(waiting[0].json.approval.timeline.escalation).not.toBeNull();
			expect(waiting[0].json.approval.links.map((l: any) => l.approver)).toEqual(['desk@acme.test', 'head@acme.test']);
		});

		it('with items of two tiers waiting, asks only those who may approve both', async () => {
			const result = await runNode(fromConfig, [{ json: { id: 1, crm: { tier: 'T1' }, companyConfig } }, { json: { id: 2, crm: { tier: 'T3' }, companyConfig } }], credentials);
			const [waiting] = result.outputs('Approval Gate') as any[][];
			expect(waiting.map((i) => i.json.approval.approvers)).toEqual([['head@acme.test'], ['head@acme.test']]);
		});

		it('names the fix when no approver in the config may approve the tier', async () => {
			const result = await runNode(fromConfig, [{ json: { id: 1, crm: { tier: 'T1' }, companyConfig: { ...companyConfig, approvers: companyConfig.approvers.slice(1, 2) } } }], credentials);
			const error = result.run.data.resultData.error as any;
			expect(error.message).toBe('No approver in the company config may approve T1 items');
			expect(error.description).toContain("whose tiers include T1 to the config's approvers");
			expect(result.run.status).not.toBe('waiting');
		});

		it('needs no approvers when the policy decides alone', async () => {
			const result = await runNode(fromConfig, [{ json: { id: 1, crm: { tier: 'T3' }, intent: { confidence: 0.95 } } }], credentials);
			const [approved] = result.outputs('Approval Gate') as any[][];
			expect(approved[0].json.approval).toMatchObject({ decision: 'approved', decidedBy: 'policy', approvers: [] });
		});
	});

	it("reads the tier on record (crm.tier, after a RevOps CRM node) before the ICP Scorer's, when Tier is empty", async () => {
		const result = await runNode(gate({ tier: '' }), [{ json: { id: 1, crm: { tier: 'T1' }, icp: { tier: 'T3' }, intent: { confidence: 0.99 } } }, { json: { id: 2, crm: { tier: null }, icp: { tier: 'T3' }, intent: { confidence: 0.99 } } }], credentials);
		const [waiting] = result.outputs('Approval Gate') as any[][];
		expect(waiting.map((i) => [i.json.approval.tier, i.json.approval.decision])).toEqual([
			['T1', 'pending'],
			['T3', 'approved'],
		]);
	});
});
