/**
 * The secret-free report a user sends to support (docs/support.md), now with explanations and comparisons beside the
 * inspections (`./inspection.ts` writes those). Everything in it is plain data the dashboard showed: token ids and
 * labels, owners, zone and entity names, the requests made and what they answered; never a secret. As with the
 * inspection report, any token-shaped text is redacted once more on the way out.
 */
import type { Comparison, ComparedItem } from '../compare/compare';
import type { Verdict } from '../explain/verdict';
import { redactSecrets } from '../log/redact';
import { inspectionReportMarkdown, type Inspection } from './inspection';

export interface SupportReport {
  environmentUrl?: string;
  createdAt: string;
  inspections: readonly Inspection[];
  explanations: readonly Verdict[];
  comparisons: readonly Comparison[];
}

/** Difference rows listed per comparison in the Markdown report (the JSON report lists all). */
export const MARKDOWN_ROWS = 200;

/** A comparison without the two full answers: the counts and the difference, which is what support needs. */
function comparisonForReport(c: Comparison) {
  const { items: _a, ...a } = c.a;
  const { items: _b, ...b } = c.b;
  return { ...c, a, b };
}

export function supportReportJson(r: SupportReport): string {
  return redactSecrets(JSON.stringify({
    report: 'Tokenscope support report', environmentUrl: r.environmentUrl, createdAt: r.createdAt,
    inspections: r.inspections, explanations: r.explanations, comparisons: r.comparisons.map(comparisonForReport),
  }, null, 2));
}

function md(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function itemRows(items: readonly ComparedItem[], who: string, kind: Comparison['kind']): string[] {
  return items.slice(0, MARKDOWN_ROWS).map((i) => (kind === 'entities'
    ? `| only with ${md(who)} | ${md(i.id)} | ${md(i.label)} | ${md((i.zones ?? []).join(', '))} |`
    : `| only with ${md(who)} | ${md(i.id)} | ${md(i.label)} | ${md(i.dimensions ?? '')} |`));
}

function explanationMarkdown(v: Verdict, n: number): string[] {
  return [
    `### Explanation ${n}: ${md(v.subject)}`,
    '',
    `- Verdict: ${v.visible === null ? 'cannot tell' : v.visible ? 'visible' : 'not visible'} (${v.cause})`,
    `- ${md(v.sentence)}`,
    ...(v.why ? [`- Why it cannot tell: ${md(v.why)}`] : []),
    `- Explained token: "${md(v.explained.label)}" of ${md(v.explained.owner)}; reaches ${v.explainedZones ? md(v.explainedZones.join(', ') || 'no zone') : 'unknown zones'}`,
    `- Reference token: ${v.reference ? `"${md(v.reference.label)}" of ${md(v.reference.owner)}` : 'none'}`,
    ...(v.object ? [`- Object: ${md(v.object.id)} (${md(v.object.name)})`] : []),
    ...(v.objectZones ? [`- Its zones${v.zonesReadBy ? ` (read through "${md(v.zonesReadBy)}")` : ''}: ${md(v.objectZones.join(', ') || 'none')}`] : []),
    ...(v.missingScopes.length ? [`- Missing scope: ${md(v.missingScopes.join(' or '))}`] : []),
    ...(v.difference ? [`- Only visible to the reference token: ${v.difference.entities.length} of ${v.difference.referenceCount}${v.difference.byZone.length ? ` (${md(v.difference.byZone.map((z) => `${z.zone}: ${z.count}`).join(', '))})` : ''}`] : []),
    `- Evidence (${v.requests} requests):`,
    ...v.trail.map((t) => `  - ${md(t)}`),
    '',
  ];
}

function comparisonMarkdown(c: Comparison, n: number): string[] {
  const more = Math.max(0, c.onlyA.length + c.onlyB.length - MARKDOWN_ROWS);
  return [
    `### Comparison ${n}: ${md(c.query)}`,
    '',
    `- Tokens: "${md(c.a.label)}" (${md(c.a.owner)}, ${c.a.count} ${c.noun.many}) and "${md(c.b.label)}" (${md(c.b.owner)}, ${c.b.count} ${c.noun.many})`,
    ...(c.timeframe ? [`- Timeframe: ${c.timeframe.from} to ${c.timeframe.to}, resolution ${md(c.timeframe.resolution)}`] : []),
    `- ${md(c.sentence)}`,
    ...(c.slots ? [`- Slots: ${md(c.slots.note)}`] : []),
    '',
    ...(c.onlyA.length + c.onlyB.length
      ? [c.kind === 'entities' ? '| Difference | Entity id | Name | Management zones |' : '| Difference | Metric | Series | Dimensions |', '| --- | --- | --- | --- |',
        ...itemRows(c.onlyB, c.b.label, c.kind), ...itemRows(c.onlyA, c.a.label, c.kind).slice(0, Math.max(0, MARKDOWN_ROWS - c.onlyB.length)),
        ...(more ? ['', `… and ${more} more rows (all of them are in the JSON report).`] : [])]
      : ['No difference.']),
    '',
  ];
}

export function supportReportMarkdown(r: SupportReport): string {
  const lines = [
    '# Tokenscope support report',
    '',
    ...(r.environmentUrl ? [`- Environment: ${r.environmentUrl}`] : []),
    `- Created at: ${r.createdAt}`,
    `- ${r.inspections.length} inspections, ${r.explanations.length} explanations, ${r.comparisons.length} comparisons`,
    '',
    ...(r.explanations.length ? ['## Explanations', '', ...r.explanations.flatMap((v, i) => explanationMarkdown(v, i + 1))] : []),
    ...(r.comparisons.length ? ['## Comparisons', '', ...r.comparisons.flatMap((c, i) => comparisonMarkdown(c, i + 1))] : []),
    ...(r.inspections.length ? ['## Inspections', '', ...r.inspections.map((i) => inspectionReportMarkdown(i).replace(/^# /m, '### '))] : []),
  ];
  return redactSecrets(lines.join('\n'));
}
