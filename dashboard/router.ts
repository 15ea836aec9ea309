import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

export const dashboardRoutes: RouteRecordRaw[] = [
  { path: '/', redirect: '/overview' },
  { path: '/overview', name: 'overview', component: () => import('./pages/OverviewPage.vue'), meta: { title: 'Overview' } },
  { path: '/metrics', name: 'metrics', component: () => import('./pages/MetricsPage.vue'), meta: { title: 'Metrics' } },
  { path: '/entities', name: 'entities', component: () => import('./pages/EntitiesPage.vue'), meta: { title: 'Entities' } },
  { path: '/problems', name: 'problems', component: () => import('./pages/ProblemsPage.vue'), meta: { title: 'Problems' } },
  { path: '/inspector', name: 'inspector', component: () => import('./pages/InspectorPage.vue'), meta: { title: 'Token inspector' } },
  { path: '/:pathMatch(.*)*', redirect: '/overview' },
];

/** Hash routing: the dashboard is a static extension page, and the hash keeps shareable query state. */
export function createDashboardRouter() {
  return createRouter({ history: createWebHashHistory(), routes: dashboardRoutes });
}
