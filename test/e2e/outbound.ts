import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { crmRecords, postCrm, postForm, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-3 outbound template (workflows/pipeline-generation-outbound.json) in real n8n, on the
 * instance of the suite that calls it: prospects imported into the company's CRM as leads from the
 * outbound source, each with a tier and a persona (job title). T3: the grounded draft is sent at once;
 * T2: the draft waits in an Approval Gate for the company's approver, who edits and approves it, and
 * the edited text is what the prospect gets; T1: the suggestion goes to the owner; an unsubscribed
 * prospect and one somebody talked with two days ago get nothing, nor does an inbound lead.
 */
const CONFIGS = path.resolve(__dirname, '..', '..', 'workflows', 'companies');
const WORKFLOW = 'RvOpsOutbound001';
const DAY = 86_400_000;

export function outboundSuite(version: string, instance: () => Instance): void {
	describe(`outbound template on n8n ${version}`, () => {
		it('sends T3, has a person review and edit T2 before it is sent, hands T1 to its owner, and writes to nobody who must not hear from us', async () => {
			const n8n = instance();
			const config = JSON.parse(fs.readFileSync(path.join(CONFIGS, n8n.company === 'acme_saas' ? 'acme-saas-us.json' : 'nordwind-services-eu.json'), 'utf8'));
			const required = (config.drafting.requiredLines as Array<{ text: string; kinds?: string[] }>).filter((l) => !l.kinds || l.kinds.includes('outboundTouch')).map((l) => l.text);
			const tag = `ob${Date.now().toString(36)}`;
			const email = (who: string) => `${who}.${tag}@prospect.example`;
			const leads: Record<string, Record<string, unknown>> = {
				t3: { tier: 'T3', jobTitle: 'CFO', leadSource: 'outbound' },
				t2: { tier: 'T2', jobTitle: 'Head of Finance Operations', leadSource: 'outbound' },
				t1: { tier: 'T1', jobTitle: 'Chief Executive Officer', leadSource: 'outbound' },
				unsubscribed: { tier: 'T3', jobTitle: 'Controller', leadSource: 'outbound', unsubscribedAt: new Date(Date.now() - 30 * DAY).toISOString() },
				talking: { tier: 'T3', jobTitle: 'Controller', leadSource: 'outbound', lastTouchAt: new Date(Date.now() - 2 * DAY).toISOString() },
				inbound: { tier: 'T3', jobTitle: 'CFO', leadSource: 'website' },
			};
			for (const [who, fields] of Object.entries(leads)) {
				await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'lead', fields: { dedupeKey: email(who), email: email(who), firstName: 'Jonas', owner: 'lena@example.test', ...fields }, writtenBy: 'rule', writer: 'seed' });
			}
			const approved = config.drafting.approvedContent[0].text as string;
			n8n.model.respondWith(() => ({ json: { subject: 'A quick idea', body: `Hi Jonas,\n\n${approved}\n\nWould a short call help?` } }));
			const chatBefore = n8n.model.chatRequests().length;
			try {
				// The template's own runs: the Approval Gate's clock runs as sub-executions of the workflow (mode "integrated").
				const ours = async () => (await n8n.server.executions(WORKFLOW)).filter((e: any) => e.mode !== 'integrated');
				const started = (await ours()).length;
				await (await n8n.server.fetchWhenRegistered('/webhook/revops-outbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
				const run = await waitFor('the outbound run to send and wait for the review', async () => {
					const list = (await ours()).filter((e: any) => ['waiting', 'success', 'error'].includes(e.status));
					return list.length > started ? list.sort((a: any, b: any) => Number(b.id) - Number(a.id))[0] : undefined;
				}, { timeoutMs: 120_000 });
				expect(run.status).toBe('waiting');
				// Per persona: the model was asked to write for each prospect's role.
				const prompts = n8n.model.chatRequests().slice(chatBefore).map((r: any) => JSON.stringify(r.body));
				for (const who of ['t3', 't2', 't1']) expect(prompts.some((p) => p.includes(String(leads[who].jobTitle)))).toBe(true);

				// T3: sent at once, with the company's lines; the touch counted.
				const t3 = await simpleParser((await waitFor('the T3 e-mail', () => n8n.mail.messages.find((m) => m.to.includes(email('t3'))))).raw);
				expect(t3.text).toContain(approved);
				for (const line of required) expect(t3.text).toContain(line);
				// T1: the suggestion goes to the owner, never to the prospect, without waiting for anybody's review.
				const toOwner = await waitFor('the T1 suggestion to the owner', async () => {
					for (const m of n8n.mail.messages.filter((x) => x.to.includes('lena@example.test'))) {
						const p = await simpleParser(m.raw);
						if (p.text?.includes(email('t1'))) return p;
					}
					return undefined;
				});
				expect(toOwner.subject).toMatch(/^Outbound suggestion: /);
				// T2: a person reviews; nothing is sent before the decision.
				expect(n8n.mail.messages.some((m) => m.to.includes(email('t2')))).toBe(false);
				const request = await waitFor('the review request', () => {
					const found = n8n.alerts.received.filter((r) => r.path === '/slack' && String(r.body?.text).startsWith('Outbound e-mail to review') && String(r.body?.text).includes(email('t2')));
					return found.length ? found[found.length - 1] : undefined;
				});
				const links = Object.fromEntries([...String(request.body.text).matchAll(/^(\S+@\S+): (http\S+)$/gm)].map((m) => [m[1], m[2]]));
				const approver = Object.keys(links)[0];
				expect(approver).toBeDefined();
				const edited = `Hi Jonas,\n\n${approved}\n\nI will call you on Thursday unless another day suits you better.`;
				expect((await postForm(links[approver], { decision: 'approve', 'edit.0.draft.text': edited })).status).toBe(200);
				const t2 = await simpleParser((await waitFor('the reviewed T2 e-mail', () => n8n.mail.messages.find((m) => m.to.includes(email('t2'))), { timeoutMs: 60_000 })).raw);
				expect(t2.text?.trim()).toBe(edited);
				// The run, resumed and finished: every prospect on the output of its route.
				const finished = await waitFor(
					'the resumed run to finish',
					async () => {
						const status = (await ours()).find((e: any) => String(e.id) === String(run.id))?.status;
						return status && !['waiting', 'running', 'new'].includes(status) ? status : undefined;
					},
					{ timeoutMs: 60_000, why: async () => `status ${(await ours()).find((e: any) => String(e.id) === String(run.id))?.status}` },
				);
				if (finished !== 'success') {
					const error = (await n8n.server.executionData(run.id))?.resultData?.error;
					throw new Error(`the resumed run ended ${finished}: ${error?.node?.name ?? ''} ${error?.message ?? ''} ${error?.description ?? ''}`);
				}
				const runs = await n8n.server.executionRuns(run.id);
				expect(Object.keys(runs)).toContain('Draft Outbound Touch');
				const outs = runs['Draft Outbound Touch'][0] as Array<Array<{ json: any }>>;
				const where = (who: string) => outs.findIndex((items) => (items ?? []).some((item) => item.json.crm?.record?.key === email(who)));
				expect(['t3', 't2', 't1', 'unsubscribed', 'talking', 'inbound'].map((who) => [who, where(who)])).toEqual([
					['t3', 0],
					['t2', 1],
					['t1', 2],
					['unsubscribed', 3],
					['talking', 3],
					['inbound', -1],
				]);
				for (const who of ['t1', 'unsubscribed', 'talking', 'inbound']) expect([who, n8n.mail.messages.some((m) => m.to.includes(email(who)))]).toEqual([who, false]);
				const records = await crmRecords(n8n, 'lead');
				expect([records[email('t3')].sequenceTouches, records[email('t2')].sequenceTouches]).toEqual([1, 1]);
				expect(records[email('unsubscribed')].sequenceTouches).toBeUndefined();
			} finally {
				n8n.model.respondWith(null as never);
			}
		});
	});
}
