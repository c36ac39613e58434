// Renders /openapi.json with Swagger UI (swagger-ui-dist, served from node_modules: no CDN). A file of its
// own, not an inline script, so the page works under a CSP with script-src 'self'.
/* global window, SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
  presets: [SwaggerUIBundle.presets.apis],
});
