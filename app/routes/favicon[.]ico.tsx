// Browsers ask for /favicon.ico on every page; answer without an error.
export const loader = () => new Response(null, { status: 204, headers: { "Cache-Control": "public, max-age=86400" } });
