import { channelText, type TextChannel } from './channel-text';

/**
 * What an approver sees and sends back: the request message, the approval page (plain HTML, served
 * by the waiting execution), the parsing of the page's form, and edits applied with a before/after
 * record. Nothing here decides on a GET: only the form's POST carries a decision.
 */

export interface ShownItem {
	index: number;
	/** Fields the builder chose to show, as label and text. */
	fields: Array<{ label: string; value: string }>;
	/** Fields the approver may change before approving. */
	editable: Array<{ path: string; value: string }>;
}

export interface ParsedDecision {
	decision: 'approved' | 'rejected';
	comment: string;
	/** Per item index: path -> new text, only for fields in the editable list. */
	edits: Map<number, Record<string, string>>;
	/** What was cut, in words for the approver ("Your comment was cut to 2,000 characters."). */
	notes: string[];
}

/** An approver's edit of one field, and their comment: enough for any sales text, never a megabyte. */
export const MAX_EDIT_LENGTH = 10_000;
export const MAX_COMMENT_LENGTH = 2_000;

export interface FieldChange {
	field: string;
	before: unknown;
	after: string;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function getPath(obj: unknown, path: string): unknown {
	let current: unknown = obj;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** A copy of `obj` with `path` set; objects on the way are copied, never changed in place. */
export function setPath<T extends Record<string, unknown>>(obj: T, path: string, value: unknown): T {
	const [head, ...rest] = path.split('.');
	const copy: Record<string, unknown> = { ...obj };
	if (rest.length === 0) copy[head] = value;
	else {
		const child = copy[head];
		copy[head] = setPath(child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest.join('.'), value);
	}
	return copy as T;
}

export function asText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** Applies the approver's edits to the editable fields only; an unchanged field is not an edit. */
export function applyEdits<T extends Record<string, unknown>>(json: T, edits: Record<string, string> | undefined, editable: string[]): { json: T; changes: FieldChange[] } {
	let out = json;
	const changes: FieldChange[] = [];
	for (const path of editable) {
		const after = edits?.[path];
		if (after === undefined) continue;
		const before = getPath(json, path);
		if (asText(before) === after) continue;
		out = setPath(out, path, after);
		changes.push({ field: path, before: before ?? null, after });
	}
	return { json: out, changes };
}

/** Reads the page's POST body (urlencoded or JSON): decision, comment and `edit.<index>.<path>` fields. */
export function parseDecisionForm(body: unknown, editable: string[]): ParsedDecision | { error: string } {
	const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
	const decision = String(form.decision ?? '').toLowerCase();
	if (decision !== 'approve' && decision !== 'reject') return { error: 'The form carries no decision: choose Approve or Reject.' };
	const edits = new Map<number, Record<string, string>>();
	const notes: string[] = [];
	for (const [key, value] of Object.entries(form)) {
		const m = /^edit\.(\d+)\.(.+)$/.exec(key);
		if (!m || !editable.includes(m[2])) continue;
		const index = Number(m[1]);
		const text = String(value ?? '');
		if (text.length > MAX_EDIT_LENGTH) notes.push(`Your edit of ${m[2]} was cut to ${MAX_EDIT_LENGTH} characters.`);
		edits.set(index, { ...edits.get(index), [m[2]]: text.slice(0, MAX_EDIT_LENGTH) });
	}
	const comment = String(form.comment ?? '');
	if (comment.length > MAX_COMMENT_LENGTH) notes.push(`Your comment was cut to ${MAX_COMMENT_LENGTH} characters.`);
	return { decision: decision === 'approve' ? 'approved' : 'rejected', comment: comment.slice(0, MAX_COMMENT_LENGTH), edits, notes };
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;color:#1f2328}
h1{font-size:22px}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}dt{color:#59636e}dd{margin:0;white-space:pre-wrap}
section{border:1px solid #d1d9e0;border-radius:8px;padding:12px 16px;margin:16px 0}textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:6px}
button{font:inherit;padding:8px 18px;margin-right:8px;border-radius:6px;border:1px solid #1f2328;cursor:pointer}.approve{background:#1a7f37;color:#fff;border-color:#1a7f37}.reject{background:#fff;color:#cf222e;border-color:#cf222e}`;

/** A small self-contained page in the package's style (the approval and response pages). */
export function htmlPage(title: string, body: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The approval page: what happened so far, the items, editable fields, a comment and the two buttons that POST. */
export function approvalPage(title: string, approver: string, items: ShownItem[], expiresAt: string, history: string[] = []): string {
	const sections = items
		.map((item) => {
			const fields = item.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('');
			const edits = item.editable
				.map((e) => `<label>${escapeHtml(e.path)}<textarea name="edit.${item.index}.${escapeHtml(e.path)}" rows="4">${escapeHtml(e.value)}</textarea></label>`)
				.join('');
			return `<section><dl>${fields}</dl>${edits}</section>`;
		})
		.join('');
	return htmlPage(
		title,
		`<h1>${escapeHtml(title)}</h1><p>You are deciding as <strong>${escapeHtml(approver)}</strong>. This link is yours alone and works until ${escapeHtml(expiresAt)}.</p>${history.length ? `<ul>${history.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>` : ''}
<form method="POST">${sections}<label>Comment<textarea name="comment" rows="3"></textarea></label><p><button class="approve" type="submit" name="decision" value="approve">Approve</button><button class="reject" type="submit" name="decision" value="reject">Reject</button></p></form>`,
	);
}

/**
 * Sends the form again; shows our page when the gate answers, waits and tries again while n8n is still
 * resuming the run (409 "running"), and says plainly that nothing was recorded when n8n answers that the
 * run is no longer waiting (someone else decided it meanwhile).
 */
const RESEND_SCRIPT = `(function(){var f=document.getElementById('again'),s=document.getElementById('status'),n=0;
function go(){n++;fetch(location.href,{method:'POST',body:new URLSearchParams(new FormData(f))}).then(function(r){return r.text().then(function(t){
if((r.headers.get('content-type')||'').indexOf('text/html')>=0){document.open();document.write(t);document.close();return;}
if(r.status===409&&/running/i.test(t)&&n<20){setTimeout(go,1500);return;}
s.textContent='Your decision was not recorded: this request is no longer waiting (someone else decided it meanwhile, or it timed out). n8n said: '+t.slice(0,300);f.style.display='none';});})
.catch(function(){s.textContent='Could not reach n8n; press the button to send your decision again.';});}
setTimeout(go,DELAY);})();`;

/**
 * The answer to a decision that came while another one on the same request was still being recorded:
 * nothing was recorded yet, and the browser sends the same decision again in a moment (a button does
 * it where scripts are off), so no vote is lost and nobody is told "Recorded" for a vote n8n dropped.
 */
export function resendPage(message: string, form: Record<string, string>, delayMs: number): string {
	const inputs = Object.entries(form)
		.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
		.join('');
	return htmlPage(
		'Not recorded yet',
		`<h1>Not recorded yet</h1><p id="status">${escapeHtml(message)}</p><form method="POST" id="again">${inputs}<button class="approve" type="submit">Send my decision again</button></form><script>${RESEND_SCRIPT.replace('DELAY', String(Math.max(0, Math.round(delayMs))))}</script>`,
	);
}

export function messagePage(title: string, message: string): string {
	return htmlPage(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** Plain-text request for Slack, Teams or e-mail: the shown fields of each item, then each approver's link. */
/**
 * The request message. Title, labels and values may hold lead data: each is written in the channel's
 * own syntax (channel-text.ts); only the links below the marker line are the gate's.
 */
export function requestText(title: string, items: ShownItem[], links: Array<{ approver: string; url: string }>, expiresAt: string, channel: TextChannel = 'plain'): string {
	const t = (text: string) => channelText(text, channel);
	const body = items.map((item) => item.fields.map((f) => `${t(f.label)}: ${t(f.value)}`).join('\n')).join('\n\n');
	// The gate's own links, as they are: every channel links a bare https URL.
	const linkLines = links.map((l) => `${t(l.approver)}: ${l.url}`).join('\n');
	return `${t(title)}\n\n${body}\n\nReview and decide (personal links, valid until ${expiresAt}):\n${linkLines}`;
}
