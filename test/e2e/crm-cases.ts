import { DataTableStore } from '../../nodes/shared/domain/crm/data-table-store';
import { storeContract } from '../crm/store-contract';
import { allDelivered, HUBSPOT_CLIENT_SECRET, HUBSPOT_COMPANY, postCrm, SALESFORCE_COMPANY, type Instance } from './n8n-instance';

/**
 * The RevOps CRM node in a real n8n, on every backend: Acme (US SaaS) keeps its records in n8n's Data
 * Tables, Nordwind (EU services) in PostgreSQL, and the same Acme config with `crm.backend: hubspot` in
 * HubSpot and with `crm.backend: salesforce` in Salesforce (the stand-ins, test/vendors/): the same
 * cases, swapped by the company config alone. Registered by the scoring
 * suite on its n8n 2.x instance (one n8n start less in CI; 1.123 has no Data Tables in its public API
 * and runs the PostgreSQL smoke test there). Runs last on that instance: the crash test restarts n8n.
 */
export function crmCases(instance: () => Instance, version: string) {
	const companies = ['acme_saas', 'nordwind_services', HUBSPOT_COMPANY, SALESFORCE_COMPANY];
	const backends: Record<string, string> = { acme_saas: 'dataTables', nordwind_services: 'postgres', [HUBSPOT_COMPANY]: 'hubspot', [SALESFORCE_COMPANY]: 'salesforce' };
	let n8n: Instance;
	beforeAll(() => {
		n8n = instance();
	});

	const leads = (company: string, list: Array<Record<string, unknown>>) => postCrm(n8n, 'revops-test-crm-lead', company, { leads: list });
	const account = (company: string, body: Record<string, unknown>) => postCrm(n8n, 'revops-test-crm-account', company, body);

	describe.each(companies)('company %s', (company) => {
		const backend = backends[company];
		// HubSpot's company industry is its own dropdown (the config maps it there): values of its options.
		const [industry, otherIndustry] = backend === 'hubspot' ? ['MACHINERY', 'RETAIL'] : ['Manufacturing', 'Retail'];
		const domain = `${company.replace('_', '-')}-${version.replace(/\./g, '')}`;

		it('creates a lead, then merges a repeat submission into it: counted, first touch kept, status never reset', async () => {
			const [first] = await leads(company, [{ email: `ana@${domain}-newco.com`, firstName: 'Ana', utm_source: 'google', message: 'Need pricing' }]);
			expect(first.crm).toMatchObject({ backend, companyId: company, action: 'created', isNew: true });
			const [again] = await leads(company, [{ email: `ana@${domain}-newco.com`, firstName: 'Ana', utm_source: 'linkedin', message: 'Any news?' }]);
			expect(again.crm).toMatchObject({ backend, action: 'updated', isNew: false, repeat: true, record: { key: first.crm.record.key, duplicates: 1 } });
			expect(again.crm.record.fields).toMatchObject({ status: 'new', firstTouchSource: 'google', leadSource: 'linkedin', message: 'Any news?' });
			expect(again.crm.activityId).toBeTruthy();
			expect(again.crm.activityId).not.toBe(first.crm.activityId);
		});

		it('recognises an existing customer by its account and gives the lead the account\'s tier and owner', async () => {
			const [written] = await account(company, { fields: { domain: `${domain}-customer.com`, name: 'Customer Co', tier: 'T1', owner: 'owner@fund.example', lifecycle: 'customer' }, writtenBy: 'rule', writer: 'seed' });
			expect(written.crm.action).toBe('created');
			const [lead] = await leads(company, [{ email: `buyer@${domain}-customer.com`, firstName: 'Bo', message: 'More seats please' }]);
			expect(lead.crm).toMatchObject({ existingCustomer: true, tier: 'T1', tierSource: 'account', owner: 'owner@fund.example', account: { domain: `${domain}-customer.com`, lifecycle: 'customer' } });
		});

		it('keeps a value a person validated when a rule writes the field again', async () => {
			await account(company, { fields: { domain: `${domain}-valid.com`, industry }, writtenBy: 'human', writer: 'dana@fund.example', validated: 'industry' });
			const [byRule] = await account(company, { fields: { domain: `${domain}-valid.com`, industry: otherIndustry, employeeCount: 420 }, writtenBy: 'rule', writer: 'enrichment' });
			expect(byRule.crm.record.fields).toMatchObject({ industry, employeeCount: 420 });
			expect(byRule.crm.skipped).toEqual([expect.objectContaining({ field: 'industry', reason: 'validated', offered: otherIndustry })]);
		});

		it('makes one lead of eight submissions of it arriving at once, and counts the other seven', async () => {
			const email = `rush@${domain}-rush.com`;
			const outs = await Promise.all(Array.from({ length: 8 }, (_, i) => leads(company, [{ email, firstName: 'Rush', message: `attempt ${i}`, receivedAt: new Date(Date.now() - i * 1000).toISOString() }])));
			const crm = outs.map(([o]) => o.crm);
			expect(crm.filter((c) => c.action === 'created')).toHaveLength(1);
			expect(new Set(crm.map((c) => c.record.id)).size).toBe(1);
			const [last] = await leads(company, [{ email, firstName: 'Rush', message: 'final', receivedAt: new Date().toISOString() }]);
			expect(last.crm.record.duplicates).toBe(8);
		});
	});

	describe('HubSpot as the system of record', () => {
		const stamp = version.replace(/\./g, '');
		const contactsOf = (pattern: RegExp) => [...n8n.hubspot.objects('contacts').values()].filter((r) => pattern.test(String(r.properties.email)));

		it('writes a batch of accounts of which HubSpot refuses one: that item answers HubSpot\'s words, the others are in HubSpot', async () => {
			const accounts = [
				{ domain: `ok1-${stamp}.example`, name: 'Ok One', industry: 'RETAIL' },
				{ domain: `bad-${stamp}.example`, name: 'Bad', industry: 'Robotics' },
				{ domain: `ok2-${stamp}.example`, name: 'Ok Two', industry: 'COMPUTER_SOFTWARE' },
			];
			const out = await postCrm(n8n, 'revops-test-crm-accounts', HUBSPOT_COMPANY, { accounts });
			expect(out).toHaveLength(3);
			expect(out.map((o) => o.crm?.action ?? 'error')).toEqual(['created', 'error', 'created']);
			expect(JSON.stringify(out[1])).toMatch(/Robotics was not one of the allowed options/);
			const domains = [...n8n.hubspot.objects('companies').values()].map((r) => r.properties.domain).filter((d) => d?.endsWith(`-${stamp}.example`));
			expect(domains.sort()).toEqual([`ok1-${stamp}.example`, `ok2-${stamp}.example`]);
		});

		it('meets a 429 storm (other integrations using up the portal\'s limit) and still writes every lead once', async () => {
			const limits = { tenSecondlyMax: n8n.hubspot.tenSecondlyMax, windowMs: n8n.hubspot.windowMs };
			Object.assign(n8n.hubspot, { tenSecondlyMax: 8, windowMs: 1000 });
			// Another integration has just used the whole window.
			n8n.hubspot.window = Array.from({ length: 8 }, () => Date.now());
			const before = n8n.hubspot.log.length;
			try {
				const outs = await Promise.all(Array.from({ length: 4 }, (_, i) => leads(HUBSPOT_COMPANY, [{ email: `storm${i}@storm-${stamp}.com`, firstName: `Storm ${i}`, message: 'Pricing please' }])));
				expect(outs.map((out) => out[0]?.crm?.action ?? JSON.stringify(out).slice(0, 400))).toEqual(['created', 'created', 'created', 'created']);
			} finally {
				Object.assign(n8n.hubspot, limits);
			}
			const answers = n8n.hubspot.log.slice(before).map((l: { status: number }) => l.status);
			expect(answers.filter((s: number) => s === 429).length).toBeGreaterThan(0);
			expect(contactsOf(new RegExp(`^storm\\d@storm-${stamp}\\.com$`))).toHaveLength(4);
		});

		it('writes through the OAuth2 credential of a public app: n8n renews the expired token, and keeps the new one', async () => {
			const write = async (email: string) => {
				const res = await n8n.server.fetchWhenRegistered('/webhook/revops-test-crm-hubspot-oauth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lead: { dedupeKey: `email:${email}`, email, firstName: 'Olu' } }) });
				if (res.status !== 200) {
					// Say why the run failed rather than only that it did.
					const [last] = await n8n.server.executions('RvOpsTestHsOAu1');
					const data = last ? await n8n.server.executionData(last.id) : null;
					throw new Error(`${res.status}: ${await res.text()}; run ${last?.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 1500)}`);
				}
				return (await res.json()) as Array<{ crm: Record<string, any> }>;
			};
			const issued = n8n.hubspot.tokensIssued;
			const [first] = await write(`olu@oauth-${stamp}.com`);
			expect(first.crm).toMatchObject({ backend: 'hubspot', action: 'created' });
			// Renewed (calls in flight together when the old token failed may each have renewed it).
			const renewed = n8n.hubspot.tokensIssued;
			expect(renewed).toBeGreaterThan(issued);
			const [second] = await write(`olu2@oauth-${stamp}.com`);
			expect(second.crm.action).toBe('created');
			// The renewed token was stored with the credential: no renewal for the next run.
			expect(n8n.hubspot.tokensIssued).toBe(renewed);
			expect(contactsOf(new RegExp(`^olu2?@oauth-${stamp}\\.com$`))).toHaveLength(2);
		});

		describe('started by HubSpot\'s webhooks (RevOps CRM Trigger)', () => {
			const workflowId = 'RvOpsTestCrmTrg1';
			const hookUrl = () => `${n8n.server.baseUrl}/webhook/5e6f7a80-0000-4000-8000-0000000000e2/revops-crm`;
			const delivered = () => allDelivered(n8n.hubspot);
			beforeAll(() => {
				n8n.hubspot.subscribe({ url: hookUrl(), clientSecret: HUBSPOT_CLIENT_SECRET, appId: 4711, subscriptions: { contacts: { creation: true, properties: ['email', 'firstname', 'revops_status', 'revops_recommended_next_step', 'revops_lead_version'] } } });
			});
			afterAll(() => n8n.hubspot.subscribe(null));

			// The write-back names its run, so every write changes the record: were our own writes not told
			// apart, each would start the next run, without end.
			it('runs once for a person\'s change in HubSpot, writes back, and never for its own writes (no loop)', async () => {
				const before = (await n8n.server.executions(workflowId)).length;
				const [lead] = await leads(HUBSPOT_COMPANY, [{ email: `lou@loop-${stamp}.com`, firstName: 'Lou', message: 'Hello' }]);
				expect(lead.crm.action).toBe('created');
				await delivered();
				// Our own creation and its property changes reached the trigger and started nothing.
				expect(n8n.hubspot.deliveries.length).toBeGreaterThan(0);
				expect(n8n.hubspot.deliveries.map((d) => [d.status, d.answer?.started])).toEqual(n8n.hubspot.deliveries.map(() => [200, 0]));
				const seen = n8n.hubspot.deliveries.length;

				n8n.hubspot.humanEdit('contacts', lead.crm.record.id, { firstname: 'Louisa' });
				const run = await n8n.server.waitForExecution(workflowId, before);
				expect(run.status).toBe('success');
				const runs = await n8n.server.executionRuns(run.id);
				// This trigger puts a reference to the company's config on its items (Put On Items); the
				// write-back loaded the config from the file by the company id.
				const carried = runs['RevOps CRM Trigger'][0][0][0].json.companyConfig;
				expect(carried).toMatchObject({ configReference: { companyId: 'acme_hubspot' }, crm: { backend: 'hubspot' } });
				expect(carried).not.toHaveProperty('playbooks');
				const out = runs['Write Back To The Lead'][0][0];
				expect(out[0].json.crm).toMatchObject({ backend: 'hubspot', action: 'updated', record: { key: lead.crm.record.key, fields: { status: 'working', firstName: 'Louisa', recommendedNextStep: `Call Louisa about the change (run ${run.id})` } } });
				await delivered();
				// The person's edit started one run; the run's write-back came back as events and started none.
				const answers = n8n.hubspot.deliveries.slice(seen).map((d) => [d.status, d.answer?.started]);
				// (A call that starts a run is answered by n8n itself: "Workflow was started".)
				expect(answers[0][0]).toBe(200);
				expect(answers[0][1]).toBeUndefined();
				expect(answers.length).toBeGreaterThan(1);
				expect(answers.slice(1)).toEqual(answers.slice(1).map(() => [200, 0]));
				expect((await n8n.server.executions(workflowId)).length).toBe(before + 1);
				const stored = [...n8n.hubspot.objects('contacts').values()].find((r) => r.properties.email === `lou@loop-${stamp}.com`)!;
				expect(stored.properties).toMatchObject({ firstname: 'Louisa', revops_status: 'working', revops_lead_version: `${lead.crm.record.key}@2` });
			});

			it('starts nothing for a call HubSpot did not sign', async () => {
				const before = (await n8n.server.executions(workflowId)).length;
				const body = JSON.stringify([{ eventId: 1, subscriptionType: 'contact.propertyChange', objectId: 1000, propertyName: 'firstname', propertyValue: 'Mallory', occurredAt: Date.now() }]);
				const forged = await fetch(hookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'Zm9yZ2Vk', 'x-hubspot-request-timestamp': String(Date.now()) }, body });
				expect(forged.status).toBe(401);
				expect(await forged.text()).toMatch(/signature does not match/);
				const unsigned = await fetch(hookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
				expect(unsigned.status).toBe(401);
				expect((await n8n.server.executions(workflowId)).length).toBe(before);
			});
		});
	});

	describe('Salesforce as the system of record', () => {
		const stamp = `sf${version.replace(/\./g, '')}`;

		it('logs a meeting with its start and length as a calendar Event, and a call as a Task', async () => {
			const [meeting] = await account(SALESFORCE_COMPANY, { object: 'activity', fields: { externalId: `mtg-${stamp}`, type: 'meeting', occurredAt: '2026-12-08T15:00:00Z', durationMinutes: 45, summary: 'Demo for the ops team' }, writtenBy: 'rule', writer: 'e2e' });
			const [call] = await account(SALESFORCE_COMPANY, { object: 'activity', fields: { externalId: `call-${stamp}`, type: 'call', occurredAt: '2026-12-08T16:00:00Z', durationMinutes: 10, summary: 'Follow-up call' }, writtenBy: 'rule', writer: 'e2e' });
			expect(meeting.crm).toMatchObject({ backend: 'salesforce', action: 'created', record: { id: expect.stringMatching(/^00U/), fields: { type: 'meeting', durationMinutes: 45 } } });
			expect(call.crm).toMatchObject({ action: 'created', record: { id: expect.stringMatching(/^00T/) } });
			expect(n8n.salesforce.records('Event').get(meeting.crm.record.id)).toMatchObject({ Subject: 'Meeting', StartDateTime: '2026-12-08T15:00:00.000+0000', DurationInMinutes: 45, Description: 'Demo for the ops team' });
			expect(n8n.salesforce.records('Task').get(call.crm.record.id)).toMatchObject({ Subject: 'Call', Status: 'Completed', Description: 'Follow-up call' });
			// Written again: found among the Events and merged, not a second one.
			const [again] = await account(SALESFORCE_COMPANY, { object: 'activity', fields: { externalId: `mtg-${stamp}`, outcome: 'Proposal requested' }, writtenBy: 'rule', writer: 'e2e' });
			expect(again.crm).toMatchObject({ action: 'updated', record: { id: meeting.crm.record.id, revision: 2 } });
		});

		it('writes a batch of accounts of which Salesforce refuses one: that item answers Salesforce\'s words, the others are in Salesforce', async () => {
			const accounts = [
				{ domain: `ok1-${stamp}.example`, name: 'Ok One' },
				{ domain: `long-${stamp}.example`, name: `A name longer than Salesforce's 255 characters ${'x'.repeat(260)}` },
				{ domain: `ok2-${stamp}.example`, name: 'Ok Two' },
			];
			const out = await postCrm(n8n, 'revops-test-crm-accounts', SALESFORCE_COMPANY, { accounts });
			expect(out).toHaveLength(3);
			expect(out.map((o) => o.crm?.action ?? 'error')).toEqual(['created', 'error', 'created']);
			expect(JSON.stringify(out[1])).toMatch(/STRING_TOO_LONG/);
			const keys = [...n8n.salesforce.records('Account').values()].map((r) => String(r.RevOps_Key__c)).filter((k) => k.endsWith(`-${stamp}.example`));
			expect(keys.sort()).toEqual([`ok1-${stamp}.example`, `ok2-${stamp}.example`]);
		});

		describe('started by Salesforce\'s outbound messages (RevOps CRM Trigger)', () => {
			const workflowId = 'RvOpsTestCrmTrg2';
			const hookUrl = () => `${n8n.server.baseUrl}/webhook/5e6f7a80-0000-4000-8000-0000000000e3/revops-crm`;
			const delivered = () => allDelivered(n8n.salesforce);
			const acked = (d: { status: number; answer: string | null }) => d.status === 200 && /<Ack>true<\/Ack>/.test(String(d.answer));
			beforeAll(() => n8n.salesforce.outboundMessage({ url: hookUrl(), object: 'Lead', fields: ['Email', 'FirstName', 'RevOps_Status__c', 'RevOps_Key__c', 'LastModifiedById', 'CreatedById', 'CreatedDate', 'LastModifiedDate'] }));
			afterAll(() => n8n.salesforce.outboundMessage(null));

			// The write-back names its run, so every write changes the record: were our own writes not told
			// apart, each would start the next run, without end.
			it('runs once for a person\'s change in Salesforce, writes back, and never for its own writes (no loop)', async () => {
				const before = (await n8n.server.executions(workflowId)).length;
				const [lead] = await leads(SALESFORCE_COMPANY, [{ email: `lou@loop-${stamp}.com`, firstName: 'Lou', message: 'Hello' }]);
				expect(lead.crm.action).toBe('created');
				await delivered();
				// Our own creation reached the trigger, was acknowledged, and started nothing.
				expect(n8n.salesforce.deliveries.length).toBeGreaterThan(0);
				expect(n8n.salesforce.deliveries.every(acked)).toBe(true);
				expect((await n8n.server.executions(workflowId)).length).toBe(before);
				const seen = n8n.salesforce.deliveries.length;

				n8n.salesforce.humanEdit('Lead', lead.crm.record.id, { FirstName: 'Louisa' });
				const run = await n8n.server.waitForExecution(workflowId, before);
				expect(run.status).toBe('success');
				const out = (await n8n.server.executionRuns(run.id))['Write Back To The Lead'][0][0];
				expect(out[0].json.crm).toMatchObject({ backend: 'salesforce', action: 'updated', record: { key: lead.crm.record.key, fields: { status: 'working', firstName: 'Louisa', recommendedNextStep: `Call Louisa about the change (run ${run.id})` } } });
				await delivered();
				// The person's edit started one run; the run's write-back came back as a message and started none.
				expect(n8n.salesforce.deliveries.length).toBeGreaterThan(seen + 1);
				expect(n8n.salesforce.deliveries.every(acked)).toBe(true);
				expect((await n8n.server.executions(workflowId)).length).toBe(before + 1);
				const stored = [...n8n.salesforce.records('Lead').values()].find((r) => r.Email === `lou@loop-${stamp}.com`)!;
				expect(stored).toMatchObject({ FirstName: 'Louisa', RevOps_Status__c: 'working', RevOps_Revision__c: 2 });
			});

			it('starts nothing for a message from another org, and tells the sender why', async () => {
				const before = (await n8n.server.executions(workflowId)).length;
				const body = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D000000000EVL</OrganizationId><ActionId>04k</ActionId><Notification><Id>04l1</Id><sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00Q5g0000000001</sf:Id><sf:FirstName>Mallory</sf:FirstName><sf:LastModifiedById>005000000000EVL</sf:LastModifiedById></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
				const forged = await fetch(hookUrl(), { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
				expect(forged.status).toBe(403);
				expect(await forged.text()).toMatch(/not the org the credential signs in to/);
				expect((await n8n.server.executions(workflowId)).length).toBe(before);
			});
		});
	});

	it('survives a crash in the middle of a 4,000-lead write: rerun, every lead once, nothing half-written (PostgreSQL)', async () => {
		const stamp = '2026-11-30T10:00:00.000Z';
		const batch = Array.from({ length: 4000 }, (_, i) => ({ email: `crash${i}@crash-test-${i}.com`, firstName: `C${i}`, message: 'hello', receivedAt: stamp }));
		const count = () => {
			try {
				return Number(n8n.postgres.queryValue('revops_crm', "SELECT count(*) FROM nordwind_crm.revops_record WHERE object = 'lead' AND fields->>'email' LIKE 'crash%'"));
			} catch {
				return 0; // the schema is created by the first write
			}
		};
		const sent = leads('nordwind_services', batch).catch(() => null);
		// Kill n8n once the first batches are in, while later ones are still being written.
		const deadline = Date.now() + 120_000;
		while (count() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		await n8n.server.crash();
		await sent;
		const afterCrash = count();
		expect(afterCrash).toBeGreaterThan(0);
		// Whether the kill landed mid-write is reported, not assumed (the machine's speed decides).
		process.stdout.write(`crash test: ${afterCrash} of 4000 leads were written before the kill\n`);
		await n8n.server.start();
		await n8n.server.signIn();
		const outs = await leads('nordwind_services', batch);
		expect(outs).toHaveLength(4000);
		expect(count()).toBe(4000);
		const actions = outs.map((o) => o.crm.action);
		expect(actions.filter((a) => a === 'already_applied').length + actions.filter((a) => a === 'created').length).toBe(4000);
		expect(n8n.postgres.queryValue('revops_crm', "SELECT coalesce(sum(duplicates), 0) FROM nordwind_crm.revops_record WHERE fields->>'email' LIKE 'crash%'")).toBe('0');
		// Every lead's creation is in its history exactly once (its dedupeKey field), none half-written.
		expect(n8n.postgres.queryValue('revops_crm', "SELECT count(*) FROM nordwind_crm.revops_history h JOIN nordwind_crm.revops_record r ON r.id = h.record_id WHERE r.fields->>'email' LIKE 'crash%' AND h.field = 'dedupeKey'")).toBe('4000');
	});

	{
		describe('Data Tables backend against n8n\'s public API (the store contract)', () => {
			let prefix = 0;
			storeContract(async () => {
				const apiKey = await n8n.server.createApiKey(`contract ${(prefix += 1)}`);
				const base = `${n8n.server.baseUrl}/api/v1`;
				const http = async (request: { method: string; path: string; qs?: Record<string, string | number | boolean>; body?: unknown }) => {
					const url = new URL(`${base}${request.path}`);
					for (const [k, v] of Object.entries(request.qs ?? {})) url.searchParams.set(k, String(v));
					const res = await fetch(url, { method: request.method, headers: { 'X-N8N-API-KEY': apiKey, 'content-type': 'application/json' }, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
					const text = await res.text();
					if (!res.ok) throw new Error(`${request.method} ${request.path} -> ${res.status}: ${text.slice(0, 300)}`);
					return text ? JSON.parse(text) : null;
				};
				return new DataTableStore(http, 'contract', base);
			});
		});
	}
}
