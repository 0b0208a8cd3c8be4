import {
	NodeConnectionTypes,
	NodeOperationError,
	type NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { EMPTY_CHAT_CONFIG, type ChatConfig } from '../../shared/domain/chat/config';
import { checkGrounding } from '../../shared/domain/chat/grounding';
import { CHAT_LANGUAGES, type ChatLanguage } from '../../shared/domain/chat/lexicon';
import { chatMessage } from '../../shared/domain/chat/messages';
import { answerPrompt } from '../../shared/domain/chat/prompt';
import { sourceIndexFor, type SourceHit } from '../../shared/domain/chat/sources';
import { CHAT_STATE_VERSION, decideTurn, newChatState, recordAnswer, type ChatState, type TurnDecision } from '../../shared/domain/chat/turn';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { LONG_TEXT } from '../../shared/domain/crm/model';
import { updateState } from '../../shared/domain/crm/state';
import { addAudit, mergeCrmPatch, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { openCrmStore, readCompanyConfig, crmCredentials } from '../../shared/n8n/crm-store';
import { itemParameter, routeBatch, routeItems, type RoutedItem } from '../../shared/n8n/item-router';
import { parameterOrItem } from '../../shared/n8n/item-defaults';
import { readPrompt } from '../../shared/n8n/prompt-files';
import { ANSWER_OUTPUT, chatHandoffProperties, configuredOutputs, HANDOFF_OUTPUT, REPLY_OUTPUT } from './description';

const DEFAULT_INSTRUCTIONS = readPrompt('chat-answer.md');
const MAX_SESSION_ID = 200;
/** What the visitor reads when their message could not be handled (the run keeps the reason). */
const SORRY = 'Sorry, something went wrong on our side. Could you send that again?';

type Operation = 'decideTurn' | 'checkAnswer' | 'searchSources';

function chatOf(loaded: LoadedCompanyConfig): ChatConfig {
	return loaded.config.chat ?? EMPTY_CHAT_CONFIG;
}

/** A session's stored state, or null for a new one (or one written by an older format). */
function storedState(value: unknown): ChatState | null {
	return value && typeof value === 'object' && (value as ChatState).v === CHAT_STATE_VERSION ? (value as ChatState) : null;
}

function transcriptText(state: ChatState, max: number): string {
	const text = state.transcript.map((t) => `${t.role === 'user' ? 'Visitor' : 'Assistant'} (${t.turn}): ${t.text}`).join('\n');
	return text.length > max ? `...${text.slice(text.length - max + 3)}` : text;
}

const sourceView = (s: SourceHit) => ({ id: s.id, title: s.title, url: s.url, score: s.score, coverage: Math.round(s.coverage * 100) / 100, text: s.text });

export class ChatHandoffV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ({decideTurn: "Decide turn", checkAnswer: "Check answer", searchSources: "Search approved sources"})[$parameter["operation"]] }}',
			defaults: { name: 'Chat Handoff' },
			inputs: [NodeConnectionTypes.Main],
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			usableAsTool: true,
			credentials: [
				...crmCredentials(),
			],
			properties: chatHandoffProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const node = this.getNode();
		const started = Date.now();
		const audit = (loaded: LoadedCompanyConfig, decidedBy: AuditEntry['decidedBy'] = 'rule'): AuditEntry => nodeAudit('chatHandoff', node.typeVersion, loaded.version, started, decidedBy);

		if (operation === 'searchSources') {
			// No store: a search reads only the config's sources (as a tool, many calls per answer).
			return await routeItems(this, 1, 0, (item, i) => {
				const loaded = readCompanyConfig(this, i);
				const chat = chatOf(loaded);
				const query = String(itemParameter(this, 'query', i, '', () => undefined) ?? '');
				const found = sourceIndexFor(loaded.version, chat.sources).find(query, chat.minCoverage, 5);
				return { output: 0, json: addAudit({ sources: { query: query.slice(0, 500), answerable: found.answerable, hits: found.hits.map(sourceView) } }, audit(loaded)) };
			});
		}

		const outputCount = operation === 'decideTurn' ? 3 : 1;
		const replyOutput = operation === 'decideTurn' ? REPLY_OUTPUT : 0;
		// One item's failure (a store conflict) still answers the visitor, on the Reply output, and says why.
		const refuse = (item: INodeExecutionData, error: NodeOperationError | NodeApiError): RoutedItem => ({
			output: replyOutput,
			json: { ...item.json, chat: { route: 'reply', action: 'refused', reply: SORRY, error: error.message, fix: error.description ?? null }, output: SORRY },
		});

		return await routeBatch(
			this,
			outputCount,
			0,
			async (items) => {
				const { store, config } = await openCrmStore(this, 0);
				const loaded = config as LoadedCompanyConfig;
				const chat = chatOf(loaded);
				const company = loaded.config.company;
				const index = sourceIndexFor(loaded.version, chat.sources);
				const results: Array<RoutedItem | Error> = [];
				for (let i = 0; i < items.length; i++) {
					try {
						const sessionId = parameterOrItem(this, 'sessionId', i, (json) => json.sessionId);
						if (typeof sessionId !== 'string' || sessionId.trim() === '' || sessionId.length > MAX_SESSION_ID) {
							throw new NodeOperationError(node, 'No usable session ID on the item', {
								itemIndex: i,
								description: `Session ID must be the conversation's ID (text, at most ${MAX_SESSION_ID} characters): put this node after a Chat Trigger, or set Session ID to where your chat sends it`,
							});
						}
						const key = `chat:${company.id}:${sessionId.trim()}`;
						const now = new Date();
						if (operation === 'decideTurn') {
							const message = parameterOrItem(this, 'message', i, (json) => json.chatInput);
							const ctx = { config: chat, index, companyName: company.name, country: company.country ?? null, now };
							const { result } = await updateState<ChatState, { state: ChatState; decision: TurnDecision }>(store, key, (current) => {
								const turn = decideTurn(storedState(current), message, sessionId.trim(), ctx);
								return { value: turn.state, result: turn };
							});
							results.push(turnItem(items[i], result.state, result.decision, loaded, audit(loaded)));
						} else {
							results.push(await answerItem(this, items[i], i, key, sessionId.trim(), chat, loaded, store, now, audit));
						}
					} catch (error) {
						results.push(error as Error);
					}
				}
				return results;
			},
			refuse,
		);
	}
}

/** The item of a decided turn: the decision, the prompt for the model, and on handoff the lead and the transcript activity. */
function turnItem(item: INodeExecutionData, state: ChatState, decision: TurnDecision, loaded: LoadedCompanyConfig, entry: AuditEntry): RoutedItem {
	const route = decision.handoff ? 'handoff' : decision.action;
	const view: IDataObject = {
		sessionId: state.sessionId,
		turn: state.turn,
		language: state.language,
		phase: state.phase,
		route,
		reply: decision.reply,
		followUp: decision.followUp,
		offered: decision.offered,
		declined: state.declined,
		asking: state.asking,
		events: decision.events,
		signals: decision.signals as unknown as IDataObject[],
		question: decision.question,
		answerable: decision.answerable,
		sources: decision.sources.map(sourceView),
		injection: decision.injection,
		redacted: decision.redacted,
	};
	const json: IDataObject = { ...item.json, chat: view, output: decision.reply };
	if (decision.action === 'answer' && !decision.handoff) {
		const instructions = loaded.config.prompts['chat-answer.md'] ?? DEFAULT_INSTRUCTIONS;
		view.prompt = answerPrompt(instructions, loaded.config.company.name, state, String(item.json.chatInput ?? state.transcript.filter((t) => t.role === 'user').pop()?.text ?? ''), decision.sources);
	}
	if (decision.handoff) {
		const { contact, summary } = decision.handoff;
		const transcript = transcriptText(state, LONG_TEXT - summary.text.length - 200);
		view.handoff = { contact: contact as IDataObject, summary: summary as unknown as IDataObject, transcript };
		// The conversation as the CRM keeps it: one chat activity per session.
		json.crmPatch = mergeCrmPatch(json, {
			externalId: `chat:${state.sessionId}`,
			type: 'chat',
			outcome: 'handed off to sales',
			summary: `${summary.text}\n\nTranscript:\n${transcript}`.slice(0, LONG_TEXT),
			occurredAt: state.startedAt,
			contactEmail: contact.email,
		});
	}
	return { output: decision.handoff ? HANDOFF_OUTPUT : decision.action === 'answer' ? ANSWER_OUTPUT : REPLY_OUTPUT, json: addAudit(json, entry) };
}

/** After the model: keep what the sources support, add what follows, record it in the conversation. */
async function answerItem(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
	key: string,
	sessionId: string,
	chat: ChatConfig,
	loaded: LoadedCompanyConfig,
	store: Awaited<ReturnType<typeof openCrmStore>>['store'],
	now: Date,
	audit: (loaded: LoadedCompanyConfig, decidedBy?: AuditEntry['decidedBy']) => AuditEntry,
): Promise<RoutedItem> {
	let turn = itemParameter(ctx, 'turn', i, null, () => undefined) as IDataObject | string | null;
	if (typeof turn === 'string') {
		try {
			turn = JSON.parse(turn) as IDataObject;
		} catch {
			turn = null;
		}
	}
	if (!turn || typeof turn !== 'object' || !Array.isArray(turn.sources)) {
		throw new NodeOperationError(ctx.getNode(), 'No Decide Turn result for this answer', {
			itemIndex: i,
			description: 'Set Turn to the chat field of the Decide Turn node\'s item, e.g. {{ $(\'Decide Turn\').item.json.chat }} (the default expects that node name)',
		});
	}
	const sources = (turn.sources as IDataObject[]).map((s) => ({ id: String(s.id), text: String(s.text ?? '') }));
	const language = (CHAT_LANGUAGES as readonly unknown[]).includes(turn.language) ? (turn.language as ChatLanguage) : chat.language;
	const answer = parameterOrItem(ctx, 'answer', i, (json) => json.output ?? '');
	const grounding = checkGrounding(answer, sources, (passage) => chatMessage(chat, language, 'answerFallback', { passage }));
	const followUp = typeof turn.followUp === 'string' && turn.followUp ? turn.followUp : null;
	const reply = [grounding.text, followUp].filter(Boolean).join('\n\n');
	await updateState<ChatState, null>(store, key, (current) => ({ value: recordAnswer(storedState(current) ?? newChatState(sessionId, language, now), reply, now), result: null }));
	const json: IDataObject = {
		sessionId,
		chat: { ...turn, prompt: undefined, reply, grounding: { usedModel: grounding.usedModel, removed: grounding.removed, citations: grounding.citations } as unknown as IDataObject },
		output: reply,
	};
	return { output: 0, json: addAudit(json, audit(loaded, grounding.usedModel ? 'model' : 'fallback')) };
}
