import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Component tests mount in jsdom, so they need Svelte's client runtime rather than its server one.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  // Tauri's dev runner waits on a fixed port, and its own log lines must stay on screen.
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    // Every webview Tauri v2 supports has native modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
}));
