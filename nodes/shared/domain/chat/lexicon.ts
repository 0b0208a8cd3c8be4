/**
 * The words the chat rules listen for, per language: one home for them. Matching is on folded text
 * (lower case, no accents), whole words; a phrase ending in `*` matches any word that starts with it
 * ("personaliz*" finds "personalizar" and "personalización"). A company adds its own phrases in
 * `chat.signals` of its config; these stay the defaults. Every list is data: a user's message is only
 * ever compared with it, never followed.
 */

export const CHAT_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type ChatLanguage = (typeof CHAT_LANGUAGES)[number];

/** Signals of interest that make the assistant offer a follow-up (the playbook's handoff rules). */
export const SIGNAL_KINDS = ['pricing', 'packages', 'fit', 'advanced', 'person'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

type Lexicon = Record<ChatLanguage, string[]>;

export const SIGNAL_PHRASES: Record<SignalKind, Lexicon> = {
	pricing: {
		en: ['price*', 'pricing', 'cost', 'costs', 'costing', 'how much', 'quote', 'quotation', 'budget', 'per seat', 'per user', 'license fee', 'licence fee', 'discount*', 'invoice*', 'billing', 'pay per', 'fee', 'fees'],
		de: ['preis*', 'kosten', 'kostet', 'was kostet', 'angebot', 'budget', 'pro nutzer', 'pro lizenz', 'lizenzgebuhr*', 'rabatt*', 'gebuhr*', 'abrechnung'],
		fr: ['prix', 'tarif*', 'cout', 'couts', 'coute', 'combien', 'devis', 'budget', 'par utilisateur', 'remise*', 'facturation', 'frais'],
		es: ['precio*', 'coste*', 'costo*', 'cuesta', 'cuanto', 'cotizacion', 'presupuesto', 'por usuario', 'descuento*', 'facturacion', 'tarifa*'],
	},
	packages: {
		en: ['plan', 'plans', 'package*', 'edition*', 'tier', 'tiers', 'subscription*', 'enterprise plan', 'free trial', 'trial', 'upgrade'],
		de: ['paket*', 'tarife', 'edition*', 'abo', 'abonnement*', 'testversion', 'testphase', 'upgrade'],
		fr: ['forfait*', 'formule*', 'offre*', 'edition*', 'abonnement*', 'essai gratuit', 'version d essai'],
		es: ['plan', 'planes', 'paquete*', 'edicion*', 'suscripcion*', 'prueba gratuita', 'version de prueba'],
	},
	fit: {
		en: ['right for us', 'good fit', 'a fit', 'suitable', 'work for us', 'work for our', 'work for a', 'our team', 'our company', 'use case', 'we have', 'we are a', 'we re a', 'compared to', 'versus', 'switch from', 'replace our'],
		de: ['passt', 'geeignet', 'fur uns', 'unser team', 'unsere firma', 'unser unternehmen', 'wir haben', 'wir sind', 'anwendungsfall', 'im vergleich', 'wechseln von'],
		fr: ['adapte*', 'convient', 'pour nous', 'notre equipe', 'notre entreprise', 'nous avons', 'nous sommes', 'cas d usage', 'par rapport a', 'remplacer notre'],
		es: ['adecuad*', 'sirve para', 'para nosotros', 'nuestro equipo', 'nuestra empresa', 'tenemos', 'somos una', 'somos un', 'caso de uso', 'comparado con', 'reemplazar nuestro'],
	},
	advanced: {
		en: ['integration*', 'integrate', 'api', 'sso', 'saml', 'scim', 'custom*', 'on prem*', 'self hosted', 'migration', 'migrate', 'sla', 'uptime guarantee', 'compliance', 'soc 2', 'soc2', 'hipaa', 'gdpr', 'white label', 'dedicated', 'data residency', 'audit log*', 'security review'],
		de: ['integration*', 'schnittstelle*', 'api', 'sso', 'individuell*', 'anpassung*', 'massgeschneidert', 'migration', 'datenschutz', 'dsgvo', 'eigene server', 'dediziert*', 'compliance'],
		fr: ['integration*', 'api', 'sso', 'personnalis*', 'sur mesure', 'migration', 'rgpd', 'conformite', 'heberge*', 'dedie*', 'sur site'],
		es: ['integracion*', 'integra', 'integrar', 'api', 'sso', 'personaliz*', 'a medida', 'migracion', 'migrar', 'rgpd', 'cumplimiento', 'dedicad*', 'local', 'servidores propios'],
	},
	person: {
		en: ['talk to a person', 'talk to someone', 'talk to a human', 'talk to sales', 'talk to a rep', 'speak to a person', 'speak to someone', 'speak with someone', 'speak to sales', 'speak to a human', 'real person', 'human agent', 'call me', 'contact me', 'get in touch', 'someone to call', 'sales rep', 'sales team', 'book a demo', 'book a meeting', 'schedule a demo', 'schedule a call', 'demo'],
		de: ['mit einem menschen', 'mit jemandem sprechen', 'mit dem vertrieb', 'ansprechpartner', 'ruckruf', 'ruf mich an', 'rufen sie mich an', 'kontaktieren sie mich', 'melden sie sich', 'vertrieb', 'berater', 'demo', 'termin'],
		fr: ['parler a quelqu un', 'parler a un humain', 'parler a un conseiller', 'parler a un commercial', 'un commercial', 'conseiller', 'rappelez moi', 'contactez moi', 'appelez moi', 'demo', 'rendez vous'],
		es: ['hablar con alguien', 'hablar con una persona', 'hablar con ventas', 'hablar con un agente', 'hablar con un asesor', 'persona real', 'llamame', 'llamenme', 'contactenme', 'contactame', 'asesor', 'comercial', 'demo', 'reunion'],
	},
};

/**
 * Which signals are an explicit request for a person. After one the assistant asks for the details
 * straight away (the user has already said yes); every other signal only leads to an offer.
 */
export const EXPLICIT_PERSON_PHRASES: Lexicon = {
	en: ['talk to a person', 'talk to someone', 'talk to a human', 'talk to sales', 'talk to a rep', 'speak to a person', 'speak to someone', 'speak with someone', 'speak to sales', 'speak to a human', 'real person', 'human agent', 'call me', 'contact me', 'someone to call'],
	de: ['mit einem menschen', 'mit jemandem sprechen', 'mit dem vertrieb', 'ruf mich an', 'rufen sie mich an', 'kontaktieren sie mich', 'melden sie sich'],
	fr: ['parler a quelqu un', 'parler a un humain', 'parler a un conseiller', 'parler a un commercial', 'rappelez moi', 'contactez moi', 'appelez moi'],
	es: ['hablar con alguien', 'hablar con una persona', 'hablar con ventas', 'hablar con un agente', 'hablar con un asesor', 'persona real', 'llamame', 'llamenme', 'contactenme', 'contactame'],
};

/** Answers to an offer or to a question for a detail. "No" is checked first: "no thanks" is a no. */
export const NO_PHRASES: Lexicon = {
	en: ['no', 'nope', 'nah', 'no thanks', 'no thank you', 'not now', 'not right now', 'not at the moment', 'not today', 'i don t think so', 'not really', 'not interested', 'maybe later', 'later', 'i m good', 'im good', 'rather not', 'i d rather not', 'don t', 'do not', 'dont', 'stop', 'never mind', 'no need', 'not needed', 'cancel'],
	de: ['nein', 'nee', 'ne', 'nein danke', 'kein interesse', 'nicht notig', 'spater', 'lieber nicht', 'nicht jetzt', 'abbrechen'],
	fr: ['non', 'non merci', 'pas maintenant', 'plus tard', 'pas interesse', 'pas interessee', 'pas besoin', 'annuler', 'sans facon'],
	es: ['no', 'no gracias', 'ahora no', 'mas tarde', 'no me interesa', 'no hace falta', 'prefiero que no', 'cancelar'],
};

export const YES_PHRASES: Lexicon = {
	en: ['yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'please', 'yes please', 'sounds good', 'why not', 'go ahead', 'absolutely', 'of course', 'definitely', 'that would be great', 'great', 'let s do it', 'i would like that', 'i d like that', 'alright', 'all right'],
	de: ['ja', 'jawohl', 'gerne', 'gern', 'klar', 'okay', 'ok', 'bitte', 'ja bitte', 'sehr gerne', 'naturlich', 'einverstanden', 'auf jeden fall', 'warum nicht', 'passt'],
	fr: ['oui', 'ouais', 'd accord', 'volontiers', 'avec plaisir', 'bien sur', 'ok', 'okay', 'oui merci', 'allez y', 'pourquoi pas', 'absolument', 'parfait'],
	es: ['si', 'vale', 'claro', 'de acuerdo', 'por favor', 'si por favor', 'ok', 'okay', 'por supuesto', 'perfecto', 'adelante', 'por que no', 'genial', 'me parece bien'],
};

/** Words that say "skip" when the assistant asks for the optional website. */
export const SKIP_PHRASES: Lexicon = {
	en: ['skip', 'none', 'no website', 'we don t have one', 'don t have one', 'n a', 'na', 'not yet', 'pass'],
	de: ['uberspringen', 'keine', 'keine website', 'haben wir nicht', 'weiter'],
	fr: ['passer', 'aucun', 'aucune', 'pas de site', 'on n en a pas'],
	es: ['saltar', 'ninguno', 'ninguna', 'no tenemos', 'sin sitio', 'paso'],
};

/** Thanks and goodbyes: small talk the rules answer themselves. */
export const THANKS_PHRASES: Lexicon = {
	en: ['thanks', 'thank you', 'thx', 'cheers', 'bye', 'goodbye', 'have a nice day', 'great thanks', 'perfect thanks'],
	de: ['danke', 'vielen dank', 'danke schon', 'tschuss', 'auf wiedersehen', 'schonen tag'],
	fr: ['merci', 'merci beaucoup', 'au revoir', 'bonne journee'],
	es: ['gracias', 'muchas gracias', 'adios', 'hasta luego', 'buen dia'],
};

/** Question words at the start of a message (folded): a message is a question with these or a "?". */
export const QUESTION_STARTS: Lexicon = {
	en: ['what', 'how', 'why', 'when', 'where', 'which', 'who', 'can', 'could', 'do', 'does', 'did', 'is', 'are', 'will', 'would', 'should', 'have', 'has', 'tell me'],
	de: ['was', 'wie', 'warum', 'wann', 'wo', 'welche*', 'wer', 'kann', 'konnen', 'gibt es', 'ist', 'sind', 'habt', 'haben sie', 'unterstutzt', 'bietet'],
	fr: ['que', 'quoi', 'comment', 'pourquoi', 'quand', 'ou', 'quel*', 'qui', 'est ce', 'pouvez', 'peut on', 'y a t il', 'proposez'],
	es: ['que', 'como', 'por que', 'cuando', 'donde', 'cual*', 'quien', 'puede*', 'pueden', 'hay', 'tiene*', 'ofrecen', 'es', 'son'],
};

/** Statements of goals or requirements, for the handoff summary (a sentence with one of these). */
export const GOAL_PHRASES: Lexicon = {
	en: ['we need', 'we want', 'we re looking', 'we are looking', 'looking for', 'our goal', 'we plan', 'we would like', 'we d like', 'must have', 'need to', 'have to', 'requirement*', 'we must', 'i need', 'i want', 'trying to', 'hoping to'],
	de: ['wir brauchen', 'wir benotigen', 'wir suchen', 'wir mochten', 'unser ziel', 'wir planen', 'mussen', 'anforderung*', 'ich brauche', 'ich suche'],
	fr: ['nous avons besoin', 'nous cherchons', 'nous voulons', 'nous souhaitons', 'notre objectif', 'il nous faut', 'exigence*', 'je cherche', 'j ai besoin'],
	es: ['necesitamos', 'buscamos', 'queremos', 'nuestro objetivo', 'planeamos', 'requisito*', 'tenemos que', 'necesito', 'busco'],
};

/** How people introduce their name; taken off before the name is read ("I'm Jane" -> Jane). */
export const NAME_INTROS: Lexicon = {
	en: ['my name is', 'my name s', 'name is', 'i am', 'i m', 'im', 'this is', 'it s', 'call me', 'name'],
	de: ['ich heisse', 'mein name ist', 'ich bin', 'hier ist', 'name'],
	fr: ['je m appelle', 'mon nom est', 'je suis', 'c est', 'moi c est', 'nom'],
	es: ['me llamo', 'mi nombre es', 'soy', 'nombre'],
};

/** Common short words per language: enough to tell the languages apart in a sentence or two. */
export const STOPWORDS: Lexicon = {
	en: ['the', 'and', 'is', 'are', 'you', 'your', 'what', 'how', 'do', 'does', 'can', 'we', 'our', 'for', 'with', 'to', 'of', 'it', 'this', 'that', 'have', 'yes', 'please', 'thanks', 'hello', 'hi', 'my', 'i', 'a', 'an', 'in', 'on', 'much', 'would', 'about'],
	de: ['der', 'die', 'das', 'und', 'ist', 'sind', 'sie', 'ihr', 'was', 'wie', 'wir', 'unser', 'unsere', 'fur', 'mit', 'zu', 'von', 'es', 'ein', 'eine', 'haben', 'ja', 'bitte', 'danke', 'hallo', 'ich', 'mein', 'nicht', 'auch', 'gibt', 'kann', 'kostet', 'uns'],
	fr: ['le', 'la', 'les', 'et', 'est', 'sont', 'vous', 'votre', 'quoi', 'comment', 'nous', 'notre', 'pour', 'avec', 'de', 'du', 'des', 'un', 'une', 'il', 'ce', 'oui', 'merci', 'bonjour', 'je', 'mon', 'pas', 'avez', 'combien', 'quel', 'quelle', 'est ce'],
	es: ['el', 'los', 'las', 'y', 'es', 'son', 'usted', 'ustedes', 'su', 'que', 'como', 'nosotros', 'nuestro', 'nuestra', 'para', 'con', 'de', 'del', 'un', 'una', 'si', 'gracias', 'hola', 'yo', 'mi', 'no', 'tienen', 'cuanto', 'cuesta', 'hay', 'por', 'favor'],
};
