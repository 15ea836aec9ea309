/**
 * Opening the dashboard from the popup. The pages reach `browser.*` through composables and stores only, so the
 * popup's "Open dashboard" comes through here.
 */
export { openDashboard } from '../platform/navigation';
