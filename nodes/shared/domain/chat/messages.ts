import type { ChatConfig } from './config';
import type { ChatLanguage } from './lexicon';

/**
 * Everything the assistant says by rule (not by the model), per language. A company overrides any of
 * them in `chat.messages.<language>.<key>` of its config. Placeholders: {company}, {name}, {email},
 * {phone}. The offer is framed as tailored help, an option, never a condition, and never says the
 * assistant cannot answer; no message gives an e-mail address as the way to reach sales.
 */
export const MESSAGE_KEYS = [
	'greeting',
	'prompt',
	'welcome',
	'offer',
	'offerUnanswered',
	'unanswered',
	'askName',
	'askNameAfterRequest',
	'askPhone',
	'askEmail',
	'askWebsite',
	'invalidName',
	'invalidPhone',
	'invalidEmail',
	'invalidWebsite',
	'confirm',
	'declined',
	'detailsDeclined',
	'empty',
	'answerFallback',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

export const DEFAULT_MESSAGES: Record<ChatLanguage, Record<MessageKey, string>> = {
	en: {
		greeting: 'Hi! I can answer questions about {company} from our documentation. What would you like to know?',
		prompt: 'I can answer questions about {company} from our documentation. What would you like to know?',
		welcome: "You're welcome! Is there anything else I can help with?",
		offer: 'If it helps, one of our specialists can go through this with you for your situation. Would you like someone to follow up with you?',
		offerUnanswered: "Our documentation doesn't cover that, and I'd rather not guess. One of our specialists could look at it for your situation. Would you like someone to follow up with you?",
		unanswered: "Our documentation doesn't cover that, and I'd rather not guess. Is there anything else I can help with?",
		askName: 'Happy to arrange that. What name should we use?',
		askNameAfterRequest: 'Of course, I can have someone from our team reach out. What name should we use?',
		askPhone: 'Thanks, {name}. What is the best phone number to reach you?',
		askEmail: 'And your e-mail address?',
		askWebsite: "Last one, and optional: your company's website? You can also say skip.",
		invalidName: 'Sorry, I did not catch that. What name should we use?',
		invalidPhone: 'I could not read that as a phone number. Could you type it again with the country code, like +1 415 555 0100?',
		invalidEmail: 'That does not look like a complete e-mail address. Could you type it again, like jane@company.com?',
		invalidWebsite: 'I could not read that as a website. Could you type it like company.com, or say skip?',
		confirm: 'Thank you, {name}. Someone from our team will contact you at {email}. Is there anything else I can help with in the meantime?',
		declined: 'No problem. Let me know if there is anything else I can help with.',
		detailsDeclined: "No problem, I won't take any details. I'm happy to keep answering your questions.",
		empty: 'Could you say that again?',
		answerFallback: 'Here is what our documentation says: {passage}',
	},
	de: {
		greeting: 'Hallo! Ich beantworte Fragen zu {company} aus unserer Dokumentation. Was möchten Sie wissen?',
		prompt: 'Ich beantworte Fragen zu {company} aus unserer Dokumentation. Was möchten Sie wissen?',
		welcome: 'Gern geschehen! Kann ich sonst noch helfen?',
		offer: 'Wenn es hilft, kann eine Fachperson aus unserem Team das mit Ihnen für Ihre Situation durchgehen. Möchten Sie, dass sich jemand bei Ihnen meldet?',
		offerUnanswered: 'Dazu steht nichts in unserer Dokumentation, und ich möchte nicht raten. Eine Fachperson aus unserem Team kann sich das für Ihre Situation ansehen. Möchten Sie, dass sich jemand bei Ihnen meldet?',
		unanswered: 'Dazu steht nichts in unserer Dokumentation, und ich möchte nicht raten. Kann ich Ihnen sonst weiterhelfen?',
		askName: 'Gerne. Wie dürfen wir Sie ansprechen (Ihr Name)?',
		askNameAfterRequest: 'Selbstverständlich, jemand aus unserem Team meldet sich gern. Wie ist Ihr Name?',
		askPhone: 'Danke, {name}. Unter welcher Telefonnummer erreichen wir Sie am besten?',
		askEmail: 'Und Ihre E-Mail-Adresse?',
		askWebsite: 'Zuletzt, freiwillig: die Website Ihres Unternehmens? Sie können auch "überspringen" schreiben.',
		invalidName: 'Entschuldigung, das habe ich nicht verstanden. Wie ist Ihr Name?',
		invalidPhone: 'Das konnte ich nicht als Telefonnummer lesen. Könnten Sie sie mit Ländervorwahl eingeben, z. B. +49 30 1234567?',
		invalidEmail: 'Das sieht nicht nach einer vollständigen E-Mail-Adresse aus. Könnten Sie sie noch einmal eingeben, z. B. name@firma.de?',
		invalidWebsite: 'Das konnte ich nicht als Website lesen. Bitte z. B. firma.de eingeben, oder "überspringen".',
		confirm: 'Danke, {name}. Jemand aus unserem Team meldet sich unter {email} bei Ihnen. Kann ich bis dahin noch etwas für Sie tun?',
		declined: 'Kein Problem. Sagen Sie gern Bescheid, wenn ich sonst helfen kann.',
		detailsDeclined: 'Kein Problem, ich nehme keine Daten auf. Ihre Fragen beantworte ich gern weiter.',
		empty: 'Könnten Sie das noch einmal schreiben?',
		answerFallback: 'In unserer Dokumentation steht dazu: {passage}',
	},
	fr: {
		greeting: 'Bonjour ! Je réponds à vos questions sur {company} à partir de notre documentation. Que souhaitez-vous savoir ?',
		prompt: 'Je réponds aux questions sur {company} à partir de notre documentation. Que souhaitez-vous savoir ?',
		welcome: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
		offer: "Si cela peut aider, un de nos spécialistes peut voir cela avec vous selon votre situation. Souhaitez-vous que quelqu'un vous recontacte ?",
		offerUnanswered: "Notre documentation ne couvre pas ce point, et je préfère ne pas deviner. Un de nos spécialistes peut l'examiner pour votre situation. Souhaitez-vous que quelqu'un vous recontacte ?",
		unanswered: 'Notre documentation ne couvre pas ce point, et je préfère ne pas deviner. Puis-je vous aider pour autre chose ?',
		askName: 'Avec plaisir. Quel nom devons-nous utiliser ?',
		askNameAfterRequest: "Bien sûr, quelqu'un de notre équipe vous contactera. Quel est votre nom ?",
		askPhone: 'Merci, {name}. À quel numéro de téléphone pouvons-nous vous joindre ?',
		askEmail: 'Et votre adresse e-mail ?',
		askWebsite: 'Dernière question, facultative : le site web de votre entreprise ? Vous pouvez aussi répondre "passer".',
		invalidName: "Pardon, je n'ai pas bien compris. Quel est votre nom ?",
		invalidPhone: "Je n'ai pas pu lire ce numéro. Pourriez-vous le saisir avec l'indicatif du pays, par exemple +33 1 23 45 67 89 ?",
		invalidEmail: 'Cette adresse e-mail semble incomplète. Pourriez-vous la saisir à nouveau, par exemple nom@entreprise.fr ?',
		invalidWebsite: 'Je n\'ai pas pu lire ce site. Écrivez-le comme entreprise.fr, ou répondez "passer".',
		confirm: "Merci, {name}. Quelqu'un de notre équipe vous contactera à {email}. Puis-je vous aider pour autre chose en attendant ?",
		declined: "Pas de problème. N'hésitez pas si je peux vous aider pour autre chose.",
		detailsDeclined: 'Pas de problème, je ne prends aucune coordonnée. Je continue volontiers à répondre à vos questions.',
		empty: 'Pourriez-vous reformuler ?',
		answerFallback: 'Voici ce que dit notre documentation : {passage}',
	},
	es: {
		greeting: '¡Hola! Respondo preguntas sobre {company} a partir de nuestra documentación. ¿Qué le gustaría saber?',
		prompt: 'Respondo preguntas sobre {company} a partir de nuestra documentación. ¿Qué le gustaría saber?',
		welcome: '¡De nada! ¿Puedo ayudarle con algo más?',
		offer: 'Si le ayuda, uno de nuestros especialistas puede revisarlo con usted para su caso. ¿Le gustaría que alguien se pusiera en contacto con usted?',
		offerUnanswered: 'Nuestra documentación no cubre eso y prefiero no adivinar. Uno de nuestros especialistas puede revisarlo para su caso. ¿Le gustaría que alguien se pusiera en contacto con usted?',
		unanswered: 'Nuestra documentación no cubre eso y prefiero no adivinar. ¿Puedo ayudarle con algo más?',
		askName: 'Con gusto. ¿Qué nombre debemos usar?',
		askNameAfterRequest: 'Por supuesto, alguien de nuestro equipo se pondrá en contacto. ¿Cuál es su nombre?',
		askPhone: 'Gracias, {name}. ¿En qué número de teléfono podemos localizarle?',
		askEmail: '¿Y su correo electrónico?',
		askWebsite: 'Por último, opcional: ¿el sitio web de su empresa? También puede decir "saltar".',
		invalidName: 'Perdón, no lo entendí. ¿Cuál es su nombre?',
		invalidPhone: 'No pude leer eso como un número de teléfono. ¿Podría escribirlo con el prefijo del país, por ejemplo +34 912 345 678?',
		invalidEmail: 'Eso no parece un correo electrónico completo. ¿Podría escribirlo de nuevo, por ejemplo nombre@empresa.es?',
		invalidWebsite: 'No pude leer eso como un sitio web. Escríbalo como empresa.es, o diga "saltar".',
		confirm: 'Gracias, {name}. Alguien de nuestro equipo se pondrá en contacto con usted en {email}. ¿Puedo ayudarle con algo más mientras tanto?',
		declined: 'Sin problema. Dígame si puedo ayudarle con algo más.',
		detailsDeclined: 'Sin problema, no tomaré ningún dato. Con gusto sigo respondiendo sus preguntas.',
		empty: '¿Podría repetirlo?',
		answerFallback: 'Esto es lo que dice nuestra documentación: {passage}',
	},
};

/** Fills {placeholders}; a value is used as text only (it is never read as a template itself). */
export function fillMessage(template: string, values: Record<string, string | null | undefined>): string {
	return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
		const value = values[key];
		return typeof value === 'string' ? value : whole;
	});
}

/** What the rules say, in a language, with the company's override when its config has one. */
export function chatMessage(config: ChatConfig, language: ChatLanguage, key: MessageKey, values: Record<string, string | null | undefined> = {}): string {
	return fillMessage(config.messages[language]?.[key] ?? DEFAULT_MESSAGES[language][key], values);
}
