/**
 * What an e-mail that came back to us means for a sequence, by rules: a reply (the sequence stops), an
 * unsubscribe request (never written to again), a bounce (the address is dead; the lead is the failed
 * recipient named in the delivery report, not the mailer daemon that sent it), or an automatic reply
 * (out of office: the sequence goes on). The one home of these rules; the mailbox or e-mail tool that
 * forwards the message (IMAP trigger, a webhook) only hands over sender, subject, text and headers.
 *
 * Only what the person wrote counts for an unsubscribe: the quoted original below it carries our own
 * footer ("reply STOP to unsubscribe"), which must not unsubscribe everybody who answers.
 */
export type MailEventKind = 'reply' | 'unsubscribe' | 'bounce' | 'autoReply';

export interface MailMessage {
	from: unknown;
	subject?: unknown;
	text?: unknown;
	/** Header names in any case; values as text. */
	headers?: unknown;
}

export interface MailEvent {
	kind: MailEventKind;
	/** Whose sequence it is about: the sender, or for a bounce the failed recipient (null: not found). */
	leadEmail: string | null;
	reason: string;
	/** What to write to the lead (null: nothing, e.g. an automatic reply). */
	leadPatch: Record<string, string> | null;
	/** What the person wrote, without the quoted original (for the activity). */
	said: string;
}

const EMAIL = /[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+/i;
const DAEMON = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const BOUNCE_SUBJECT = /\b(?:undeliverable|undelivered mail|delivery status notification \((?:failure|delay)\)|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice|delivery has failed|unzustellbar|nicht zustellbar|non remis|no se puede entregar)\b/i;
const RECIPIENT = /(?:final|original)-recipient:\s*rfc822;\s*<?([^\s<>;]+@[^\s<>;]+)>?/i;
const AUTO_SUBJECT = /^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|ooo\b|abwesenheit|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|absence|respuesta autom[aá]tica|fuera de la oficina)/i;
const UNSUBSCRIBE = /\b(?:unsubscribe|remove me|stop (?:e-?mailing|sending|contacting)|take me off|opt[- ]?out|do not (?:e-?mail|contact) me|don't (?:e-?mail|contact) me|abmelden|austragen|keine (?:e-?mails|werbung) mehr|d[ée]sabonner|d[ée]sinscri(?:re|vez)|darse de baja|dar de baja)\b/i;
const QUOTE_START = /^(?:>|on .{1,200} wrote:|am .{1,200} schrieb|le .{1,200} a [ée]crit|el .{1,200} escribi[óo]|-{2,}\s*original message|-{2,}\s*urspr[üu]ngliche nachricht|from:\s|von:\s|de\s?:\s|sent from my)/i;

const text = (v: unknown, max = 100_000) => (typeof v === 'string' ? v.slice(0, max) : '');

function headerOf(headers: unknown, name: string): string {
	if (!headers || typeof headers !== 'object') return '';
	for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === name) return typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '';
	return '';
}

/** The sender's address from "Jonas Weber <jonas@x.de>" or "jonas@x.de". */
export function addressOf(value: unknown): string | null {
	const m = EMAIL.exec(text(value, 1000));
	return m ? m[0].toLowerCase() : null;
}

/** What the person wrote: the lines above the quoted original. */
export function newPart(body: string): string {
	const lines = body.replace(/\r\n?/g, '\n').split('\n');
	const end = lines.findIndex((l) => QUOTE_START.test(l.trim()));
	return (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
}

export function readMailEvent(message: MailMessage, now: Date = new Date()): MailEvent {
	const at = now.toISOString();
	const from = addressOf(message.from);
	const subject = text(message.subject, 1000);
	const body = text(message.text);
	const said = newPart(body).slice(0, 5000);
	const contentType = headerOf(message.headers, 'content-type');
	if ((from && DAEMON.test(from)) || BOUNCE_SUBJECT.test(subject) || /report-type=["']?delivery-status/i.test(contentType)) {
		const recipient = RECIPIENT.exec(body)?.[1] ?? null;
		const lead = addressOf(recipient) ?? addressOf(headerOf(message.headers, 'x-failed-recipients'));
		return { kind: 'bounce', leadEmail: lead, reason: lead ? `delivery to ${lead} failed` : 'a delivery report without the failed recipient (Final-Recipient)', leadPatch: lead ? { bouncedAt: at } : null, said };
	}
	const auto = headerOf(message.headers, 'auto-submitted').toLowerCase();
	const precedence = headerOf(message.headers, 'precedence').toLowerCase();
	if ((auto && auto !== 'no') || headerOf(message.headers, 'x-autoreply') || headerOf(message.headers, 'x-autorespond') || /auto_reply|bulk|junk/.test(precedence) || AUTO_SUBJECT.test(subject)) {
		return { kind: 'autoReply', leadEmail: from, reason: 'an automatic reply (out of office): the sequence goes on', leadPatch: null, said };
	}
	if (UNSUBSCRIBE.test(said) || UNSUBSCRIBE.test(subject) || /^\s*stop\s*[.!]?\s*$/i.test(said)) {
		return { kind: 'unsubscribe', leadEmail: from, reason: 'asked not to be written to again', leadPatch: from ? { unsubscribedAt: at, repliedAt: at } : null, said };
	}
	return { kind: 'reply', leadEmail: from, reason: 'replied: the sequence stops', leadPatch: from ? { repliedAt: at } : null, said };
}
