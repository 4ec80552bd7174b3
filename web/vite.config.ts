import { defineConfig, loadEnv } from 'vite';

// `npm run dev` serves the UI on :5173 and forwards /api and /ws to a running maestro-server
// (MAESTRO_URL, default http://127.0.0.1:3000). The server must list http://localhost:5173 in
// config.json "allowedOrigins", because the proxy passes the browser's Origin header through.
export default defineConfig(({ mode }) => {
  const target = loadEnv(mode, '.', 'MAESTRO_').MAESTRO_URL || 'http://127.0.0.1:3000';
  return {
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    server: {
      port: 5173,
      strictPort: true,
      proxy: {
        '/api': { target },
        '/health': { target },
        '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      chunkSizeWarningLimit: 600,
    },
  };
});
