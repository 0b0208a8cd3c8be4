import { simpleParser } from 'mailparser';
import { accountSites } from '../support/account-sites';
import { crmRecords, postCrm, runNow, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-2 account-planning template (workflows/account-planning-research.json) in real n8n, on the
 * instance of the suite that calls it: accounts in the company's CRM, their own web sites served over
 * HTTP (test/support/account-sites.ts; the operator's config points research at them), the run as the
 * schedule would start it. What must hold: values found on the pages land in the CRM with their
 * quotes, a value the CRM had is kept, hostile pages set nothing and are named, the ICP is re-scored,
 * the owner's task is logged once however often the run repeats, and the owner gets the e-mail.
 */
const WORKFLOW = 'RvOpsAcctPlan001';

export function accountPlanningSuite(version: string, instance: () => Instance): void {
	describe(`account-planning template on n8n ${version}`, () => {
		it('researches accounts from their own pages, re-scores them, logs the owner\'s task once and tells the owner', async () => {
			const n8n = instance();
			const owner = `maya.${Date.now().toString(36)}@example.test`;
			const seed: Record<string, Record<string, unknown>> = {
				'ledgerline.example': { name: 'Ledgerline', country: 'NL', owner, tier: 'T2', lifecycle: 'prospect' },
				'brightforge.example': { name: 'Brightforge', country: 'DE', industry: 'industrial machinery', lifecycle: 'prospect' },
				'hostile.example': { name: 'Hostile Corp', country: 'NL', lifecycle: 'prospect' },
				'quietcloud.example': { name: 'QuietCloud', country: 'US', lifecycle: 'prospect' },
			};
			for (const [domain, fields] of Object.entries(seed)) await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'account', fields: { domain, ...fields }, writtenBy: 'rule', writer: 'seed' });
			// Brightforge has an open deal: its news goes to the deal owner instead of a new outreach.
			const dealOwner = `omar.${owner}`;
			await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'opportunity', fields: { externalId: `OPP-brightforge-${owner}`, name: 'Brightforge machines', accountDomain: 'brightforge.example', outcome: 'open', owner: dealOwner }, writtenBy: 'rule', writer: 'seed' });
			const hitsBefore = n8n.sites.hits.get('ledgerline.example/about') ?? 0;

			const run = await runNow(n8n, WORKFLOW, 'revops-account-planning', {});
			expect(run.status).toBe('success');
			expect(n8n.sites.hits.get('ledgerline.example/about')).toBe(hitsBefore + 1);

			const accounts = await crmRecords(n8n, 'account');
			const sites = accountSites();
			const ledgerline = accounts['ledgerline.example'];
			expect(ledgerline).toMatchObject({ industry: 'fintech', employeeCount: 240, researchedAt: expect.any(String), lastFundingAt: expect.stringMatching(/T00:00:00/) });
			expect(ledgerline.techStack).toEqual(expect.arrayContaining(sites['ledgerline.example'].expect.tech));
			expect(ledgerline.researchEvidence).toEqual(expect.arrayContaining([expect.stringMatching(/^employees 240: Founded in 2019 in Amsterdam, Ledgerline now has more than 240 employees across four offices\. \(http/)]));
			expect(ledgerline.recentNews).toEqual([expect.stringMatching(/ funding: Ledgerline raises \$45M Series B/), expect.stringMatching(/ expansion: Ledgerline opens Berlin office/)]);
			// Re-scored with what was found, and a next action with its due date.
			expect(ledgerline).toMatchObject({ icpFitScore: expect.any(Number), icpRulesetVersion: expect.stringMatching(/^[0-9a-f]{12}$/), nextAction: expect.any(String), nextActionDueAt: expect.any(String) });
			// A value the CRM had stays; hostile pages set nothing they asked for.
			expect(accounts['brightforge.example']).toMatchObject({ industry: 'industrial machinery', employeeCount: 1200 });
			expect(accounts['hostile.example']).toMatchObject({ industry: 'logistics', employeeCount: 85 });
			expect(JSON.stringify(accounts['hostile.example'])).not.toMatch(/fintech|90000|50000/);
			expect(accounts['quietcloud.example'].industry).toBeUndefined();

			// The owner's task, and the e-mail to the owner with the action, why and what the pages say.
			const tasks = Object.entries(await crmRecords(n8n, 'activity')).filter(([key]) => key.startsWith('next-action:ledgerline.example:'));
			expect(tasks).toHaveLength(1);
			const [, task] = tasks[0];
			expect(task).toMatchObject({ type: 'task', taskStatus: 'open', owner, accountDomain: 'ledgerline.example', dueAt: expect.any(String) });
			const mail = await waitFor(`the e-mail to ${owner}`, async () => {
				const m = n8n.mail.messages.find((x) => x.to.includes(owner));
				return m ? await simpleParser(m.raw) : undefined;
			});
			expect(mail.subject).toBe(`Next action on ledgerline.example: ${task.summary.startsWith('Reach out') || task.summary.startsWith('Build') ? '[high] ' : ''}${task.summary}`);
			expect(mail.text).toContain('Industry: fintech');
			expect(mail.text).toContain('Employees: 240');
			expect(mail.text).toMatch(/Recent news:\n- \d{4}-\d{2}-\d{2} funding: Ledgerline raises \$45M Series B/);
			if (n8n.company === 'acme_saas') {
				// Acme's ICP (software and fintech in its core markets) fits Ledgerline well, and it raised money: reach out now.
				expect(task.summary).toMatch(/^Reach out about recent news: Ledgerline raises \$45M Series B/);
			}

			// The open deal: the leadership news is a brief for the deal owner.
			expect(accounts['brightforge.example'].nextAction).toMatch(/^Brief the deal owner on recent news: Brightforge appoints Dana Whitfield/);
			const brief = Object.entries(await crmRecords(n8n, 'activity')).find(([key]) => key.startsWith('next-action:brightforge.example:brief_deal_owner:'));
			expect(brief?.[1]).toMatchObject({ owner: dealOwner, type: 'task' });
			await waitFor(`the brief to ${dealOwner}`, () => n8n.mail.messages.find((m) => m.to.includes(dealOwner)));

			// Run again the same week: the task is updated, never duplicated, and the owner is not told twice.
			const again = await runNow(n8n, WORKFLOW, 'revops-account-planning', {});
			expect(again.status).toBe('success');
			expect(Object.keys(await crmRecords(n8n, 'activity')).filter((key) => key.startsWith('next-action:ledgerline.example:'))).toHaveLength(1);
			expect(n8n.mail.messages.filter((m) => m.to.includes(owner))).toHaveLength(1);
		});
	});
}
