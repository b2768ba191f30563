import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The workspace's build: web/ → web/dist, served by the API (api/pages/workspace.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus and ECharts are large; pages load them in their own chunks (see the router).
    chunkSizeWarningLimit: 1500,
  },
  // `npm run web:dev`: pages from Vite with hot reload, API calls to the running `npm start`.
  server: { proxy: { '/api': 'http://localhost:3000', '/admin/queues': 'http://localhost:3000' } },
});
