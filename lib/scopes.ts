/**
 * Token scopes with the titles Dynatrace shows next to them (the 403 message names both:
 * `Token is missing required scope. Use one of: metrics.read (Read metrics)`).
 */
export const SCOPE_TITLES = {
  'activeGates.read': 'Read ActiveGates',
  'activeGates.write': 'Write ActiveGates',
  'apiTokens.read': 'Read API tokens',
  'apiTokens.write': 'Write API tokens',
  'entities.read': 'Read entities',
  'entities.write': 'Write entities',
  'events.ingest': 'Ingest events',
  'events.read': 'Read events',
  'metrics.ingest': 'Ingest metrics',
  'metrics.read': 'Read metrics',
  'metrics.write': 'Write metrics',
  'networkZones.read': 'Read network zones',
  'networkZones.write': 'Write network zones',
  'problems.read': 'Read problems',
  'problems.write': 'Write problems',
  'releases.read': 'Read releases',
  'securityProblems.read': 'Read security problems',
  'securityProblems.write': 'Write security problems',
  'settings.read': 'Read settings',
  'settings.write': 'Write settings',
  'slo.read': 'Read SLO',
  'slo.write': 'Write SLO',
  'logs.read': 'Read logs',
  'logs.ingest': 'Ingest logs',
  'auditLogs.read': 'Read audit logs',
  DataExport: 'Access problem and event feed, metrics, and topology',
  ReadConfig: 'Read configuration',
  WriteConfig: 'Write configuration',
} as const;

export type Scope = keyof typeof SCOPE_TITLES;

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && Object.hasOwn(SCOPE_TITLES, value);
}

/** Scopes a personal access token may carry (docs/dynatrace-api-notes.md §4.1, restricted to the ones known here). */
export const PAT_SCOPES: readonly Scope[] = [
  'activeGates.read', 'activeGates.write', 'apiTokens.read', 'apiTokens.write', 'entities.read', 'entities.write',
  'events.ingest', 'events.read', 'metrics.read', 'metrics.write', 'networkZones.read', 'networkZones.write',
  'problems.read', 'problems.write', 'releases.read', 'securityProblems.read', 'securityProblems.write',
  'settings.read', 'settings.write', 'slo.read', 'slo.write',
];

export function scopeWithTitle(scope: Scope): string {
  return `${scope} (${SCOPE_TITLES[scope]})`;
}

/** Scope presets offered when creating a PAT. */
export const SCOPE_PRESETS = {
  analyst: ['metrics.read', 'entities.read', 'problems.read'],
  support: ['metrics.read', 'entities.read', 'problems.read', 'settings.read', 'apiTokens.read'],
} as const satisfies Record<string, readonly Scope[]>;
