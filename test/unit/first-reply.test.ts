import fc from 'fast-check';
import { firstReplyFor } from '../../nodes/shared/domain/routing/first-reply';

describe('routing: who is owed a first reply', () => {
	it('owes one to a new lead that is not Disqualified and not held for review, whoever routed it', () => {
		for (const tier of ['T1', 'T2', 'T3', undefined]) {
			for (const decidedBy of ['round-robin', 'account-owner', 'rule', undefined, null]) {
				const decision = firstReplyFor({ isNew: true, tier, decidedBy });
				expect(decision.owed).toBe(true);
				expect(decision.reason).toContain('a new');
			}
		}
		expect(firstReplyFor({ isNew: true, tier: 'T2', decidedBy: 'round-robin' }).reason).toBe('a new T2 lead, not Disqualified and not held for review');
	});

	it('owes none to a repeat submission, a Disqualified lead or one in the review queue, and says which', () => {
		expect(firstReplyFor({ isNew: false, tier: 'T1', decidedBy: 'existing-owner' })).toEqual({ owed: false, reason: expect.stringContaining('repeat submission') });
		expect(firstReplyFor({ isNew: true, tier: 'Disqualified', decidedBy: 'round-robin' })).toEqual({ owed: false, reason: expect.stringContaining('Disqualified') });
		expect(firstReplyFor({ isNew: true, tier: 'T1', decidedBy: 'review-queue' })).toEqual({ owed: false, reason: expect.stringContaining('review queue') });
		// A repeat is named first: it is the reason nobody drafts again, whatever else holds.
		expect(firstReplyFor({ isNew: false, tier: 'Disqualified', decidedBy: 'review-queue' }).reason).toContain('repeat submission');
	});

	it('counts only a literal true as new: hostile or missing values never start a reply', () => {
		fc.assert(
			fc.property(fc.anything(), fc.anything(), fc.anything(), (isNew, tier, decidedBy) => {
				const decision = firstReplyFor({ isNew, tier, decidedBy });
				expect(typeof decision.reason).toBe('string');
				expect(decision.owed).toBe(isNew === true && tier !== 'Disqualified' && decidedBy !== 'review-queue');
			}),
			{ numRuns: 2000, seed: 7 },
		);
		for (const isNew of ['true', 1, {}, [true], null, undefined]) expect(firstReplyFor({ isNew, tier: 'T1', decidedBy: 'round-robin' }).owed).toBe(false);
	});
});
