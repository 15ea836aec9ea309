import { createApp } from 'vue';
import { createPinia } from 'pinia';
import PopupApp from '../../popup/PopupApp.vue';
import '../../components/theme.css';

createApp(PopupApp).use(createPinia()).mount('#app');
