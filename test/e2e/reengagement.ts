import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { crmRecords, postCrm, runNow, waitFor, type Instance } from './n8n-instance';

/**
 * The stage-3 re-engagement template (workflows/pipeline-generation-reengagement.json) in real n8n,
 * on the instance of the suite that calls it: quiet leads in the company's CRM, the run as the
 * schedule would start it, the e-mail the mail server received, the touch counted in the CRM, and the
 * leads that must not be written to (unsubscribed, bounced, replied through the reply webhook, not
 * quiet long enough, a T1 lead that goes to its owner instead). Other suites' leads share the CRM, so
 * everything is looked up by this suite's own keys.
 */

const CONFIGS = path.resolve(__dirname, '..', '..', 'workflows', 'companies');
const WORKFLOW = 'RvOpsReEngage001';
const DAY = 86_400_000;

/** A run's status with its error, so a failure says what failed. */
async function outcome(n8n: Instance, execution: { id: string; status: string }) {
	if (execution.status === 'success' || execution.status === 'waiting') return execution.status;
	const error = (await n8n.server.executionData(execution.id))?.resultData?.error;
	return `${execution.status}: ${error?.node?.name ?? ''} ${error?.message ?? ''} ${error?.description ?? ''}`;
}

/** The next finished or waiting run of the template (a draft for review waits for a person). */
async function nextRun(n8n: Instance, before: number) {
	return await waitFor(
		'the re-engagement run',
		async () => {
			const list = await n8n.server.executions(WORKFLOW);
			const done = list.filter((e: any) => !['running', 'new'].includes(e.status)).sort((a: any, b: any) => Number(b.id) - Number(a.id));
			return done.length > before ? done[0] : undefined;
		},
		{ timeoutMs: 120_000 },
	);
}

export function reengagementSuite(version: string, instance: () => Instance): void {
	describe(`re-engagement template on n8n ${version}`, () => {
		it('writes to quiet leads by tier, counts the touch, and never to one that unsubscribed, bounced, replied or is not quiet yet', async () => {
			const n8n = instance();
			const config = JSON.parse(fs.readFileSync(path.join(CONFIGS, n8n.company === 'acme_saas' ? 'acme-saas-us.json' : 'nordwind-services-eu.json'), 'utf8'));
			// The lines every customer-facing draft ends with (Nordwind's: a STOP line and its legal line).
			const required = (config.drafting.requiredLines as Array<{ text: string; kinds?: string[] }>).filter((l) => !l.kinds || l.kinds.includes('reengagement')).map((l) => l.text);
			const tag = `re${Date.now().toString(36)}`;
			const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();
			const email = (who: string) => `${who}.${tag}@kunde.example`;
			const leads: Record<string, Record<string, unknown>> = {
				due: { tier: 'T3', lastTouchAt: ago(30) },
				owner: { tier: 'T1', lastTouchAt: ago(45) },
				unsubscribed: { tier: 'T3', lastTouchAt: ago(30), unsubscribedAt: ago(20) },
				bounced: { tier: 'T3', lastTouchAt: ago(30), bouncedAt: ago(20) },
				replies: { tier: 'T3', lastTouchAt: ago(40), sequenceStartedAt: ago(9), sequenceTouches: 1, lastSequenceAt: ago(9) },
				recent: { tier: 'T3', lastTouchAt: ago(2) },
				// Mail that came back before the run: a delivery failure, an unsubscribe under a quoted footer, an out-of-office.
				bounces: { tier: 'T3', lastTouchAt: ago(30) },
				leaves: { tier: 'T3', lastTouchAt: ago(30) },
				away: { tier: 'T3', lastTouchAt: ago(30) },
			};
			for (const [who, fields] of Object.entries(leads)) {
				await postCrm(n8n, 'revops-test-crm-account', n8n.company, { object: 'lead', fields: { dedupeKey: email(who), email: email(who), firstName: 'Jonas', owner: 'lena@example.test', ...fields }, writtenBy: 'rule', writer: 'seed' });
			}
			// The "replies" lead answers the first message: the reply webhook stops its sequence.
			const reply = await runNow(n8n, WORKFLOW, 'revops-reply', { from: email('replies'), subject: 'Re: Following up' });
			expect(await outcome(n8n, reply)).toBe('success');
			expect((await crmRecords(n8n, 'lead'))[email('replies')].repliedAt).toEqual(expect.any(String));
			const quoted = '\n\nOn Tue, Lena <lena@example.test> wrote:\n> Reply STOP to unsubscribe.';
			for (const mail of [
				{ from: 'MAILER-DAEMON@mx.example.test', subject: 'Undelivered Mail Returned to Sender', text: `Reporting-MTA: dns; mx.example.test\nFinal-Recipient: rfc822; ${email('bounces')}\nAction: failed\nStatus: 5.1.1` },
				{ from: `Jonas <${email('leaves')}>`, subject: 'Re: Following up', text: `Please take me off your list.${quoted}` },
				{ from: email('away'), subject: 'Automatic reply: Following up', text: `I am out of the office until Monday.${quoted}` },
			]) {
				expect(await outcome(n8n, await runNow(n8n, WORKFLOW, 'revops-reply', mail))).toBe('success');
			}
			const afterMail = await crmRecords(n8n, 'lead');
			expect(afterMail[email('bounces')].bouncedAt).toEqual(expect.any(String));
			expect(afterMail[email('leaves')]).toMatchObject({ unsubscribedAt: expect.any(String), repliedAt: expect.any(String) });
			expect(afterMail[email('away')].repliedAt).toBeUndefined(); // an out-of-office is no reply

			// One grounded answer per draft the model is asked for (the company's own approved sentence).
			const approved = config.drafting.approvedContent[0].text as string;
			n8n.model.respondWith(() => ({ json: { subject: 'Following up', body: `Hi Jonas,\n\n${approved}\n\nWould a short call help?` } }));
			try {
				const before = (await n8n.server.executions(WORKFLOW)).filter((e: any) => !['running', 'new'].includes(e.status)).length;
				await (await n8n.server.fetchWhenRegistered('/webhook/revops-reengagement', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
				const run = await nextRun(n8n, before);
				expect(['success', 'waiting']).toContain(await outcome(n8n, run));
				const runs = await n8n.server.executionRuns(run.id);
				const outs = runs['Draft Re-Engagement'][0] as Array<Array<{ json: any }>>;
				const where = (who: string) => outs.findIndex((items) => (items ?? []).some((item) => item.json.crm?.record?.key === email(who)));
				const itemOf = (who: string) => outs[where(who)].find((item) => item.json.crm.record.key === email(who))!.json;
				expect(['due', 'owner', 'unsubscribed', 'bounced', 'replies', 'recent', 'bounces', 'leaves', 'away'].map((who) => [who, where(who)])).toEqual([
					['due', 0],
					['owner', 2],
					['unsubscribed', 3],
					['bounced', 3],
					['replies', 3],
					['recent', 3],
					['bounces', 3],
					['leaves', 3],
					['away', 0],
				]);
				expect(['unsubscribed', 'bounced', 'replies', 'bounces', 'leaves'].map((who) => itemOf(who).sequence.stopped)).toEqual(['unsubscribed', 'bounced', 'replied', 'bounced', 'unsubscribed']);
				expect(itemOf('due').draft).toMatchObject({ route: 'send', method: 'model', clean: true });

				// The e-mail as the mail server got it, with the company's footer; the touch counted in the CRM.
				const mail = await waitFor('the re-engagement e-mail', () => n8n.mail.messages.find((m) => m.to.includes(email('due'))));
				const parsed = await simpleParser(mail.raw);
				expect(parsed.subject).toBe('Following up');
				expect(parsed.text).toContain(approved);
				for (const line of required) expect(parsed.text).toContain(line);
				expect(parsed.text?.trim().endsWith(required[required.length - 1])).toBe(true);
				const records = await waitFor('the counted touch', async () => {
					const r = await crmRecords(n8n, 'lead');
					return r[email('due')]?.sequenceTouches === 1 ? r : undefined;
				});
				expect(records[email('due')].sequenceStartedAt).toEqual(expect.any(String));
				// The T1 lead's suggestion went to its owner, not to the lead.
				const toOwner = await waitFor('the T1 suggestion to the owner', async () => {
					for (const m of n8n.mail.messages.filter((x) => x.to.includes('lena@example.test'))) {
						const p = await simpleParser(m.raw);
						if (p.text?.includes(email('owner'))) return p;
					}
					return undefined;
				});
				expect(toOwner.subject).toMatch(/^Your lead is quiet: /);
				for (const who of ['owner', 'unsubscribed', 'bounced', 'replies', 'recent', 'bounces', 'leaves']) expect([who, n8n.mail.messages.some((m) => m.to.includes(email(who)))]).toEqual([who, false]);
				await waitFor('the e-mail to the lead that was only away', () => n8n.mail.messages.find((m) => m.to.includes(email('away'))));

				// The same day again: the lead that got a message is not due for another.
				const again = (await n8n.server.executions(WORKFLOW)).filter((e: any) => !['running', 'new'].includes(e.status)).length;
				await (await n8n.server.fetchWhenRegistered('/webhook/revops-reengagement', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
				const second = await n8n.server.executionRuns((await nextRun(n8n, again)).id);
				const notNow = (second['Draft Re-Engagement'][0][3] ?? []).find((item: any) => item.json.crm.record.key === email('due'));
				expect(notNow?.json.sequence.reason).toMatch(/^message 1 was sent 0 of \d+ days ago$/);
				expect(n8n.mail.messages.filter((m) => m.to.includes(email('due')))).toHaveLength(1);
			} finally {
				n8n.model.respondWith(null as never);
			}
		});
	});
}
