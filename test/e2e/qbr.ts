import { simpleParser } from 'mailparser';
import { postCrm, runNow, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-6 QBR template (workflows/retention-qbr-briefs.json) in real n8n, on the instance of the
 * suite that calls it: customers in the company's CRM, the run as the schedule would start it, the
 * brief each owner of a customer renewing within 90 days received (health, risks, signals, the
 * suggested next step by rule), the expansion signal sent to the owner of the growing one, and no
 * brief for a renewal further away.
 */
const DAY = 86_400_000;

export function qbrSuite(version: string, instance: () => Instance): void {
	describe(`QBR briefs template on n8n ${version}`, () => {
		it('briefs the owners of customers renewing within 90 days, with health and a next step, and tells the owner of the growing one', async () => {
			const n8n = instance();
			const tag = `qbr${Date.now().toString(36)}`;
			const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
			const accounts = {
				growing: { name: `Growing ${tag}`, seatUtilizationPct: 96, nps: 60, weeklyActiveUsersPct: 85, openEscalations: 0, paymentStatus: 'current', renewalDate: inDays(30), owner: `ana.${tag}@example.test` },
				shaky: { name: `Shaky ${tag}`, seatUtilizationPct: 30, nps: -20, weeklyActiveUsersPct: 20, openEscalations: 3, paymentStatus: 'late', renewalDate: inDays(45), owner: `ben.${tag}@example.test` },
				later: { name: `Later ${tag}`, seatUtilizationPct: 70, nps: 30, weeklyActiveUsersPct: 60, openEscalations: 0, paymentStatus: 'current', renewalDate: inDays(200), owner: `cem.${tag}@example.test` },
			};
			for (const [who, fields] of Object.entries(accounts)) {
				await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'account', fields: { domain: `${who}.${tag}.example`, lifecycle: 'customer', tier: 'T2', ...fields }, writtenBy: 'rule', writer: 'seed' });
			}
			// No model answer scripted: the template's brief (the model's example answer has nothing to keep).
			const run = await runNow(n8n, 'RvOpsQbrBriefs01', 'revops-qbr-briefs', {});
			expect(run.status).toBe('success');
			const mailTo = async (to: string, subject: RegExp) =>
				await waitFor(`the e-mail to ${to}`, async () => {
					for (const m of n8n.mail.messages.filter((x) => x.to.includes(to))) {
						const p = await simpleParser(m.raw);
						if (subject.test(p.subject ?? '')) return p;
					}
					return undefined;
				});
			const growing = await mailTo(accounts.growing.owner, /^QBR brief: Growing/);
			expect(growing.text).toContain('Health: green');
			expect(growing.text).toContain('Suggested next step: Propose an expansion conversation: Using 90% or more of purchased seats');
			const shaky = await mailTo(accounts.shaky.owner, /^QBR brief: Shaky/);
			expect(shaky.text).toContain('Health: red');
			expect(shaky.text).toContain('Suggested next step: Address the risks before the renewal: Renewal within 90 days with low usage, Three or more open escalations');
			const signal = await mailTo(accounts.growing.owner, /^Expansion signal: Growing/);
			expect(signal.text).toContain('Expansion signals: Using 90% or more of purchased seats; Promoter NPS');
			expect(n8n.mail.messages.some((m) => m.to.includes(accounts.later.owner))).toBe(false);
			expect(n8n.mail.messages.filter((m) => m.to.includes(accounts.shaky.owner))).toHaveLength(1); // the brief only: no signals
		});
	});
}
