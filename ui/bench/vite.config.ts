// Builds the list burst bench page (production build, like the app) into BENCH_OUT.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  logLevel: 'warn',
  build: {
    target: 'safari16',
    outDir: process.env.BENCH_OUT ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: { input: 'list-burst.html' },
  },
});
