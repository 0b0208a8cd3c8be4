import { Parser } from 'htmlparser2';
import { collapseWhiteSpace } from '../text';
import { RESEARCH_DEFAULTS } from './catalogs';

/**
 * What a person sees on a web page, in blocks (a heading, a paragraph, a list entry), and the marks
 * its markup leaves (script, stylesheet and frame addresses, the generator tag). Parsed with
 * htmlparser2 (the forgiving streaming parser behind cheerio): pages in the wild are rarely valid.
 *
 * Hidden text (display:none, `hidden`, aria-hidden, zero-size fonts) is left out: a page can say
 * things to a machine it never shows a reader, and what nobody sees is no evidence.
 */
export interface PageBlock {
	text: string;
	/** 1-6 for a heading, 0 otherwise; the title counts as 1. */
	heading: number;
	/** A `<time datetime>` inside the block. */
	datetime: string | null;
}

export interface PageText {
	url: string;
	title: string;
	description: string;
	blocks: PageBlock[];
	/** Addresses of scripts, stylesheets, frames, forms, and generator tags, lower case. */
	markup: string[];
	/** The page had more text than is kept. */
	cut: boolean;
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas', 'select', 'option', 'textarea', 'button']);
const BLOCKS = new Set(['p', 'div', 'li', 'dd', 'dt', 'td', 'th', 'section', 'article', 'header', 'footer', 'aside', 'main', 'nav', 'blockquote', 'figcaption', 'address', 'tr', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'title', 'summary', 'details', 'form', 'ul', 'ol', 'table', 'body']);
const HIDDEN_STYLE = /(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|(?:width|height)\s*:\s*0(?:px)?\s*[;"]?\s*(?:overflow|$))/i;
const MARKUP_ATTRS: Record<string, string> = { script: 'src', link: 'href', iframe: 'src', img: 'src', form: 'action', embed: 'src', source: 'src' };
const MAX_MARKUP = 400;

function isHidden(attrs: Record<string, string>): boolean {
	if ('hidden' in attrs) return true;
	if ((attrs['aria-hidden'] ?? '').toLowerCase() === 'true') return true;
	return HIDDEN_STYLE.test(attrs.style ?? '');
}

export function pageText(url: string, html: string, maxChars: number = RESEARCH_DEFAULTS.maxPageChars): PageText {
	const page: PageText = { url, title: '', description: '', blocks: [], markup: [], cut: false };
	const stack: Array<{ name: string; hidden: boolean; skipped: boolean }> = [];
	let hiddenDepth = 0;
	let skippedDepth = 0;
	let inTitle = false;
	let buffer = '';
	let heading = 0;
	let datetime: string | null = null;
	let kept = 0;

	const flush = () => {
		const text = collapseWhiteSpace(buffer).trim();
		buffer = '';
		if (text && kept < maxChars) {
			const room = maxChars - kept;
			page.blocks.push({ text: text.length > room ? text.slice(0, room) : text, heading, datetime });
			kept += Math.min(text.length, room);
			if (text.length > room) page.cut = true;
		} else if (text) page.cut = true;
		heading = 0;
		datetime = null;
	};

	const parser = new Parser(
		{
			onopentag(name, attrs) {
				const hidden = isHidden(attrs);
				const skipped = SKIPPED.has(name);
				const markupAttr = MARKUP_ATTRS[name];
				if (markupAttr && attrs[markupAttr] && page.markup.length < MAX_MARKUP) page.markup.push(attrs[markupAttr].toLowerCase().slice(0, 500));
				if (name === 'meta') {
					const key = (attrs.name ?? attrs.property ?? '').toLowerCase();
					if (key === 'generator' && attrs.content && page.markup.length < MAX_MARKUP) page.markup.push(`generator:${attrs.content.toLowerCase().slice(0, 200)}`);
					if ((key === 'description' || key === 'og:description') && !page.description && attrs.content) page.description = collapseWhiteSpace(attrs.content).trim().slice(0, 1000);
				}
				if (BLOCKS.has(name) && hiddenDepth === 0 && skippedDepth === 0) flush();
				if (name === 'title') inTitle = true;
				if (/^h[1-6]$/.test(name) && hiddenDepth === 0) heading = Number(name[1]);
				if (name === 'time' && attrs.datetime && hiddenDepth === 0) datetime = attrs.datetime.slice(0, 40);
				// Void elements never contain text: they close at once, so nothing is pushed for them.
				stack.push({ name, hidden, skipped });
				if (hidden) hiddenDepth++;
				if (skipped) skippedDepth++;
			},
			ontext(text) {
				if (inTitle) {
					if (page.title.length < 500) page.title = collapseWhiteSpace(`${page.title}${text}`).trimStart().slice(0, 500);
					return;
				}
				if (hiddenDepth > 0 || skippedDepth > 0) return;
				if (buffer.length < 20_000) buffer += text;
			},
			onclosetag(name) {
				if (name === 'title') {
					inTitle = false;
					page.title = page.title.trim();
				}
				// htmlparser2 closes every element it opened (implied closes too), in order.
				const top = stack.pop();
				if (!top) return;
				if (top.hidden) hiddenDepth--;
				if (top.skipped) skippedDepth--;
				if (BLOCKS.has(name) && hiddenDepth === 0 && skippedDepth === 0) flush();
			},
		},
		{ decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
	);
	parser.write(html);
	parser.end();
	flush();
	return page;
}
