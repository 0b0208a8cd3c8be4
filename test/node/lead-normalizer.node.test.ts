import { node, runNode } from './workflow-runner';

const VALID = 0;
const INVALID = 1;

function leadNormalizer(parameters: Record<string, unknown> = {}, extra = {}) {
	return node('Lead Normalizer', 'leadNormalizer', { defaultCountry: 'US', ...parameters } as never, extra);
}

async function normalize(items: Array<Record<string, unknown>>, parameters = {}, extra = {}) {
	const result = await runNode(leadNormalizer(parameters, extra), items.map((json) => ({ json: json as never })));
	return { result, outputs: result.outputs('Lead Normalizer') };
}

describe('Lead Normalizer in n8n\'s execution engine', () => {
	it('routes valid and invalid leads, one output item per input item, paired to its input', async () => {
		const { outputs } = await normalize([
			{ Email: 'Jane.Doe@Acme-Robotics.com', Name: 'jane doe', Phone: '(415) 555-0132', Company: 'acme robotics' },
			{ Email: 'not-an-email', Name: 'Bob' },
			{ email: 'ops@globex.de', phone: '030 1234567', country: 'Deutschland' },
		]);
		expect(outputs[VALID].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(outputs[INVALID].map((i) => i.pairedItem)).toEqual([{ item: 1 }]);

		const jane = outputs[VALID][0].json as any;
		expect(jane.Email).toBe('Jane.Doe@Acme-Robotics.com');
		expect(jane.lead).toMatchObject({
			email: 'jane.doe@acme-robotics.com',
			phone: '+14155550132',
			firstName: 'Jane',
			lastName: 'Doe',
			company: 'Acme Robotics',
			companyDomain: 'acme-robotics.com',
			domainSource: 'email',
			dedupeKey: 'email:jane.doe@acme-robotics.com',
		});
		expect(jane.crmPatch).toMatchObject({ email: 'jane.doe@acme-robotics.com', phone: '+14155550132' });
		expect(jane.crmPatch).not.toHaveProperty('jobTitle');
		expect(jane._meta).toMatchObject({ node: 'leadNormalizer', decidedBy: 'rule', fieldMap: { email: 'Email', fullName: 'Name' } });
		expect(jane._meta.rulesetVersion).toMatch(/^[0-9a-f]{12}$/);
		expect(jane.auditTrail).toHaveLength(1);

		const globex = outputs[VALID][1].json as any;
		expect(globex.lead).toMatchObject({ country: 'DE', phone: '+49301234567', phoneCountry: 'DE' });

		const bob = outputs[INVALID][0].json as any;
		expect(bob.Email).toBe('not-an-email');
		expect(bob.validation.valid).toBe(false);
		expect(bob.validation.reasons.map((r: any) => r.code)).toEqual(expect.arrayContaining(['email_invalid', 'missing_required']));
	});

	it('reads fields mapped by expression in "Map Each Field" mode', async () => {
		const { outputs } = await normalize(
			[{ contact: { mail: 'ANA@Initech.io', tel: '+44 20 7946 0958' }, org: 'Initech' }],
			{
				mappingMode: 'manual',
				fields: { email: '={{ $json.contact.mail }}', phone: '={{ $json.contact.tel }}', company: '={{ $json.org }}' },
			},
		);
		expect(outputs[VALID]).toHaveLength(1);
		expect((outputs[VALID][0].json as any).lead).toMatchObject({ email: 'ana@initech.io', phone: '+442079460958', phoneCountry: 'GB', company: 'Initech' });
	});

	it('tries user-given field names before the built-in ones', async () => {
		const { outputs } = await normalize([{ email: 'info@wrong.com', properties: { hs_work_mail: 'right@acme.com' } }], {
			extraFieldNames: { names: [{ field: 'email', names: 'hs_work_mail' }] },
		});
		expect((outputs[VALID][0].json as any).lead.email).toBe('right@acme.com');
		expect((outputs[VALID][0].json as any)._meta.fieldMap.email).toBe('properties.hs_work_mail');
	});

	it('turns hostile input into flagged items, never a crash, and keeps items in == items out', async () => {
		const huge = 'x'.repeat(1_000_000);
		const inputs = [
			{ email: 12345, phone: null, name: ['a', 'b'] },
			{ email: { nested: true }, phone: true, company: huge },
			{ email: `${huge}@acme.com`, message: huge },
			{ email: 'رائد@مثال.مصر', name: 'رائد محمد', company: '😀 Emoji Corp' },
			{ email: '<script>alert(1)</script>', name: '<b>Jane</b> Doe', website: 'javascript:alert(1)' },
			{},
		];
		const { outputs } = await normalize(inputs);
		const total = outputs.reduce((n, o) => n + o.length, 0);
		expect(total).toBe(inputs.length);
		const all = outputs.flat().map((i) => i.json as any);
		for (const item of all) {
			expect(item.validation).toBeDefined();
			expect(JSON.stringify(item.lead).length).toBeLessThan(50_000);
		}
		const html = all.find((i) => i.name === '<b>Jane</b> Doe');
		expect(html.lead.fullName).toBe('Jane Doe');
		expect(html.validation.warnings.map((w: any) => w.code)).toContain('html_removed');
		// None of these has a usable e-mail or phone, so all are invalid, each with its reasons.
		expect(outputs[INVALID]).toHaveLength(inputs.length);
		const rtl = all.find((i) => i.name === 'رائد محمد');
		expect(rtl.lead).toMatchObject({ fullName: 'رائد محمد', company: '😀 Emoji Corp' });
		const tooLong = all.find((i) => typeof i.email === 'string' && i.email.length > 1000);
		expect(tooLong.validation.reasons[0].code).toBe('email_invalid');
	});

	it('stops with an error naming the item and the fix when the calendar is misconfigured', async () => {
		await expect(
			normalize([{ email: 'a@acme.com' }], { calendar: { timezone: 'Mars/Olympus' } }).then((r) => r.result.run.data.resultData.error),
		).resolves.toMatchObject({ message: 'Time zone "Mars/Olympus" is not known', description: expect.stringContaining('IANA') });
	});

	it("counts the SLA in the company's business hours when a Company Config node ran before and the node sets no calendar", async () => {
		// Friday 2026-11-27 16:30 UTC: 17:30 in Berlin (after the company's 17:00 close), 11:30 in New York.
		const berlin = { calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '08:30', dayEnd: '17:00', holidays: ['11-30'] } };
		const lead = { email: 'a@acme.com', receivedAt: '2026-11-27T16:30:00.000Z' };
		const { outputs } = await normalize([{ ...lead, companyConfig: berlin }, lead], { firstResponseSlaMinutes: 30 });
		const due = (l: any) => ({ afterHours: l.afterHours, due: new Date(l.firstResponseDueAt).toISOString() });
		const [company, plain] = outputs[VALID].map((i) => due((i.json as any).lead));
		// Berlin: after hours, Monday the 30th a holiday, so 08:30 + 30 minutes on Tuesday, Berlin time.
		expect(company).toEqual({ afterHours: true, due: '2026-12-01T08:00:00.000Z' });
		// No config on the item: Monday to Friday, 09:00-17:00 UTC.
		expect(plain).toEqual({ afterHours: false, due: '2026-11-27T17:00:00.000Z' });
		// The node's own calendar wins over the company's.
		const own = await normalize([{ ...lead, companyConfig: berlin }], { firstResponseSlaMinutes: 30, calendar: { timezone: 'America/New_York' } });
		expect(due((own.outputs[VALID][0].json as any).lead)).toEqual({ afterHours: false, due: '2026-11-27T17:00:00.000Z' });
	});

	it('takes the default country and the first-response SLA from the Company Config on the item when told to, the fields counting where the config has none', async () => {
		const config = { company: { country: 'DE' }, slas: { firstResponseMinutes: { default: 15 } } };
		// Tuesday 10:00 UTC, inside the default working day: the deadline is the SLA's minutes later.
		const lead = { email: 'a@acme.com', phone: '030 1234567', receivedAt: '2026-12-01T10:00:00.000Z' };
		const { outputs } = await normalize([{ ...lead, companyConfig: config }, { ...lead, companyConfig: {} }, lead], { companySettings: true, defaultCountry: 'US', firstResponseSlaMinutes: 45 });
		const read = (i: number) => (outputs[VALID][i].json as any).lead;
		expect([read(0).phone, read(0).firstResponseDueAt]).toEqual(['+49301234567', '2026-12-01T10:15:00.000+00:00']);
		// A config without them, and no config: the node's own fields.
		for (const i of [1, 2]) expect([read(i).phone, read(i).firstResponseDueAt]).toEqual([expect.not.stringMatching(/^\+49/), '2026-12-01T10:45:00.000+00:00']);
		// Off (the default): the fields, whatever the config says.
		const off = await normalize([{ ...lead, companyConfig: config }], { defaultCountry: 'US', firstResponseSlaMinutes: 45 });
		expect((off.outputs[VALID][0].json as any).lead.firstResponseDueAt).toBe('2026-12-01T10:45:00.000+00:00');
	});

	it("writes the reply deadline for the sender in the calendar's zone and the set language, and names the field of a bad locale", async () => {
		const berlin = { calendar: { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '08:30', dayEnd: '17:00', holidays: [] } };
		// Friday 2026-11-27 16:30 UTC (17:30 Berlin, closed): due Monday 08:30 + 30 min Berlin time, winter time.
		const lead = { email: 'a@acme.com', receivedAt: '2026-11-27T16:30:00.000Z', companyConfig: berlin };
		const plain = await normalize([lead], { firstResponseSlaMinutes: 30 });
		expect((plain.outputs[VALID][0].json as any).lead).toMatchObject({ firstResponseDueAt: '2026-11-30T09:00:00.000+01:00', firstResponseDueText: 'Monday, Nov 30, 09:00 GMT+1' });
		// The deadline text is for a person: crmPatch carries the instant only.
		expect((plain.outputs[VALID][0].json as any).crmPatch).not.toHaveProperty('firstResponseDueText');
		const german = await normalize([lead], { firstResponseSlaMinutes: 30, options: { deadlineTextFormat: "cccc, d. LLLL, HH:mm 'Uhr'", deadlineTextLocale: 'de-DE' } });
		expect((german.outputs[VALID][0].json as any).lead.firstResponseDueText).toBe('Montag, 30. November, 09:00 Uhr');
		const bad = await normalize([lead], { options: { deadlineTextLocale: 'not a language!' } });
		expect(bad.result.run.data.resultData.error).toMatchObject({ message: expect.stringContaining('not a language!'), description: expect.stringContaining('en-US') });
	});

	it('sends failing items to the error output, paired to their input, when "On Error" continues', async () => {
		const { outputs } = await normalize([{ email: 'a@acme.com' }, { email: 'b@acme.com' }], { calendar: { dayStart: '18:00', dayEnd: '09:00' } }, { onError: 'continueErrorOutput' });
		expect(outputs).toHaveLength(3);
		expect(outputs[2]).toHaveLength(2);
		expect(outputs[0]).toHaveLength(0);
		expect(outputs[1]).toHaveLength(0);
		expect(outputs[2][0].json.error).toContain('ends (09:00) before it starts (18:00)');
		expect(outputs[2][0].error?.description).toContain('later than its start');
		expect(outputs[2].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
