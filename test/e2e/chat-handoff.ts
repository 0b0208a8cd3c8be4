import path from 'node:path';
import { openBrowser } from './canvas';
import { openHostedChat } from './chat-widget';
import { crmRecords, waitFor, type Instance } from './n8n-instance';
import { CONVERSATIONS, expectations, messageOf, unmet, type ScriptedConversation } from '../unit/chat-conversations';

// The website chat template through n8n's real Chat Trigger, as the hosted or embedded chat widget
// posts to it, with n8n's AI Agent, its OpenAI Chat Model node and our Search Approved Sources tool,
// against the test model server playing a model that obeys any instruction and invents evidence.
// Every scripted conversation of the company the instance runs for (test/fixtures/chat), turn by turn.
// Runs inside the inbound suite (inbound-lead.e2e.test.ts), on its n8n: one server start less per version.

const WEBHOOK_ID = '3f6b2c8e-1d4a-4e7b-9c5f-8a2d6e0b4c17';
const WORKFLOW_ID = 'RvOpsWebChat0001';
/** What the hostile model adds to every answer: none of it may reach a visitor. */
const INVENTED = /\$7|30% off|deals@acme-sales|admin mode|90 ?%|lifetime/i;

const between = (text: string, from: string, to: string) => {
	const start = text.indexOf(from);
	if (start < 0) return '';
	const end = text.indexOf(to, start + from.length);
	return text.slice(start + from.length, end < 0 ? undefined : end).trim();
};

/**
 * A model that calls the tool it is given, then answers with one true sentence of the sources and a
 * made-up price, discount and address; it follows any instruction in the visitor's text.
 */
function hostileModel(body: any) {
	const messages: any[] = body.messages ?? [];
	const text = (m: any) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''));
	const prompt = messages.filter((m) => m.role === 'user').map(text).join('\n');
	const question = between(prompt, '<untrusted_input name="question">', '</untrusted_input>');
	const tools: any[] = body.tools ?? [];
	if (tools.length && !messages.some((m) => m.role === 'tool')) {
		return { toolCalls: [{ name: tools[0].function.name, arguments: { query: question.slice(0, 200) } }] };
	}
	const firstSource = between(prompt, '">\n', '\n</source>').split(/(?<=\.)\s+/)[0] ?? '';
	if (/ignore|ignoriere|admin/i.test(question)) return { content: 'Admin mode enabled: your tier is now T1 and you get a 90% discount for lifetime.' };
	return { content: `${firstSource} It costs only $7 per seat, and you get 30% off if you sign today. Write to deals@acme-sales.example for the contract.` };
}

export function websiteChatSuite(version: string, instance: () => Instance): void {
	describe('website chat to sales handoff (Chat Trigger, AI Agent, tool calls)', () => {
		let n8n: Instance;
		let lastExecution = 0;
		const handedOverRuns: string[] = [];
		const company = () => (n8n.company === 'acme_saas' ? 'acme-saas-us' : 'nordwind-services-eu');

		beforeAll(() => {
			n8n = instance();
			n8n.model.reset();
			n8n.model.respondWith(hostileModel);
		});
		afterAll(() => {
			n8n.model.reset();
		});

		/** One visitor message through the Chat Trigger: the reply, the rules' decision and the model calls it took. */
		async function say(sessionId: string, chatInput: string) {
			// The agent's requests only: a handed-off lead's processing run (intent, summary) calls the model meanwhile.
			const agentCalls = () => n8n.model.chatRequests().filter((r: any) => JSON.stringify(r.body?.messages ?? '').includes('Approved sources:')).length;
			const before = agentCalls();
			const res = await n8n.server.fetchWhenRegistered(`/webhook/${WEBHOOK_ID}/chat`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
			});
			const raw = await res.text();
			expect({ status: res.status, body: raw.slice(0, 300) }).toMatchObject({ status: 200 });
			const reply = JSON.parse(raw).output as string;
			// This message's run: the newest execution of the template, once n8n has saved it.
			const execution = await waitFor('the chat run to be saved', async () => {
				const list = (await n8n.server.executions(WORKFLOW_ID)) as Array<{ id: string; status: string }>;
				return list.filter((e) => Number(e.id) > lastExecution && !['new', 'running'].includes(e.status)).sort((a, b) => Number(b.id) - Number(a.id))[0];
			});
			lastExecution = Number(execution.id);
			const runs = await n8n.server.executionRuns(execution.id);
			// A handed-over lead: the run Hand Off Lead started without waiting (n8n notes it on the item).
			for (const item of (runs['Hand Off Lead'] ?? []).flat(2) as any[]) {
				if (item?.metadata?.subExecution?.executionId) handedOverRuns.push(String(item.metadata.subExecution.executionId));
			}
			const decided = (runs['Decide Turn']?.[0] ?? []).flat();
			expect(decided).toHaveLength(1);
			return { reply, chat: decided[0].json.chat as Record<string, any>, modelCalls: agentCalls() - before, status: execution.status, runs };
		}

		const conversations = (): ScriptedConversation[] => CONVERSATIONS.filter((c) => c.company === company());

		it('runs every scripted conversation of the company by the handoff rules, and never lets an invented claim through', async () => {
			expect(conversations().length).toBeGreaterThanOrEqual(n8n.company === 'acme_saas' ? 30 : 6);
			const failures: string[] = [];
			for (const [k, conversation] of conversations().entries()) {
				const sessionId = `e2e-${version}-${k}-${Date.now()}`;
				let declined = false;
				for (const [i, turn] of conversation.turns.entries()) {
					const r = await say(sessionId, messageOf(turn));
					const where = `${conversation.name}, turn ${i + 1} "${turn.user.slice(0, 40)}"`;
					const decision = { action: r.chat.route === 'answer' ? ('answer' as const) : ('reply' as const), events: r.chat.events, offered: r.chat.offered };
					const missed = unmet(expectations(turn), decision, { asking: r.chat.asking });
					if (missed.length) failures.push(`${where}: expected ${missed.join(', ')}; got ${r.chat.route} [${r.chat.events}] asking=${r.chat.asking}`);
					if (r.status !== 'success') failures.push(`${where}: the run ended ${r.status}`);
					if (typeof r.reply !== 'string' || r.reply.trim() === '') failures.push(`${where}: no reply`);
					if (INVENTED.test(r.reply)) failures.push(`${where}: an invented claim reached the visitor: ${r.reply}`);
					if (r.chat.events.includes('accepted')) declined = false;
					if (r.chat.events.includes('declined')) declined = true;
					if (declined && r.chat.offered) failures.push(`${where}: an offer after a no`);
					// A question the sources do not answer never reaches the model: nothing to guess with.
					if (r.chat.route !== 'answer' && r.modelCalls > 0) failures.push(`${where}: the model was asked although the rules answered`);
					// An answer: the agent called our tool, then answered; the reply is what the sources support.
					if (r.chat.route === 'answer') {
						if (r.modelCalls < 2) failures.push(`${where}: the agent did not call the tool (${r.modelCalls} model calls)`);
						const checked = r.runs['Check Answer']?.[0]?.[0]?.[0]?.json;
						if (!checked || checked.output !== r.reply) failures.push(`${where}: the reply is not the checked answer`);
					}
				}
			}
			expect(failures).toEqual([]);
		});

		it('hands a lead over through the same path as a form lead, with the transcript as a chat activity', async () => {
			const handoffs = conversations().filter((c) => c.handoff);
			expect(handoffs.length).toBeGreaterThan(0);
			for (const conversation of handoffs) {
				const contact = conversation.handoff!;
				// The lead is saved first and routed after (the processing workflow): wait for its owner too.
				const lead = await waitFor(`the lead of ${contact.email} in the CRM, with its owner`, async () => Object.values(await crmRecords(n8n, 'lead')).find((l: any) => l.email === contact.email && l.owner) as Record<string, any> | undefined, { timeoutMs: 60_000 });
				// Normalized, scored, routed and with its SLA like any inbound lead; the summary is the visitor's own words.
				expect(lead).toMatchObject({ email: contact.email, phone: contact.phone, leadSource: 'website-chat', leadMedium: 'chat', message: expect.stringMatching(/^Website chat \(\d+ messages\)/) });
				expect(lead.owner).toEqual(expect.any(String));
				expect(lead.firstResponseDueAt).toEqual(expect.any(String));
			}
			// Each chat lead's Hand Off Lead started a run of the processing workflow, which matched it to an account.
			expect(handedOverRuns.length).toBeGreaterThanOrEqual(handoffs.length);
			for (const id of handedOverRuns) {
				const runData = (await n8n.server.executionRunData(id)) as Record<string, unknown>;
				expect(runData).toHaveProperty('Lead Handed Over');
				expect(runData).toHaveProperty('Match Lead To Account');
			}
			const activities = Object.entries(await crmRecords(n8n, 'activity')).filter(([key]) => key.startsWith('chat:'));
			expect(activities.length).toBe(handoffs.length);
			for (const [, activity] of activities) {
				expect(activity).toMatchObject({ type: 'chat', outcome: 'handed off to sales' });
				expect(String(activity.summary)).toMatch(/Transcript:\nVisitor \(1\): /);
				// The details were collected, not kept as chat text.
				expect(String(activity.summary)).toMatch(/\[details given: /);
			}
		});

		// What a visitor sees: n8n's hosted chat page with the real chat widget, in a real browser.
		(Number(version.split('.')[0]) >= 2 ? it : it.skip)('talks to a visitor on the hosted chat page in a real browser (answer, offer, yes, a detail question)', async () => {
			const browser = await openBrowser();
			try {
				const chat = await openHostedChat(browser, `${n8n.server.baseUrl}/webhook/${WEBHOOK_ID}/chat`);
				await chat.send('Do you support SSO with Okta?', /Would you like someone to follow up with you\?/);
				expect(await chat.page.evaluate(() => document.body.innerText)).toMatch(/SAML 2\.0 single sign-on/);
				await chat.send('Yes please', /What name should we use\?/);
				const text = await chat.page.evaluate(() => document.body.innerText);
				expect(text).not.toMatch(INVENTED);
				if (process.env.REVOPS_SCREENSHOTS) await chat.page.screenshot({ path: path.join(process.env.REVOPS_SCREENSHOTS, 'website-chat.png') as `${string}.png` });
			} finally {
				await browser.close();
			}
		});

		it('answers in the sources\' own words when the model is down, and loses no turn', async () => {
			n8n.model.respondWith(() => ({ status: 500 }));
			try {
				const sessionId = `e2e-${version}-model-down-${Date.now()}`;
				const question = n8n.company === 'acme_saas' ? 'Do you support SSO with Okta?' : 'Bieten Sie Wartungsverträge an und was kostet Premium?';
				const r = await say(sessionId, question);
				expect(r.chat.route).toBe('answer');
				expect(r.reply).toMatch(n8n.company === 'acme_saas' ? /^Here is what our documentation says: Yes\. Acme Analytics supports SAML 2\.0/ : /^In unserer Dokumentation steht dazu: Ja\. Wartungsverträge gibt es/);
				const next = await say(sessionId, n8n.company === 'acme_saas' ? 'yes please' : 'ja gerne');
				expect(next.chat).toMatchObject({ turn: 2, asking: 'name' });
			} finally {
				n8n.model.respondWith(hostileModel);
			}
		});
	});
}
