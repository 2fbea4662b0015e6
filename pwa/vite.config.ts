// The admin app's build: Solid, and a service worker (vite-plugin-pwa, Workbox) that precaches
// the shell only. The gateway serves the output from assets embedded in the server.
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import solid from "vite-plugin-solid";

/** Paths the gateway answers itself: the service worker must never serve the shell for them. */
const gatewayPaths = [/^\/v1/, /^\/code/, /^\/api/, /^\/health/, /^\/metrics/, /^\/messages/, /^\/models/, /^\/chat/];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    solid(),
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      filename: "sw.js",
      includeAssets: ["apple-touch-icon.png"],
      manifest: {
        name: "pocketgate admin",
        short_name: "pocketgate",
        description: "Manage your pocketgate Claude gateway: keys, clients, settings, usage.",
        id: "/",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#0b1416",
        theme_color: "#0f766e",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,png,svg,webmanifest}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: gatewayPaths,
        cleanupOutdatedCaches: true,
        // No runtime caching: API calls and proxied requests always go to the network.
        runtimeCaching: [],
      },
    }),
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
  },
});
