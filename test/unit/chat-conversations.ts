/* eslint-disable @typescript-eslint/no-require-imports */
import { parseCompanyConfig } from '../../nodes/shared/domain/crm/company-config';
import { EMPTY_CHAT_CONFIG } from '../../nodes/shared/domain/chat/config';
import { sourceIndexFor } from '../../nodes/shared/domain/chat/sources';
import type { TurnContext, TurnDecision, ChatState } from '../../nodes/shared/domain/chat/turn';

/** The scripted conversations (test/fixtures/chat/conversations.json) and what their expectations mean. */

export interface ScriptedTurn {
	user: string;
	expect: string | string[];
}
export interface ScriptedConversation {
	name: string;
	company: string;
	turns: ScriptedTurn[];
	handoff: Record<string, string> | null;
}

export const CONVERSATIONS: ScriptedConversation[] = require('../fixtures/chat/conversations.json').conversations;

/** "LONG:<text>" stands for the text followed by 20,000 characters of filler. */
export const messageOf = (turn: ScriptedTurn) => (turn.user.startsWith('LONG:') ? turn.user.slice(5) + 'lorem ipsum dolor sit amet '.repeat(800) : turn.user);

export const expectations = (turn: ScriptedTurn) => (Array.isArray(turn.expect) ? turn.expect : [turn.expect]);

export function contextFor(company: string, now = new Date('2026-12-02T15:00:00Z')): TurnContext {
	const loaded = parseCompanyConfig(require(`../../workflows/companies/${company}.json`));
	const config = loaded.config.chat ?? EMPTY_CHAT_CONFIG;
	return { config, index: sourceIndexFor(loaded.version, config.sources), companyName: loaded.config.company.name, country: loaded.config.company.country ?? null, now };
}

/** Which expectations a decided turn misses (empty: all hold). */
export function unmet(expect: string[], decision: Pick<TurnDecision, 'action' | 'events' | 'offered'>, state: Pick<ChatState, 'asking'>): string[] {
	return expect.filter((e) => {
		const [kind, field] = e.split(':');
		switch (kind) {
			case 'answer':
				return decision.action !== 'answer';
			case 'offer':
				return !decision.offered;
			case 'noOffer':
				return decision.offered;
			case 'ask':
				return state.asking !== field;
			case 'invalid':
				return !decision.events.includes('invalid') || state.asking !== field;
			case 'handoff':
				return !decision.events.includes('handedOff');
			default:
				return !decision.events.includes(kind as TurnDecision['events'][number]);
		}
	});
}
