import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import '../../components/theme.css';

createApp(App).use(createPinia()).mount('#app');
