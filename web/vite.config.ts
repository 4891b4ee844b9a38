import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The build is served by `chancery serve --ui web/dist` under a strict
// Content-Security-Policy: no inline scripts, everything bundled.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts';
          if (id.includes('node_modules')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' }, // `make run`'s node
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
