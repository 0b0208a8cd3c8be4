import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { hostileValue, sample } from './hostile-arbitraries';
import { node, runNode } from './workflow-runner';

// The Reply Classifier in n8n's execution engine: messages as an Email Trigger (IMAP) and a webhook hand
// them over, each on the output of its kind; hostile items never stop the run.
jest.setTimeout(120_000);

describe('Reply Classifier', () => {
	it('routes replies, unsubscribes, bounces and automatic replies, from an IMAP trigger\'s or a webhook\'s shape', async () => {
		const items = [
			{ from: { value: [{ address: 'Jonas@Kunde.example', name: 'Jonas' }], text: 'Jonas <Jonas@Kunde.example>' }, subject: 'Re: A quick idea', text: 'Thursday works.\n\nOn Tue, Lena wrote:\n> Reply STOP to unsubscribe' },
			{ body: { from: 'eva@kunde.example', subject: 'Re: Idee', text: 'Bitte abmelden.' } },
			{ from: 'MAILER-DAEMON@mx.example', subject: 'Undelivered Mail Returned to Sender', text: 'Final-Recipient: rfc822; gone@kunde.example\nAction: failed' },
			{ from: 'max@kunde.example', subject: 'Out of Office: A quick idea', text: 'Back on Monday.' },
		];
		const result = await runNode(node('Reply Classifier', 'replyClassifier', {}), items.map((json) => ({ json: json as IDataObject })));
		const [reply, unsubscribe, bounce, auto] = result.outputs('Reply Classifier');
		expect(reply.map((i) => (i.json.mailEvent as IDataObject).leadEmail)).toEqual(['jonas@kunde.example']);
		expect(unsubscribe.map((i) => (i.json.mailEvent as IDataObject).leadPatch)).toEqual([{ unsubscribedAt: expect.any(String), repliedAt: expect.any(String) }]);
		expect(bounce.map((i) => (i.json.mailEvent as IDataObject).leadEmail)).toEqual(['gone@kunde.example']);
		expect(auto.map((i) => (i.json.mailEvent as IDataObject).leadPatch)).toEqual([null]);
		expect([reply, unsubscribe, bounce, auto].flat().map((i) => (i.pairedItem as { item: number }).item).sort()).toEqual([0, 1, 2, 3]);
	});

	it('never stops a run on one item\'s data: 5,000 hostile messages, items in == items out', async () => {
		const items = sample(fc.record({ from: hostileValue, subject: hostileValue, text: hostileValue, headers: hostileValue }), 5_000);
		const result = await runNode(node('Reply Classifier', 'replyClassifier', {}), items.map((json) => ({ json: json as IDataObject })));
		expect(result.run.status).not.toBe('error');
		const out = result.outputs('Reply Classifier').flat();
		expect(out).toHaveLength(items.length);
		for (const item of out) {
			const event = item.json.mailEvent as IDataObject;
			if (event.leadPatch) expect(String(event.leadEmail)).toMatch(/@/);
		}
	});
});
