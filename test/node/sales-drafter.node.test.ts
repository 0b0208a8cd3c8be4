import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { usePostgres } from '../crm/pg-server';
import type { IConnections, IDataObject } from 'n8n-workflow';
import { normalizeTier } from '../../nodes/shared/domain/approval/policy';
import { hostileModel, hostileText, hostileValue, ITEMS, sample } from './hostile-arbitraries';
import { useTestModel } from './test-model';
import { node, runWorkflow } from './workflow-runner';
/* eslint-disable @typescript-eslint/no-require-imports */
const { exampleFor } = require('../model-server/server') as { exampleFor: (schema: unknown) => unknown };

// The Sales Drafter in n8n's execution engine with Acme's config (its approved content, banned phrases
// and footer), against the test model server: grounded drafts sent for T3 only, invented facts cut and
// the draft sent to a person, T1 only ever for the owner, the template without a model.
jest.setTimeout(600_000);

const FOOTER = 'Not interested? Reply STOP and we will not write again.';
const lead = (tier: string, extra: IDataObject = {}) => ({
	lead: { firstName: 'Dana', fullName: 'Dana Lee', email: 'dana@globex.example', company: 'Globex', jobTitle: 'CFO', message: 'We close our books in 12 days and want to get faster.', dedupeKey: 'dana@globex.example' },
	icp: { tier },
	owner: { name: 'Ana Ortiz', email: 'ana@acme.example' },
	topic: 'a faster month-end close',
	...extra,
});
const GROUNDED = { subject: 'A faster month-end close', body: 'Hi Dana, thanks for your note about closing your books in 12 days. Finance teams close their books 4 days faster with Acme Analytics. Would a short call help? Best regards, Ana Ortiz' };
const INVENTED = { subject: 'Globex and Initech', body: `${GROUNDED.body} Initech saved $2M with us last year. We can give you 20% off if you sign by Friday.` };

describe('Sales Drafter in n8n\'s execution engine', () => {
	const { server, credentials } = useTestModel();
	const withModel = { credentials: { revOpsModelApi: { id: '1', name: 't' } } };

	async function draft(items: IDataObject[], params: IDataObject = {}, extra: IDataObject = withModel) {
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'acme_saas' }), node('Drafter', 'salesDrafter', { kind: 'firstReply', options: { maxAttempts: 1 }, ...params } as never, extra as never)];
		const connections: IConnections = { Input: { main: [[{ node: 'Company Config', type: 'main', index: 0 }]] }, 'Company Config': { main: [[{ node: 'Drafter', type: 'main', index: 0 }]] } };
		const result = await runWorkflow(nodes, connections, 'Input', items.map((json) => ({ json })), credentials);
		if (result.run.data.resultData.error) throw result.run.data.resultData.error;
		const [send, review, ownerOnly] = result.outputs('Drafter');
		return { send: send ?? [], review: review ?? [], ownerOnly: ownerOnly ?? [], all: [...(send ?? []), ...(review ?? []), ...(ownerOnly ?? [])] };
	}

	it('sends a grounded T3 reply by itself, with the company\'s footer; the record reaches the model as data', async () => {
		server.script({ json: GROUNDED });
		const { send } = await draft([lead('T3')]);
		const d = send[0].json.draft as any;
		expect(d).toMatchObject({ route: 'send', method: 'model', clean: true, subject: 'A faster month-end close', to: 'dana@globex.example', removed: [] });
		expect(d.text.endsWith(FOOTER)).toBe(true);
		expect(d.crmActivity).toMatchObject({ type: 'email', summary: 'A faster month-end close', contactEmail: 'dana@globex.example', leadKey: 'dana@globex.example' });
		expect(send[0].json._meta).toMatchObject({ node: 'salesDrafter', decidedBy: 'model', route: 'send', attempts: 1 });
		const sent = JSON.stringify(server.chatRequests()[0].body.messages);
		expect(sent).toContain('Northwind Traders cut reporting time by 35%'); // the approved content
		expect(sent).toMatch(/untrusted_input name=\\"record\\"/);
	});

	it('asks once more when a draft invents, then cuts what still has no source and has a person review it', async () => {
		server.script({ json: INVENTED }, { json: INVENTED });
		const { send, review } = await draft([lead('T3')]);
		expect(send).toEqual([]);
		const d = review[0].json.draft as any;
		expect(server.chatRequests()).toHaveLength(2);
		expect(JSON.stringify(server.chatRequests()[1].body.messages)).toMatch(/sentences that were removed.*Initech/);
		expect(d.text).not.toMatch(/Initech|\$2M|20%/);
		expect(d.commitments.length).toBeGreaterThan(0);
		expect(d.subject).toBe('Your message to Acme Analytics (US SaaS)'); // the template's, with the config's company name
		expect((review[0].json.riskFlags as string[]).some((f) => f.startsWith('draft: '))).toBe(true);
		expect((review[0].json.trust as any).commitments.length).toBeGreaterThan(0);
	});

	it('never takes a fact from the company config on the item (approvers, quotas): only the record and the approved content count', async () => {
		const fromConfig = { subject: 'Next steps', body: `${GROUNDED.body} Dana Ruiz set our quota at 250,000 for the month.` };
		server.script({ json: fromConfig }, { json: fromConfig });
		const { send, review } = await draft([lead('T3')]);
		expect(send).toEqual([]);
		const d = review[0].json.draft as any;
		expect(d.text).not.toMatch(/Dana Ruiz|250,000/);
		expect(d.removed.flatMap((x: any) => x.detail)).toEqual(expect.arrayContaining(['Ruiz', '250,000'])); // "Dana" is the lead's own name
		// The config was on the item (the Company Config node put it there), and stays there.
		expect((review[0].json.companyConfig as any).approvers[0].name).toBe('Dana Ruiz');
	});

	it('gives T1 drafts to the owner only and T2 drafts to review, however clean; internal briefs to the owner', async () => {
		server.respondWith(() => ({ json: GROUNDED }));
		const out = await draft([lead('T1'), lead('T2'), lead('Tier 3')]);
		expect(out.ownerOnly.map((o) => o.pairedItem)).toEqual([{ item: 0 }]);
		expect(out.review.map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
		expect(out.send.map((o) => o.pairedItem)).toEqual([{ item: 2 }]);
		const brief = await draft([{ ...lead('T3'), account: { name: 'Globex', domain: 'globex.example' }, meddicc: { fields: { identifyPain: { value: 'Month-end close takes 12 days' } } } }], { kind: 'meetingBrief', mode: 'template' }, {});
		expect(brief.ownerOnly[0].json.draft).toMatchObject({ route: 'ownerOnly', method: 'template', to: 'ana@acme.example' });
		expect((brief.ownerOnly[0].json.draft as any).text).toContain('Meeting brief: Globex');
		expect((brief.ownerOnly[0].json.draft as any).crmActivity.type).toBe('note');
	});

	it('writes from the template when the model is down, and a person looks; without the template choice the item fails with the fix', async () => {
		server.script({ status: 500, error: 'down' });
		const { review } = await draft([lead('T3')], { options: { maxAttempts: 1 } });
		expect(review[0].json.draft).toMatchObject({ method: 'fallback', route: 'review', fallbackReason: expect.stringMatching(/^the model failed/) });
		expect((review[0].json.draft as any).text).toContain('Hi Dana,\n\nThank you for reaching out to Acme Analytics (US SaaS). Ana Ortiz will get back to you about "a faster month-end close" shortly.');
		expect(review[0].json._meta).toMatchObject({ decidedBy: 'fallback' });
		// No credential, template mode: no model needed at all.
		const t = await draft([lead('T3')], { mode: 'template' }, {});
		expect(t.send[0].json.draft).toMatchObject({ method: 'template', route: 'send' });
		expect(server.chatRequests()).toHaveLength(1);
	});

	it(`${ITEMS.toLocaleString('en-US')} hostile records, a model that obeys any instruction and invents: nothing invented is sent, every item out once`, async () => {
		server.keepLast(100).respondWith(hostileModel(exampleFor, 19));
		const items = sample(
			fc.record({
				lead: fc.record({ firstName: hostileValue, fullName: hostileValue, email: hostileValue, company: hostileValue, jobTitle: hostileValue, message: hostileText }),
				icp: fc.record({ tier: fc.oneof(fc.constantFrom('T1', 'T2', 'T3', 'T3', 'T3'), hostileValue) }),
				owner: fc.record({ name: hostileValue }),
			}),
		) as IDataObject[];
		const out = await draft(items, { options: { maxAttempts: 2, timeoutSeconds: 10 } });
		expect(out.all).toHaveLength(items.length);
		expect(new Set(out.all.map((o) => (o.pairedItem as { item: number }).item)).size).toBe(items.length);
		for (const o of out.send) {
			const d = o.json.draft as any;
			// Sent means: clean, no promise, nothing the hostile model invented, and a T3 record.
			expect({ clean: d.clean, commitments: d.commitments, removed: d.removed.length, inputSuspect: d.inputSuspect }).toEqual({ clean: true, commitments: [], removed: 0, inputSuspect: false });
			expect(d.text).not.toMatch(/Globex|Victor Stone|\$1,200,000|5,000 seats|2027-01-15|evil\.example|<!channel>/);
			expect(normalizeTier((o.json.icp as any).tier)).toBe('T3'); // "3" and "Tier 3" are T3, as the Approval Gate reads them
			expect(d.text.length).toBeLessThan(5_000);
		}
		for (const o of out.ownerOnly) expect(normalizeTier((o.json.icp as any).tier)).toBe('T1');
		// The generator made sure there was plenty to catch.
		expect(out.review.length).toBeGreaterThan(items.length / 10);
	});
});

describe('Sales Drafter sequences: who is due, who never gets another message, the daily cap across runs', () => {
	const server = usePostgres('revops-drafter-', async () => {
		await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' }).close();
	});
	const credentials = () => ({ revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false } });
	// Nordwind (PostgreSQL), with a cap of 2 messages a day per sender.
	const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'workflows', 'companies', 'nordwind-services-eu.json'), 'utf8'));
	config.drafting.sequence = { dailyCapPerSender: 2 };
	const day = 86_400_000;
	const ago = (d: number) => new Date(Date.now() - d * day).toISOString();
	const lead = (key: string, fields: IDataObject, tier = 'T3') => ({ crm: { object: 'lead', found: true, record: { id: key, fields: { dedupeKey: key, email: `${key}@kunde.example`, firstName: 'Jonas', lastTouchAt: ago(30), ...fields } } }, lead: { firstName: 'Jonas', email: `${key}@kunde.example`, dedupeKey: key }, icp: { tier }, owner: { name: 'Lena Vogt', email: 'lena@nordwind.example' }, topic: 'Einsatzplanung' });

	async function reengage(items: IDataObject[]) {
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'here', config: JSON.stringify(config) }), node('Drafter', 'salesDrafter', { kind: 'reengagement', mode: 'template' } as never, { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } } as never)];
		const connections: IConnections = { Input: { main: [[{ node: 'Company Config', type: 'main', index: 0 }]] }, 'Company Config': { main: [[{ node: 'Drafter', type: 'main', index: 0 }]] } };
		const result = await runWorkflow(nodes, connections, 'Input', items.map((json) => ({ json })), credentials());
		if (result.run.data.resultData.error) throw result.run.data.resultData.error;
		const [send, review, ownerOnly, notNow] = result.outputs('Drafter');
		return { send: send ?? [], review: review ?? [], ownerOnly: ownerOnly ?? [], notNow: notNow ?? [] };
	}

	it('drafts for due leads only and says why the others are not', async () => {
		const out = await reengage([
			lead('due', {}),
			lead('unsubscribed', { unsubscribedAt: ago(40) }),
			lead('bounced', { bouncedAt: ago(2) }),
			lead('replied', { sequenceStartedAt: ago(10), sequenceTouches: 1, lastSequenceAt: ago(10), repliedAt: ago(3) }),
			lead('recent', { lastTouchAt: ago(3) }),
			lead('second', { sequenceStartedAt: ago(9), sequenceTouches: 1, lastSequenceAt: ago(9) }),
			lead('t2', {}, 'T2'),
		]);
		expect(out.send.map((o) => (o.json.lead as any).dedupeKey)).toEqual(['due', 'second']);
		expect(out.review.map((o) => (o.json.lead as any).dedupeKey)).toEqual(['t2']);
		expect(out.notNow.map((o) => [(o.json.lead as any).dedupeKey, (o.json.sequence as any).stopped])).toEqual([['unsubscribed', 'unsubscribed'], ['bounced', 'bounced'], ['replied', 'replied'], ['recent', null]]);
		expect((out.notNow[3].json.sequence as any).reason).toBe('quiet for 3 of 14 days (T3)');
		// The second touch knows it is the second, and what to write once sent.
		const second = out.send[1].json.sequence as any;
		expect(second).toMatchObject({ due: true, touch: 2, leadPatch: { sequenceTouches: 2, lastSequenceAt: expect.any(String) } });
		expect((out.send[0].json.sequence as any).leadPatch).toMatchObject({ sequenceTouches: 1, sequenceStartedAt: expect.any(String) });
	});

	it('holds the daily cap per sender across runs (2 a day): the rest wait for tomorrow', async () => {
		const batch = (n: number, prefix: string) => Array.from({ length: n }, (_, k) => lead(`${prefix}${k}`, {}));
		const as = (sender: string, leads: IDataObject[]) => leads.map((l) => ({ ...l, owner: { name: sender, email: `${sender}@nordwind.example` } }));
		const first = await reengage(as('jan', batch(3, 'cap-a-')));
		expect([first.send.length, first.notNow.length]).toEqual([2, 1]);
		expect((first.notNow[0].json.sequence as any).reason).toMatch(/jan@nordwind\.example has sent the 2 messages of \d{4}-\d{2}-\d{2} \(drafting\.sequence\.dailyCapPerSender\): due again tomorrow/);
		// A later run the same day: nothing more for Jan; another sender still has a full day.
		const later = await reengage([...as('jan', batch(2, 'cap-b-')), ...as('mia', batch(3, 'cap-c-'))]);
		expect(later.send.map((o) => (o.json.owner as any).email)).toEqual(['mia@nordwind.example', 'mia@nordwind.example']);
		expect(later.notNow).toHaveLength(3);
	});
});
