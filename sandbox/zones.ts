import type { Caller, SandboxDeps } from './context';
import { visibleZoneIds } from './context';
import { errors } from './errors';
import { getSettings } from './settings';

/**
 * An explicit zone in a query (mzSelector, mzName/mzId in an entity selector, problem zone filter)
 * that the caller cannot see: 403 naming it in `reject` mode; in `filter` mode the query runs and
 * implicit filtering makes the result empty, as the real API does.
 */
export function assertExplicitZones(deps: SandboxDeps, caller: Caller, names: Iterable<string>, ids: Iterable<string>): void {
  const visible = visibleZoneIds(caller);
  if (!visible || !caller.access) return;
  if (getSettings(deps.db).zoneDenials === 'filter') return;
  const user = caller.access.user.email;
  // The denial repeats what was asked (a name or an id), never the name behind a foreign id.
  for (const name of names) if (!caller.access.zoneNames.has(name)) throw errors.zoneDenied(name, user);
  for (const id of ids) if (!visible.has(id)) throw errors.zoneDenied(id, user);
}
