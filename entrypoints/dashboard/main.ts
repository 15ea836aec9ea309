import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '../../dashboard/DashboardApp.vue';
import { createDashboardRouter } from '../../dashboard/router';
import '../../components/theme.css';

createApp(App).use(createPinia()).use(createDashboardRouter()).mount('#app');
