import type { Zone } from '../identity';
import { createRng, hex16, pick } from './rng';
import type { EntityRecord, EntityTypeName, Tag } from './world';

export type WorldKind = 'demo' | 'large';

export const ZONE_NAMES = ['Production EU', 'Production US', 'Staging', 'Shared Services'] as const;

interface ZonePlan { name: (typeof ZONE_NAMES)[number]; prefix: string; env: string; region: string; hosts: { demo: number; large: number } }

const PLAN: ZonePlan[] = [
  { name: 'Production EU', prefix: 'prd-eu', env: 'prod', region: 'eu-west-1', hosts: { demo: 6, large: 4000 } },
  { name: 'Production US', prefix: 'prd-us', env: 'prod', region: 'us-east-1', hosts: { demo: 6, large: 4000 } },
  { name: 'Staging', prefix: 'stg', env: 'staging', region: 'eu-central-1', hosts: { demo: 4, large: 1500 } },
  { name: 'Shared Services', prefix: 'shr', env: 'shared', region: 'eu-west-1', hosts: { demo: 3, large: 500 } },
];

const ROLES = [
  { role: 'web', processes: ['nginx', 'Node.js frontend'], tech: ['NGINX', 'NODE_JS'], services: ['frontend', 'static-content'], serviceType: 'WEB_REQUEST_SERVICE' },
  { role: 'app', processes: ['Apache Tomcat', 'JVM worker'], tech: ['TOMCAT', 'JAVA'], services: ['checkout-service', 'payment-service', 'catalog-service', 'order-service', 'pricing-service'], serviceType: 'WEB_SERVICE' },
  { role: 'db', processes: ['PostgreSQL', 'pgbouncer'], tech: ['POSTGRESQL', 'PGBOUNCER'], services: ['orders-db', 'customers-db'], serviceType: 'DATABASE_SERVICE' },
  { role: 'cache', processes: ['Redis', 'redis-sentinel'], tech: ['REDIS', 'REDIS'], services: ['session-cache'], serviceType: 'DATABASE_SERVICE' },
] as const;

const SHARED_ROLES = [
  { role: 'auth', processes: ['Keycloak', 'JVM worker'], tech: ['JAVA', 'JAVA'], services: ['auth-service', 'token-service'], serviceType: 'WEB_SERVICE' },
  { role: 'kafka', processes: ['Apache Kafka', 'ZooKeeper'], tech: ['KAFKA', 'ZOOKEEPER'], services: ['event-bus'], serviceType: 'MESSAGING_SERVICE' },
] as const;

const TEAMS = ['payments', 'catalog', 'checkout', 'platform', 'identity'];
const DAY = 86_400_000;

function tag(key: string, value?: string, context = 'CONTEXTLESS'): Tag {
  const base = value === undefined ? key : `${key}:${value}`;
  return { context, key, ...(value === undefined ? {} : { value }), stringRepresentation: context === 'CONTEXTLESS' ? base : `[${context}]${base}` };
}

/**
 * The demo world, deterministic from the seed: four zones; hosts with disks, process group
 * instances and services; web applications calling the front ends. `anchor` (a day boundary)
 * places first-seen times; some hosts appear only hours before it.
 */
export function generateWorld(seed: number, kind: WorldKind, anchor: number): { zones: Zone[]; entities: EntityRecord[] } {
  const rng = createRng(seed);
  const used = new Set<string>();
  const newId = (type: EntityTypeName) => {
    for (;;) {
      const id = `${type}-${hex16(rng)}`;
      if (!used.has(id)) { used.add(id); return id; }
    }
  };
  const zones: Zone[] = PLAN.map((p) => {
    // Zone ids are signed 64-bit numbers as strings, some negative, like the real ones.
    const hi = Math.floor(rng() * 2 ** 31) * (rng() < 0.3 ? -1 : 1);
    const lo = Math.floor(rng() * 1e9).toString().padStart(9, '0');
    return { id: `${hi}${lo}`, name: p.name };
  });
  const zoneOf = new Map(PLAN.map((p, i) => [p.name, zones[i]!.id]));
  const entities: EntityRecord[] = [];
  const add = (e: Omit<EntityRecord, 'toRelationships' | 'lastSeenTms' | 'healthState'> & { healthState?: EntityRecord['healthState'] }) => {
    const rec: EntityRecord = { lastSeenTms: null, healthState: 'HEALTHY', toRelationships: {}, ...e };
    entities.push(rec);
    return rec;
  };
  const servicesByZone = new Map<string, { web: string[]; backend: string[]; shared: string[] }>();
  const pad = kind === 'large' ? 4 : 2;

  PLAN.forEach((plan, zi) => {
    const zoneIds = [zoneOf.get(plan.name)!];
    const hostsByRole = new Map<string, EntityRecord[]>();
    const roles = plan.name === 'Shared Services' ? SHARED_ROLES : ROLES;
    const svc = { web: [] as string[], backend: [] as string[], shared: [] as string[] };
    servicesByZone.set(plan.name, svc);
    const count = plan.hosts[kind];
    for (let h = 0; h < count; h++) {
      const r = roles[h % roles.length]!;
      const n = String(Math.floor(h / roles.length) + 1).padStart(pad, '0');
      const name = `${plan.prefix}-${r.role}-${n}`;
      const windows = rng() < 0.1;
      const cores = pick(rng, [2, 4, 8, 16]);
      const late = rng() < 0.12;
      const firstSeen = late ? anchor - Math.floor(rng() * 6 * 3_600_000) : anchor - (30 + Math.floor(rng() * 60)) * DAY;
      const host = add({
        entityId: newId('HOST'), type: 'HOST', displayName: name, firstSeenTms: firstSeen,
        healthState: rng() < 0.08 ? 'UNHEALTHY' : 'HEALTHY',
        properties: {
          osType: windows ? 'WINDOWS' : 'LINUX', bitness: '64', cpuCores: cores, memoryTotal: cores * 4 * 1024 ** 3,
          monitoringMode: 'FULL_STACK', state: 'RUNNING', ipAddress: [`10.${zi + 1}.${(h >> 8) & 255}.${h & 255}`],
          cloudType: 'EC2', awsRegion: plan.region,
        },
        tags: [tag('env', plan.env), tag('team', pick(rng, TEAMS)), tag('Name', name, 'AWS'), ...(rng() < 0.2 ? [tag('pci')] : [])],
        zoneIds, fromRelationships: {},
      });
      (hostsByRole.get(r.role) ?? hostsByRole.set(r.role, []).get(r.role)!).push(host);
      const disks = windows ? ['C:\\'] : rng() < 0.5 ? ['/'] : ['/', '/data'];
      for (const d of disks) {
        add({ entityId: newId('DISK'), type: 'DISK', displayName: d, firstSeenTms: firstSeen, properties: { fileSystem: windows ? 'NTFS' : 'ext4' }, tags: [], zoneIds, fromRelationships: { isDiskOf: [host.entityId] } });
      }
      r.processes.forEach((p, pi) => {
        const pgi = add({
          entityId: newId('PROCESS_GROUP_INSTANCE'), type: 'PROCESS_GROUP_INSTANCE', displayName: `${p} (${name})`, firstSeenTms: firstSeen,
          properties: { processType: pi === 0 ? 'PRIMARY' : 'SECONDARY', softwareTechnologies: [r.tech[pi]] }, tags: [tag('env', plan.env)],
          zoneIds, fromRelationships: { isProcessOf: [host.entityId] },
        });
        if (pi !== 0) return;
        // One service per primary process; in the large world names repeat with the host number.
        const base = r.services[Math.floor(h / roles.length) % r.services.length]!;
        const svcName = kind === 'large' || h >= roles.length * r.services.length ? `${base}-${n}` : base;
        const service = add({
          entityId: newId('SERVICE'), type: 'SERVICE', displayName: plan.name === 'Shared Services' ? svcName : `${svcName} (${plan.prefix})`,
          firstSeenTms: firstSeen, healthState: rng() < 0.05 ? 'UNHEALTHY' : 'HEALTHY',
          properties: { serviceType: r.serviceType, serviceTechnologyTypes: [r.tech[0]] }, tags: [tag('env', plan.env), tag('team', pick(rng, TEAMS))],
          // Shared services serve both production zones too: an entity in several zones.
          zoneIds: plan.name === 'Shared Services' ? [...zoneIds, zoneOf.get('Production EU')!, zoneOf.get('Production US')!] : zoneIds,
          fromRelationships: { runsOn: [pgi.entityId], runsOnHost: [host.entityId] },
        });
        (r.role === 'web' ? svc.web : plan.name === 'Shared Services' ? svc.shared : svc.backend).push(service.entityId);
      });
    }
    // Real hosts have outgoing relationships too (recorded: docs/sandbox-behaviour.md, "Real answers"): a host talks
    // to hosts of the next tier of its zone. Chosen by position, not by the generator, so no other id moves.
    const tiers: [string, string][] = [['web', 'app'], ['app', 'db'], ['app', 'cache'], ['auth', 'kafka']];
    for (const [from, to] of tiers) {
      const servers = hostsByRole.get(to) ?? [];
      if (!servers.length) continue;
      (hostsByRole.get(from) ?? []).forEach((client, i) => {
        (client.fromRelationships.isNetworkClientOfHost ??= []).push(servers[i % servers.length]!.entityId);
      });
    }
  });

  // calls: front ends -> backends of their zone -> shared auth/event bus.
  const shared = servicesByZone.get('Shared Services')!.shared;
  const byId = new Map(entities.map((e) => [e.entityId, e]));
  for (const plan of PLAN) {
    const svc = servicesByZone.get(plan.name)!;
    for (const w of svc.web) {
      const targets = svc.backend.length ? [svc.backend[Math.floor(rng() * svc.backend.length)]!] : [];
      byId.get(w)!.fromRelationships.calls = targets;
    }
    for (const b of svc.backend) {
      if (shared.length && rng() < 0.6) byId.get(b)!.fromRelationships.calls = [shared[Math.floor(rng() * shared.length)]!];
    }
    if (plan.name === 'Shared Services') continue;
    const apps = kind === 'large' ? 10 : plan.name === 'Staging' ? 1 : 2;
    const appNames = plan.name === 'Staging' ? ['Web shop (staging)'] : [`Web shop ${plan.name.slice(-2)}`, `Booking portal ${plan.name.slice(-2)}`];
    for (let a = 0; a < apps; a++) {
      add({
        entityId: newId('APPLICATION'), type: 'APPLICATION', displayName: a < appNames.length ? appNames[a]! : `${appNames[a % appNames.length]} ${a + 1}`,
        firstSeenTms: anchor - 120 * DAY, properties: { applicationType: 'BROWSER_RUM', applicationInjectionType: 'AUTO_INJECTED' },
        tags: [tag('env', plan.env)], zoneIds: [zoneOf.get(plan.name)!],
        fromRelationships: { calls: svc.web.slice(0, 3) },
      });
    }
  }
  return { zones, entities };
}
