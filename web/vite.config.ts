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
        // Three groups of library code: ECharts (the dashboard's alone), what
        // the sign-in page needs (`$initial`: one chunk with the entry), and
        // the rest of the libraries in one chunk loaded after sign-in —
        // not one chunk per component: over HTTP/1.1 a browser opens six
        // connections to a host, and thirty small chunks queue behind them
        // (docs/performance.md, "First load"). The app's own pages stay
        // one chunk each.
        codeSplitting: {
          groups: [
            { name: 'charts', test: /node_modules[\\/](echarts|zrender)/, priority: 3 },
            { name: 'initial', tags: ['$initial'], priority: 2 },
            { name: 'lib', test: /node_modules/, priority: 1 },
          ],
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
