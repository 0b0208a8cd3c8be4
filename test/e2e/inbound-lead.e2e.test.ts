import { decodeHtml, startInstance, submitForm, VERSIONS, type Instance } from './n8n-instance';

describe.each(VERSIONS)('n8n %s with n8n-nodes-revops installed from the packed tarball', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version);
	});
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
		expect(ours).toHaveLength(9);
		for (const name of ours) {
			const node = types.find((t) => t.name === name);
			expect(node).toMatchObject({ usableAsTool: true, subtitle: expect.any(String) });
			expect(node.codex.alias).toContain('RevOps');
			// The editor's search lists AI nodes as sub-nodes unless they are Root Nodes, as n8n's Text Classifier is.
			if (node.codex.categories.includes('AI')) expect(node.codex.subcategories.AI).toEqual(expect.arrayContaining(['Root Nodes']));
			expect(types.some((t) => t.name === `${name}Tool`)).toBe(true);
			for (const icon of [node.iconUrl.light, node.iconUrl.dark]) {
				const res = await fetch(`${n8n.server.baseUrl}/${icon}`, { headers: { cookie: n8n.server.cookie! } });
				expect(res.status).toBe(200);
				expect(await res.text()).toMatch(/^<svg/);
			}
		}
		expect(types.find((t) => t.name === 'n8n-nodes-revops.leadNormalizer')).toMatchObject({ displayName: 'Lead Normalizer', outputNames: ['Valid', 'Invalid'] });
	});

	const summaryAnswer = (summary: string) => ({
		match: (b: any) => b.response_format?.json_schema?.name === 'lead_summary',
		json: { summary, useCase: null, recommendedNextStep: 'send pricing and book a call', mainQuestions: [], topics: [], goals: [] },
	});

	it('takes a form submission through the Lead Normalizer into the leads Data Table and thanks the submitter', async () => {
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

		const rows = await n8n.server.dataTableRows('revops_leads');
		const row = rows.find((r: any) => r.dedupe_key === 'email:jane.doe@acme-robotics.com');
		expect(row).toMatchObject({
			status: 'new',
			email: 'jane.doe+web@acme-robotics.com',
			phone: '+14155550132',
			first_name: 'Jane',
			last_name: 'Doe',
			company: 'Acme Robotics',
			company_domain: 'acme-robotics.com',
			website: 'https://www.acme-robotics.com/about',
			country: 'US',
			lead_source: 'linkedin',
			utm_medium: 'paid',
			utm_campaign: 'q4-launch',
			source_complete: true,
			free_mail: false,
			ruleset_version: expect.stringMatching(/^[0-9a-f]{12}$/),
			job_title: 'VP of Sales',
			icp_score: 100,
			icp_tier: 'T1',
			route: 'account-executive',
			// Pricing is a keyword rule: decided without the model, which only wrote the summary.
			intent_category: 'Pricing',
			intent_confidence: 1,
			intent_decided_by: 'rule',
			intent_labels: 'Pricing',
			buying_stage: 'decision',
			summary: 'Jane Doe, VP of Sales at Acme Robotics, needs pricing for 50 seats.',
			summary_method: 'model',
			model_error: '',
		});
		expect(n8n.model.chatRequests()).toHaveLength(1);
		expect(row.icp_explanation).toBe('100/100; up: Core market = US (+25), Work e-mail: yes (+25).');
		expect(typeof row.after_hours).toBe('boolean');
		expect(new Date(row.first_response_due_at).getTime()).toBeGreaterThan(new Date(row.received_at).getTime());
	});

	it('keeps one row per lead when the same person submits again (upsert on the dedupe key)', async () => {
		n8n.model.script(summaryAnswer('Jane Doe of Acme Robotics is following up on pricing.'));
		await submitForm(n8n.server, 'revops-inbound-lead', ['Jane Doe', 'jane.doe@acme-robotics.com', '', 'Acme Robotics', '', '', 'US', 'Following up on pricing']);
		const rows = await n8n.server.dataTableRows('revops_leads');
		const jane = rows.filter((r: any) => r.dedupe_key === 'email:jane.doe@acme-robotics.com');
		expect(jane).toHaveLength(1);
		expect(jane[0].message).toBe('Following up on pricing');
		// No title and no campaign this time: the ICP Scorer re-tiers the lead from what this submission says.
		expect(jane[0]).toMatchObject({ icp_score: 65, icp_tier: 'T2', route: 'sdr' });
	});

	it('sends an unusable submission to the rejects table with its reasons, and tells the submitter why', async () => {
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Spam Bot', 'bot@mailinator.com', 'n/a', '', '', '', 'Atlantis', 'buy now']);
		expect(decodeHtml(result.html)).toContain('disposable e-mail addresses are not accepted');
		const rejects = await n8n.server.dataTableRows('revops_lead_rejects');
		const reject = rejects.find((r: any) => r.email === 'bot@mailinator.com');
		expect(reject).toMatchObject({ name: 'Spam Bot', reasons: expect.stringContaining('disposable') });
		expect(reject.warnings).toEqual(expect.stringContaining('country_unknown'));
		const leads = await n8n.server.dataTableRows('revops_leads');
		expect(leads.some((r: any) => r.email === 'bot@mailinator.com')).toBe(false);
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

	it('quarantines spam and sends support requests away from sales, without asking the model', async () => {
		n8n.model.reset();
		const spam = await submitForm(n8n.server, 'revops-inbound-lead', ['Max Win', 'max@winbig-promos.com', '', 'Win Big', '', '', 'US', 'Claim your bitcoin giveaway at our casino']);
		expect(decodeHtml(spam.html)).toContain('passed it to the right team');
		const support = await submitForm(n8n.server, 'revops-inbound-lead', ['Ola Nordmann', 'ola@nordic-customer.no', '', 'Customer Co', '', '', 'NO', 'The export is not working since Monday']);
		expect(decodeHtml(support.html)).toContain('passed it to the right team');
		expect(n8n.model.chatRequests()).toHaveLength(0);

		const quarantine = await n8n.server.dataTableRows('revops_quarantine');
		expect(quarantine).toEqual([expect.objectContaining({ email: 'max@winbig-promos.com', rule: 'Spam/keyword:casino' })]);
		const others = await n8n.server.dataTableRows('revops_other_requests');
		expect(others).toEqual([expect.objectContaining({ email: 'ola@nordic-customer.no', category: 'Support', queue: 'support', decided_by: 'rule' })]);
		const leads = await n8n.server.dataTableRows('revops_leads');
		expect(leads.some((r: any) => r.email === 'max@winbig-promos.com' || r.email === 'ola@nordic-customer.no')).toBe(false);
	});

	it('asks the model about messages rules cannot place, and stores its category, confidence and summary', async () => {
		n8n.model.reset();
		n8n.model.script(
			{
				match: (b: any) => b.response_format?.json_schema?.name === 'intent',
				json: { category: 'Demo Request', confidence: 0.82, reason: 'wants to see the product for a team', urgency: 'medium', buyingStage: 'consideration' },
			},
			summaryAnswer('Li Wei from Northwind Freight is evaluating tools for the field team.'),
		);
		await submitForm(n8n.server, 'revops-inbound-lead', ['Li Wei', 'li.wei@northwind-freight.de', '', 'Northwind Freight', 'Ops Manager', '', 'DE', 'We are evaluating tools for our field team']);
		const row = (await n8n.server.dataTableRows('revops_leads')).find((r: any) => r.email === 'li.wei@northwind-freight.de');
		expect(row).toMatchObject({
			intent_category: 'Demo Request',
			intent_confidence: 0.82,
			intent_decided_by: 'model',
			urgency: 'medium',
			summary: 'Li Wei from Northwind Freight is evaluating tools for the field team.',
			summary_method: 'model',
		});
		const [intentRequest] = n8n.model.chatRequests();
		expect(JSON.stringify(intentRequest.body.messages)).toContain('<untrusted_input name=\\"message\\">');
	});

	it('still saves the lead, unclassified and with a template summary, when the model is down', async () => {
		n8n.model.reset();
		n8n.model.respondWith(() => ({ status: 500 }));
		const result = await submitForm(n8n.server, 'revops-inbound-lead', ['Ana Lima', 'ana@lima-logistics.com.br', '', 'Lima Logistics', '', '', 'BR', 'Tell me more about your platform']);
		n8n.model.reset();
		expect(decodeHtml(result.html)).toContain('We received your request, Ana.');
		const row = (await n8n.server.dataTableRows('revops_leads')).find((r: any) => r.email === 'ana@lima-logistics.com.br');
		// The summary falls back to the template, which only restates what the lead gave us.
		expect(row).toMatchObject({ intent_category: 'unclassified', intent_decided_by: 'error', summary_method: 'template', icp_tier: 'T3' });
		expect(row.summary).toContain('Ana Lima');
		expect(row.model_error).toMatch(/500.*; .*500/);
	}, 120_000);
});
