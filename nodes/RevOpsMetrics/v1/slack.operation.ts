import { NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type INodeExecutionData } from 'n8n-workflow';
import { postToSlack, type SlackFile, type SlackHttp } from '../../shared/domain/metrics/report/slack-upload';
import { addAudit } from '../../shared/n8n/audit';
import { toNodeError } from '../../shared/n8n/item-router';
import { metricsAudit } from './output';

/**
 * Post Report to Slack: each Build Report item's Slack text, with its charts as images in the same
 * message, with the RevOps Slack API credential (a bot token with files:write and chat:write).
 */
export async function postReportToSlack(ctx: IExecuteFunctions, items: INodeExecutionData[], started: number): Promise<INodeExecutionData[]> {
	const http: SlackHttp = async (r) => {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: r.url,
			body: r.bytes ?? new URLSearchParams(r.form ?? {}).toString(),
			headers: { 'content-type': r.bytes ? 'application/octet-stream' : 'application/x-www-form-urlencoded' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
		};
		const res = (r.authenticated ? await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'revOpsSlackApi', options) : await ctx.helpers.httpRequest(options)) as { statusCode: number; headers: Record<string, string>; body: unknown };
		const body = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.body;
		return { status: res.statusCode, headers: res.headers ?? {}, body };
	};
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const report = items[i].json.report as IDataObject | undefined;
			if (!report || typeof report.slackText !== 'string') {
				throw new NodeOperationError(ctx.getNode(), 'No report on the item', { itemIndex: i, description: 'Put a RevOps Metrics node with the operation Build Report before this one' });
			}
			const channel = String(ctx.getNodeParameter('channel', i, '') ?? '').trim();
			if (!channel) throw new NodeOperationError(ctx.getNode(), 'No Slack channel', { itemIndex: i, description: 'Set channels.slackChannel in the company config (a channel id such as C0123456789) or the Channel parameter' });
			const credentials = await ctx.getCredentials('revOpsSlackApi', i);
			const apiUrl = String(credentials.apiUrl ?? '').trim() || 'https://slack.com/api';
			const files: SlackFile[] = [];
			for (const chart of (report.charts as IDataObject[] | undefined) ?? []) {
				const property = String(chart.property);
				if (!items[i].binary?.[property]) continue;
				files.push({ filename: `${property}.png`, title: `${String(chart.company)}: ${String(chart.title)}`, bytes: await ctx.helpers.getBinaryDataBuffer(i, property) });
			}
			const result = await postToSlack(http, apiUrl, channel, report.slackText, files);
			const audit = metricsAudit(ctx, null, started);
			out.push({ json: addAudit({ slack: { channel, files: result.fileIds.length, fileIds: result.fileIds, calls: result.calls, title: report.title as string } }, audit), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(ctx, error, i);
			if (!ctx.continueOnFail()) throw nodeError;
			out.push({ json: { error: nodeError.message }, error: nodeError, pairedItem: { item: i } });
		}
	}
	return out;
}
