import { createRng, pick } from './rng';
import type { CommentRecord, EntityRecord, EntityTypeName, EvidenceRecord, ProblemRecord } from './records';
import type { World } from './world';

const TEMPLATES: { title: string; severity: ProblemRecord['severityLevel']; impact: ProblemRecord['impactLevel']; type: EntityTypeName; metric?: string; unit?: string; event: string }[] = [
  { title: 'CPU saturation', severity: 'RESOURCE_CONTENTION', impact: 'INFRASTRUCTURE', type: 'HOST', metric: 'builtin:host.cpu.usage', unit: 'Percent', event: 'CPU_SATURATED' },
  { title: 'Memory resources exhausted', severity: 'RESOURCE_CONTENTION', impact: 'INFRASTRUCTURE', type: 'HOST', metric: 'builtin:host.mem.usage', unit: 'Percent', event: 'MEMORY_RESOURCES_EXHAUSTED' },
  { title: 'Low disk space', severity: 'RESOURCE_CONTENTION', impact: 'INFRASTRUCTURE', type: 'DISK', metric: 'builtin:host.disk.usedPct', unit: 'Percent', event: 'LOW_DISK_SPACE' },
  { title: 'Response time degradation', severity: 'PERFORMANCE', impact: 'SERVICES', type: 'SERVICE', metric: 'builtin:service.response.time', unit: 'MicroSecond', event: 'SERVICE_RESPONSE_TIME_DEGRADED' },
  { title: 'Failure rate increase', severity: 'ERROR', impact: 'SERVICES', type: 'SERVICE', metric: 'builtin:service.errors.total.rate', unit: 'Percent', event: 'SERVICE_ERROR_RATE_INCREASED' },
  { title: 'Process unavailable', severity: 'AVAILABILITY', impact: 'INFRASTRUCTURE', type: 'PROCESS_GROUP_INSTANCE', event: 'PROCESS_UNAVAILABLE' },
  { title: 'User action duration degradation', severity: 'PERFORMANCE', impact: 'APPLICATION', type: 'APPLICATION', metric: 'builtin:apps.web.actionDuration.load.browser', unit: 'MilliSecond', event: 'APPLICATION_SLOWDOWN' },
  { title: 'JavaScript error rate increase', severity: 'ERROR', impact: 'APPLICATION', type: 'APPLICATION', event: 'APPLICATION_JS_ERROR_RATE_INCREASED' },
];

const HOUR = 3_600_000;

/**
 * A deterministic problem history over the four weeks before the world's anchor, spread over all
 * zones: about one problem per ten hosts (capped), some still open, with root causes and evidence.
 */
export function generateProblems(world: World, seed: number, anchor: number): ProblemRecord[] {
  const rng = createRng(seed ^ 0x5eed);
  const hosts = world.byType.get('HOST')!.length;
  const count = Math.min(400, Math.max(24, Math.round(hosts / 10)));
  const out: ProblemRecord[] = [];
  for (let i = 0; i < count; i++) {
    const t = TEMPLATES[Math.floor(rng() * TEMPLATES.length)]!;
    const candidates = world.byType.get(t.type)!;
    if (!candidates.length) continue;
    const root: EntityRecord = pick(rng, candidates);
    // The most recent problems are the open ones.
    const ageHours = i < count / 6 ? rng() * 6 : 6 + rng() * 27 * 24;
    const start = Math.floor((anchor - ageHours * HOUR) / 60_000) * 60_000;
    const open = i < count / 6 && rng() < 0.8;
    const end = open ? -1 : start + Math.floor((10 + rng() * 240) * 60_000 / 60_000) * 60_000;
    const related = [...(root.fromRelationships.runsOnHost ?? []), ...(root.toRelationships.calls ?? []).slice(0, 2)];
    const affected = [root.entityId];
    const impacted = [root.entityId, ...related.filter((id) => world.byId.has(id))];
    const zoneIds = [...new Set(impacted.flatMap((id) => world.byId.get(id)!.zoneIds))];
    const evidence: EvidenceRecord[] = [{ evidenceType: 'EVENT', displayName: t.title, entityId: root.entityId, rootCauseRelevant: true, startTime: start, endTime: end, eventType: t.event }];
    if (t.metric) {
      // Durations in the metric's unit: a load action's milliseconds are a thousandth of a service's microseconds.
      const before = (t.unit === 'Percent' ? 20 + rng() * 30 : 50_000 + rng() * 200_000) / (t.unit === 'MilliSecond' ? 1000 : 1);
      evidence.push({ evidenceType: 'METRIC', displayName: t.title, entityId: root.entityId, rootCauseRelevant: true, startTime: start - 15 * 60_000, endTime: end, metricId: t.metric, unit: t.unit, before, after: t.unit === 'Percent' ? Math.min(100, before + 40 + rng() * 20) : before * (3 + rng() * 4) });
    }
    const hi = BigInt.asIntN(64, BigInt(Math.floor(rng() * 2 ** 31)) * BigInt(Math.floor(rng() * 2 ** 31)) * (rng() < 0.5 ? -1n : 1n));
    out.push({
      problemId: `${hi}_${start}V2`, displayId: `P-${String(start / 60_000).slice(-6)}${String(i).padStart(3, '0')}`,
      title: t.title, severityLevel: t.severity, impactLevel: t.impact, startTime: start, endTime: end,
      affected, impacted, rootCause: rng() < 0.85 ? root.entityId : null, zoneIds, evidence,
    });
  }
  addComments(out, seed);
  return out.sort((a, b) => b.startTime - a.startTime);
}

const AUTHORS = ['oncall@example.com', 'sre.eu@example.com', 'sre.us@example.com', 'platform@example.com'];
const NOTES = ['Looking into it.', 'Restarted the affected process; watching the metrics.', 'Caused by the nightly batch, see the runbook.',
  'Scaled out by two instances.', 'Escalated to the owning team.', 'Rolled back the last deployment.'];

/**
 * Comments, from a generator of their own so that adding them moves no other value of the world: about half of
 * the problems have one to three, and a closed problem is closed with a comment in the context Dynatrace uses for it
 * (recorded: "dynatrace-problem-close"). Ids look like real ones: a signed 64-bit number and the problem's start.
 */
function addComments(problems: ProblemRecord[], seed: number): void {
  const rng = createRng(seed ^ 0xc0ffee);
  for (const p of problems) {
    if (rng() < 0.5) continue;
    const n = 1 + Math.floor(rng() * 3);
    const comments: CommentRecord[] = [];
    const last = p.endTime === -1 ? p.startTime + 6 * HOUR : p.endTime;
    for (let i = 0; i < n; i++) {
      const at = p.startTime + Math.floor(((i + 1) / (n + 1)) * (last - p.startTime));
      const closing = p.endTime !== -1 && i === n - 1;
      const id = BigInt.asIntN(64, (BigInt(Math.floor(rng() * 2 ** 32)) << 32n) | BigInt(Math.floor(rng() * 2 ** 32)));
      comments.push({
        id: `${id}_${p.startTime}`, createdAtTimestamp: closing ? p.endTime : at,
        content: closing ? 'Closing: resolved, no further impact.' : pick(rng, NOTES), authorName: pick(rng, AUTHORS),
        context: closing ? 'dynatrace-problem-close' : pick(rng, ['Slack', 'Jira', 'Tokenscope sandbox']),
      });
    }
    p.comments = comments.sort((a, b) => b.createdAtTimestamp - a.createdAtTimestamp);
  }
}
