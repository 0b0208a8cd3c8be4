/**
 * User-controlled text in an approval message, written in each channel's own syntax. Lead data is
 * shown to an approver, never obeyed by the channel: no Slack mention or masked link, no Teams
 * markdown link, no line that passes for one of the gate's own links. Only the gate writes links;
 * URLs inside lead data are shown defanged ("hxxps://evil[.]example/...") so no channel links them.
 */

export type TextChannel = 'slack' | 'teams' | 'email' | 'webhook' | 'plain';

/** Longest value of one field in a message: enough to judge, not a megabyte. */
export const MAX_SHOWN_VALUE = 1_000;

const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;

/** "https://evil.example/approve" -> "hxxps://evil[.]example/approve": readable, never a link. */
export function defangUrls(text: string): string {
	return text.replace(URL_RE, (url) => url.replace(/^http/i, 'hxxp').replace(/^ftp/i, 'fxp').replace(/\./g, '[.]'));
}

/** One line: a value cannot open a line of its own and pass for "Approve: <link>". */
function oneLine(text: string): string {
	return text.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ⏎ ');
}

function cut(text: string): string {
	return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}… [cut at ${MAX_SHOWN_VALUE} characters]` : text;
}

/** Slack mrkdwn: &, < and > are its control characters (<!channel>, <@U1>, <url|label>). */
function slack(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		// Plain @channel/@here/@everyone notify where link_names is on: a zero-width joiner breaks them.
		.replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

/** Teams (and any CommonMark renderer): markdown punctuation is escaped, HTML angle brackets too. */
function teams(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+!|~>]/g, '\\$&').replace(/</g, '&lt;').replace(/@(channel|here|everyone|team)\b/gi, '@\u2060$1');
}

/** A field value as the channel must show it. */
export function channelText(value: string, channel: TextChannel): string {
	const safe = defangUrls(oneLine(cut(value)));
	switch (channel) {
		case 'slack':
			return slack(safe);
		case 'teams':
			return teams(safe);
		default:
			// E-mail is sent as plain text, webhooks carry the items as JSON data beside this text.
			return safe;
	}
}
