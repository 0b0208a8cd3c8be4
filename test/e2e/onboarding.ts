import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { crmRecords, postCrm, runNow, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-5 close-and-onboard template (workflows/close-onboard-handoff.json) in real n8n, on the
 * instance of the suite that calls it: a won deal with its MEDDICC in the company's CRM, the CRM's
 * "deal won" event on the template's webhook, the handoff document the onboarding owner received, the
 * handoff logged, the company's checklist written as tasks; then the morning watch: overdue tasks
 * alert their owners once (a done task never), and a second run the same day alerts nobody again.
 */
const CONFIGS = path.resolve(__dirname, '..', '..', 'workflows', 'companies');
const WORKFLOW = 'RvOpsCloseOnbd01';
const DAY = 86_400_000;

export function onboardingSuite(version: string, instance: () => Instance): void {
	describe(`close-and-onboard template on n8n ${version}`, () => {
		it('hands a won deal to onboarding with a grounded document and the checklist, and chases overdue tasks once', async () => {
			const n8n = instance();
			const config = JSON.parse(fs.readFileSync(path.join(CONFIGS, n8n.company === 'acme_saas' ? 'acme-saas-us.json' : 'nordwind-services-eu.json'), 'utf8'));
			const tag = `onb${Date.now().toString(36)}`;
			const domain = `${tag}.example`;
			const seller = `seller.${tag}@example.test`;
			const csm = config.onboarding.owner as string;
			const wonAt = new Date(Date.now() - 20 * DAY).toISOString();
			await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'account', fields: { domain, name: `Won ${tag}`, tier: 'T2', owner: `am.${tag}@example.test`, lifecycle: 'customer' }, writtenBy: 'rule', writer: 'seed' });
			const deal = { externalId: `OPP-${tag}`, name: `Won ${tag} platform`, accountDomain: domain, outcome: 'won', closedAt: wonAt, owner: seller, amount: 48000, meddiccChampion: 'Priya Raman, Head of Finance Ops', meddiccMetrics: 'Close the books in 3 days instead of 9' };
			await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'opportunity', fields: deal, writtenBy: 'rule', writer: 'seed' });
			await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'opportunity', fields: { ...deal, externalId: `OPP-${tag}-open`, outcome: 'open', closedAt: null }, writtenBy: 'rule', writer: 'seed' });

			// A call note on the deal: the handoff may say what it says (and nothing the record does not).
			const note = 'Priya asked for single sign-on before the March rollout.';
			await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'activity', fields: { externalId: `call-${tag}`, type: 'call', summary: note, opportunityId: `OPP-${tag}`, accountDomain: domain }, writtenBy: 'rule', writer: 'seed' });

			// An open deal's event does nothing; the won deal's starts the handoff. The model writes the
			// handoff from the record and adds a payment promise nobody made: that sentence is cut.
			n8n.model.respondWith(() => ({
				json: { subject: `Handoff: Won ${tag}`, body: `Priya Raman, Head of Finance Ops, is the champion.\nThe success metric is to close the books in 3 days instead of 9.\n${note}\nThey will pay $1M upfront next week.` },
			}));
			try {
				expect((await runNow(n8n, WORKFLOW, 'revops-deal-won', { externalId: `OPP-${tag}-open` })).status).toBe('success');
				const won = await runNow(n8n, WORKFLOW, 'revops-deal-won', { externalId: `OPP-${tag}` });
				expect(won.status).toBe('success');
				// The deal's notes reached the drafter (Find Deal Notes, All Notes).
				const drafted = (await n8n.server.executionRuns(won.id))['Deal And Account']?.[0]?.[0]?.[0]?.json;
				expect(drafted?.notes).toEqual([note]);
			} finally {
				n8n.model.respondWith(null as never);
			}
			const handoff = await waitFor(`the handoff to ${csm}`, async () => {
				for (const m of n8n.mail.messages.filter((x) => x.to.includes(csm))) {
					const p = await simpleParser(m.raw);
					if (`${p.subject ?? ''}\n${p.text ?? ''}`.includes(tag)) return p;
				}
				return undefined;
			});
			expect(handoff.to && JSON.stringify(handoff.to)).toContain(seller); // the seller reads it too
			// The model's document, grounded: the champion and the metric from the deal's MEDDICC, the call note.
			expect(handoff.text).toContain('Priya Raman, Head of Finance Ops, is the champion.');
			expect(handoff.text).toContain('close the books in 3 days instead of 9');
			expect(handoff.text).toContain(note);
			// The promise is not in the document (the note below it tells the reader what was cut and why).
			expect(handoff.text?.split('\n\n(Checked:')[0]).not.toContain('$1M');
			expect(handoff.text).toContain('(Checked:');
			expect(n8n.mail.messages.filter((m) => m.raw.toString().includes(`OPP-${tag}-open`))).toHaveLength(0);

			const activities = await crmRecords(n8n, 'activity');
			const notes = Object.values(activities).filter((a) => a.opportunityId === `OPP-${tag}` && a.type === 'note');
			expect(notes).toHaveLength(1);
			expect(notes[0].summary).toContain('Priya Raman, Head of Finance Ops, is the champion.');
			const checklist = config.onboarding.checklist ?? [{ id: 'welcome' }, { id: 'handoff-call' }, { id: 'kickoff' }, { id: 'access' }, { id: 'integration' }, { id: 'training' }, { id: 'value-review' }];
			const tasks = Object.fromEntries(Object.entries(activities).filter(([key]) => key.startsWith(`onboarding:OPP-${tag}:`)).map(([key, t]) => [key.split(':')[2], t]));
			expect(Object.keys(tasks).sort()).toEqual(checklist.map((c: { id: string }) => c.id).sort());
			expect(tasks.welcome).toMatchObject({ type: 'task', taskStatus: 'open', owner: csm, accountDomain: domain, checklist: 'onboarding' });
			expect(tasks['handoff-call'].owner).toBe(seller);
			for (const t of Object.values(tasks)) expect(Date.parse(t.dueAt)).toBeGreaterThan(Date.parse(wonAt));

			// The kickoff was done; the rest that is past due alerts its owner, once.
			const [done] = await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'activity', fields: { externalId: `onboarding:OPP-${tag}:kickoff`, taskStatus: 'done', completedAt: new Date().toISOString() }, writtenBy: 'human', writer: 'csm' });
			expect(done.crm).toMatchObject({ action: 'updated' });
			const overdue = Object.entries(tasks).filter(([id, t]) => id !== 'kickoff' && Date.parse(t.dueAt) < Date.now());
			expect(overdue.length).toBeGreaterThanOrEqual(3);
			const before = n8n.mail.messages.length;
			expect((await runNow(n8n, WORKFLOW, 'revops-overdue-tasks', {})).status).toBe('success');
			const alerts = async () => await Promise.all(n8n.mail.messages.slice(before).map(async (m) => await simpleParser(m.raw)));
			const mine = (await alerts()).filter((p) => (p.text ?? '').includes(domain));
			expect(mine).toHaveLength(overdue.length);
			for (const [, t] of overdue) expect(mine.filter((p) => /^Overdue \d+ days?: /.test(p.subject ?? '') && p.subject?.endsWith(t.summary))).toHaveLength(1);
			expect(mine.some((p) => p.subject?.includes('kickoff call'))).toBe(false);
			const after = await crmRecords(n8n, 'activity');
			for (const [id] of overdue) expect(after[`onboarding:OPP-${tag}:${id}`].alertedAt).toEqual(expect.any(String));

			// The same morning again: nobody is told twice.
			const count = n8n.mail.messages.length;
			expect((await runNow(n8n, WORKFLOW, 'revops-overdue-tasks', {})).status).toBe('success');
			expect((await alerts()).length).toBe(count - before);
		});
	});
}
