import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Tauri window loads the built files from ui/dist (see src-tauri/tauri.conf.json).
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: 'safari16', sourcemap: false, chunkSizeWarningLimit: 1024 },
  test: { include: ['src/**/*.test.ts'] },
});
