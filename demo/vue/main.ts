import { createApp } from 'vue';
import 'metered-call/define';
import App from './App.vue';

createApp(App).mount('#app');
