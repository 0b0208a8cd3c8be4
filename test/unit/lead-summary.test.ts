import { capWords, checkGrounding } from '../../nodes/shared/domain/summary/grounding';
import { LeadSummarizer, TEMPLATE_WORDS, type SummaryInput } from '../../nodes/shared/domain/summary/lead-summary';

const input: SummaryInput = {
	name: 'Jane Doe', title: 'VP of Sales', company: 'Acme Robotics', country: 'United States',
	source: 'linkedin', medium: 'paid', campaign: 'q4-launch', category: 'Pricing', urgency: 'high',
	message: 'We need pricing for 50 seats before our Q1 rollout. Do you support Salesforce?', transcript: null,
};
const summarizer = new LeadSummarizer({ maxWords: 40, language: 'English', prompt: 'At most {{maxWords}} words in {{language}}.' });

describe('grounding check', () => {
	it('accepts numbers and names from the input, in any case or format', () => {
		expect(checkGrounding('Jane Doe at Acme Robotics wants 50 seats and Salesforce support for Q1.', summarizer.sourceText(input))).toEqual({ grounded: true, unsupported: [] });
	});

	it('flags numbers, names and companies the input does not contain', () => {
		const check = checkGrounding('Jane wants 500 seats, competing with Globex; budget $20,000 approved by Tom.', summarizer.sourceText(input));
		expect(check.grounded).toBe(false);
		expect(check.unsupported).toEqual(expect.arrayContaining(['500', 'Globex', '$20,000', 'Tom']));
	});

	it('caps words at a boundary', () => {
		expect(capWords('one two three four', 3)).toEqual({ text: 'one two three…', truncated: true });
		expect(capWords(' one  two ', 3)).toEqual({ text: 'one two', truncated: false });
	});
});

describe('LeadSummarizer', () => {
	it('writes a template summary from the fields alone, grounded by construction', () => {
		const s = summarizer.template(input);
		expect(s).toMatchObject({ method: 'template', grounded: true, recommendedNextStep: 'send pricing and book a call today', mainQuestions: ['Do you support Salesforce?'] });
		expect(s.text).toBe('Jane Doe (VP of Sales, Acme Robotics) in United States came in via linkedin / paid / q4-launch. Intent: Pricing, high urgency. They wrote: "We need pricing for 50 seats before our Q1 rollout."');
		expect(checkGrounding(s.text, summarizer.sourceText(input), TEMPLATE_WORDS)).toEqual({ grounded: true, unsupported: [] });
		expect(s.noteText.split('\n')[0]).toBe('*Jane Doe, VP of Sales, Acme Robotics*');
	});

	it('keeps the format instructions out of the editable prompt and the message delimited', () => {
		expect(summarizer.systemPrompt).toMatch(/^At most 40 words in English\.\n/);
		expect(summarizer.systemPrompt).toContain('Answer with JSON only');
		expect(summarizer.userMessage(input)).toContain('<untrusted_input name="message">');
	});

	it('marks a model summary that invents facts as not grounded, and caps its length', () => {
		const answer = { summary: 'Jane from Acme Robotics needs 500 seats. '.repeat(10), useCase: null, recommendedNextStep: 'call', mainQuestions: [], topics: [], goals: [] };
		const s = summarizer.fromModel(answer, input);
		expect(s).toMatchObject({ method: 'model', grounded: false, unsupported: ['500'], truncated: true });
		expect(s.words).toBe(40);
	});
});
