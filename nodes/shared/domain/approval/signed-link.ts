import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config-error';

/**
 * Personal approval links: an HMAC over execution, node, approver and expiry, keyed by a secret the
 * user keeps in a credential. Whoever holds a link can act only as that approver, only for that
 * waiting node, and only until it expires; changing any part breaks the signature. The gate's timer
 * signs its ticks the same way, and the loop clock the items it lays on its Clock output, each with a
 * purpose no approver link carries.
 */

export interface LinkClaims {
	executionId: string;
	nodeId: string;
	approver: string;
	/** Expiry (for a tick: when it is due), milliseconds since the epoch. */
	expiresAt: number;
	/** 'decide' unless stated: approver links; 'tick': the gate's own timer; 'clock': an item on the gate's Clock output. */
	purpose?: 'decide' | 'tick' | 'clock';
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; status: 401 | 403; reason: string };

/**
 * The HMAC of a list of parts, length-prefixed, so no choice of values can make two different lists
 * sign the same text. Every signed link of the package (approvals, timer ticks, lead responses) is one.
 */
export function signParts(parts: readonly string[], secret: string): string {
	if (secret.length < 16) throw new ConfigError('The link signing secret is shorter than 16 characters', 'Set a long random secret in the RevOps Approval credential, e.g. the output of `openssl rand -hex 32`.', 'secret');
	return createHmac('sha256', secret).update(parts.map((p) => `${p.length}:${p}`).join('|')).digest('base64url');
}

/** Constant-time check of a signature over parts. */
export function partsSignatureMatches(parts: readonly string[], signature: unknown, secret: string): boolean {
	if (typeof signature !== 'string' || signature === '') return false;
	const expected = Buffer.from(signParts(parts, secret));
	const given = Buffer.from(signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}

const payload = (c: LinkClaims): string[] => [c.purpose ?? 'decide', c.executionId, c.nodeId, c.approver.toLowerCase(), String(c.expiresAt)];

export function signLink(claims: LinkClaims, secret: string): string {
	return signParts(payload(claims), secret);
}

/**
 * 401 when the signature does not match (forged or altered), 403 when it matches but the link has
 * expired or the approver is no longer allowed.
 */
export function verifyLink(claims: LinkClaims, signature: string, secret: string, allowed: string[], now: number): LinkCheck {
	if (!signatureMatches(claims, signature, secret)) return { ok: false, status: 401, reason: signature && Number.isFinite(claims.expiresAt) ? 'the link is not valid' : 'the link is incomplete' };
	if (now > claims.expiresAt) return { ok: false, status: 403, reason: 'the link has expired' };
	if (!allowed.some((a) => a.toLowerCase() === claims.approver.toLowerCase())) return { ok: false, status: 403, reason: `${claims.approver} is not an approver for this request` };
	return { ok: true, claims };
}

function signatureMatches(claims: LinkClaims, signature: string, secret: string): boolean {
	return Number.isFinite(claims.expiresAt) && partsSignatureMatches(payload(claims), signature, secret);
}

/** A timer tick is genuine when signed for this execution and node; when it arrives does not matter. */
export function verifyTick(executionId: string, nodeId: string, dueAt: number, signature: string, secret: string): boolean {
	return signatureMatches({ executionId, nodeId, approver: '', expiresAt: dueAt, purpose: 'tick' }, signature, secret);
}

/** The loop clock's mark on an item it lays on the Clock output: this execution, this gate, this item. */
export function signClockItem(executionId: string, nodeId: string, index: number, secret: string): string {
	return signLink(clockItemClaims(executionId, nodeId, index), secret);
}

const clockItemClaims = (executionId: string, nodeId: string, index: number): LinkClaims => ({ executionId, nodeId, approver: `#${index}`, expiresAt: 0, purpose: 'clock' });

/**
 * Whether an item coming into the gate is one it laid on its own Clock output in this execution, so
 * its state may be continued. Anything else (an item that merely carries an `approval` field, from
 * another run or from outside) is a new item.
 */
export function verifyClockItem(executionId: string, nodeId: string, index: number, signature: unknown, secret: string): boolean {
	return Number.isInteger(index) && typeof signature === 'string' && signatureMatches(clockItemClaims(executionId, nodeId, index), signature, secret);
}
