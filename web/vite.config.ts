import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, loadEnv, type Plugin } from 'vite';

const COMPRESSIBLE = /\.(?:html|js|css|svg|json|txt|webmanifest)$/;

// Writes NAME.gz and NAME.br beside every compressible file of the build, so the server sends
// them by Accept-Encoding without compressing per request. node's zlib does both at their best
// settings; a plugin would add a dependency for these few lines.
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  return {
    name: 'maestro-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(outDir).filter((f) => COMPRESSIBLE.test(f))) {
        const content = readFileSync(file);
        const gzip = gzipSync(content, { level: 9 });
        const brotli = brotliCompressSync(content, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
        });
        // Tiny files gain nothing; the server then sends the file as it is.
        if (gzip.length < content.length) writeFileSync(`${file}.gz`, gzip);
        if (brotli.length < content.length) writeFileSync(`${file}.br`, brotli);
      }
    },
  };
}

// `npm run dev` serves the UI on :5173 and forwards /api and /ws to a running maestro-server
// (MAESTRO_URL, default http://127.0.0.1:3000). The server must list http://localhost:5173 in
// config.json "allowedOrigins", because the proxy passes the browser's Origin header through.
export default defineConfig(({ mode }) => {
  const target = loadEnv(mode, '.', 'MAESTRO_').MAESTRO_URL || 'http://127.0.0.1:3000';
  return {
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [precompress()],
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
      // Built for debugging; the server serves them only when config.json says "webSourceMaps".
      sourcemap: true,
    },
  };
});
