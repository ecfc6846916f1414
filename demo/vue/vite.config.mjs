// The Vue 3 demo, built with Vite: `npm run build:demos` → demo/vue/dist/.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { meteredCallAliases } from '../shared-vite.mjs';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [
    // tell Vue's template compiler that <metered-call> is a custom element, not a component
    vue({ template: { compilerOptions: { isCustomElement: tag => tag === 'metered-call' } } }),
  ],
  resolve: { alias: meteredCallAliases },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  logLevel: 'warn',
});
