import { vitePlugin as remix } from '@remix-run/dev';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import tsconfigPaths from 'vite-tsconfig-paths';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

// Build warnings that need no action and that a newcomer would mistake for errors: comment positions inside
// zod's published files, and the empty client chunk of a route that has only an action (resources.theme).
const QUIET_WARNINGS = new Set(['INVALID_ANNOTATION', 'EMPTY_BUNDLE']);

export default defineConfig({
  build: {
    rollupOptions: {
      onwarn(warning, warn) {
        if (warning.code && QUIET_WARNINGS.has(warning.code)) return;
        warn(warning);
      },
    },
  },
  plugins: [
    tailwindcss(),
    remix({
      appDirectory: 'web',
      // scripts/ensure-build.mjs builds into a scratch folder, then swaps it in (readers never see half a build).
      buildDirectory: process.env.AISTUDIO_BUILD_DIR ?? 'build',
      ignoredRouteFiles: ['**/*.test.*', '**/.*'],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
  server: { watch: { ignored: ['**/.data/**', '**/build/**'] } },
  // Pre-bundle the UI's client dependencies at dev start: discovered lazily, they trigger a re-optimisation
  // mid-load and the first page hydrates against two copies of React.
  optimizeDeps: {
    include: [
      '@radix-ui/react-dialog',
      '@radix-ui/react-dropdown-menu',
      '@radix-ui/react-label',
      '@radix-ui/react-slot',
      '@radix-ui/react-tabs',
      '@radix-ui/react-toast',
    ],
  },
});
