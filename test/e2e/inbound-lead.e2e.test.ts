import path from 'node:path';
import { DateTime } from 'luxon';
import { drawnNodes, openBrowser, overlaps } from './canvas';
import { websiteChatSuite } from './chat-handoff';
import { pipelineProgressionCase } from './model-nodes';
import { crmHistory, crmRecords, decodeHtml, HUBSPOT_COMPANY, SALESFORCE_COMPANY, postCrm, startInstance, submitForm, restartForCompany, VERSIONS, waitFor, waitForRun, type Instance, INSTANCE_START_MS, broadIt } from './n8n-instance';

/* eslint-disable @typescript-eslint/no-require-imports */
const { listTemplates } = require('../harness/templates') as typeof import('../harness/templates');

describe.each(VERSIONS)('n8n %s with n8n-nodes-revops installed from the packed tarball', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version);
	}, INSTANCE_START_MS);
	afterAll(async () => {
		await n8n?.stop();
	});

	it('knows every node type and version that every template uses', () => {
		const known = n8n.server.knownNodeTypes();
		expect(known.has('n8n-nodes-revops.leadNormalizer@1')).toBe(true);
		const missing = n8n.workflows.flatMap((wf) =>
			wf.nodes.map((node) => `${node.type}@${node.typeVersion}`).filter((t) => !known.has(t)).map((t) => `${wf.name}: ${t}`),
		);
		expect(missing).toEqual([]);
	});

	it("serves every node of the package to the editor's nodes panel with its icons, codex and a tool variant", async () => {
		const types = (await n8n.server.editorNodeTypes()) as any[];
		const ours = (require('../../package.json').n8n.nodes as string[]).map((file) => {
			const base = file.split('/').pop()!.replace('.node.js', '');
			return `n8n-nodes-revops.${base[0].toLowerCase()}${base.slice(1)}`;
		});
		expect(ours).toHaveLength(16);
		for (const name of ours) {
			const node = types.find((t) => t.name === name);
			// A trigger starts workflows: n8n offers no trigger as an agent's tool.
			const trigger = node.group.includes('trigger');
			expect(node).toMatchObject({ ...(trigger ? {} : { usableAsTool: true }), subtitle: expect.any(String) });
			expect(node.codex.alias).toContain('RevOps');
			// The editor's search lists AI nodes as sub-nodes unless they are Root Nodes, as n8n's Text Classifier is.
			if (node.codex.categories.includes('AI')) expect(node.codex.subcategories.AI).toEqual(expect.arrayContaining(['Root Nodes']));
			expect(types.some((t) => t.name === `${name}Tool`)).toBe(!trigger);
			for (const icon of [node.iconUrl.light, node.iconUrl.dark]) {
				const res = await fetch(`${n8n.server.baseUrl}/${icon}`, { headers: { cookie: n8n.server.cookie! } });
				expect(res.status).toBe(200);
				expect(await res.text()).toMatch(/^<svg/);
			}
		}
		expect(types.find((t) => t.name === 'n8n-nodes-revops.leadNormalizer')).toMatchObject({ displayName: 'Lead Normalizer', outputNames: ['Valid', 'Invalid'] });
	});

	// n8n 2's canvas, as a person sees a template after importing it: no node, name or output label over another.
	(Number(version.split('.')[0]) >= 2 ? it : it.skip)("lays out every template on n8n's canvas with nothing drawn over anything else (real browser)", async () => {
		const browser = await openBrowser();
		try {
			for (const wf of n8n.workflows.filter((w) => listTemplates().some((t) => t.workflow.id === w.id))) {
				const shot = process.env.REVOPS_SCREENSHOTS ? path.join(process.env.REVOPS_SCREENSHOTS, `${wf.id}.png`) : undefined;
				const drawn = await drawnNodes(browser, n8n, wf.id, wf.nodes.length, shot);
				expect(drawn.map((d) => d.name).sort()).toEqual(wf.nodes.map((node) => node.name).sort());
				expect({ workflow: wf.name, overlaps: overlaps(drawn) }).toEqual({ workflow: wf.name, overlaps: [] });
				// Every node of ours shows a subtitle under its name (n8n draws none when the subtitle's expression fails).
				const withoutSubtitle = wf.nodes
					.filter((n: any) => n.type.startsWith('n8n-nodes-revops.'))
					.filter((n: any) => {
						const texts = drawn.find((d) => d.name === n.name)!.texts.map((t) => t.text);
						return !texts.slice(texts.indexOf(n.name) + 1).some((t) => t !== '');
					})
					.map((n: any) => n.name);
				expect({ workflow: wf.name, withoutSubtitle }).toEqual({ workflow: wf.name, withoutSubtitle: [] });
				// The Company Config node's subtitle says where the config comes from and in what form it goes on,
				// also when the company id is an expression (which the canvas cannot resolve).
				for (const node of wf.nodes.filter((n: any) => n.type === 'n8n-nodes-revops.companyConfig')) {
					const p = node.parameters as Record<string, string>;
					const expected =
						p.source === 'field' ? `From ${p.field}` : `Company ${p.companyId?.startsWith('=') ? 'from each item' : p.companyId || 'from REVOPS_COMPANY'}${p.configOnItems === 'reference' ? ' (reference)' : ''}`;
					expect({ node: `${wf.name} / ${node.name}`, texts: drawn.find((d) => d.name === node.name)!.texts.map((t) => t.text) }).toEqual({
						node: `${wf.name} / ${node.name}`,
						texts: expect.arrayContaining([expected]),
					});
				}
			}
		} finally {
			await browser.close();
		}
	});

	const summaryAnswer = (summary: string) => ({
		match: (b: any) => b.response_format?.json_schema?.name === 'lead_summary',
		json: { summary, useCase: null, recommendedNextStep: 'send pricing and book a call', mainQuestions: [], topics: [], goals: [] },
	});

	const lead = async (email: string) => Object.values(await crmRecords(n8n, 'lead')).find((l: any) => l.email === email) as Record<string, any> | undefined;
	const activities = async (match: (a: any) => boolean) => Object.values(await crmRecords(n8n, 'activity')).filter(match) as Array<Record<string, any>>;
	// Acme sells in North America and Western Europe, Nordwind in DACH and Benelux: the same form, scored by each company's playbooks.leadFit.
	const acme = () => n8n.company === 'acme_saas';

	it("takes a form submission through the Lead Normalizer into the company's CRM as a lead, and thanks the submitter", async () => {
		n8n.model.reset();
		n8n.model.script(summaryAnswer('Jane Doe, VP of Sales at Acme Robotics, needs pricing for 50 seats.'));
		const result = await submitForm(
			n8n.server,
			'revops-inbound-lead',
			['jane DOE', 'Jane.Doe+web@Acme-Robotics.com', '(415) 555-0132', 'acme robotics', 'VP of Sales', 'https://www.acme-robotics.com/about', 'U.S.A.', 'We need pricing for 50 seats'],
			'?utm_source=LinkedIn&utm_medium=paid&utm_campaign=q4-launch&referrer=https%3A%2F%2Fwww.linkedin.com%2F',
		);
		expect(result.status).toBe('form-waiting');
		const html = decodeHtml(result.html);
		expect(html).toContain('Thank you!');
		expect(html).toContain('We received your request, Jane.');
		// The page promises the company's first-response deadline, in its time zone: the text the Lead
		// Normalizer wrote, which reads as the deadline itself does in the company's calendar zone.
		expect(html).toMatch(/We will reply by (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w{3} \d{1,2}, \d{2}:\d{2} /);
		const pageRuns = await n8n.server.executionRuns(result.executionId!);
		const normalized = pageRuns['Lead Normalizer'][0][0][0].json;
		const zone = normalized.companyConfig.calendar.timezone;
		expect(html).toContain(`We will reply by ${normalized.lead.firstResponseDueText}.`);
		expect(normalized.lead.firstResponseDueText).toBe(DateTime.fromISO(normalized.lead.firstResponseDueAt).setZone(zone).setLocale('en-US').toFormat('cccc, LLL d, HH:mm ZZZZ'));
		// The submitter waited only for validation and that promise: the model calls, the CRM writes and
		// the owner's assignment ran in the processing run the form's run handed the lead to.
		const pageRun = Object.keys(pageRuns);
		expect(pageRun).toEqual(expect.arrayContaining(['Lead Normalizer', 'Hand Off Lead', 'Confirm To Submitter']));
		for (const later of ['Match Lead To Account', 'Intent Classifier', 'Lead Summarizer', 'Save Lead', 'Assign Owner']) expect(pageRun).not.toContain(later);
		expect(result.processingId).toBeDefined();
		// The page first: the lead is handed over when the page has opened, never before it was ready.
		const pageRunData = await n8n.server.executionRunData(result.executionId!);
		// The runs carry a reference to the company's config file with its small settings, not its
		// playbooks or routing rules (n8n stores every run's items): the processing run's nodes loaded
		// those from the file, as the lead's fit score and owner below show.
		const carried = pageRunData['Company Config'][0].data.main[0][0].json.companyConfig;
		expect(carried).toMatchObject({ configReference: { companyId: n8n.company }, calendar: expect.any(Object), channels: expect.any(Object) });
		expect(carried).not.toHaveProperty('playbooks');
		expect(carried).not.toHaveProperty('routing');
		expect(pageRunData['Hand Off Lead'][0].startTime).toBeGreaterThanOrEqual(pageRunData['Confirm To Submitter'][0].startTime + pageRunData['Confirm To Submitter'][0].executionTime);

		const jane = (await crmRecords(n8n, 'lead'))['email:jane.doe@acme-robotics.com'];
		expect(jane).toMatchObject({
			status: 'new',
			email: 'jane.doe+web@acme-robotics.com',
			phone: '+14155550132',
			firstName: 'Jane',
			lastName: 'Doe',
			company: 'Acme Robotics',
			companyDomain: 'acme-robotics.com',
			website: 'https://www.acme-robotics.com/about',
			country: 'US',
			jobTitle: 'VP of Sales',
			leadSource: 'linkedin',
			leadMedium: 'paid',
			leadCampaign: 'q4-launch',
			firstTouchSource: 'linkedin',
			firstTouchCampaign: 'q4-launch',
			icpFitScore: acme() ? 100 : 75,
			icpTier: 'T1',
			// No account in the CRM for acme-robotics.com: the tier comes from what the form says.
			tier: 'T1',
			tierSource: 'fit',
			existingCustomer: false,
			// Pricing is a keyword rule: decided without the model, which only wrote the summary.
			intentCategory: 'Pricing',
			intentConfidence: 1,
			intentLabels: 'Pricing',
			buyingStage: 'decision',
			leadSummary: 'Jane Doe, VP of Sales at Acme Robotics, needs pricing for 50 seats.',
		});
		expect(n8n.model.chatRequests()).toHaveLength(1);
		if (acme()) expect(jane.icpExplanation).toBe('100/100; up: Core market = US (+25), Work e-mail: yes (+25).');
		// The SLA clock runs in the company's business hours from its first-response minutes.
		expect(new Date(jane.firstResponseDueAt).getTime()).toBeGreaterThan(new Date(jane.firstTouchAt).getTime());
		// The submission is on the lead's activities, and the history says which rule wrote what.
		expect(await activities((a) => a.leadKey === 'email:jane.doe@acme-robotics.com' && a.type === 'form_submission')).toEqual([expect.objectContaining({ summary: 'We need pricing for 50 seats', outcome: 'Pricing' })]);
		expect(await crmHistory(n8n, 'lead', 'email:jane.doe@acme-robotics.com')).toEqual(expect.arrayContaining([{ field: 'status', before: null, after: 'new', writer: 'rule:Save Lead' }]));
		// A new lead gets its first reply drafted in the same run; a T1 draft waits there for a person.
		expect(Object.keys(await n8n.server.executionRuns(result.processingId!))).toContain('Draft First Reply');
		expect(await n8n.server.executionStatus(result.processingId!)).toBe('waiting');
	});

	broadIt(version)('hands over a submission whose thank-you page is never opened (a client without scripts) a minute later, once', async () => {
		n8n.model.reset();
		n8n.model.script(summaryAnswer('Bo Chen, COO at Chen Freight, asks for pricing.'));
		const email = `bo.chen.${Date.now()}@chen-freight.com`;
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Bo Chen', email, '', 'Chen Freight', 'COO', '', 'US', 'What is your pricing for 40 users?'], '', { pageScript: false });
		expect(result.status).toBe('form-waiting');
		expect(decodeHtml(result.html)).toContain('We received your request, Bo.');
		// Nothing is handed over while the page waits to be opened...
		expect(await n8n.server.executionStatus(result.executionId!)).toBe('waiting');
		expect(await lead(email)).toBeUndefined();
		// ...and n8n resumes the run when the page's minute is up (Limit Wait Time), page or not.
		expect(await waitForRun(n8n.server, result.executionId!, 150_000)).toBe('success');
		const runs = await n8n.server.executionRunData(result.executionId!);
		expect(runs['Hand Off Lead']).toHaveLength(1);
		const saved = await waitFor('the handed-over lead in the CRM', () => lead(email), { timeoutMs: 60_000 });
		expect(saved).toMatchObject({ email, company: 'Chen Freight', intentCategory: 'Pricing' });
	}, 240_000);

	const ownerMessages = (email: string) => n8n.alerts.received.filter((a) => a.path === '/slack' && String(a.body?.text).includes(email) && /lead for you|Lead reassigned to you|review a lead/.test(String(a.body?.text)));

	it("gives the new lead an owner by the company's routing, tells the owner, and records the owner's Contacted click with the response time", async () => {
		const jane = await lead('jane.doe+web@acme-robotics.com');
		// A T1 fit from the US: Acme's enterprise team; Nordwind has no US territory, so its default team.
		const team = acme() ? ['maya.chen@acme-analytics.example', 'lena.park@acme-analytics.example'] : ['jonas.weber@nordwind-services.example', 'sofie.lund@nordwind-services.example'];
		expect(team).toContain(jane!.owner);
		expect(jane).toMatchObject({ route: acme() ? 'enterprise' : 'europe', slaStage: 'open', ownerRule: acme() ? 'round-robin:t1-accounts' : 'round-robin' });
		const message = await waitFor('the owner message', () => ownerMessages('jane.doe+web@acme-robotics.com')[0]?.body.text as string | undefined);
		expect(message).toContain('New T1 lead for you: Jane Doe, Acme Robotics');
		expect(message).toContain('Campaign: q4-launch');
		expect(message).toContain('Use case: Pricing');
		const contacted = /^Contacted: (\S+)$/m.exec(message)![1];
		const link = new URL(contacted);
		expect(link.searchParams.get('o')).toBe(jane!.owner);

		// Opening the link records nothing (a mail scanner may fetch it): it shows a form whose button POSTs.
		const page = await fetch(contacted);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		const form = await page.text();
		expect(form).toContain('Record your first response?');
		expect((await lead('jane.doe+web@acme-robotics.com'))!.firstRespondedAt).toBeUndefined();
		const press = () => fetch(contacted, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([...form.matchAll(/type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], decodeHtml(m[2])])).toString() });
		const recorded = await press();
		expect(recorded.status).toBe(200);
		expect(await recorded.text()).toContain('Response recorded');
		const answered = await waitFor('the response on the lead', async () => {
			const l = await lead('jane.doe+web@acme-robotics.com');
			return l?.firstRespondedAt ? l : undefined;
		});
		expect(answered).toMatchObject({ status: 'contacted', responseOutcome: 'contacted', slaStage: 'responded', responseMinutes: expect.any(Number), responseBusinessMinutes: expect.any(Number) });
		expect(await crmHistory(n8n, 'lead', 'email:jane.doe@acme-robotics.com')).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'firstRespondedAt', writer: `human:${jane!.owner}` })]));

		// The same link again records nothing new; a changed one records nothing at all.
		expect(await (await fetch(contacted)).text()).toContain('Already recorded');
		expect(await (await press()).text()).toContain('Already recorded');
		link.searchParams.set('a', 'not_a_fit');
		const forged = await fetch(link);
		expect(forged.status).toBe(401);
		expect((await lead('jane.doe+web@acme-robotics.com'))!.status).toBe('contacted');
	});

	broadIt(version)('merges a repeat submission into the lead: status kept, first touch kept, counted, and no second first reply', async () => {
		n8n.model.script(summaryAnswer('Jane Doe of Acme Robotics is following up on pricing.'));
		const again = await submitForm(n8n.server, 'revops-inbound-lead', ['Jane Doe', 'jane.doe@acme-robotics.com', '', 'Acme Robotics', '', '', 'US', 'Following up on pricing']);
		const leads = Object.entries(await crmRecords(n8n, 'lead')).filter(([, l]: any) => l.companyDomain === 'acme-robotics.com');
		expect(leads.map(([key]) => key)).toEqual(['email:jane.doe@acme-robotics.com']);
		const jane = leads[0][1];
		// No title and no campaign this time: re-tiered from what this submission says; the first touch stays.
		expect(jane).toMatchObject({ message: 'Following up on pricing', status: 'contacted', firstTouchSource: 'linkedin', firstTouchCampaign: 'q4-launch', icpFitScore: acme() ? 65 : 40, tier: acme() ? 'T2' : 'T3' });
		expect(await activities((a) => a.leadKey === 'email:jane.doe@acme-robotics.com' && a.type === 'form_submission')).toHaveLength(2);
		const runs = await n8n.server.executionRuns(again.processingId!);
		expect(Object.keys(runs)).toContain('Save Lead');
		expect(Object.keys(runs)).not.toContain('Draft First Reply');
		expect(runs['Save Lead'][0][0][0].json.crm).toMatchObject({ isNew: false, repeat: true, record: { duplicates: 1 } });
		// The owner keeps the lead and gets no second "new lead" message; Assign Owner sends it to No Reply.
		expect(runs['Assign Owner'][0][0]).toHaveLength(0);
		expect(runs['Assign Owner'][0][1][0].json).toMatchObject({ routing: { decidedBy: 'existing-owner', kept: true }, firstReply: { owed: false, reason: expect.stringContaining('repeat submission') } });
		expect(ownerMessages('jane.doe+web@acme-robotics.com')).toHaveLength(1);
	});

	broadIt(version)("gives a lead of a known account that account's tier and owner, and sends an existing customer's message to support as a case", async () => {
		n8n.model.reset();
		n8n.model.script(summaryAnswer('Tom Berg from Initech needs pricing for a rollout.'));
		await postCrm(n8n, 'revops-test-crm-account', n8n.company, { fields: { domain: 'initech-corp.com', name: 'Initech', tier: 'T1', owner: 'kim@fund.example', lifecycle: 'prospect' }, writtenBy: 'rule', writer: 'seed' });
		await postCrm(n8n, 'revops-test-crm-account', n8n.company, { fields: { domain: 'nordic-customer.no', name: 'Nordic Customer AS', tier: 'T2', owner: 'lea@fund.example', lifecycle: 'customer' }, writtenBy: 'rule', writer: 'seed' });
		// A weak form (no title, a country outside both core markets) from a T1 account: the account decides.
		await submitForm(n8n.server, 'revops-inbound-lead', ['Tom Berg', 'tom@initech-corp.com', '', 'Initech', '', '', 'BR', 'We need pricing for a rollout']);
		expect(await lead('tom@initech-corp.com')).toMatchObject({ tier: 'T1', tierSource: 'account', owner: 'kim@fund.example', accountDomain: 'initech-corp.com', existingCustomer: false, icpTier: 'T3' });

		// A customer asking for more seats is support's (and its account owner's), not a new sales lead.
		const before = n8n.model.chatRequests().length;
		const customer = await submitForm(n8n.server, 'revops-inbound-lead', ['Ola Nordmann', 'ola@nordic-customer.no', '', 'Nordic Customer', '', '', 'NO', 'What would 20 more seats cost us?']);
		expect(decodeHtml(customer.html)).toContain('We received your request, Ola.');
		expect(n8n.model.chatRequests()).toHaveLength(before);
		expect(await lead('ola@nordic-customer.no')).toBeUndefined();
		const cases = Object.values(await crmRecords(n8n, 'case')).filter((c: any) => c.contactEmail === 'ola@nordic-customer.no');
		expect(cases).toEqual([expect.objectContaining({ category: 'support', status: 'open', accountDomain: 'nordic-customer.no', description: 'What would 20 more seats cost us?' })]);
	});

	it('logs an unusable submission with its reasons, never as a lead, and tells the submitter why', async () => {
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Spam Bot', 'bot@mailinator.com', 'n/a', '', '', '', 'Atlantis', 'buy now']);
		// The page speaks to the submitter: what to fix, never the name of a node setting.
		expect(decodeHtml(result.html)).toContain('Disposable e-mail addresses are not accepted. Please check and send the form again.');
		expect(decodeHtml(result.html)).not.toContain('setting');
		const [reject] = await activities((a) => a.contactEmail === 'bot@mailinator.com');
		expect(reject).toMatchObject({ type: 'form_submission', outcome: expect.stringMatching(/^rejected: .*email_disposable/), summary: expect.stringContaining('disposable') });
		expect(await lead('bot@mailinator.com')).toBeUndefined();
	});

	it("lets n8n's own OpenAI credential and OpenAI Chat Model node talk to the test model server", async () => {
		n8n.model.reset();
		n8n.model.script({ content: 'Pricing starts at $20 per seat.' });
		const res = await n8n.server.fetchWhenRegistered('/webhook/revops-test-llm', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ question: 'How much does it cost?' }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ text: 'Pricing starts at $20 per seat.' });
		const [request] = n8n.model.chatRequests();
		expect(request.headers.authorization).toBe('Bearer sk-test');
		expect(request.body.model).toBe('gpt-4o-mini');
		expect(JSON.stringify(request.body.messages)).toContain('How much does it cost?');
	});

	broadIt(version)('quarantines spam and sends support requests away from sales, without asking the model', async () => {
		n8n.model.reset();
		const spam = await submitForm(n8n.server, 'revops-inbound-lead', ['Max Win', 'max@winbig-promos.com', '', 'Win Big', '', '', 'US', 'Claim your bitcoin giveaway at our casino']);
		expect(decodeHtml(spam.html)).toContain('We received your request, Max.');
		const support = await submitForm(n8n.server, 'revops-inbound-lead', ['Eva Berg', 'eva@berg-consulting.se', '', 'Berg Consulting', '', '', 'SE', 'The export is not working since Monday']);
		expect(decodeHtml(support.html)).toContain('We received your request, Eva.');
		expect(n8n.model.chatRequests()).toHaveLength(0);

		expect(await activities((a) => a.contactEmail === 'max@winbig-promos.com')).toEqual([expect.objectContaining({ outcome: 'quarantined as spam (Spam/keyword:casino)', summary: 'Claim your bitcoin giveaway at our casino' })]);
		expect(Object.values(await crmRecords(n8n, 'case')).filter((c: any) => c.contactEmail === 'eva@berg-consulting.se')).toEqual([expect.objectContaining({ category: 'support', status: 'open' })]);
		expect(await lead('max@winbig-promos.com')).toBeUndefined();
		expect(await lead('eva@berg-consulting.se')).toBeUndefined();
	});

	broadIt(version)('asks the model about messages rules cannot place, and stores its category, confidence and summary', async () => {
		n8n.model.reset();
		n8n.model.script(
			{
				match: (b: any) => b.response_format?.json_schema?.name === 'intent',
				json: { category: 'Demo Request', confidence: 0.82, reason: 'wants to see the product for a team', urgency: 'medium', buyingStage: 'consideration' },
			},
			summaryAnswer('Li Wei from Northwind Freight is evaluating tools for the field team.'),
		);
		await submitForm(n8n.server, 'revops-inbound-lead', ['Li Wei', 'li.wei@northwind-freight.de', '', 'Northwind Freight', 'Ops Manager', '', 'DE', 'We are evaluating tools for our field team']);
		expect(await lead('li.wei@northwind-freight.de')).toMatchObject({
			intentCategory: 'Demo Request',
			intentConfidence: 0.82,
			intentUrgency: 'medium',
			buyingStage: 'consideration',
			leadSummary: 'Li Wei from Northwind Freight is evaluating tools for the field team.',
		});
		const [intentRequest] = n8n.model.chatRequests();
		expect(JSON.stringify(intentRequest.body.messages)).toContain('<untrusted_input name=\\"message\\">');
	});

	broadIt(version)('sends a lead the classifier is unsure of to the review queue, saved and owned, and starts no first reply for it', async () => {
		n8n.model.reset();
		n8n.model.script(
			{
				match: (b: any) => b.response_format?.json_schema?.name === 'intent',
				json: { category: 'Product Question', confidence: 0.3, reason: 'too vague to tell', urgency: 'low', buyingStage: 'unknown' },
			},
			summaryAnswer('Ole Brandt of Brandt Werkzeuge wrote a short note.'),
		);
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Ole Brandt', 'ole@brandt-werkzeuge.de', '', 'Brandt Werkzeuge', '', '', 'DE', 'We might come back to this later in the year']);
		n8n.model.reset();
		expect(result.error).toBeUndefined();
		expect(await lead('ole@brandt-werkzeuge.de')).toMatchObject({ status: 'new' });
		const runs = await n8n.server.executionRuns(result.processingId!);
		// Assign Owner sent it to No Reply, saying why: a person looks at it first, and releasing it routes it to sales.
		expect(runs['Assign Owner'][0][0]).toHaveLength(0);
		expect(runs['Assign Owner'][0][1][0].json).toMatchObject({ routing: { decidedBy: 'review-queue' }, firstReply: { owed: false, reason: expect.stringContaining('review queue') } });
		expect(Object.keys(runs)).not.toContain('Draft First Reply');
	});

	broadIt(version)('still saves the lead, unclassified and with a template summary, when the model is down', async () => {
		n8n.model.reset();
		n8n.model.respondWith(() => ({ status: 500 }));
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Ana Lima', 'ana@lima-logistics.com.br', '', 'Lima Logistics', '', '', 'BR', 'Tell me more about your platform']);
		n8n.model.reset();
		expect(result.error).toBeUndefined();
		expect(decodeHtml(result.html)).toContain('We received your request, Ana.');
		const ana = await lead('ana@lima-logistics.com.br');
		// Saved unclassified (no intent is invented), with the template summary, which only restates what the lead gave us.
		expect(ana).toMatchObject({ status: 'new', tier: 'T3' });
		expect(ana).not.toHaveProperty('intentCategory');
		expect(ana!.leadSummary).toContain('Ana Lima');
		// What failed is on the item's audit trail, for the run's reader.
		const runs = await n8n.server.executionRuns(result.processingId!);
		const saved = runs['Save Lead'][0][0][0].json;
		expect(saved.summary).toMatchObject({ method: 'template', modelError: expect.stringMatching(/500/) });
		expect(saved.error).toMatch(/500/);
		// Saved once, as new, so its first reply starts: an item carrying an error must not make n8n
		// run the CRM write again (Retry On Fail does that), which would call the lead a repeat.
		expect(saved.crm).toMatchObject({ isNew: true, action: 'created' });
		expect(Object.keys(runs)).toContain('Draft First Reply');
	}, 120_000);

	// The website chat template on the same n8n (its leads take the same processing path).
	websiteChatSuite(version, () => n8n);

	// Last on the instance: n8n restarts for another company. The templates, their credentials and the
	// form stay as imported; only REVOPS_COMPANY names Acme's config with `crm.backend: hubspot`.
	(Number(version.split('.')[0]) >= 2 ? describe : describe.skip)('the same inbound templates with the company\'s records in HubSpot, swapped by the config alone', () => {
		beforeAll(() => restartForCompany(n8n, HUBSPOT_COMPANY), INSTANCE_START_MS);

		it('takes a form submission into HubSpot: the lead with its fit, intent, summary and owner, the submission as a note, the owner told', async () => {
			n8n.model.reset();
			n8n.model.script(summaryAnswer('Hana Ito, CRO at Ito Logistics, asks for pricing for 80 seats.'));
			const email = `hana.ito.${Date.now()}@ito-logistics.com`;
			const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Hana Ito', email, '+1 415 555 0177', 'Ito Logistics', 'CRO', 'https://ito-logistics.com', 'US', 'Pricing for 80 seats, please'], '?utm_source=google&utm_medium=cpc');
			expect(result.status).toBe('form-waiting');
			expect(decodeHtml(result.html)).toContain('We received your request, Hana.');
			const key = `email:${email}`;
			const saved = await waitFor('the lead in HubSpot with its owner', async () => {
				const l = (await crmRecords(n8n, 'lead'))[key];
				return l?.owner ? l : undefined;
			}, { timeoutMs: 90_000 });
			expect(saved).toMatchObject({ email, firstName: 'Hana', lastName: 'Ito', company: 'Ito Logistics', country: 'US', leadSource: 'google', tier: saved.icpTier, tierSource: 'fit', intentCategory: 'Pricing', leadSummary: 'Hana Ito, CRO at Ito Logistics, asks for pricing for 80 seats.', status: 'new', slaStage: 'open' });
			expect(saved.tier).toMatch(/^T[123]$/);
			expect(saved.owner).toMatch(/@acme-analytics\.example$/);
			// In HubSpot itself: one contact, HubSpot's own properties where it has them.
			const contacts = [...n8n.hubspot.objects('contacts').values()].filter((r) => r.properties.email === email);
			expect(contacts).toHaveLength(1);
			expect(contacts[0].properties).toMatchObject({ firstname: 'Hana', lastname: 'Ito', jobtitle: 'CRO', revops_intent_category: 'Pricing', revops_lead_key: key });
			const notes = [...n8n.hubspot.objects('notes').values()].filter((r) => r.properties.revops_lead_key === key && r.properties.revops_type === 'form_submission');
			expect(notes.map((n) => n.properties.hs_note_body)).toEqual(['Pricing for 80 seats, please']);
			expect(await crmHistory(n8n, 'lead', key)).toEqual(expect.arrayContaining([{ field: 'status', before: null, after: 'new', writer: 'rule:Save Lead' }]));
			const message = await waitFor('the owner message', () => n8n.alerts.received.find((a) => a.path === '/slack' && String(a.body?.text).includes(email))?.body.text as string | undefined);
			expect(message).toContain(`New ${saved.tier} lead for you: Hana Ito, Ito Logistics`);
		});

		it('runs the pipeline progression (MEDDICC) template on HubSpot: the fields with their quotes on the deal, the deal contact with its role, the approved stage', async () => {
			await pipelineProgressionCase(n8n);
		});
	});

	// And once more with Acme's records in Salesforce: again only REVOPS_COMPANY changes.
	(Number(version.split('.')[0]) >= 2 ? describe : describe.skip)('the same inbound templates with the company\'s records in Salesforce, swapped by the config alone', () => {
		beforeAll(() => restartForCompany(n8n, SALESFORCE_COMPANY), INSTANCE_START_MS);

		it('takes a form submission into Salesforce: a Lead with its fit, intent, summary and owner, the submission as a task, the owner told', async () => {
			n8n.model.reset();
			n8n.model.script(summaryAnswer('Omar Haddad, VP Sales at Haddad Freight, asks for a demo for 40 reps.'));
			const email = `omar.haddad.${Date.now()}@haddad-freight.com`;
			const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Omar Haddad', email, '+1 415 555 0142', 'Haddad Freight', 'VP Sales', 'https://haddad-freight.com', 'US', 'A demo for our 40 reps, please'], '?utm_source=linkedin&utm_medium=paid');
			expect(result.status).toBe('form-waiting');
			expect(decodeHtml(result.html)).toContain('We received your request, Omar.');
			const key = `email:${email}`;
			const saved = await waitFor('the lead in Salesforce with its owner', async () => {
				const l = (await crmRecords(n8n, 'lead'))[key];
				return l?.owner ? l : undefined;
			}, { timeoutMs: 90_000 });
			expect(saved).toMatchObject({ email, firstName: 'Omar', lastName: 'Haddad', company: 'Haddad Freight', country: 'US', leadSource: 'linkedin', tier: saved.icpTier, tierSource: 'fit', leadSummary: 'Omar Haddad, VP Sales at Haddad Freight, asks for a demo for 40 reps.', status: 'new', slaStage: 'open' });
			expect(saved.owner).toMatch(/@acme-analytics\.example$/);
			// In Salesforce itself: one Lead on Salesforce's own fields, the RevOps ones beside them, its changes recorded.
			const leads = [...n8n.salesforce.records('Lead').values()].filter((r) => r.Email === email);
			expect(leads).toHaveLength(1);
			expect(leads[0]).toMatchObject({ FirstName: 'Omar', LastName: 'Haddad', Company: 'Haddad Freight', Title: 'VP Sales', RevOps_Key__c: key, RevOps_Status__c: 'new' });
			const tasks = [...n8n.salesforce.records('Task').values()].filter((t) => t.Description === 'A demo for our 40 reps, please');
			expect(tasks).toHaveLength(1);
			// On the lead (WhoId), where a rep sees it.
			expect(tasks[0]).toMatchObject({ Subject: 'Form submission', Status: 'Completed', WhoId: leads[0].Id });
			expect(await crmHistory(n8n, 'lead', key)).toEqual(expect.arrayContaining([{ field: 'status', before: null, after: 'new', writer: 'rule:Save Lead' }]));
			const message = await waitFor('the owner message', () => n8n.alerts.received.find((a) => a.path === '/slack' && String(a.body?.text).includes(email))?.body.text as string | undefined);
			expect(message).toContain(`New ${saved.tier} lead for you: Omar Haddad, Haddad Freight`);
		});

		it('runs the pipeline progression (MEDDICC) template on Salesforce: the fields with their quotes on the deal, the deal contact with its role, the approved stage', async () => {
			await pipelineProgressionCase(n8n);
		});
	});
});
