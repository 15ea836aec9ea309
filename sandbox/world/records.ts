/**
 * The records a world holds: entities and problems. They live apart from `World` (which indexes
 * them) and from the generators, so every module that needs the shapes imports only this one.
 */

export const ENTITY_TYPES = ['HOST', 'DISK', 'PROCESS_GROUP_INSTANCE', 'SERVICE', 'APPLICATION'] as const;
export type EntityTypeName = (typeof ENTITY_TYPES)[number];

export interface Tag { context: string; key: string; value?: string; stringRepresentation: string }

export interface EntityRecord {
  entityId: string;
  type: EntityTypeName;
  displayName: string;
  firstSeenTms: number;
  /** null while the entity is still reporting: its lastSeenTms is "now". */
  lastSeenTms: number | null;
  healthState: 'HEALTHY' | 'UNHEALTHY';
  properties: Record<string, unknown>;
  tags: Tag[];
  zoneIds: string[];
  fromRelationships: Record<string, string[]>;
  toRelationships: Record<string, string[]>;
}

export const SEVERITY_LEVELS = ['AVAILABILITY', 'ERROR', 'PERFORMANCE', 'RESOURCE_CONTENTION', 'CUSTOM_ALERT', 'MONITORING_UNAVAILABLE', 'INFO'] as const;
export const IMPACT_LEVELS = ['APPLICATION', 'SERVICES', 'INFRASTRUCTURE', 'ENVIRONMENT'] as const;

export interface EvidenceRecord {
  evidenceType: 'EVENT' | 'METRIC';
  displayName: string;
  entityId: string;
  rootCauseRelevant: boolean;
  startTime: number;
  endTime: number;
  eventType?: string;
  metricId?: string;
  unit?: string;
  before?: number;
  after?: number;
}

/** A comment on a problem (`Comment` of the Problems API). */
export interface CommentRecord {
  id: string;
  createdAtTimestamp: number;
  content: string;
  authorName: string;
  context: string;
}

export interface ProblemRecord {
  problemId: string;
  displayId: string;
  title: string;
  severityLevel: (typeof SEVERITY_LEVELS)[number];
  impactLevel: (typeof IMPACT_LEVELS)[number];
  startTime: number;
  /** -1 while open. */
  endTime: number;
  affected: string[];
  impacted: string[];
  rootCause: string | null;
  zoneIds: string[];
  evidence: EvidenceRecord[];
  /** Newest first. Absent means none. */
  comments?: CommentRecord[];
}
