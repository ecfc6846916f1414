// The React 19 demo, built with Vite: `npm run build:demos` → demo/react/dist/.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { meteredCallAliases } from '../shared-vite.mjs';

export default defineConfig({
  root: import.meta.dirname,
  base: './', // the built page works from any path
  plugins: [react()],
  resolve: { alias: meteredCallAliases },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  logLevel: 'warn',
});
