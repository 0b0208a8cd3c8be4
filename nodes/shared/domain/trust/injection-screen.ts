import { screeningViews } from './decode';

/**
 * The one injection screen of the package: every model-based node (and the Approval Gate) runs every
 * field that came from outside through it before a model sees the field or a decision relies on it.
 *
 * It looks for text addressed to an AI or to our process rather than to a salesperson: orders to
 * drop earlier instructions, new roles, prompt markup, and payloads that name our own outputs (a
 * category or tier to set, "approve", "skip review", answer-shaped JSON). Patterns are written for
 * English, German, French, Spanish, Portuguese, Italian, Dutch, Chinese and Japanese, and are matched
 * against every decoded view of the text (see decode.ts), so an encoded or disguised payload is judged
 * as a model would read it. What it misses is still contained: a flagged or unflagged item never earns
 * privilege from text alone (see trust-policy.ts).
 */

export interface ScreenPattern {
	id: string;
	reason: string;
	re: RegExp;
}

// Word boundaries that work for accented letters too (\b does not).
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const w = (body: string) => `${B}(?:${body})${E}`;
const re = (source: string) => new RegExp(source, 'iu');

const AI = 'ai|a\\.i\\.|llm|gpt|chat\\s?gpt|claude|gemini|copilot|assistant|chatbot|bot|language model|model|classifier|ki|künstliche intelligenz|assistent(?:in)?|sprachmodell|modell|ia|intelligence artificielle|assistante?|modèle|inteligencia artificial|asistente|modelo|inteligência artificial|assistente|intelligenza artificiale|modello|taalmodel';
/** Names only an AI goes by: a line opening with one of these and a colon speaks to a model ("Model: X200" does not). */
const AI_STRICT = 'ai|a\\.i\\.|llm|gpt|chat\\s?gpt|claude|gemini|copilot|chatbot|classifier|language model|ki|künstliche intelligenz|sprachmodell|ia|intelligence artificielle|inteligencia artificial|inteligência artificial|intelligenza artificiale|taalmodel';
/** "As an AI company" is a buyer describing itself, not an address to a model. */
const NOT_SELF_DESCRIPTION = '(?![\\s]*[-‐]|\\s+(?:company|vendor|startup|firm|tool|platform|product|solution|provider|team|lab|business|unternehmen|firma|anbieter|entreprise|société|empresa|azienda|società|bedrijf|start-?up)s?(?![\\p{L}]))';
const NEGATED = '(?<!(?:don[\'’]t|do not|never|please don[\'’]t|no|não|nao|non|n[\'’])\\s{0,3})';
const INSTRUCTIONS =
	'instructions?|prompts?|rules?|guidelines?|directions?|directives?|programming|anweisungen|instruktionen|regeln|vorgaben|befehle|richtlinien|consignes|règles|directives|ordres|instrucciones|reglas|indicaciones|órdenes|directrices|instruções|instrucoes|regras|orientações|orientacoes|comandos|diretrizes|istruzioni|regole|indicazioni|comandi|direttive|instructies|regels|aanwijzingen|opdrachten|richtlijnen';

export const SCREEN_PATTERNS: ScreenPattern[] = [
	// 1. Orders to drop what the model was told.
	{
		id: 'ignore-instructions',
		reason: 'asks to ignore earlier instructions',
		re: re(`${NEGATED}${w('ignore|ignoring|disregard|forget|override|bypass|overrule|discard|ignoriere|ignorier|ignorieren|vergiss|vergesst|vergessen|missachte|überschreibe|verwirf|ignorez|ignore[rs]?|oublie[zrs]?|ne tiens pas compte|ne tenez pas compte|ignora|ignorá|ignorar|olvida|olvide|olvidar|omite|descarta|desconsidera|desconsidere|esqueça|esqueca|esquece|ignori|ignorate|dimentica|dimenticate|dimentichi|trascura|tralascia|negeer|negeren|vergeet|vergeten')}(?!\\s+(?:nicht|pas|niet|not|never)${E})[^\\n]{0,60}${w(INSTRUCTIONS)}`),
	},
	{
		id: 'ignore-instructions',
		reason: 'asks to ignore earlier instructions',
		re: re(`${w('previous|prior|above|earlier|preceding|original|system|bisherigen?|vorherigen?|obigen?|vorangegangenen?|précédentes?|precedentes?|antérieures?|ci-dessus|anteriores?|previas?|prévias?|acima|precedenti|sopra|vorige|eerdere|bovenstaande')}\\s+(?:\\p{L}+\\s+){0,2}${w(INSTRUCTIONS)}[^\\n]{0,40}${w('ignore|ignored|forget|forgotten|void|obsolete|no longer apply|do not apply|don\'t apply|ignorieren|vergessen|ungültig|gelten nicht|ignorer|oublier|annulées|caduques|ignorar|olvidar|anuladas|esquecer|ignorare|dimenticare|annullate|negeren|vergeten|vervallen|gelden niet')}`),
	},
	{ id: 'ignore-instructions', reason: 'asks to ignore earlier instructions', re: /(忽略|无视|無視|忘记|忘掉|忘記|不要理会|不要理會|跳过|跳過|不要遵守|覆盖|覆蓋)[^\n]{0,16}(指令|指示|说明|說明|规则|規則|提示|命令|设定|設定|要求)|(指示|命令|ルール|プロンプト|設定|規則|指令)[^\n]{0,12}(無視|忘れ|従わな|破棄)/u },
	{
		id: 'new-instructions',
		reason: 'gives the model new instructions',
		re: re(`${w('new|updated|real|actual|true|hidden|secret|additional|neue|neuen|geheime|nouvelles?|vraies?|nuevas?|nuevos|verdaderas?|novas?|verdadeiras?|nuove|vere|nieuwe|echte')}\\s+(?:\\p{L}+\\s+)?${w(INSTRUCTIONS)}\\s*[:：\\-–]`),
	},
	{ id: 'new-instructions', reason: 'gives the model new instructions', re: /(新的?|真正的|隐藏的|隱藏的)(指令|指示|规则|規則)|新しい(指示|命令|ルール)/u },
	{
		id: 'decode-and-follow',
		reason: 'asks to decode hidden text and act on it',
		re: re(`${w('decode|decrypt|unscramble|translate|read|reverse|dekodiere|entschlüssele|décode[rz]?|déchiffre[rz]?|decodifica|descifra|decodifique|decifra|decodeer')}[^\\n]{0,40}${w('and|then|und|dann|et|puis|y|luego|e|depois|poi|en|dan')}\\s+${w('follow|execute|obey|run|apply|do|befolge|führe|ausführen|suis|suivez|exécute[rz]?|sigue|ejecuta|siga|execute|segui|esegui|volg|voer')}`),
	},
	// 2. Words addressed to an AI instead of a salesperson.
	{
		id: 'addressed-to-ai',
		reason: 'is addressed to an AI, not to a person',
		re: re(`${w('dear|hey|hi|hello|attention|attn|note (?:to|for)|message (?:to|for)|instructions? (?:to|for)|memo (?:to|for)|a note for|liebe[rs]?|hallo|achtung|hinweis (?:an|für)|nachricht an|an die|an den|cher|chère|attention|note (?:à|pour)|message (?:à|pour)|querido|querida|estimado|estimada|hola|atención|nota (?:para|a)|mensaje (?:para|a)|prezado|prezada|caro|cara|olá|atenção|nota per|messaggio per|gentile|ciao|beste|hoi|hallo|let op|bericht aan|notitie voor')}\\s+(?:(?:the|your|our|my|any|die|den|der|deine|ihre|l['’]|le|la|votre|ton|el|tu|su|o|a|seu|sua|il|lo|tuo|vostro|de|het|je|jouw|uw)\\s*)?(?:${AI})${E}`),
	},
	{
		id: 'addressed-to-ai',
		reason: 'is addressed to an AI, not to a person',
		re: re(`(?:^|[\\n.!?;]\\s*|[-*>]\\s*)(?:${AI_STRICT})\\s*(?:[:：]|,\\s*(?:please|you|bitte|du|s'il|por favor|per favore|alsjeblieft|svp))`),
	},
	{
		id: 'addressed-to-ai',
		reason: 'is addressed to an AI, not to a person',
		re: re(`${w('if you are|since you are|you are|as an|as a|wenn du|falls du|du bist|si tu es|si vous êtes|tu es|vous êtes|si eres|eres|se você é|se voce e|você é|se sei|sei|als je|je bent')}\\s+(?:an?\\s+|eine?\\s+|une?\\s+|una?\\s+|um\\s+|uma\\s+|een\\s+)?(?:ai|a\\.i\\.|llm|language model|sprachmodell|ki|ia|modèle de langage|modelo de lenguaje|modelo de linguagem|modello linguistico|taalmodel|chatbot)${E}${NOT_SELF_DESCRIPTION}`),
	},
	{
		id: 'addressed-to-ai',
		reason: 'is addressed to an AI, not to a person',
		re: re(`${w('ai|llm|gpt|assistant|model|bot|classifier|agent|screening|triage|ki|ia|modèle|modelo|modello|system')}s?\\s+${w('reading|processing|parsing|screening|reviewing|analy[sz]ing|classifying|die (?:dies|das) liest|qui lit|que lee|que lê|che legge|die dit leest')}\\s+${w('this|these|dies|ceci|esto|isto|questo|dit')}`),
	},
	{ id: 'addressed-to-ai', reason: 'is addressed to an AI, not to a person', re: /(致|给|給|请|請|亲爱的|親愛的)\s*(AI|ＡＩ|人工智能|人工智慧|助手|模型|机器人|機器人|系统|系統)|(AI|ＡＩ|人工知能|アシスタント|モデル|ボット|システム|分類器)(へ|に|さん)[：:、,。]|^(AI|人工智能|助手|模型|系统|アシスタント|モデル)\s*[：:]/mu },
	// 3. A new role.
	{
		id: 'role-play',
		reason: 'tries to give the model a new role',
		re: re(`${w("you are now (?:an?|the|my|our|in)|you're now (?:an?|the|my|our|in)|from now on,? you|pretend (?:to be|you are)|(?:now|you will|you must|you shall|you should) act as|act as (?:an?|the) (?:ai|system|admin|approver|classifier)|roleplay as|du bist (?:jetzt|nun|ab sofort)|ab (?:jetzt|sofort) bist du|tu es (?:maintenant|désormais)|vous êtes (?:maintenant|désormais)|à partir de maintenant,? (?:tu|vous)|ahora eres|a partir de ahora,? (?:eres|tú|usted)|agora você é|agora voce e|a partir de agora,? (?:você|voce|tu)|ora sei|d['’]ora in poi,? (?:sei|tu)|da ora in poi|je bent nu|vanaf nu ben je|jij bent nu")}`),
	},
	{ id: 'role-play', reason: 'tries to give the model a new role', re: /(你现在是|你現在是|从现在开始|從現在開始|扮演|假装你是|假裝你是|あなたは今|今からあなたは|として振る舞|になりきって)/u },
	// 4. The prompt itself, and prompt markup.
	{
		id: 'system-prompt',
		reason: 'mentions the system prompt or a jailbreak',
		re: re(`${w('system ?prompt|developer message|hidden instructions?|reveal your (?:prompt|instructions)|jailbreak|jailbroken|dan mode|do anything now|systemprompt|systemanweisung|prompt (?:système|systeme|del sistema|do sistema|di sistema)|invite système|systeemprompt')}`),
	},
	{ id: 'system-prompt', reason: 'mentions the system prompt or a jailbreak', re: /(系统提示|系統提示|系统指令|系統指令|システムプロンプト|越狱|越獄|脱獄)/u },
	{
		id: 'fake-markup',
		reason: 'contains chat or prompt markup',
		re: /<\/?\s*(system|assistant|user|untrusted_input|instructions?|sys|prompt|im_start|im_end)\s*>|\[\/?(INST|SYS|SYSTEM)\]|<\|[a-z_]+\|>|<<\/?SYS>>|^\s*#{2,}\s*(system|instructions?|assistant)\b|```\s*(system|instructions?)\b/imu,
	},
	{ id: 'fake-role', reason: 'writes as if it were the system or the assistant', re: /(^|[\n.!?]\s*)(system|assistant|developer|systeem|système|sistema|システム|系统|系統)\s*[:：]/iu },
	// 5. Payloads that name our own outputs.
	{
		id: 'json-injection',
		reason: 'contains answer-shaped JSON',
		re: /["'“”‘’](category|confidence|urgency|tier|approved|approval|decision|needsReview|needs_review|injectionSuspected|fitScore|icpScore|score|route|priority|intent|buyingStage|crmPatch|economicBuyer|champion|status|label)["'“”‘’]\s*[:=]/iu,
	},
	{
		id: 'field-assignment',
		reason: 'sets one of our answer fields',
		re: re(`${w('category|confidence|urgency|priority|tier|score|fit ?score|icp ?score|lead ?score|intent|route|routing|needs ?review|injection ?suspected|approved|approval|decision|kategorie|priorität|catégorie|priorité|categoría|prioridad|categoria|prioridade|priorità|categorie|prioriteit')}\\s*(?:=|:=|==|->|→|=>)\\s*\\S`),
	},
	{
		id: 'field-assignment',
		reason: 'sets one of our answer fields',
		re: re(`${w('confidence|needs ?review|needsreview|injection ?suspected|approved|approval status|fit ?score|icp ?score|tier')}\\s*[:：]\\s*(?:true|false|yes|no|1|0|0?\\.\\d+|\\d{2,3}|t[123]|high|approved)${E}`),
	},
	{
		id: 'force-output',
		reason: 'tells the model what to answer',
		re: re(`${w('classify|classified|categori[sz]e|categori[sz]ed|label|labell?ed|tag|tagged|score|scored|rate|rank|prioriti[sz]e|klassifiziere|klassifizieren|kategorisiere|einstufen|stufe|classe[rz]?|classé|classifie[rz]?|catégorise[rz]?|clasifica|clasifique|clasificar|categoriza|categorizar|classifique|classificar|categorize|classifica|classificare|categorizza|classificeer|classificeren')}\\s+${w('this|me|the lead|the message|the request|it|us|this lead|this message|this request|this email|dies|diese[ns]?|mich|uns|das|ce|cette|ceci|moi|nous|le|la|esto|este|esta|me|nos|lo|la|isto|isso|esta|questo|questa|mi|ci|lo|dit|deze|mij|ons|het')}${E}[^\\n]{0,40}?${w('as|als|comme|en tant que|en|como|come|to|auf|a|op|in|into|under|unter|sous|bajo|sob|sotto|onder')}\\s+\\S`),
	},
	{
		id: 'force-output',
		reason: 'tells the model what to answer',
		re: re(`${w('mark|treat|set|flag|put|route|send|move|make|markiere|behandle|setze|stufe|marque[rz]?|traite[rz]?|mets|mettez|marca|trata|pon|ponga|marque|trate|coloque|segna|tratta|metti|imposta|markeer|behandel|zet')}\\s+${w('this|me|the lead|it|us|this lead|this message|this request|dies|diese[ns]?|mich|uns|das|ce|cette|ceci|nous|le|la|esto|este|esta|nos|lo|isto|isso|questo|questa|ci|dit|deze|ons|het')}${E}[^\\n]{0,20}?${w('as|als|comme|en|como|come|to|auf|a|op|in|into|zu')}\\s+(?:(?:a|an|the|ein|eine|un|une|una|um|uma|een|de|het|le|la|el|il|lo|o)\\s+)?["“'‘«]?${w('t[123]|tier ?[123]|tier (?:one|two|three)|approved|pre-?approved|qualified|sales[- ]qualified|sql|mql|hot lead|category|kategorie|catégorie|categoría|categoria|confidence|high priority|priority lead|vip|whitelisted|safe|genehmigt|approuvée?|aprobad[oa]|aprovad[oa]|approvat[oa]|goedgekeurd')}`),
	},
	{
		id: 'force-output',
		reason: 'tells the model what to answer',
		re: re(`${w('respond|answer|reply|output|return|print|antworte|gib|réponds|répondez|renvoie|responde|responda|devuelve|retorne|rispondi|restituisci|antwoord|geef')}\\s+(?:${w('only|just|exactly|nur|seulement|uniquement|solo|sólo|apenas|somente|soltanto|alleen')}\\s+)?${w('with|in|mit|par|avec|con|com|met')}\\s+${w('json|yes|true|the following|exactly|this|approved|folgendem|folgendes|ceci|suivant|lo siguiente|o seguinte|quanto segue|het volgende')}`),
	},
	{
		id: 'skip-review',
		reason: 'asks to skip review or approve automatically',
		re: re(`${w("auto[- ]?approve[ds]?|approve (?:this|it|the (?:lead|request|deal|item|discount)) (?:automatically|immediately|now|without)|approve automatically|mark(?:ed)? (?:this |it |the lead |as )?(?:as )?(?:approved|pre-?approved|verified|whitelisted|safe)|set (?:approved|approval) to|(?:skip|skipping|bypass|bypassing|circumvent|circumventing) (?:the |any |a |all |human |manual |your )*(?:review|approval|approver|verification|screening|filters?|moderation|human check)|without (?:any )?(?:human |manual )?(?:review|approval)(?! process)|no (?:human |manual )?(?:review|approval) (?:is )?(?:needed|required|necessary)|(?:do not|don't|never) (?:send|route|escalate|flag)(?: this| it)? (?:to|for) (?:review|a human|a person|approval|needs review)|already (?:been )?(?:approved|reviewed|verified|cleared) by (?:the |your |our )?(?:ceo|cfo|vp|manager|management|sales|legal|admin|system|team)")}`),
	},
	{
		id: 'skip-review',
		reason: 'asks to skip review or approve automatically',
		re: re(`${w('automatisch (?:genehmigen|freigeben|akzeptieren)|ohne (?:manuelle |menschliche )?(?:prüfung|freigabe|genehmigung|überprüfung)|(?:prüfung|freigabe|review) (?:überspringen|umgehen|auslassen)|überspring(?:e|t)? (?:die )?(?:prüfung|freigabe)|als genehmigt markieren|approuve[rz]? automatiquement|valide[rz]? automatiquement|sans (?:validation|vérification|revue|examen|approbation)(?: humaine?)?|(?:ignore[rz]?|saute[rz]?|contourne[rz]?) (?:la )?(?:validation|revue|vérification)|marque[rz]? comme approuvée?|aprueba(?:r)? automáticamente|apruébalo|sin (?:revisión|aprobación|verificación)(?: humana)?|(?:omite|omitir|salta|saltar) (?:la )?(?:revisión|aprobación)|márcalo como aprobado|aprov(?:e|a|ar) automaticamente|sem (?:revisão|aprovação|verificação)(?: humana)?|(?:pule|pular|ignore) (?:a )?(?:revisão|aprovação)|marque como aprovado|approva(?:re|lo)? automaticamente|senza (?:revisione|approvazione|verifica)(?: umana)?|(?:salta|saltare) (?:la )?(?:revisione|approvazione)|segna(?:lo)? come approvato|automatisch goedkeuren|keur (?:dit|het) (?:automatisch )?goed|zonder (?:controle|beoordeling|goedkeuring|review)|(?:sla|sla de) (?:controle|beoordeling) over|markeer als goedgekeurd')}`),
	},
	{ id: 'skip-review', reason: 'asks to skip review or approve automatically', re: /(自动|自動)(批准|审批|審批|通过|通過)|(跳过|跳過|无需|無需|不需要|绕过|繞過)(人工)?(审核|審核|审批|審批|复核|覆核)|(直接|立即)(批准|通过审核)|(自動)?承認(して|しろ|せよ|済み)|(審査|レビュー|承認)(を)?(スキップ|省略|不要)|自動で承認/u },
	{
		id: 'status-claim',
		reason: 'claims a status only our process can grant',
		re: re(`${w('this|the|dieser|diese|ce|cette|este|esta|questo|questa|deze|dit')}\\s+${w('lead|message|request|submission|ticket|item|deal|account|anfrage|nachricht|demande|solicitud|mensaje|pedido|mensagem|richiesta|messaggio|aanvraag|bericht')}\\s+${w('is|has been|was|ist|wurde|est|a été|es|ha sido|fue|é|foi|è|è stato|is|werd')}\\s+(?:already |bereits |déjà |ya |já |già |al )?(?:pre-?)?${w('approved|pre-?approved|whitelisted|verified|vetted|authori[sz]ed|cleared|exempt|genehmigt|freigegeben|verifiziert|approuvée?|validée?|vérifiée?|aprobad[oa]|verificad[oa]|aprovad[oa]|approvat[oa]|verificat[oa]|goedgekeurd|geverifieerd')}`),
	},
];

/** Our category names and routing words, as a model answering for them would write them. */
export interface ScreenVocabulary {
	/** Output or category names of the node asking (e.g. the intent taxonomy): naming one with an order is a payload. */
	categories?: string[];
}

export interface InjectionCheck {
	suspected: boolean;
	/** Why, in words, when suspected. */
	reason: string | null;
	patterns: string[];
	/** Which fields carried it (field names as the caller labelled them). */
	fields: string[];
	/** How it was hidden, when it was: 'encoded' when only a decoded view showed it. */
	hidden: boolean;
}

export const CLEAN: InjectionCheck = Object.freeze({ suspected: false, reason: null, patterns: Object.freeze([]) as unknown as string[], fields: Object.freeze([]) as unknown as string[], hidden: false }) as InjectionCheck;

const DIRECTIVE = re(`${w('classify|categori[sz]e|mark|label|route|send|put|file|tag|move|assign|set|treat|output|answer|respond|return|choose|select|pick|use|klassifiziere|markiere|sende|setze|wähle|classe[rz]?|marque[rz]?|envoie[rz]?|choisi[rs]?|clasifica|marca|envía|elige|classifique|envie|escolha|classifica|segna|invia|scegli|classificeer|markeer|stuur|kies|category|kategorie|catégorie|categoría|categoria|categorie|approve|genehmige|approuve|aprueba|aprove|approva|keur')}`);
const CJK_DIRECTIVE = /(分类|分類|归类|歸類|标记|標記|设为|設為|设置|設置|选择|選擇|批准|分類して|に分類|として|を選|承認)/u;

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a screen for a node's vocabulary once per run. A category name alone is ordinary ("we
 * need pricing"); a category name quoted or next to an order ("category: Pricing", "route to
 * Demo Request") is a payload.
 */
export class InjectionScreen {
	private readonly categoryRes: RegExp[];

	constructor(vocabulary: ScreenVocabulary = {}) {
		const names = (vocabulary.categories ?? []).map((c) => c.trim()).filter((c) => c.length >= 3);
		this.categoryRes = names.length
			? [
					re(`["'“”‘’«»„](?:${names.map(escapeRegex).join('|')})["'“”‘’«»]`),
					re(`(?:${DIRECTIVE.source})[^\\n.!?]{0,30}${B}(?:${names.map(escapeRegex).join('|')})${E}|${B}(?:${names.map(escapeRegex).join('|')})${E}[^\\n.!?]{0,12}(?:${w('approve|approved|auto-?approve|confidence|0?\\.9\\d?|1\\.0|100 ?%|genehmigt|approuvé|aprobado|aprovado|approvato|goedgekeurd')})`),
				]
			: [];
	}

	/** Screens one text. */
	check(text: string): InjectionCheck {
		if (!text) return CLEAN;
		const views = screeningViews(text);
		const hits = new Map<string, string>();
		let hidden = false;
		for (let v = 0; v < views.length; v++) {
			const view = views[v];
			for (const p of SCREEN_PATTERNS) {
				if (!hits.has(p.id) && p.re.test(view)) {
					hits.set(p.id, p.reason);
					if (v > 0) hidden = true;
				}
			}
			if (!hits.has('names-our-category')) {
				for (const r of this.categoryRes) {
					if (r.test(view)) {
						hits.set('names-our-category', 'names one of our categories with an order');
						if (v > 0) hidden = true;
						break;
					}
				}
			}
			if (!hits.has('names-our-category') && this.categoryRes.length && CJK_DIRECTIVE.test(view) && this.categoryRes[1].test(view.replace(CJK_DIRECTIVE, ' set '))) {
				hits.set('names-our-category', 'names one of our categories with an order');
			}
		}
		if (!hits.size) return CLEAN;
		const reasons = [...new Set(hits.values())];
		return { suspected: true, reason: (hidden ? 'hidden by encoding: ' : '') + reasons.join('; '), patterns: [...hits.keys()], fields: [], hidden };
	}

	/** Screens several fields; the result names the fields that carried a payload. */
	checkFields(fields: Record<string, unknown>): InjectionCheck {
		let found: InjectionCheck | null = null;
		const where: string[] = [];
		const patterns = new Set<string>();
		const reasons = new Set<string>();
		let hidden = false;
		for (const [name, value] of Object.entries(fields)) {
			if (typeof value !== 'string' || value === '') continue;
			const check = this.check(value);
			if (!check.suspected) continue;
			found = check;
			where.push(name);
			check.patterns.forEach((p) => patterns.add(p));
			reasons.add(check.reason!);
			hidden ||= check.hidden;
		}
		if (!found) return CLEAN;
		return { suspected: true, reason: `${where.join(', ')}: ${[...reasons].join('; ')}`, patterns: [...patterns], fields: where, hidden };
	}
}

const DEFAULT_SCREEN = new InjectionScreen();

/** Screens one text with no node vocabulary. */
export function checkForInjection(text: string): InjectionCheck {
	return DEFAULT_SCREEN.check(text);
}
